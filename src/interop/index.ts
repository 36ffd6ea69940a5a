// Models to and from PyTorch (safetensors + nn.Sequential code) and ONNX as bytes, in browsers and
// Node (docs/interop.md). Reading and writing files: mashagrad/node.
export { EXPORT_FORMATS, exportModel, modelFromBytes, type ExportFormat, type ExportOptions } from './model-bytes.js';
export { portableLayers, sequentialOf, problemFileModel, type PortableLayer, type ActivationKind } from './layers.js';
export { encodeSafetensors, decodeSafetensors, type Safetensors } from './safetensors.js';
export { encodeNpy, decodeNpy } from './npy.js';
export { encodeOnnx, decodeOnnx, ONNX_OPSET, type OnnxExportOptions } from './onnx.js';
export { pytorchCode, type PytorchCodeOptions } from './pytorch.js';
export { stateDictOf, layersFromStateDict, type StateDictOptions } from './state-dict.js';
export { InteropError, type NumericArray } from './named-array.js';

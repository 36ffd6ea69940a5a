import type { DType } from '../tensor/dtype.js';
import { STANDARDIZATION_METADATA_KEY, standardizationText, type InputStandardization } from './input-standardization.js';
import type { PortableLayer } from './layers.js';
import { decodeOnnx, encodeOnnx } from './onnx.js';
import { pytorchCode } from './pytorch.js';
import { decodeSafetensors, encodeSafetensors } from './safetensors.js';
import { LAYERS_METADATA_KEY, layersFromStateDict, stateDictMetadata, stateDictOf, type StateDictOptions } from './state-dict.js';

/* A model's file contents in each export format, and back: bytes only, no disk (files.ts reads and writes them in Node; browsers download them). */

export const EXPORT_FORMATS = ['onnx', 'safetensors', 'pytorch'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export interface ExportOptions {
  readonly dtype?: DType;
  /** For the pytorch format: the safetensors file its code loads. */
  readonly weightsFile?: string;
  /** A model trained on standardized inputs: ONNX and the code take raw inputs; safetensors records the numbers in its metadata. */
  readonly standardization?: InputStandardization | null;
}

/** The file contents of a model in an export format (pytorch: Python source). */
export function exportModel(layers: readonly PortableLayer[], format: ExportFormat, options: ExportOptions = {}): Uint8Array | string {
  const dtype = options.dtype ?? 'float32';
  const standardization = options.standardization ?? null;
  switch (format) {
    case 'onnx': return encodeOnnx(layers, { dtype, standardization });
    case 'safetensors': {
      const metadata = stateDictMetadata(layers);
      if (standardization !== null) metadata.set(STANDARDIZATION_METADATA_KEY, standardizationText(standardization));
      return encodeSafetensors(stateDictOf(layers, dtype), metadata);
    }
    case 'pytorch': return pytorchCode(layers, { weightsFile: options.weightsFile ?? 'model.safetensors', dtype, standardization });
  }
}

/**
 * The layers of a .safetensors (PyTorch nn.Sequential state dict) or .onnx file's bytes (`source`
 * names them in messages). For safetensors the layer list is options.layers, else the file's
 * metadata, else linear layers with options.activation (relu) in each gap.
 */
export function modelFromBytes(bytes: Uint8Array, format: 'onnx' | 'safetensors', source: string, options: StateDictOptions = {}): PortableLayer[] {
  if (format === 'onnx') return decodeOnnx(bytes, source);
  const { arrays, metadata } = decodeSafetensors(bytes, source);
  const layers = options.layers ?? metadata.get(LAYERS_METADATA_KEY);
  return layersFromStateDict(arrays, source, { ...options, ...(layers === undefined ? {} : { layers }) });
}

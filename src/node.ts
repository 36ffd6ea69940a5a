/**
 * mashagrad/node: the parts that need Node — reading problem files, data sets and saved
 * models from disk, PNG pictures, whole HTML pages (KaTeX's fonts inlined from disk) and the
 * native backend. Everything else is in the browser-safe entries (mashagrad, mashagrad/problem,
 * mashagrad/draw, mashagrad/explain).
 */
export { loadProblem } from './files/read-problem.js';
export { solveProblem } from './problem/solve-file.js';
export { savedModel, loadSavedModel, type SavedModel } from './files/saved-model.js';
export { parseIdx, readIdxFile, type IdxArray } from './data/idx.js';
export { loadMnistFormat, FASHION_MNIST_DIR, FASHION_MNIST_CLASSES, type MnistOptions } from './data/mnist.js';
export { loadCsv, type CsvOptions } from './data/csv.js';
export { loadNativeBackend, type NativeOptions } from './kernels/native/index.js';
export { svgToPng, formatOfFile, renderPicture, type PngOptions } from './draw/node.js';
export { renderSolution, renderBook, FORMATS, EXTENSIONS, type Format, type RenderOptions } from './explain/render.js';
export { htmlPage } from './explain/html-page.js';
// Interop: models to and from PyTorch (safetensors + nn.Sequential code) and ONNX, arrays as .npy (docs/interop.md).
export { readModelFile, readNpyFile, writeNpyFile } from './interop/files.js';
export * from './interop/index.js';

import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { extname } from 'node:path';
import type { PortableLayer } from './layers.js';
import { modelFromBytes } from './model-bytes.js';
import { InteropError, type NumericArray } from './named-array.js';
import { decodeNpy, encodeNpy } from './npy.js';
import type { StateDictOptions } from './state-dict.js';

/* The interop formats on disk (Node only): the format is the file's extension. The bytes of each are model-bytes.ts's, which browsers use too. */
export { EXPORT_FORMATS, exportModel, type ExportFormat, type ExportOptions } from './model-bytes.js';

/** Larger files are refused before reading: 1 GiB is far beyond any model this library explains. */
const MAX_FILE_BYTES = 1 << 30;

export const MODEL_FILE_EXTENSIONS = ['.safetensors', '.onnx'] as const;

/** A binary file's bytes, or one line saying why not. */
export function readBinaryFile(file: string): Uint8Array {
  try {
    const { size } = statSync(file);
    if (size > MAX_FILE_BYTES) throw new InteropError(`${file}: ${size} bytes is more than the ${MAX_FILE_BYTES} bytes mashagrad reads`);
    return readFileSync(file);
  } catch (error) {
    if (error instanceof InteropError) throw error;
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message;
    throw new InteropError(`cannot read ${file}: ${reason}`);
  }
}

export function writeBinaryFile(file: string, bytes: Uint8Array | string): void {
  try {
    writeFileSync(file, bytes);
  } catch (error) {
    throw new InteropError(`cannot write ${file}: ${(error as Error).message}`);
  }
}

/** A .npy file's array. */
export function readNpyFile(file: string): NumericArray {
  return decodeNpy(readBinaryFile(file), file);
}

export function writeNpyFile(file: string, array: NumericArray): void {
  writeBinaryFile(file, encodeNpy(array));
}

/** Whether a path names a model file this module reads (.safetensors or .onnx). */
export const isModelFile = (file: string): boolean => (MODEL_FILE_EXTENSIONS as readonly string[]).includes(extname(file).toLowerCase());

/**
 * The layers of a .safetensors (PyTorch nn.Sequential state dict) or .onnx file. For safetensors
 * the layer list is options.layers, else the file's metadata, else linear layers with
 * options.activation (relu) in each gap.
 */
export function readModelFile(file: string, options: StateDictOptions = {}): PortableLayer[] {
  const extension = extname(file).toLowerCase();
  if (extension !== '.onnx' && extension !== '.safetensors') throw new InteropError(`${file}: a model file is .safetensors (a PyTorch state dict) or .onnx`);
  return modelFromBytes(readBinaryFile(file), extension === '.onnx' ? 'onnx' : 'safetensors', file, options);
}

import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { extname } from 'node:path';
import type { DType } from '../tensor/dtype.js';
import { STANDARDIZATION_METADATA_KEY, standardizationText, type InputStandardization } from './input-standardization.js';
import type { PortableLayer } from './layers.js';
import { InteropError, type NumericArray } from './named-array.js';
import { decodeNpy, encodeNpy } from './npy.js';
import { decodeOnnx, encodeOnnx } from './onnx.js';
import { pytorchCode } from './pytorch.js';
import { decodeSafetensors, encodeSafetensors } from './safetensors.js';
import { LAYERS_METADATA_KEY, layersFromStateDict, stateDictMetadata, stateDictOf, type StateDictOptions } from './state-dict.js';

/* The interop formats on disk (Node only): the format is the file's extension. */

/** Larger files are refused before reading: 1 GiB is far beyond any model this library explains. */
const MAX_FILE_BYTES = 1 << 30;

export const EXPORT_FORMATS = ['onnx', 'safetensors', 'pytorch'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];
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
  if (extension === '.onnx') return decodeOnnx(readBinaryFile(file), file);
  if (extension === '.safetensors') {
    const { arrays, metadata } = decodeSafetensors(readBinaryFile(file), file);
    const layers = options.layers ?? metadata.get(LAYERS_METADATA_KEY);
    return layersFromStateDict(arrays, file, { ...options, ...(layers === undefined ? {} : { layers }) });
  }
  throw new InteropError(`${file}: a model file is .safetensors (a PyTorch state dict) or .onnx`);
}

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

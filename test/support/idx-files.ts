import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

/** IDX type codes by the typed array they decode to (the third byte of the magic number). */
export const IDX_TYPE_CODES = { uint8: 0x08, int8: 0x09, int16: 0x0b, int32: 0x0c, float32: 0x0d, float64: 0x0e } as const;
export type IdxTypeName = keyof typeof IDX_TYPE_CODES;
const SIZES: Record<IdxTypeName, number> = { uint8: 1, int8: 1, int16: 2, int32: 4, float32: 4, float64: 8 };

/** An IDX file's bytes, written by hand with DataView in big-endian order, as the spec says. */
export function encodeIdx(type: IdxTypeName, dims: readonly number[], values: readonly number[]): Uint8Array {
  const header = 4 + 4 * dims.length;
  const bytes = new Uint8Array(header + values.length * SIZES[type]);
  const view = new DataView(bytes.buffer);
  view.setUint8(2, IDX_TYPE_CODES[type]);
  view.setUint8(3, dims.length);
  dims.forEach((size, axis) => view.setUint32(4 + 4 * axis, size, false));
  values.forEach((value, i) => {
    const offset = header + i * SIZES[type];
    if (type === 'uint8') view.setUint8(offset, value);
    else if (type === 'int8') view.setInt8(offset, value);
    else if (type === 'int16') view.setInt16(offset, value, false);
    else if (type === 'int32') view.setInt32(offset, value, false);
    else if (type === 'float32') view.setFloat32(offset, value, false);
    else view.setFloat64(offset, value, false);
  });
  return bytes;
}

export interface MnistSplitFiles {
  readonly rows: number;
  readonly columns: number;
  /** Pixels of every image, row-major. */
  readonly pixels: readonly number[];
  readonly labels: readonly number[];
}

/** Writes an MNIST-format folder (train-… and t10k-… images and labels), gzipped or plain. */
export function writeMnistFolder(dir: string, splits: { train: MnistSplitFiles; test: MnistSplitFiles }, gzip: boolean): void {
  mkdirSync(dir, { recursive: true });
  const write = (name: string, bytes: Uint8Array): void => writeFileSync(join(dir, gzip ? `${name}.gz` : name), gzip ? gzipSync(bytes) : bytes);
  for (const [prefix, split] of [['train', splits.train], ['t10k', splits.test]] as const) {
    const count = split.labels.length;
    write(`${prefix}-images-idx3-ubyte`, encodeIdx('uint8', [count, split.rows, split.columns], split.pixels));
    write(`${prefix}-labels-idx1-ubyte`, encodeIdx('uint8', [count], split.labels));
  }
}

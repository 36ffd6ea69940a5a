import { InputError } from '../errors.js';
import type { DType, Storage } from '../tensor/dtype.js';

/** An array as files hold it: its numbers in row-major order, its shape and element type. */
export interface NumericArray {
  readonly dtype: DType;
  readonly shape: readonly number[];
  readonly data: Storage;
}

/** Whole numbers PyTorch keeps in a state dict as int64 (a batch norm's num_batches_tracked); written, not read. */
export interface IntegerArray {
  readonly dtype: 'int64';
  readonly shape: readonly number[];
  readonly data: readonly number[];
}

/** An entry of a state dict as written. */
export type StateArray = NumericArray | IntegerArray;

/** A read failed: the file is not what its name says. One line, naming the file. */
export class InteropError extends InputError {
  override readonly name = 'InteropError';
}

export const sizeOfShape = (shape: readonly number[]): number => shape.reduce((product, size) => product * size, 1);

/** A matrix's rows as plain numbers (for problem files), checking it is one. */
export function matrixRows(array: NumericArray, what: string): number[][] {
  if (array.shape.length !== 2) throw new InteropError(`${what}: expected a matrix (2 axes), got shape [${array.shape.join(', ')}]`);
  const [rows, columns] = array.shape as [number, number];
  return Array.from({ length: rows }, (_, row) => Array.from(array.data.subarray(row * columns, (row + 1) * columns)));
}

/** The transpose of a matrix: PyTorch keeps a linear layer's weight as [outputs, inputs], the sheet as [inputs, outputs]. */
export function transposed(array: NumericArray): NumericArray {
  const [rows, columns] = array.shape as [number, number];
  const data = array.dtype === 'float32' ? new Float32Array(rows * columns) : new Float64Array(rows * columns);
  for (let row = 0; row < rows; row++) for (let column = 0; column < columns; column++) data[column * rows + row] = array.data[row * columns + column]!;
  return { dtype: array.dtype, shape: [columns, rows], data };
}

/** Element types. float64 is the default: hand-checkable answers must match exact arithmetic. */
export type DType = 'float64' | 'float32';

/** Contiguous element storage of a tensor. */
export type Storage = Float64Array | Float32Array;

export const DEFAULT_DTYPE: DType = 'float64';

export function allocate(dtype: DType, size: number): Storage {
  return dtype === 'float32' ? new Float32Array(size) : new Float64Array(size);
}

export function dtypeOf(data: Storage): DType {
  return data instanceof Float32Array ? 'float32' : 'float64';
}

/** Result type of an op over several inputs: the widest one, as PyTorch promotes. */
export function promote(a: DType, b: DType): DType {
  return a === b ? a : 'float64';
}

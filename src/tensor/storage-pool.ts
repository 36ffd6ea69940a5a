import { allocate, type DType, type Storage } from './dtype.js';

/**
 * Storage given back by Tensor.dispose(), handed to the next op result of the same dtype and
 * length. JavaScript frees an array only when the garbage collector runs (V8: after tens of
 * megabytes of array buffers), so without this every result is memory new to the process —
 * page faults and cache misses on its first write — where NumPy's reference counting hands the
 * block it just freed straight back, still in cache (docs/performance.md, "A fresh array per
 * result"). Only what dispose() gives back is reused: nothing here guesses lifetimes.
 */

/** Smaller arrays are cheap to make anew (V8 keeps the smallest in its own heap). */
export const MIN_POOLED_BYTES = 16 * 1024;
/** Arrays kept per dtype and length: a loop needs one or two; more would only hold memory. */
const KEPT_PER_LENGTH = 4;
/** All kept arrays together, so that disposing many big tensors cannot pin memory. */
const MAX_POOLED_BYTES = 64 * 1024 * 1024;

const free = { float32: new Map<number, Storage[]>(), float64: new Map<number, Storage[]>() };
let pooledBytes = 0;

/** Zero-filled storage: a disposed array of this dtype and length if one is kept, else a new one. */
export function takeStorage(dtype: DType, length: number): Storage {
  const kept = free[dtype].get(length);
  const storage = kept?.pop();
  if (storage === undefined) return allocate(dtype, length);
  pooledBytes -= storage.byteLength;
  // Zeroing a block still in cache costs a few per cent of a 256×256 product; kernels may
  // accumulate into their output, so none may see the previous tensor's values.
  return storage.fill(0);
}

/**
 * Keep `storage` for takeStorage. The caller must own it alone (no view, no other tensor).
 * Its ArrayBuffer is transferred to a new one over the same memory, which detaches the old:
 * an array someone took from the disposed tensor's `data` then reads as empty rather than
 * showing the next tensor's values. Returns whether it was kept.
 */
export function giveBack(storage: Storage): boolean {
  const bytes = storage.byteLength;
  const whole = storage.buffer instanceof ArrayBuffer && storage.byteOffset === 0 && storage.buffer.byteLength === bytes;
  if (bytes < MIN_POOLED_BYTES || !whole) return false;
  const dtype = storage instanceof Float32Array ? 'float32' : 'float64';
  const length = storage.length; // read before the transfer below empties `storage`
  const byLength = free[dtype];
  const kept = byLength.get(length) ?? [];
  if (kept.length >= KEPT_PER_LENGTH || pooledBytes + bytes > MAX_POOLED_BYTES) return false;
  const buffer = structuredClone(storage.buffer, { transfer: [storage.buffer] });
  kept.push(dtype === 'float32' ? new Float32Array(buffer) : new Float64Array(buffer));
  byLength.set(length, kept);
  pooledBytes += bytes;
  return true;
}

/** Bytes kept for reuse now (for tests and reports). */
export function pooledStorageBytes(): number {
  return pooledBytes;
}

import { allocate, dtypeOf, type Storage } from '../tensor/dtype.js';

/*
 * Working space a kernel needs only while it runs (one sample's im2col columns): kept per storage
 * type and reused, grown when a larger one is asked for. A fresh array per call costs more than
 * the work on it: the engine zeroes it, the first writes fault its pages in, the collector frees
 * it (a convolutional training step spent about a fifth of its time so). Kernels run one at a
 * time and do not call each other, so one buffer per type and slot is enough (a kernel needing
 * two at once asks for slots 0 and 1); never returned as a result.
 */
const buffers = new Map<string, Storage>();

/** `length` numbers of `like`'s storage type, contents undefined. */
export function scratch(like: Storage, length: number, slot: 0 | 1 = 0): Storage {
  const dtype = dtypeOf(like);
  const key = `${dtype} ${slot}`;
  const held = buffers.get(key);
  if (held !== undefined && held.length >= length) return held.subarray(0, length);
  const fresh = allocate(dtype, length);
  buffers.set(key, fresh);
  return fresh;
}

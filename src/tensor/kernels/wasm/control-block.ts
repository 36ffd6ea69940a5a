/**
 * The control block the main thread and the matmul workers share (an Int32Array over a
 * SharedArrayBuffer of its own, so growing the wasm memory never moves it). The main thread
 * writes each worker's slot, then bumps GENERATION and notifies; a worker runs its slot and
 * decrements PENDING, the last one notifying the main thread. The Atomics operations order the
 * plain writes around them (slots, and the kernels' writes into the shared wasm memory).
 */
export const GENERATION = 0;
/** Workers that have not finished the current job. */
export const PENDING = 1;
/** Set to 1 by a worker whose kernel threw (it should never happen: the main thread then throws). */
export const FAILED = 2;
export const FIRST_SLOT = 4;

/** A worker's slot: which kernel, and its arguments (byte addresses and sizes, as kernels.as takes them). */
export const SLOT = { kernel: 0, a: 1, b: 2, c: 3, rows: 4, k: 5, n: 6, packA: 7, packB: 8, tile: 9 } as const;
export const SLOT_LENGTH = 10;

/** Kernel codes in a slot. */
export const MATMUL_F32 = 0;
export const MATMUL_F64 = 1;

export function slotStart(worker: number): number {
  return FIRST_SLOT + worker * SLOT_LENGTH;
}

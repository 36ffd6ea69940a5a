/**
 * The control block the main thread and the matmul workers share: an Int32Array over a
 * SharedArrayBuffer of its own (growing the wasm memory never moves it). The Atomics
 * operations order the plain reads and writes around them: the job's fields, and the
 * kernels' writes into the shared wasm memory.
 *
 * One job at a time. The main thread announces it (bumps GENERATION and notifies) before it
 * copies the operands into the wasm memory, so the workers wake while it copies (waking a
 * sleeping thread took ~0.25 ms here); then it writes the job's fields and opens it
 * (JOINED = 0, notified too). An announced worker spins up to OPEN_SPIN_MS for the opening,
 * then sleeps on JOINED until it comes. Threads take chunks of rows with Atomics.add on
 * NEXT_CHUNK until none are left — the main thread too — so a worker that wakes late (its
 * core busy with other work) takes fewer chunks, or none. A worker joins with a
 * compare-exchange on JOINED while it is open (≥ 0), and only then reads the job; the main
 * thread, out of chunks, closes it (exchange to CLOSED) and waits only for the workers that
 * joined to count themselves in DONE. A worker that comes after the close joins the next job
 * when that one opens (its fields are written before).
 */
export const GENERATION = 0;
/** How long an announced worker spins for the job to open before it sleeps until it does. */
export const OPEN_SPIN_MS = 0.2;
export const JOINED = 1;
export const CLOSED = -1;
export const DONE = 2;
export const NEXT_CHUNK = 3;
/** Set to 1 by a worker whose kernel threw (it should never happen: the main thread then throws). */
export const FAILED = 4;

/** The job: which kernel, and its arguments (byte addresses and sizes, as kernels.as takes them). */
export const JOB = { kernel: 5, a: 6, b: 7, c: 8, m: 9, k: 10, n: 11, chunkRows: 12, chunks: 13 } as const;

/** Each worker's own packing buffers (byte addresses), from FIRST_SLOT on. */
const FIRST_SLOT = 16;
export const SLOT = { packA: 0, packB: 1, tile: 2 } as const;
const SLOT_LENGTH = 3;

/** Kernel codes of a job. */
export const MATMUL_F32 = 0;
export const MATMUL_F64 = 1;

export function slotStart(worker: number): number {
  return FIRST_SLOT + worker * SLOT_LENGTH;
}

export function controlLength(workers: number): number {
  return slotStart(workers);
}

import type { Storage } from '../../dtype.js';
import type { MatmulDims } from '../backend.js';
import type { Arena } from './arena.js';
import type { Kernels } from './kernel-exports.js';
import type { MatmulSlice, MatmulWorkers } from './matmul-workers.js';

// Blocking of kernels.as (KC, MC, and the micro-tile MR × NR), for sizing the packing buffers.
const KC = 256;
const MC = 96;
const MR = { 4: 2, 8: 4 } as const;
const NR = { 4: 16, 8: 4 } as const;
/** kernels.as packs A with every value splatted over a whole v128: 16 bytes per element. */
const PACKED_A_ELEMENT = 16;

/**
 * Below this many multiply-adds (m·k·n of one product) a matmul runs on one thread: waking the
 * workers and waiting for the last costs more than they save. Measured: TODO.
 */
export const MIN_PARALLEL_WORK = 2_000_000;

/**
 * Rows of C for `parts` threads, as [start, end) ranges of whole micro-tiles (MR rows; the last
 * range may end in a partial one), as even as can be. Every element of C is still summed by
 * one thread in kernels.as's order (p = 0, 1, …, k−1, in KC blocks), so the result is
 * bit-identical to one thread's, however the rows are split.
 */
export function splitRows(m: number, mr: number, parts: number): [number, number][] {
  const tiles = Math.ceil(m / mr);
  const ranges: [number, number][] = [];
  for (let t = 0; t < parts; t++) {
    const start = Math.floor((t * tiles) / parts) * mr;
    const end = Math.min(m, Math.floor(((t + 1) * tiles) / parts) * mr);
    if (end > start) ranges.push([start, end]);
  }
  return ranges;
}

/** Write the rows × cols matrix at src[offset…] transposed into dst (cols × rows), in 32×32 tiles for the cache. */
function copyTransposed(src: Storage, offset: number, rows: number, cols: number, dst: Storage): void {
  const TILE = 32;
  for (let r0 = 0; r0 < rows; r0 += TILE) {
    const rEnd = Math.min(rows, r0 + TILE);
    for (let c0 = 0; c0 < cols; c0 += TILE) {
      const cEnd = Math.min(cols, c0 + TILE);
      for (let r = r0; r < rEnd; r++) {
        const from = offset + r * cols;
        for (let c = c0; c < cEnd; c++) dst[c * rows + r] = src[from + c]!;
      }
    }
  }
}

/**
 * The wasm backend's matmul: copy A and B into the arena (transposing a transposed operand on
 * the way), multiply, copy C out. With worker threads, a product of at least `minParallelWork`
 * multiply-adds is split by rows of C: this thread and the workers each run kernels.as's matmul
 * on their rows with their own packing buffers (each packs all of B's panels: O(kn) more per
 * thread against its O(mkn / threads)). A batch is split item by item, each item by rows like
 * a single product (its copies in and out stay on this thread): a batch of products too small
 * to split stays on one thread.
 */
export class WasmMatmul {
  /** Products (batch items) split across threads so far: lets tests check the threshold without timing. */
  parallelRuns = 0;

  constructor(
    private readonly kernels: Kernels,
    private readonly arena: Arena,
    private readonly workers: MatmulWorkers | undefined,
    private readonly minParallelWork: number,
  ) {}

  /** How many threads one m×k · k×n product is split over. */
  private partsFor(m: number, k: number, n: number, mr: number): number {
    const workers = this.workers;
    if (workers === undefined || !workers.usable || m * k * n < this.minParallelWork) return 1;
    return Math.min(workers.count + 1, Math.ceil(m / mr));
  }

  run(a: Storage, b: Storage, out: Storage, dims: MatmulDims): void {
    const { batch, m, k, n, aBatchStride, bBatchStride } = dims;
    if (batch * m * n === 0) return;
    if (k === 0) {
      out.fill(0, 0, batch * m * n);
      return;
    }
    const size = out instanceof Float32Array ? 4 : 8;
    const arena = this.arena;
    arena.reset();
    const aAt = arena.take(m * k * size);
    const bAt = arena.take(k * n * size);
    const cAt = arena.take(m * n * size);
    const nr = NR[size];
    const mr = MR[size];
    const slices: MatmulSlice[] = splitRows(m, mr, this.partsFor(m, k, n, mr)).map(([start, end]) => ({
      a: aAt + start * k * size, b: bAt, c: cAt + start * n * size, rows: end - start, k, n,
      packA: arena.take(MC * KC * PACKED_A_ELEMENT),
      packB: arena.take(Math.min(k, KC) * Math.ceil(n / nr) * nr * size),
      tile: arena.take(mr * nr * size),
    }));
    const aView = arena.view(out, aAt, m * k);
    const bView = arena.view(out, bAt, k * n);
    const cView = arena.view(out, cAt, m * n);
    const multiply = size === 4 ? this.kernels.matmulF32 : this.kernels.matmulF64;
    const runSlice = (s: MatmulSlice) => multiply(s.a, s.b, s.c, s.rows, s.k, s.n, s.packA, s.packB, s.tile);
    let copiedB = -1;
    for (let p = 0; p < batch; p++) {
      // The copy into wasm memory is needed anyway; a transposed operand is transposed on the way.
      if (dims.transA === true) copyTransposed(a, p * aBatchStride, k, m, aView);
      else aView.set(a.subarray(p * aBatchStride, p * aBatchStride + m * k));
      if (p * bBatchStride !== copiedB) {
        copiedB = p * bBatchStride;
        if (dims.transB === true) copyTransposed(b, copiedB, n, k, bView);
        else bView.set(b.subarray(copiedB, copiedB + k * n));
      }
      const [here, ...elsewhere] = slices;
      if (elsewhere.length === 0) {
        runSlice(here!);
      } else {
        this.parallelRuns++;
        this.workers!.run(size === 4, elsewhere, () => runSlice(here!));
      }
      out.set(cView, p * m * n);
    }
  }
}

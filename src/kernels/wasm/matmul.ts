import type { Storage } from '../../tensor/dtype.js';
import type { MatmulDims } from '../backend.js';
import type { KernelsOnMemory } from './kernel-exports.js';
import type { MatmulWorkers, PackingBuffers } from './matmul-workers.js';

// Blocking of kernels.as (KC, MC, and the micro-tile MR × NR), for sizing the packing buffers.
const KC = 256;
const MC = 96;
const MR = { 4: 2, 8: 4 } as const;
const NR = { 4: 16, 8: 4 } as const;
/** Bytes per element of packed A: f32 plain (4), f64 splatted over a whole v128 (16), as kernels.as packs them. */
const PACKED_A_ELEMENT = { 4: 4, 8: 16 } as const;

/** When a product is split over threads (tests lower both to split small products too). */
export interface SplitRule {
  /**
   * Below this many multiply-adds (m·k·n of one product) it runs on one thread: waking the
   * workers and waiting for them costs more than they save. Measured on the 2-core EPYC VM,
   * Node 20, f32, two threads against one, other cores idle, 1 ms of other work between calls
   * (as in training; a worker asleep that long takes ~0.25 ms to start): 0.74× at 0.9M
   * (96³), 0.91× at 2.1M (128³), 1.01× at 4.1M (160³), 0.87× at 7.1M (192³), 0.97–1.12× at
   * 12.8M (64×784·784×256 and 784×64·64×256), 1.5× at 16.8M (256³), 1.6× at 32.8M (320³).
   * Back to back (the worker still awake) it pays from ~4M: 1.26× at 160³, 1.56× at 64×784·784×256.
   */
  readonly minWork: number;
  /**
   * Fewest rows of C in a chunk: every chunk packs all of B again (O(kn) against its
   * O(rows·kn)), so thin chunks spend their time packing. 32 still splits a training batch
   * of 64 rows in two.
   */
  readonly minChunkRows: number;
}

export const DEFAULT_SPLIT: SplitRule = { minWork: 8_000_000, minChunkRows: 32 };

/**
 * Chunks per thread at most: more than one, so that a thread that starts late (its core busy
 * with other work) leaves its share to the others; few, because each chunk packs all of B
 * again. Measured (f64 192×192·192×192, the worker kept off by a busy core): 6 chunks of 32
 * rows took 714 µs on the main thread alone against 626 µs in one piece, ~18 µs per extra pack.
 */
const CHUNKS_PER_THREAD = 2;

/**
 * How the m rows of C are cut into chunks for `threads` threads: no more chunks than
 * m / minChunkRows, as even as whole micro-tiles (MR rows) allow, the last one shorter (any
 * rows when minChunkRows < MR, as tests ask, so that even tiny products split); one chunk
 * means no split. Every element of C is still summed by one thread in kernels.as's order
 * (p = 0, 1, …, k−1, in KC blocks), with edge tiles computed like full ones, so the result is
 * bit-identical to one thread's however the rows are cut.
 */
export function chunking(m: number, mr: number, threads: number, minChunkRows: number): { chunkRows: number; chunks: number } {
  const unit = Math.min(mr, minChunkRows);
  const most = Math.min(threads * CHUNKS_PER_THREAD, Math.floor(m / Math.max(minChunkRows, unit)));
  if (threads < 2 || most < 2) return { chunkRows: m, chunks: 1 };
  const chunkRows = Math.ceil(m / most / unit) * unit;
  return { chunkRows, chunks: Math.ceil(m / chunkRows) };
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
 * the way), multiply, copy C out. With worker threads, a product of at least `split.minWork`
 * multiply-adds is cut into chunks of rows of C that this thread and the workers take in turn
 * (matmul-workers.ts), each with its own packing buffers. A batch is split item by item, each
 * item like a single product (its copies in and out stay on this thread): a batch of products
 * too small to split stays on one thread.
 */
export class WasmMatmul {
  /** Products (batch items) split across threads so far: lets tests check the threshold without timing. */
  parallelRuns = 0;
  /** Chunks of those products that workers ran (the rest ran on this thread). */
  workerChunks = 0;

  /**
   * `alone`: the kernels and arena of one thread (unshared memory); `shared`: those on the
   * shared memory the workers also run on, for the products that are split.
   */
  constructor(
    private readonly alone: KernelsOnMemory,
    private readonly shared: (KernelsOnMemory & { readonly workers: MatmulWorkers }) | undefined,
    private readonly split: SplitRule,
  ) {}

  run(a: Storage, b: Storage, out: Storage, dims: MatmulDims): void {
    const { batch, m, k, n, aBatchStride, bBatchStride } = dims;
    if (batch * m * n === 0) return;
    if (k === 0) {
      out.fill(0, 0, batch * m * n);
      return;
    }
    const size = out instanceof Float32Array ? 4 : 8;
    const nr = NR[size];
    const mr = MR[size];
    const shared = this.shared;
    const workers = shared?.workers.usable === true && m * k * n >= this.split.minWork ? shared.workers : undefined;
    const { chunkRows, chunks } = chunking(m, mr, workers === undefined ? 1 : workers.count + 1, this.split.minChunkRows);
    const threads = chunks > 1 ? workers!.count + 1 : 1;
    const { kernels, arena } = chunks > 1 ? shared! : this.alone;
    arena.reset();
    const aAt = arena.take(m * k * size);
    const bAt = arena.take(k * n * size);
    const cAt = arena.take(m * n * size);
    const buffers: PackingBuffers[] = Array.from({ length: threads }, () => ({
      packA: arena.take(MC * KC * PACKED_A_ELEMENT[size]),
      packB: arena.take(Math.min(k, KC) * Math.ceil(n / nr) * nr * size),
      tile: arena.take(mr * nr * size),
    }));
    const aView = arena.view(out, aAt, m * k);
    const bView = arena.view(out, bAt, k * n);
    const cView = arena.view(out, cAt, m * n);
    const multiply = size === 4 ? kernels.matmulF32 : kernels.matmulF64;
    const { packA, packB, tile } = buffers[0]!;
    const runChunk = (chunk: number) => {
      const start = chunk * chunkRows;
      multiply(aAt + start * k * size, bAt, cAt + start * n * size, Math.min(chunkRows, m - start), k, n, packA, packB, tile);
    };
    const job = { float32: size === 4, a: aAt, b: bAt, c: cAt, m, k, n, chunkRows, chunks };
    let copiedB = -1;
    for (let p = 0; p < batch; p++) {
      if (chunks > 1) workers!.announce();
      // The copy into wasm memory is needed anyway; a transposed operand is transposed on the way.
      if (dims.transA === true) copyTransposed(a, p * aBatchStride, k, m, aView);
      else aView.set(a.subarray(p * aBatchStride, p * aBatchStride + m * k));
      if (p * bBatchStride !== copiedB) {
        copiedB = p * bBatchStride;
        if (dims.transB === true) copyTransposed(b, copiedB, n, k, bView);
        else bView.set(b.subarray(copiedB, copiedB + k * n));
      }
      if (chunks === 1) {
        runChunk(0);
      } else {
        this.parallelRuns++;
        this.workerChunks += chunks - workers!.run(job, buffers, runChunk);
      }
      out.set(cView, p * m * n);
    }
  }
}

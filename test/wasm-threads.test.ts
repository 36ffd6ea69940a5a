import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Storage } from '../src/tensor/dtype.js';
import type { MatmulDims } from '../src/kernels/backend.js';
import { chunking, DEFAULT_SPLIT } from '../src/kernels/wasm/matmul.js';
import { loadWasmBackend } from '../src/kernels/wasm/index.js';
import { describeOpSuiteOn, sameBits, transposed, values } from './support/backend-checks.js';

/**
 * The wasm backend's matmul on worker threads (Node): the same bits as one thread, split only
 * above the threshold, configurable, and never keeping a process alive; then the whole op
 * suite with it active. Three threads even on a 2-core machine: two workers, uneven splits.
 * EVERYTHING splits every product of two rows or more, in chunks as thin as one row (the default keeps whole micro-tiles).
 */

const EVERYTHING = { minWork: 0, minChunkRows: 1 };
const threaded = await loadWasmBackend({ threads: 3, split: EVERYTHING });
const single = await loadWasmBackend({ threads: 1 });

afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
});

type Kind = 'f32' | 'f64';
const make = (kind: Kind, length: number): Storage => (kind === 'f32' ? values(length) : Float64Array.from(values(length)));

/** threaded and single on the same inputs, each operand stored as dims says; true when bit for bit equal. */
function agree(kind: Kind, dims: MatmulDims): boolean {
  const { batch, m, k, n, aBatchStride, bBatchStride } = dims;
  const a = make(kind, Math.max(1, aBatchStride * batch, m * k));
  const b = make(kind, Math.max(1, bBatchStride * batch, k * n));
  const want = kind === 'f32' ? new Float32Array(batch * m * n).fill(NaN) : new Float64Array(batch * m * n).fill(NaN);
  const got = want.slice();
  single.matmul(a, b, want, dims);
  threaded.matmul(a, b, got, dims);
  return sameBits(got, want);
}

describe('wasm matmul on worker threads', () => {
  it('starts two workers besides this thread', () => {
    expect(threaded.threads).toBe(3);
    expect(single.threads).toBe(1);
  });

  it('cuts rows into chunks of whole micro-tiles, at most two per thread, no more than m / minChunkRows', () => {
    expect(chunking(1024, 2, 2, 32)).toEqual({ chunkRows: 256, chunks: 4 });
    expect(chunking(1000, 4, 8, 32)).toEqual({ chunkRows: 64, chunks: 16 });
    expect(chunking(64, 2, 2, 32)).toEqual({ chunkRows: 32, chunks: 2 });
    expect(chunking(63, 2, 2, 32)).toEqual({ chunkRows: 63, chunks: 1 });
    expect(chunking(97, 4, 2, 32)).toEqual({ chunkRows: 36, chunks: 3 });
    expect(chunking(500, 2, 1, 1)).toEqual({ chunkRows: 500, chunks: 1 });
    // Below MR rows a chunk (tests only): any rows.
    expect(chunking(10, 4, 3, 1)).toEqual({ chunkRows: 2, chunks: 5 });
    expect(chunking(2, 4, 3, 1)).toEqual({ chunkRows: 1, chunks: 2 });
  });

  // Rows across the split (1 … 2·MR·threads + odd), k across KC = 256, n across the panel widths 16 (f32) and 4 (f64), m across MC = 96.
  const shapes: [number, number, number][] = [
    [1, 7, 5], [3, 17, 16], [5, 33, 17], [7, 255, 4], [13, 256, 33], [25, 257, 9], [97, 300, 65], [200, 513, 40], [193, 64, 1],
  ];
  for (const kind of ['f32', 'f64'] as const) {
    it.each(shapes)(`${kind}: %i×%i · %i× on three threads is bit-identical to one thread`, (m, k, n) => {
      const before = threaded.parallelMatmuls;
      expect(agree(kind, { batch: 1, m, k, n, aBatchStride: 0, bBatchStride: 0 })).toBe(true);
      // EVERYTHING splits whatever has two rows.
      expect(threaded.parallelMatmuls - before).toBe(m >= 2 ? 1 : 0);
    });

    it(`${kind}: transposed operands and batches (strides of 0 reuse one matrix) are bit-identical too`, () => {
      const [batch, m, k, n] = [3, 37, 260, 21];
      for (const [transA, transB] of [[false, false], [true, false], [false, true], [true, true]] as const) {
        for (const [aBatchStride, bBatchStride] of [[m * k, k * n], [0, k * n], [m * k, 0]] as const) {
          const before = threaded.parallelMatmuls;
          expect(agree(kind, { batch, m, k, n, aBatchStride, bBatchStride, transA, transB }), `transA ${transA} transB ${transB} strides ${aBatchStride} ${bBatchStride}`).toBe(true);
          expect(threaded.parallelMatmuls - before, 'one split per batch item').toBe(batch);
        }
      }
    });
  }

  it('keeps agreeing while the shared memory grows under the workers (each product larger than the last)', async () => {
    const fresh = await loadWasmBackend({ threads: 2, split: EVERYTHING });
    for (let size = 16; size <= 400; size += 64) {
      const dims: MatmulDims = { batch: 1, m: size, k: size, n: size, aBatchStride: 0, bBatchStride: 0 };
      const a = Float64Array.from(values(size * size));
      const want = new Float64Array(size * size);
      const got = new Float64Array(size * size);
      single.matmul(a, a, want, dims);
      fresh.matmul(a, a, got, dims);
      expect(sameBits(got, want), `size ${size}`).toBe(true);
    }
    expect(fresh.parallelMatmuls).toBe(7);
  });

  it.skipIf(!existsSync('/proc/self/status'))('loading it again with the same thread count shares the workers: no threads left behind (found in review)', async () => {
    const threadsNow = () => Number(/^Threads:\s+(\d+)/m.exec(readFileSync('/proc/self/status', 'utf8'))![1]);
    const before = threadsNow();
    for (let i = 0; i < 5; i++) {
      const again = await loadWasmBackend({ threads: 3, split: EVERYTHING });
      const a = values(64 * 40);
      const b = values(40 * 24);
      const want = new Float32Array(64 * 24);
      const got = new Float32Array(64 * 24);
      const dims: MatmulDims = { batch: 1, m: 64, k: 40, n: 24, aBatchStride: 0, bBatchStride: 0 };
      single.matmul(a, b, want, dims);
      again.matmul(a, b, got, dims);
      expect(sameBits(got, want)).toBe(true);
      expect(again.parallelMatmuls).toBe(1);
    }
    expect(threadsNow()).toBe(before);
  });

  it('transposed operands give the product of the explicit transposes', () => {
    const [m, k, n] = [41, 19, 23];
    const a = Float64Array.from(values(m * k));
    const b = Float64Array.from(values(k * n));
    const dims: MatmulDims = { batch: 1, m, k, n, aBatchStride: 0, bBatchStride: 0 };
    const want = new Float64Array(m * n);
    const got = new Float64Array(m * n);
    single.matmul(a, b, want, dims);
    threaded.matmul(transposed(a, m, k), transposed(b, k, n), got, { ...dims, transA: true, transB: true });
    expect(got).toEqual(want);
  });
});

describe('when the wasm matmul uses threads', () => {
  it(`by default, stays on one thread below ${DEFAULT_SPLIT.minWork} multiply-adds (m·k·n) or ${2 * DEFAULT_SPLIT.minChunkRows} rows, and splits from there`, async () => {
    const wasm = await loadWasmBackend({ threads: 2 });
    const run = (m: number, k: number, n: number) => wasm.matmul(new Float32Array(m * k), new Float32Array(k * n), new Float32Array(m * n), { batch: 1, m, k, n, aBatchStride: 0, bBatchStride: 0 });
    const rows = 2 * DEFAULT_SPLIT.minChunkRows;
    const k = 128;
    const n = Math.ceil(DEFAULT_SPLIT.minWork / (rows * k));
    run(rows, k, n - 1);
    run(rows - 1, k, 2 * n);
    expect(wasm.parallelMatmuls).toBe(0);
    run(rows, k, n);
    expect(wasm.parallelMatmuls).toBe(1);
  });

  it('threads: 1, or MASHAGRAD_WASM_THREADS=1, starts no worker and never splits', async () => {
    vi.stubEnv('MASHAGRAD_WASM_THREADS', '1');
    for (const wasm of [await loadWasmBackend({ split: EVERYTHING }), await loadWasmBackend({ threads: 1, split: EVERYTHING })]) {
      expect(wasm.threads).toBe(1);
      wasm.matmul(new Float64Array(64 * 64), new Float64Array(64 * 64), new Float64Array(64 * 64), { batch: 1, m: 64, k: 64, n: 64, aBatchStride: 0, bBatchStride: 0 });
      expect(wasm.parallelMatmuls).toBe(0);
    }
  });

  it('MASHAGRAD_WASM_THREADS sets the count; the argument wins over it', async () => {
    vi.stubEnv('MASHAGRAD_WASM_THREADS', '2');
    expect((await loadWasmBackend()).threads).toBe(2);
    expect((await loadWasmBackend({ threads: 1 })).threads).toBe(1);
    expect((await loadWasmBackend('simd')).threads).toBe(2);
  });

  it('an invalid MASHAGRAD_WASM_THREADS is said once and ignored', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    vi.stubEnv('MASHAGRAD_WASM_THREADS', 'two');
    const wasm = await loadWasmBackend();
    await loadWasmBackend();
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0]?.[0])).toBe(`mashagrad: MASHAGRAD_WASM_THREADS=two is not a thread count (a whole number from 1 to 64); using ${wasm.threads}`);
  });

  it('falls back to one thread, saying so once, where the workers cannot start (here: WebAssembly threads refused)', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    vi.spyOn(WebAssembly, 'validate').mockReturnValue(false);
    for (let i = 0; i < 2; i++) {
      // A thread count no other test here loads: pools are shared by thread count, and one that started would be reused.
      const wasm = await loadWasmBackend({ threads: 4, split: EVERYTHING });
      expect(wasm.threads).toBe(1);
      const out = new Float64Array(4);
      wasm.matmul(Float64Array.of(1, 2, 3, 4), Float64Array.of(1, 0, 0, 1), out, { batch: 1, m: 2, k: 2, n: 2, aBatchStride: 0, bBatchStride: 0 });
      expect([...out]).toEqual([1, 2, 3, 4]);
    }
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0]?.[0])).toBe(
      'mashagrad: the WebAssembly backend runs on one thread: its 3 worker thread(s) could not start (this runtime does not validate WebAssembly threads (shared memory))',
    );
  });

  it('an invalid threads argument is a RangeError', async () => {
    for (const threads of [0, -1, 1.5, Number.NaN, 65]) await expect(loadWasmBackend({ threads }), String(threads)).rejects.toThrow(RangeError);
  });

  it('the workers never keep a process alive: a script that multiplies on threads exits by itself', () => {
    const script = `
      const { loadWasmBackend } = await import(process.argv[1]);
      const wasm = await loadWasmBackend({ threads: 2, split: { minWork: 0, minChunkRows: 1 } });
      const a = new Float64Array(64 * 64).fill(1);
      const out = new Float64Array(64 * 64);
      wasm.matmul(a, a, out, { batch: 1, m: 64, k: 64, n: 64, aBatchStride: 0, bBatchStride: 0 });
      console.log(JSON.stringify({ threads: wasm.threads, parallelMatmuls: wasm.parallelMatmuls, c: out[0] }));`;
    const index = pathToFileURL(new URL('../src/kernels/wasm/index.ts', import.meta.url).pathname).href;
    // tsx (--import) loads the TypeScript source; a hang would end at the timeout with status null.
    const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script, index], { encoding: 'utf8', timeout: 20_000 });
    expect(child.stderr).toBe('');
    expect(child.status).toBe(0);
    expect(JSON.parse(child.stdout)).toEqual({ threads: 2, parallelMatmuls: 1, c: 64 });
  });
});

/** The op suite gets a backend of its own, so the count below is the suite's alone. */
const suiteBackend = await loadWasmBackend({ threads: 3, split: EVERYTHING });
describeOpSuiteOn(suiteBackend);

describe('the op suite above', () => {
  it('split many of its products across the threads, and the workers ran chunks of them (as of the tests above)', () => {
    expect(suiteBackend.parallelMatmuls).toBeGreaterThan(50);
    expect(suiteBackend.workerChunks + threaded.workerChunks).toBeGreaterThan(0);
  });
});

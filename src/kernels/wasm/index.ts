import type { Backend } from '../backend.js';
import { referenceBackend } from '../reference/index.js';
import { reasonOf, warnOnce } from '../environment.js';
import { align, Arena } from './arena.js';
import { WasmAdam } from './adam.js';
import { WasmElementwise } from './elementwise.js';
import { wasmBiasActivation } from './fused.js';
import { isKernels, type Kernels, type KernelsOnMemory } from './kernel-exports.js';
import { DEFAULT_SPLIT, type SplitRule, WasmMatmul } from './matmul.js';
import { MatmulWorkers } from './matmul-workers.js';
import { kernelsRelaxedBase64, kernelsRelaxedSharedBase64, kernelsSimdBase64, kernelsSimdSharedBase64 } from './module.js';
import { WasmReduce } from './reduce.js';
import { wantedThreads } from './thread-count.js';

/**
 * The WebAssembly SIMD backend: matmul and the cheap elementwise kernels run in kernels.as,
 * leading/trailing sums and maxima in reduce.as, Adam's update in adam.as, bias + relu in
 * fused.as (all compiled into module.ts; each family's JavaScript side is the .ts file of the
 * same name); everything else is the reference backend's. Tensor storage stays in
 * JavaScript typed arrays, so each call copies its inputs into one growable WebAssembly.Memory
 * (a scratch arena reset on every call) and copies the result out: O(mk + kn + mn) against the
 * O(mnk) of a matmul. Measured (Node 20, 2-core EPYC): the copies are 0.6–3% of a float32 matmul
 * from n = 128 to 1024, but half or more of an elementwise kernel — float32 add of 10⁵ elements
 * takes 44 µs against the reference's 279 µs; float64 add of 10⁶ (memory bound) 2.8 ms against
 * 3.9 ms (re-measured with the rows × cols kernel, load 2; the earlier one-dimensional kernel
 * took 3.2 ms there against the reference's 2.7).
 *
 * In Node a large matmul also runs on worker threads (matmul.ts, matmul-workers.ts), in a
 * second memory, shared, with the shared build. Everything else stays in the unshared one:
 * the shared build ran f32 matmuls 4–8% slower (A/B in one process, n = 64–256; f64 0–4%),
 * and a product's operands are copied into wasm memory anyway, so each call picks its memory.
 * Browsers stay on one thread.
 */

/** 4 GiB: the most a wasm32 memory can hold; a shared memory must declare its maximum. */
const MAXIMUM_PAGES = 65536;
const INITIAL_PAGES = 16;

function decodeBase64(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** The two builds of kernels.as: baseline SIMD, and relaxed SIMD (fused multiply-add for f32 matmul). */
export type WasmVariant = 'simd' | 'relaxed';

/** A build's bytes; `shared`: the same code on a shared memory (for worker threads). */
export function kernelsWasm(variant: WasmVariant, shared = false): Uint8Array<ArrayBuffer> {
  if (shared) return decodeBase64(variant === 'relaxed' ? kernelsRelaxedSharedBase64 : kernelsSimdSharedBase64);
  return decodeBase64(variant === 'relaxed' ? kernelsRelaxedBase64 : kernelsSimdBase64);
}

/** The best build this runtime validates (relaxed SIMD: Chrome ≥ 114, Node ≥ 22; baseline SIMD: Node ≥ 16.4). */
export function bestWasmVariant(): WasmVariant {
  return WebAssembly.validate(kernelsWasm('relaxed')) ? 'relaxed' : 'simd';
}

export interface WasmOptions {
  /** The build; by default the best this runtime validates. */
  variant?: WasmVariant;
  /**
   * Threads a large matmul runs on, this one included (Node only): by default
   * MASHAGRAD_WASM_THREADS, else one per core up to 8. 1 starts no worker.
   */
  threads?: number;
  /** When a product is split over the threads (default: DEFAULT_SPLIT, as measured); tests lower it. */
  split?: Partial<SplitRule>;
}

/** The wasm backend, with what it says about its threads. */
export interface WasmBackend extends Backend {
  /** Threads a large matmul runs on (1: no workers). */
  readonly threads: number;
  /** Products (batch items) split across threads so far. */
  readonly parallelMatmuls: number;
  /** Chunks of those that ran on a worker rather than the calling thread. */
  readonly workerChunks: number;
}


async function instantiate(module: WebAssembly.Module, memory: WebAssembly.Memory): Promise<KernelsOnMemory> {
  const instance = await WebAssembly.instantiate(module, { env: { memory } });
  if (!isKernels(instance.exports)) throw new Error('the kernels module lacks an expected export');
  const kernels = instance.exports as unknown as Kernels;
  return { kernels, arena: new Arena(memory, align(kernels.heapBase())) };
}

async function loadOnOneThread(variant: WasmVariant): Promise<KernelsOnMemory> {
  const memory = new WebAssembly.Memory({ initial: INITIAL_PAGES, maximum: MAXIMUM_PAGES });
  return instantiate(await WebAssembly.compile(kernelsWasm(variant)), memory);
}

/** The shared build on a shared memory, and threads − 1 workers on it; throws saying why where that cannot be. */
type WithWorkers = KernelsOnMemory & { readonly workers: MatmulWorkers };

/**
 * The worker pools started so far, by build and thread count: every backend loaded with the
 * same ones shares a pool and its shared memory (its calls are synchronous, so they never
 * overlap), instead of starting threads that nothing would ever stop (found in review:
 * useFastestBackend('wasm') twenty times left twenty more threads and 200 MB).
 */
const pools = new Map<string, Promise<WithWorkers>>();

function sharedPool(variant: WasmVariant, threads: number): Promise<WithWorkers> {
  const key = `${variant} ${threads}`;
  let pool = pools.get(key);
  if (pool === undefined) {
    pool = loadWithWorkers(variant, threads);
    pools.set(key, pool);
    // A pool that could not start is not kept: the next load tries again.
    pool.catch(() => pools.delete(key));
  }
  return pool;
}

async function loadWithWorkers(variant: WasmVariant, threads: number): Promise<WithWorkers> {
  if (typeof SharedArrayBuffer === 'undefined') throw new Error('no SharedArrayBuffer here');
  const bytes = kernelsWasm(variant, true);
  if (!WebAssembly.validate(bytes)) throw new Error('this runtime does not validate WebAssembly threads (shared memory)');
  const memory = new WebAssembly.Memory({ initial: INITIAL_PAGES, maximum: MAXIMUM_PAGES, shared: true });
  const module = await WebAssembly.compile(bytes);
  return { ...(await instantiate(module, memory)), workers: await MatmulWorkers.start(module, memory, threads - 1) };
}

/**
 * Compile and instantiate the kernels (asynchronously: browsers refuse to compile large
 * modules synchronously on the main thread), by default the best build the runtime has.
 * Rejects where WebAssembly SIMD is missing. `options` may also be just the variant.
 *
 * Threads: where the workers cannot start (no SharedArrayBuffer or WebAssembly threads, Node
 * < 20.16, a browser), the backend runs on one thread and says so once on the console.
 */
export async function loadWasmBackend(options: WasmVariant | WasmOptions = {}): Promise<WasmBackend> {
  const { variant = bestWasmVariant(), threads, split } = typeof options === 'string' ? { variant: options } : options;
  const wanted = wantedThreads(threads);
  // Where even one thread cannot load (no SIMD) this rejects, and the threads go unmentioned.
  const alone = await loadOnOneThread(variant);
  let shared: WithWorkers | undefined;
  if (wanted > 1) {
    try {
      shared = await sharedPool(variant, wanted);
    } catch (error) {
      warnOnce(`the WebAssembly backend runs on one thread: its ${wanted - 1} worker thread(s) could not start (${reasonOf(error)})`);
    }
  }
  const matmul = new WasmMatmul(alone, shared, { ...DEFAULT_SPLIT, ...split });
  const elementwise = new WasmElementwise(alone.kernels, alone.arena);
  const reduction = new WasmReduce(alone.kernels, alone.arena);
  const adam = new WasmAdam(alone.kernels, alone.arena);
  return {
    ...referenceBackend,
    name: 'wasm',
    threads: shared === undefined ? 1 : shared.workers.count + 1,
    get parallelMatmuls() {
      return matmul.parallelRuns;
    },
    get workerChunks() {
      return matmul.workerChunks;
    },
    matmul: (a, b, out, dims) => matmul.run(a, b, out, dims),
    binary: (code, a, aShape, b, bShape, out, outShape) => elementwise.binary(code, a, aShape, b, bShape, out, outShape),
    unary: (code, x, out) => elementwise.unary(code, x, out),
    reduce: (code, x, shape, axes, out) => reduction.reduce(code, x, shape, axes, out),
    adamUpdate: (weights, gradient, m, v, step) => adam.adamUpdate(weights, gradient, m, v, step),
    biasActivation: wasmBiasActivation(alone.kernels, alone.arena),
  };
}

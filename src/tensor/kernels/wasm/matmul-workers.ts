import { FAILED, GENERATION, MATMUL_F32, MATMUL_F64, PENDING, SLOT, SLOT_LENGTH, FIRST_SLOT, slotStart } from './control-block.js';
import { workerSource } from './worker-source.js';

const START_TIMEOUT_MS = 10_000;

/** One thread's share of a matmul: rows of C, with its own packing buffers (byte addresses in the wasm memory). */
export interface MatmulSlice {
  readonly a: number;
  readonly b: number;
  readonly c: number;
  readonly rows: number;
  readonly k: number;
  readonly n: number;
  readonly packA: number;
  readonly packB: number;
  readonly tile: number;
}

/**
 * Node worker threads that run matmul slices on a shared WebAssembly.Memory, driven
 * synchronously through the control block (control-block.ts): the backend's matmul stays a
 * plain function call, and Atomics.wait is allowed on Node's main thread. The workers are
 * unref()'d: they never keep a process alive.
 */
export class MatmulWorkers {
  /** Set when a worker has ended (it never should while the process lives): then nothing is dispatched. */
  private lost = false;

  private constructor(private readonly state: Int32Array, readonly count: number) {}

  /**
   * Start `count` workers on `module` instantiated over `memory` (shared), and resolve once
   * every one is ready; reject (ending those started) if any cannot start.
   */
  static async start(module: WebAssembly.Module, memory: WebAssembly.Memory, count: number): Promise<MatmulWorkers> {
    if (typeof process === 'undefined' || typeof process.getBuiltinModule !== 'function') throw new Error('worker threads need Node ≥ 20.16');
    const { Worker } = process.getBuiltinModule('node:worker_threads');
    const control = new SharedArrayBuffer((FIRST_SLOT + count * SLOT_LENGTH) * Int32Array.BYTES_PER_ELEMENT);
    const pool = new MatmulWorkers(new Int32Array(control), count);
    const workers: InstanceType<typeof Worker>[] = [];
    const ready = (worker: InstanceType<typeof Worker>) =>
      new Promise<void>((resolve, reject) => {
        // A worker starts in tens of milliseconds; a stuck one must not hang loadWasmBackend.
        const timer = setTimeout(() => reject(new Error(`a matmul worker was not ready after ${START_TIMEOUT_MS / 1000} s`)), START_TIMEOUT_MS);
        const settle = (error?: Error) => {
          clearTimeout(timer);
          if (error === undefined) resolve();
          else reject(error);
        };
        worker.once('message', () => settle());
        worker.once('error', settle);
        worker.once('exit', (code) => settle(new Error(`a matmul worker exited (code ${code}) before it was ready`)));
      });
    try {
      // execArgv []: the worker needs no loader (tsx, vitest) the main thread was started with.
      for (let i = 0; i < count; i++) workers.push(new Worker(workerSource(i), { eval: true, execArgv: [], workerData: { module, memory, control, generation: 0 } }));
      await Promise.all(workers.map(ready));
    } catch (error) {
      for (const worker of workers) void worker.terminate();
      throw error;
    }
    for (const worker of workers) {
      worker.removeAllListeners();
      worker.on('error', () => (pool.lost = true));
      worker.on('exit', () => (pool.lost = true));
      worker.unref();
    }
    return pool;
  }

  get usable(): boolean {
    return !this.lost;
  }

  /**
   * Run slices[w] on worker w (a worker without a slice wakes and does nothing) while this
   * thread runs `here`; return when every worker is done.
   */
  run(float32: boolean, slices: readonly (MatmulSlice | undefined)[], here: () => void): void {
    const state = this.state;
    for (let w = 0; w < this.count; w++) {
      const slice = slices[w];
      const at = slotStart(w);
      state[at + SLOT.rows] = slice?.rows ?? 0;
      if (slice === undefined) continue;
      state[at + SLOT.kernel] = float32 ? MATMUL_F32 : MATMUL_F64;
      state[at + SLOT.a] = slice.a;
      state[at + SLOT.b] = slice.b;
      state[at + SLOT.c] = slice.c;
      state[at + SLOT.k] = slice.k;
      state[at + SLOT.n] = slice.n;
      state[at + SLOT.packA] = slice.packA;
      state[at + SLOT.packB] = slice.packB;
      state[at + SLOT.tile] = slice.tile;
    }
    Atomics.store(state, PENDING, this.count);
    Atomics.add(state, GENERATION, 1);
    Atomics.notify(state, GENERATION);
    try {
      here();
    } finally {
      // Wait even if `here` threw: the workers are writing into the arena the next call reuses.
      for (let left = Atomics.load(state, PENDING); left !== 0; left = Atomics.load(state, PENDING)) Atomics.wait(state, PENDING, left);
    }
    if (Atomics.exchange(state, FAILED, 0) !== 0) throw new Error('a wasm matmul worker failed');
  }
}

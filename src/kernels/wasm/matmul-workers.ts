import { CLOSED, controlLength, DONE, FAILED, GENERATION, JOB, JOINED, MATMUL_F32, MATMUL_F64, NEXT_CHUNK, SLOT, slotStart } from './control-block.js';
import { workerSource } from './worker-source.js';

const START_TIMEOUT_MS = 10_000;

/** A product split into chunks of rows of C (byte addresses in the wasm memory): chunk i is rows [i·chunkRows, (i+1)·chunkRows) ∩ [0, m). */
export interface MatmulJob {
  readonly float32: boolean;
  readonly a: number;
  readonly b: number;
  readonly c: number;
  readonly m: number;
  readonly k: number;
  readonly n: number;
  readonly chunkRows: number;
  readonly chunks: number;
}

/** One thread's packing buffers (byte addresses). */
export interface PackingBuffers {
  readonly packA: number;
  readonly packB: number;
  readonly tile: number;
}

/**
 * Node worker threads that run chunks of a matmul on a shared WebAssembly.Memory, driven
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
    const control = new SharedArrayBuffer(controlLength(count) * Int32Array.BYTES_PER_ELEMENT);
    const pool = new MatmulWorkers(new Int32Array(control), count);
    Atomics.store(pool.state, JOINED, CLOSED);
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

  /** Wake the workers for a job that `run` will open soon (after copying its operands in). */
  announce(): void {
    Atomics.add(this.state, GENERATION, 1);
    Atomics.notify(this.state, GENERATION);
  }

  /**
   * Open the job (announced before) and run its chunks on this thread (`here`, with
   * buffers[0]) and on whichever workers wake in time (worker w with buffers[w + 1]); return when every chunk is done. Returns how
   * many chunks this thread ran.
   */
  run(job: MatmulJob, buffers: readonly PackingBuffers[], here: (chunk: number) => void): number {
    const state = this.state;
    state[JOB.kernel] = job.float32 ? MATMUL_F32 : MATMUL_F64;
    state[JOB.a] = job.a;
    state[JOB.b] = job.b;
    state[JOB.c] = job.c;
    state[JOB.m] = job.m;
    state[JOB.k] = job.k;
    state[JOB.n] = job.n;
    state[JOB.chunkRows] = job.chunkRows;
    state[JOB.chunks] = job.chunks;
    for (let w = 0; w < this.count; w++) {
      const at = slotStart(w);
      const own = buffers[w + 1]!;
      state[at + SLOT.packA] = own.packA;
      state[at + SLOT.packB] = own.packB;
      state[at + SLOT.tile] = own.tile;
    }
    Atomics.store(state, NEXT_CHUNK, 0);
    Atomics.store(state, DONE, 0);
    Atomics.store(state, JOINED, 0);
    Atomics.notify(state, JOINED);
    let ranHere = 0;
    try {
      for (let chunk = Atomics.add(state, NEXT_CHUNK, 1); chunk < job.chunks; chunk = Atomics.add(state, NEXT_CHUNK, 1)) {
        here(chunk);
        ranHere++;
      }
    } finally {
      // Wait even if `here` threw: the workers that joined are writing into the arena the next call reuses.
      const joined = Atomics.exchange(state, JOINED, CLOSED);
      for (let done = Atomics.load(state, DONE); done < joined; done = Atomics.load(state, DONE)) Atomics.wait(state, DONE, done);
    }
    if (Atomics.exchange(state, FAILED, 0) !== 0) throw new Error('a wasm matmul worker failed');
    return ranHere;
  }
}

import { CLOSED, DONE, FAILED, GENERATION, JOB, JOINED, MATMUL_F32, NEXT_CHUNK, OPEN_SPIN_MS, SLOT, slotStart } from './control-block.js';

/**
 * The code of a matmul worker thread, run with `new Worker(source, { eval: true })`: our own
 * constant text, never user input. A separate module file would be nicer, but it would have
 * to be JavaScript that Node runs as is from src/ (under tsx and vitest there is only
 * TypeScript there, and Node 20 cannot run a .ts worker) and from dist/ after tsc, which does
 * not copy .js files; a string works in all of these, and the browser bundle carries it
 * without ever running it. It is plain CommonJS JavaScript: no types to strip.
 *
 * The worker instantiates the main thread's compiled module on the shared memory, says
 * "ready", then loops (protocol: control-block.ts): sleep in Atomics.wait until a job is
 * announced (no spinning while idle), wait for it to open, join it if it is still open, take
 * chunks of rows until none are left, count itself done. It never returns to its event loop,
 * so it takes no messages after "ready"; the process ends it at exit (the main thread
 * unref()s it). Addresses are read with >>> 0: the control block is an Int32Array, a wasm
 * address is unsigned.
 */
export function workerSource(worker: number): string {
  const slot = slotStart(worker);
  return `'use strict';
const { parentPort, workerData } = require('node:worker_threads');
const { module, memory, control, generation } = workerData;
const state = new Int32Array(control);
const { matmulF32, matmulF64 } = new WebAssembly.Instance(module, { env: { memory } }).exports;

function join() {
  for (;;) {
    const joined = Atomics.load(state, ${JOINED});
    if (joined === ${CLOSED}) return false;
    if (Atomics.compareExchange(state, ${JOINED}, joined, joined + 1) === joined) return true;
  }
}

function takeChunks() {
  const multiply = state[${JOB.kernel}] === ${MATMUL_F32} ? matmulF32 : matmulF64;
  const size = multiply === matmulF32 ? 4 : 8;
  const a = state[${JOB.a}] >>> 0, b = state[${JOB.b}] >>> 0, c = state[${JOB.c}] >>> 0;
  const m = state[${JOB.m}], k = state[${JOB.k}], n = state[${JOB.n}], chunkRows = state[${JOB.chunkRows}], chunks = state[${JOB.chunks}];
  const packA = state[${slot + SLOT.packA}] >>> 0, packB = state[${slot + SLOT.packB}] >>> 0, tile = state[${slot + SLOT.tile}] >>> 0;
  for (let chunk = Atomics.add(state, ${NEXT_CHUNK}, 1); chunk < chunks; chunk = Atomics.add(state, ${NEXT_CHUNK}, 1)) {
    const start = chunk * chunkRows;
    multiply(a + start * k * size, b, c + start * n * size, Math.min(chunkRows, m - start), k, n, packA, packB, tile);
  }
}

let seen = generation;
parentPort.postMessage('ready');
for (;;) {
  Atomics.wait(state, ${GENERATION}, seen);
  seen = Atomics.load(state, ${GENERATION});
  // Announced: the job opens once the main thread has copied the operands in. Spin that long
  // at most (waking a sleeping thread again would cost what the announcement saved), then sleep.
  const until = performance.now() + ${OPEN_SPIN_MS};
  while (Atomics.load(state, ${JOINED}) === ${CLOSED} && performance.now() < until);
  Atomics.wait(state, ${JOINED}, ${CLOSED});
  if (!join()) continue;
  try {
    takeChunks();
  } catch {
    Atomics.store(state, ${FAILED}, 1);
  }
  Atomics.add(state, ${DONE}, 1);
  Atomics.notify(state, ${DONE});
}
`;
}

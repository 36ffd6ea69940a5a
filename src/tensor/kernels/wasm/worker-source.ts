import { FAILED, GENERATION, MATMUL_F32, PENDING, SLOT, slotStart } from './control-block.js';

/**
 * The code of a matmul worker thread, run with `new Worker(source, { eval: true })`: our own
 * constant text, never user input. A separate module file would be nicer, but it has to load
 * from src/ under tsx and vitest (which transform TypeScript in the main thread only; Node 20
 * cannot run a .ts worker) as well as from dist/ after tsc, and the browser bundle must not
 * see it; a string works in all of these. It is plain CommonJS JavaScript: no types to strip.
 *
 * The worker instantiates the main thread's compiled module on the shared memory, says
 * "ready", then loops: sleep in Atomics.wait until GENERATION changes (no spinning), run its
 * slot (rows = 0: nothing to do this time), decrement PENDING and wake the main thread when it
 * was the last. It never returns to its event loop, so it takes no messages after "ready"; the
 * process ends it at exit (the main thread unref()s it).
 */
export function workerSource(worker: number): string {
  const at = slotStart(worker);
  return `'use strict';
const { parentPort, workerData } = require('node:worker_threads');
const { module, memory, control, generation } = workerData;
const state = new Int32Array(control);
const { matmulF32, matmulF64 } = new WebAssembly.Instance(module, { env: { memory } }).exports;
let seen = generation;
parentPort.postMessage('ready');
for (;;) {
  Atomics.wait(state, ${GENERATION}, seen);
  seen = Atomics.load(state, ${GENERATION});
  try {
    if (state[${at + SLOT.rows}] > 0) {
      const multiply = state[${at + SLOT.kernel}] === ${MATMUL_F32} ? matmulF32 : matmulF64;
      multiply(state[${at + SLOT.a}], state[${at + SLOT.b}], state[${at + SLOT.c}], state[${at + SLOT.rows}], state[${at + SLOT.k}],
        state[${at + SLOT.n}], state[${at + SLOT.packA}], state[${at + SLOT.packB}], state[${at + SLOT.tile}]);
    }
  } catch {
    Atomics.store(state, ${FAILED}, 1);
  }
  if (Atomics.sub(state, ${PENDING}, 1) === 1) Atomics.notify(state, ${PENDING});
}
`;
}

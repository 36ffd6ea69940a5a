import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { tensor, zeros } from '../../src/autograd/create.js';
import { setBackend } from '../../src/kernels/active.js';
import type { Backend } from '../../src/kernels/backend.js';
import { loadNativeBackend, nativeInfo } from '../../src/kernels/native/index.js';
import { referenceBackend } from '../../src/kernels/reference/index.js';
import { loadWasmBackend } from '../../src/kernels/wasm/index.js';
import { ReLU, Softmax } from '../../src/nn/activations.js';
import { Conv2d } from '../../src/nn/conv.js';
import { Flatten } from '../../src/nn/flatten.js';
import { initialise } from '../../src/nn/init.js';
import { Linear } from '../../src/nn/linear.js';
import { computeLoss } from '../../src/nn/losses.js';
import { MaxPool2d } from '../../src/nn/pooling.js';
import { Sequential } from '../../src/nn/sequential.js';
import { createOptimizer } from '../../src/optim/create.js';
import { Random } from '../../src/tensor/random.js';
import { interleave, type Contender } from './measure.js';

/** /proc/loadavg's first three numbers, or a dash where there is none. */
function loadAverage(): string {
  try {
    return readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  } catch {
    return '—';
  }
}

/**
 * A convolutional training step beside PyTorch's (issue #19): conv2d 1→16 (3×3, padding 1), ReLU,
 * max-pool 2, conv2d 16→32, ReLU, max-pool 2, flatten, linear 1568→10, softmax + cross-entropy,
 * Adam, float32, batches of 64 on random 28×28 images; eager autodiff (forward, backward, update).
 * Rates are samples/s of CPU time (with the load average printed). Run: npx tsx tools/bench/conv-training.ts (PyTorch through python3).
 */
const BATCH = 64;
const STEPS = 3;

function model(): Sequential {
  const conv = (cin: number, cout: number, seed: number) =>
    new Conv2d(initialise([cout, cin, 3, 3], { init: 'he', seed }, cin * 9, cout * 9, 'float32'), zeros([cout], 'float32'), { padding: 1 });
  const linear = initialise([1568, 10], { init: 'he', seed: 3 }, 1568, 10, 'float32');
  return new Sequential([conv(1, 16, 1), new ReLU(), new MaxPool2d({ kernel: 2 }), conv(16, 32, 2), new ReLU(), new MaxPool2d({ kernel: 2 }), new Flatten(), new Linear(linear, zeros([10], 'float32')), new Softmax()]);
}

function contender(name: string, on: Backend): Contender {
  const net = model();
  const optimizer = createOptimizer(net.parameters(), { optimizer: 'adam', lr: 0.001 });
  const random = new Random(1);
  const x = tensor(Float32Array.from({ length: BATCH * 784 }, () => random.next()), { shape: [BATCH, 1, 28, 28], dtype: 'float32' });
  const y = tensor(Float32Array.from({ length: BATCH * 10 }, (_, i) => (i % 10 === (i / 10 | 0) % 10 ? 1 : 0)), { shape: [BATCH, 10], dtype: 'float32' });
  return {
    name,
    run: () => {
      setBackend(on);
      for (let s = 0; s < STEPS; s++) {
        net.zeroGrad();
        net.forward(x);
        // Cross-entropy from the softmax's input (the fused, stable form train uses).
        const loss = computeLoss('cross_entropy', net.layers[net.layers.length - 1]!.input!, y, true);
        loss.backward();
        if (!Number.isFinite(loss.item())) throw new Error(`${name}: the loss is ${loss.item()}`);
        optimizer.step();
      }
      return STEPS * BATCH;
    },
  };
}

const nativeWith = (threads?: number) => {
  try {
    return loadNativeBackend(threads === undefined ? {} : { threads });
  } catch {
    return undefined;
  }
};
const native = nativeWith();
const nativeThreads = nativeInfo()?.threads ?? 1;
// On CPU time an idle OpenBLAS thread's spinning counts too: one thread is the like-for-like row beside PyTorch's one thread.
const nativeOne = nativeWith(1);
const contenders = [
  contender('mashagrad reference', referenceBackend),
  contender('mashagrad wasm', await loadWasmBackend()),
  ...(native === undefined ? [] : [contender(`mashagrad native (OpenBLAS, ${nativeThreads} threads)`, native)]),
  ...(nativeOne === undefined ? [] : [contender('mashagrad native (OpenBLAS, 1 thread)', nativeOne)]),
];
// CPU time (user + system of this process, every OpenBLAS thread included), PyTorch's too: on a
// machine shared with other jobs elapsed time measures the load more than the code.
const loadBefore = loadAverage();
const measurements = interleave(contenders, { warmup: 1, reps: 3, minSampleMs: 1000, clock: 'cpu' });
setBackend(referenceBackend);
// PyTorch on one thread and on as many as native's OpenBLAS: on a shared machine, more threads can be slower.
const torchRate = (threads: string): number | string => {
  const run = spawnSync('/usr/bin/python3', [fileURLToPath(new URL('torch-conv.py', import.meta.url)), '5', threads, 'cpu'], { encoding: 'utf8' });
  return run.status === 0 ? Number(run.stdout.trim()) : `not run: ${run.stderr.split('\n')[0]}`;
};
const threadCounts = [...new Set(['1', String(nativeThreads)])];
const torch = threadCounts.map((threads) => ({ threads, rate: torchRate(threads) }));
const best = Math.max(...torch.map(({ rate }) => (typeof rate === 'number' ? rate : 0)));
console.log(`load average before: ${loadBefore}`);
console.log('| conv training step, f32, batches of 64 | samples/s (CPU time) | vs PyTorch (its best) |\n|---|---:|---:|');
for (const m of measurements) console.log(`| ${m.name} | ${Math.round(m.median)} | ${best > 0 ? (m.median / best).toFixed(2) : '—'}× |`);
for (const { threads, rate } of torch) console.log(`| PyTorch (${threads} thread${threads === '1' ? '' : 's'}) | ${typeof rate === 'number' ? Math.round(rate) : rate} | ${typeof rate === 'number' && best > 0 ? (rate / best).toFixed(2) : '—'}× |`);

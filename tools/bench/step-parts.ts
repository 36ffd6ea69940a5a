/**
 * Where a native training step of the benchmark's MLP (784-256-128-10, Adam, float32, 64 rows)
 * spends its CPU time on one OpenBLAS thread: the products (OpenBLAS), Adam (C, one thread) and
 * the rest. Only the products can use a second thread, so their share bounds what two threads
 * can give. 5 rounds of 300 steps after 50 of warm-up; the rows are synthetic (the time does not
 * depend on them).
 *
 *   npx tsx tools/bench/step-parts.ts
 */
import { zeros } from '../../src/autograd/create.js';
import { ReLU, Softmax } from '../../src/nn/activations.js';
import { initialise } from '../../src/nn/init.js';
import { Linear } from '../../src/nn/linear.js';
import { Sequential } from '../../src/nn/sequential.js';
import { createOptimizer } from '../../src/optim/create.js';
import { setBackend } from '../../src/kernels/active.js';
import { loadNativeBackend } from '../../src/kernels/native/index.js';
import { compileTrainingStep } from '../../src/train/training-step.js';

const base = loadNativeBackend({ threads: 1 });
const spent = { matmul: 0, adam: 0 };
/** This process's CPU time in µs. */
const cpu = () => {
  const { user, system } = process.cpuUsage();
  return user + system;
};
const timedBackend = {
  ...base,
  matmul(...args: Parameters<typeof base.matmul>) { const t = cpu(); base.matmul(...args); spent.matmul += cpu() - t; },
  adamUpdate(...args: Parameters<typeof base.adamUpdate>) { const t = cpu(); base.adamUpdate(...args); spent.adam += cpu() - t; },
};
setBackend(timedBackend);
const linear = (i: number, o: number, seed: number) => new Linear(initialise([i, o], { init: 'he', seed }, i, o, 'float32'), zeros([o], 'float32'));
const model = new Sequential([linear(784, 256, 1), new ReLU(), linear(256, 128, 2), new ReLU(), linear(128, 10, 3), new Softmax()]);
const step = compileTrainingStep(model, 'cross_entropy', { batch: 64, features: 784, outputs: 10, dtype: 'float32' });
const optimizer = createOptimizer(model.parameters(), { optimizer: 'adam', lr: 0.001 });
for (let i = 0; i < step.x.length; i++) step.x[i] = (i % 255) / 255;
for (let r = 0; r < 64; r++) step.y[r * 10 + (r % 10)] = 1;
for (let s = 0; s < 50; s++) { step.run(); optimizer.stepWith(step.gradients); }
for (let round = 0; round < 5; round++) {
  spent.matmul = 0; spent.adam = 0;
  const steps = 300; const t = cpu();
  for (let s = 0; s < steps; s++) { step.run(); optimizer.stepWith(step.gradients); }
  const total = cpu() - t;
  console.log(`per step (CPU µs): all ${(total / steps).toFixed(0)}, matmul ${(spent.matmul / steps).toFixed(0)} (${(100 * spent.matmul / total).toFixed(0)}%), Adam ${(spent.adam / steps).toFixed(0)} (${(100 * spent.adam / total).toFixed(0)}%), rest ${((total - spent.matmul - spent.adam) / steps).toFixed(0)}`);
}

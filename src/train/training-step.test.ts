import { describe, expect, it } from 'vitest';
import { tensorAlgebra } from '../autograd/apply.js';
import { tensor } from '../autograd/create.js';
import { gradients } from '../autograd/functional.js';
import type { Tensor } from '../autograd/tensor.js';
import { LeakyReLU, ReLU, Sigmoid, Softmax, Tanh } from '../nn/activations.js';
import { initialise } from '../nn/init.js';
import type { Layer } from '../nn/layer.js';
import { Linear } from '../nn/linear.js';
import { computeLoss, type LossName } from '../nn/losses.js';
import { Sequential } from '../nn/sequential.js';
import { createOptimizer } from '../optim/create.js';
import type { DType } from '../tensor/dtype.js';
import { Random } from '../tensor/random.js';
import { compileForward, compileTrainingStep, lossPlan } from './training-step.js';

const random = new Random(7);
const linear = (inputs: number, outputs: number, seed: number, dtype: DType = 'float64') =>
  new Linear(initialise([inputs, outputs], { init: 'xavier', seed }, inputs, outputs, dtype), initialise([outputs], { init: 'uniform', value: 0.1, seed: seed + 50 }, inputs, outputs, dtype));
const values = (count: number, make: () => number) => Float64Array.from({ length: count }, make);

/** The same loss and gradients computed eagerly, layer by layer, as the library does without compiling. */
function eager(model: Sequential, loss: LossName, x: Float64Array, y: Float64Array, batch: number, features: number, outputs: number, dtype: DType = 'float64') {
  const { layers, fromLogits } = lossPlan(model, loss);
  let h: Tensor = tensor(x, { shape: [batch, features], dtype });
  for (const layer of model.layers.slice(0, layers)) h = layer.compute(tensorAlgebra, h, layer.parameters());
  const value = computeLoss(loss, h, tensor(y, { shape: [batch, outputs], dtype }), fromLogits);
  return { loss: value.item(), output: [...h.data], grads: gradients(value, model.parameters()).map((g) => [...g.data]) };
}

const closeTo = (got: ArrayLike<number>, want: ArrayLike<number>) => {
  expect(got.length).toBe(want.length);
  const worst = Array.from(got).reduce((max, v, i) => Math.max(max, Math.abs(v - want[i]!) / (1 + Math.abs(want[i]!))), 0);
  expect(worst).toBeLessThan(1e-12);
};

const oneHot = (batch: number, classes: number) => {
  const y = new Float64Array(batch * classes);
  for (let r = 0; r < batch; r++) y[r * classes + Math.floor(random.uniform(0, classes))] = 1;
  return y;
};

const cases: [string, () => Layer[], LossName, number][] = [
  ['relu MLP, softmax folded into cross-entropy', () => [linear(5, 7, 1), new ReLU(), linear(7, 4, 2), new Softmax()], 'cross_entropy', 4],
  ['tanh + leaky relu, mse', () => [linear(5, 6, 3), new Tanh(), linear(6, 3, 4), new LeakyReLU(0.1)], 'mse', 3],
  ['sigmoid output folded into logloss', () => [linear(5, 4, 5), new ReLU(), linear(4, 1, 6), new Sigmoid()], 'logloss', 1],
  ['probabilities into the clamped cross-entropy (softmax not last)', () => [linear(5, 3, 7), new Softmax(), linear(3, 3, 8), new Sigmoid()], 'cross_entropy', 3],
];

describe('compiled training step: replays the traced forward + backward on new data', () => {
  it.each(cases)('%s: loss, output and every gradient equal eager autodiff, for three different batches', (_name, layers, loss, outputs) => {
    const model = new Sequential(layers());
    const batch = 6;
    const step = compileTrainingStep(model, loss, { batch, features: 5, outputs, dtype: 'float64' });
    for (let round = 0; round < 3; round++) {
      const x = values(batch * 5, () => random.normal(0, 1));
      const y = outputs === 1 || loss === 'mse' ? values(batch * outputs, () => (loss === 'mse' ? random.normal(0, 1) : Math.round(random.uniform(0, 1)))) : oneHot(batch, outputs);
      step.x.set(x);
      step.y.set(y);
      step.run();
      const want = eager(model, loss, x, y, batch, 5, outputs);
      expect(step.loss[0]).toBeCloseTo(want.loss, 12);
      closeTo(step.output, want.output);
      step.gradients.forEach((gradient, i) => closeTo(gradient, want.grads[i]!));
    }
  });

  it('materialises no transpose: matmuls read Wᵀ and Xᵀ in place', () => {
    const model = new Sequential([linear(5, 7, 1), new ReLU(), linear(7, 4, 2), new Softmax()]);
    const step = compileTrainingStep(model, 'cross_entropy', { batch: 3, features: 5, outputs: 4, dtype: 'float64' });
    const ops = step.compiled.describe();
    expect(ops.filter((op) => op.startsWith('transpose'))).toEqual([]);
    expect(ops.filter((op) => op.includes('ᵀ'))).toHaveLength(3);
  });

  it.each(['float64', 'float32'] as const)('%s: each bias add runs with its activation (the sum kept only for relu, whose vjp reads it), bit for bit as eager', (dtype) => {
    const model = new Sequential([linear(5, 7, 1, dtype), new ReLU(), linear(7, 6, 2, dtype), new Tanh(), linear(6, 4, 3, dtype), new Sigmoid(), linear(4, 3, 4, dtype), new Softmax()]);
    const batch = 5;
    const step = compileTrainingStep(model, 'cross_entropy', { batch, features: 5, outputs: 3, dtype });
    expect(step.compiled.describe().filter((op) => op.startsWith('add'))).toEqual([
      'add+relu([5,7], [7]) → [5,7] and the sum', 'add+tanh([5,6], [6]) → [5,6]', 'add+sigmoid([5,4], [4]) → [5,4]', 'add([5,3], [3]) → [5,3]',
    ]);
    const x = values(batch * 5, () => random.normal(0, 1));
    const y = oneHot(batch, 3);
    step.x.set(x);
    step.y.set(y);
    step.run();
    const want = eager(model, 'cross_entropy', dtype === 'float32' ? Float64Array.from(Float32Array.from(x)) : x, y, batch, 5, 3, dtype);
    expect(step.loss[0]).toBe(want.loss);
    expect([...step.output]).toEqual(want.output);
    step.gradients.forEach((gradient, i) => expect([...gradient], `gradient ${i}`).toEqual(want.grads[i]));
  });

  it('trains exactly as the eager loop: 5 Adam steps give the same weights', () => {
    const build = () => new Sequential([linear(5, 6, 9), new ReLU(), linear(6, 3, 10), new Softmax()]);
    const compiledModel = build();
    const eagerModel = build();
    const batch = 4;
    const step = compileTrainingStep(compiledModel, 'cross_entropy', { batch, features: 5, outputs: 3, dtype: 'float64' });
    const compiledOptimizer = createOptimizer(compiledModel.parameters(), { optimizer: 'adam', lr: 0.05, weightDecay: 0.01 });
    const eagerOptimizer = createOptimizer(eagerModel.parameters(), { optimizer: 'adam', lr: 0.05, weightDecay: 0.01 });
    for (let s = 0; s < 5; s++) {
      const x = values(batch * 5, () => random.normal(0, 1));
      const y = oneHot(batch, 3);
      step.x.set(x);
      step.y.set(y);
      step.run();
      compiledOptimizer.stepWith(step.gradients);
      const { grads } = eager(eagerModel, 'cross_entropy', x, y, batch, 5, 3);
      eagerModel.parameters().forEach((p, i) => (p.grad = tensor(Float64Array.from(grads[i]!), { shape: p.shape })));
      eagerOptimizer.step();
    }
    compiledModel.parameters().forEach((p, i) => closeTo(p.data, eagerModel.parameters()[i]!.data));
  });

  it('compileForward gives the model output before the folded activation', () => {
    const model = new Sequential([linear(5, 7, 1), new Tanh(), linear(7, 4, 2), new Softmax()]);
    const forward = compileForward(model, 'cross_entropy', { batch: 2, features: 5, dtype: 'float64' });
    const x = values(10, () => random.normal(0, 1));
    forward.x.set(x);
    forward.run();
    closeTo(forward.output, eager(model, 'cross_entropy', x, oneHot(2, 4), 2, 5, 4).output);
  });
});

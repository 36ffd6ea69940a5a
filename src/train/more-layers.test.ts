import { describe, expect, it } from 'vitest';
import { tensor } from '../autograd/create.js';
import { gradients } from '../autograd/functional.js';
import type { Dataset } from '../data/dataset.js';
import { Tanh } from '../nn/activations.js';
import { Dropout } from '../nn/dropout.js';
import { initialise } from '../nn/init.js';
import { Linear } from '../nn/linear.js';
import { computeLoss } from '../nn/losses.js';
import { BatchNorm1d } from '../nn/normalization.js';
import { Residual } from '../nn/residual.js';
import { RNN } from '../nn/rnn.js';
import { Sequential } from '../nn/sequential.js';
import { Random } from '../tensor/random.js';
import { Stepper, type StepperSettings } from './stepper.js';
import { compileTrainingStep } from './training-step.js';

/**
 * The compiled training step (what `train` and the page run) with the layers whose behaviour
 * depends on the mode: each step must match an eager forward + backward with the same mask,
 * batch norm's running statistics must move as PyTorch's do, and evaluation must run without
 * dropout and with the running statistics.
 */

const random = new Random(11);
const rows = 6;
const data: Dataset = {
  source: 'test', count: rows, features: 3, x: Float64Array.from({ length: rows * 3 }, () => random.normal(0, 1)) as unknown as Float32Array,
  labels: null, classes: 0, classNames: null, targets: Float64Array.from({ length: rows }, () => random.normal(0, 1)) as unknown as Float32Array, targetWidth: 1,
};
const settings: StepperSettings = { loss: 'mse', optimizer: { optimizer: 'sgd', lr: 0.1 }, batch: rows, shuffle: false, seed: 0, dtype: 'float64' };
const xRows = () => tensor(Array.from({ length: rows }, (_, r) => Array.from(data.x.subarray(r * 3, r * 3 + 3))));
const yRows = () => tensor(Array.from(data.targets!, (value) => [value]));

function model(): { model: Sequential; dropout: Dropout; batchnorm: BatchNorm1d } {
  const dropout = new Dropout(0.5, 3);
  const batchnorm = new BatchNorm1d(4, { momentum: 0.2 });
  const layers = [
    new Linear(initialise([3, 4], { init: 'xavier', seed: 1 }, 3, 4), initialise([4], { init: 'uniform', value: 0.5, seed: 2 }, 3, 4)),
    batchnorm,
    new Residual([new Linear(initialise([4, 4], { init: 'xavier', seed: 3 }, 4, 4)), new Tanh()]),
    dropout,
    new Linear(initialise([4, 1], { init: 'xavier', seed: 4 }, 4, 1)),
  ];
  return { model: new Sequential(layers), dropout, batchnorm };
}

describe('compiled training steps with dropout, batch norm and a residual block', () => {
  it('each step equals an eager forward + backward with the mask that step drew; the masks change from step to step', () => {
    const compiled = model();
    const eager = model();
    const stepper = new Stepper(compiled.model, data, settings);
    const masks: number[][] = [];
    for (let step = 0; step < 3; step++) {
      const before = compiled.model.parameters().map((p) => Float64Array.from(p.data));
      stepper.step();
      const mask = [...compiled.dropout.mask!.data];
      masks.push(mask);
      // The eager twin, at the same weights, with the same keep/drop decisions.
      eager.model.parameters().forEach((p, i) => p.data.set(before[i]!));
      eager.dropout.fixMask(mask);
      const loss = computeLoss('mse', eager.model.forward(xRows()), yRows());
      const grads = gradients(loss, eager.model.parameters());
      eager.model.parameters().forEach((p, i) => p.data.set(before[i]!.map((value, k) => value - 0.1 * grads[i]!.data[k]!)));
      compiled.model.parameters().forEach((p, i) => p.data.forEach((value, k) => expect(value).toBeCloseTo(eager.model.parameters()[i]!.data[k]!, 12)));
      expect([...compiled.batchnorm.runningMean.data].map((v) => v.toFixed(12))).toEqual([...eager.batchnorm.runningMean.data].map((v) => v.toFixed(12)));
      expect([...compiled.batchnorm.runningVar.data].map((v) => v.toFixed(12))).toEqual([...eager.batchnorm.runningVar.data].map((v) => v.toFixed(12)));
    }
    expect(masks[0]!.some((value) => value === 0) && masks[0]!.some((value) => value === 2)).toBe(true);
    expect(masks[1]).not.toEqual(masks[0]);
    expect(compiled.batchnorm.batchesTracked).toBe(3);
  });

  it('an evaluation step runs without dropout and with the running statistics, and changes nothing', () => {
    const { model: net, batchnorm } = model();
    batchnorm.runningMean.data.set([0.5, -0.5, 1, 0]);
    batchnorm.runningVar.data.set([2, 1, 0.5, 4]);
    const evaluation = compileTrainingStep(net, 'mse', { batch: rows, features: 3, outputs: 1, dtype: 'float64' }, { gradients: false });
    evaluation.x.set(data.x);
    evaluation.y.set(data.targets!);
    evaluation.run();
    const expected = net.inMode(false, () => net.forward(xRows()));
    expect([...evaluation.output].map((v) => v.toFixed(12))).toEqual([...expected.data].map((v) => v.toFixed(12)));
    expect([...batchnorm.runningMean.data]).toEqual([0.5, -0.5, 1, 0]);
    expect(net.training).toBe(true);
  });

  it('an RNN trains through the compiled step as eagerly (backpropagation through time)', () => {
    const make = () => new Sequential([
      new RNN({ weightIh: initialise([2, 1], { init: 'uniform', value: 0.7, seed: 5 }, 1, 2), weightHh: initialise([2, 2], { init: 'uniform', value: 0.7, seed: 6 }, 2, 2) }),
      new Linear(initialise([2, 1], { init: 'xavier', seed: 7 }, 2, 1)),
    ]);
    const [compiled, eager] = [make(), make()];
    new Stepper(compiled, data, settings).step();
    const loss = computeLoss('mse', eager.forward(xRows()), yRows());
    const grads = gradients(loss, eager.parameters());
    eager.parameters().forEach((p, i) => p.data.forEach((value, k) => expect(compiled.parameters()[i]!.data[k]!).toBeCloseTo(value - 0.1 * grads[i]!.data[k]!, 12)));
  });
});

import { describe, expect, it } from 'vitest';
import type { Dataset } from '../data/dataset.js';
import { Tanh } from '../nn/activations.js';
import { initialise } from '../nn/init.js';
import { Linear } from '../nn/linear.js';
import { Sequential } from '../nn/sequential.js';
import { Random } from '../tensor/random.js';
import { Stepper, type StepperSettings } from './stepper.js';

const random = new Random(3);
const data: Dataset = {
  source: 'test', count: 10, features: 2, x: Float32Array.from({ length: 20 }, () => random.normal(0, 1)),
  labels: null, classes: 0, classNames: null, targets: Float32Array.from({ length: 10 }, () => random.normal(0, 1)), targetWidth: 1,
};
const model = () => new Sequential([
  new Linear(initialise([2, 3], { init: 'xavier', seed: 1 }, 2, 3), initialise([3], { init: 'uniform', value: 0.5, seed: 2 }, 2, 3)),
  new Tanh(),
  new Linear(initialise([3, 1], { init: 'xavier', seed: 3 }, 3, 1), initialise([1], { init: 'uniform', value: 0.5, seed: 4 }, 3, 1)),
]);
const settings: StepperSettings = { loss: 'mse', optimizer: { optimizer: 'sgd', lr: 0.1 }, batch: 4, shuffle: true, seed: 5, dtype: 'float64' };

describe('Stepper: the training step shared by fit and the page', () => {
  it('10 rows in batches of 4: steps of 4, 4 and 2 rows, then epoch 2', () => {
    const stepper = new Stepper(model(), data, settings);
    const outcomes = Array.from({ length: 4 }, () => stepper.step());
    expect(outcomes.map(({ epoch, step, rows }) => [epoch, step, rows])).toEqual([[1, 1, 4], [1, 2, 4], [1, 3, 2], [2, 1, 4]]);
    expect(stepper.epoch).toBe(2);
    expect(stepper.stepInEpoch).toBe(1);
  });

  it.each([['l2', (w: number) => w], ['l1', (w: number) => Math.sign(w)]] as const)('%s with rate λ moves each weight by a further −γλ·(its gradient), and leaves biases alone', (kind, penaltyGradient) => {
    const [plain, penalised] = [model(), model()];
    const before = penalised.parameters().map((p) => Float64Array.from(p.data));
    new Stepper(plain, data, settings).step();
    new Stepper(penalised, data, { ...settings, regularization: { kind, rate: 0.3 } }).step();
    const isWeight = [true, false, true, false];
    penalised.parameters().forEach((parameter, i) => {
      parameter.data.forEach((value, k) => {
        const extra = isWeight[i] ? -0.1 * 0.3 * penaltyGradient(before[i]![k]!) : 0;
        expect(value - plain.parameters()[i]!.data[k]!).toBeCloseTo(extra, 12);
      });
    });
  });

  it('nextRows names the rows the next step trains on: a step on exactly those rows alone gives the same weights', () => {
    const [whole, alone] = [model(), model()];
    const stepper = new Stepper(whole, data, settings);
    stepper.step();
    stepper.step();
    const rows = stepper.nextRows();
    expect(rows.length).toBe(2);
    // The same two rows as a data set of their own, in that order, trained by one unshuffled step from the same weights.
    alone.parameters().forEach((p, i) => p.data.set(whole.parameters()[i]!.data));
    const picked: Dataset = { ...data, count: 2, x: Float32Array.from([...rows].flatMap((r) => [data.x[2 * r]!, data.x[2 * r + 1]!])), targets: Float32Array.from([...rows].map((r) => data.targets![r]!)) };
    stepper.step();
    new Stepper(alone, picked, { ...settings, shuffle: false }).step();
    alone.parameters().forEach((p, i) => expect([...p.data]).toEqual([...whole.parameters()[i]!.data]));
  });

  it('a loss that is not a number makes no update', () => {
    const broken = model();
    broken.parameters()[0]!.data[0] = Number.NaN;
    const outcome = new Stepper(broken, data, settings).step();
    expect(outcome.updated).toBe(false);
    expect(broken.parameters()[2]!.data[0]).toBe(model().parameters()[2]!.data[0]);
  });
});

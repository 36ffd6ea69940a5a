import { describe, expect, it } from 'vitest';
import { parseProblem, solvePlan } from '../../src/problem/index.js';
import { problemFileOf } from '../../web/src/training/problem-export.js';
import { stepPart } from '../../web/src/training/step-part.js';
import { DEFAULT_TRAINING, Trainer, type TrainingSettings } from '../../web/src/training/trainer.js';
import { threeClusters } from './csv-sample.js';

/**
 * Every weight's and bias's part of the explained step, for networks of every kind the page
 * trains: its 'after' is the weight the trainer's own step gives, its gradient a finite number,
 * and the chain rule holds in its own numbers where the activation is elementwise.
 */
const CASES: readonly [string, Partial<TrainingSettings>][] = [
  ['tanh, Adam', {}],
  ['relu, momentum', { activation: 'relu', optimizer: 'momentum', hidden: [4] }],
  ['sigmoid, rmsprop, mse', { activation: 'sigmoid', optimizer: 'rmsprop', loss: 'mse', hidden: [3, 2] }],
  ['linear, adagrad', { activation: 'linear', optimizer: 'adagrad', hidden: [3] }],
  ['regression (plane), sgd', { dataset: 'plane', optimizer: 'sgd', hidden: [3] }],
  ['no hidden layer', { hidden: [] }],
  ['three classes (softmax)', { dataset: 'csv', csv: threeClusters(), hidden: [4] }],
];

describe('stepPart: a neuron\'s or a weight\'s part of the explained step', () => {
  for (const [name, change] of CASES) {
    it(`${name}: every weight's and bias's part ends at the weight the trainer's step gives`, () => {
      const trainer = new Trainer({ ...DEFAULT_TRAINING, lr: 0.05, ...change });
      for (let i = 0; i < 7; i++) trainer.step();
      const trace = solvePlan(parseProblem(problemFileOf(trainer, trainer.stepper.nextRows(), 'step 8')));
      if (trace.kind !== 'network') throw new Error('expected a network problem');
      trainer.step();
      const after = trainer.weights();
      after.forEach((layer, k) => {
        for (let i = 0; i < layer.inputs; i++) {
          for (let j = 0; j < layer.outputs; j++) {
            const part = stepPart(trace, { layer: k, from: i, to: j });
            const value = (key: string) => part.lines.find((line) => line.key === key)?.values;
            expect(value('after')![0], `${part.name}`).toBeCloseTo(layer.weight[i * layer.outputs + j]!, 12);
            expect(Number.isFinite(value('gradient')![0])).toBe(true);
            // ∂L/∂w = Σ over the batch of (the input it multiplies) · (the gradient at the sum).
            const input = value('input')!;
            const passed = value('passed')!;
            expect(value('gradient')![0]).toBeCloseTo(input.reduce((sum, x, r) => sum + x * passed[r]!, 0), 12);
          }
        }
        for (let j = 0; j < layer.outputs; j++) {
          const part = stepPart(trace, { layer: k, from: j, to: null });
          const value = (key: string) => part.lines.find((line) => line.key === key)?.values;
          expect(value('after')![0], part.name).toBeCloseTo(layer.bias[j]!, 12);
          const local = value('local');
          if (local !== undefined) value('passed')!.forEach((d, r) => expect(d).toBeCloseTo(value('arriving')![r]! * local[r]!, 12));
        }
      });
    });
  }
});

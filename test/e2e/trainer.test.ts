import { describe, expect, it } from 'vitest';
import { buildModel, parseProblem, seedLayers, solvePlan } from '../../src/problem/index.js';
import { problemFileOf } from '../../web/src/training/problem-export.js';
import { DATASET_NAMES, isRegression, makeDataset } from '../../web/src/training/datasets.js';
import { checkSettings } from '../../web/src/training/settings.js';
import { DEFAULT_TRAINING, layerPlans, Trainer, type TrainingReport, type TrainingSettings } from '../../web/src/training/trainer.js';

/** Train until `done` or `most` steps; the last report. */
function trainUntil(settings: TrainingSettings, most: number, done: (report: TrainingReport) => boolean = () => false): TrainingReport {
  const trainer = new Trainer(settings);
  let report = trainer.report();
  for (let i = 0; i < most && !done(report); i++) {
    if (!trainer.step()) break;
    if (i % 25 === 0 || trainer.isStopped) report = trainer.report();
  }
  return trainer.report();
}

// The playground's Training mode without the browser: the same code its Web Worker runs.
describe('Training mode, in Node', () => {
  it('every data set has 200 points in [−1, 1]²: both labels for classification, targets in [−1, 1] for regression', () => {
    for (const name of DATASET_NAMES) {
      const { points, labels } = makeDataset(name);
      expect(labels.length).toBe(200);
      expect(points.every((value) => value >= -1 && value <= 1)).toBe(true);
      if (isRegression(name)) expect(labels.every((value) => value >= -1 && value <= 1) && new Set(labels).size > 50).toBe(true);
      else expect(new Set(labels)).toEqual(new Set([0, 1]));
    }
  });

  it('the page builds its network with the library (buildModel + seedLayers): the same weights as a problem file with the same seed', () => {
    const trainer = new Trainer(DEFAULT_TRAINING);
    const library = buildModel(seedLayers(layerPlans(DEFAULT_TRAINING), DEFAULT_TRAINING.seed));
    expect(trainer.model.parameters().map((p) => [...p.data])).toEqual(library.parameters().map((p) => [...p.data]));
  });

  it('XOR with 2-8-8-1 tanh and Adam reaches 95% accuracy on the training points within 1000 steps', () => {
    const report = trainUntil(DEFAULT_TRAINING, 1000, (r) => (r.accuracy ?? 0) >= 0.95);
    expect(report.accuracy).toBeGreaterThanOrEqual(0.95);
    expect(report.testAccuracy).not.toBeNull();
  });

  it('the plane regression is learnt with mse: the test loss falls below a tenth of its start', () => {
    const settings = { ...DEFAULT_TRAINING, dataset: 'plane', activation: 'linear', hidden: [] } as const;
    const start = new Trainer(settings).report();
    const report = trainUntil(settings, 600);
    expect(start.accuracy).toBeNull();
    expect(report.testLoss!).toBeLessThan(start.testLoss! / 10);
  });

  it('lr = 0 learns nothing: after 100 steps every weight is where it started', () => {
    const trainer = new Trainer({ ...DEFAULT_TRAINING, lr: 0, optimizer: 'sgd' });
    const before = trainer.weights();
    for (let i = 0; i < 100; i++) trainer.step();
    expect(trainer.weights()).toEqual(before);
  });

  it('spiral at lr = 1000 does not stay a number-shaped failure: training stops and says the loss blew up', () => {
    for (const optimizer of ['adam', 'sgd'] as const) {
      const report = trainUntil({ ...DEFAULT_TRAINING, dataset: 'spiral', optimizer, lr: 1000 }, 2000);
      expect(report.stopped, optimizer).not.toBeNull();
    }
  });

  it('epochs are counted: 100 training points in batches of 10 is 10 steps an epoch', () => {
    const trainer = new Trainer(DEFAULT_TRAINING);
    for (let i = 0; i < 25; i++) trainer.step();
    expect(trainer.report().epoch).toBe(2);
  });

  it('the settings refuse bad values instead of replacing them', () => {
    const refused = (raw: Parameters<typeof checkSettings>[0]) => checkSettings(raw).problems.map((problem) => problem.field);
    expect(refused({ lr: '0' })).toEqual([]);
    expect(checkSettings({ lr: '0' }).settings.lr).toBe(0);
    expect(refused({ lr: '-1' })).toEqual(['lr']);
    for (const hidden of ['0', '', 'abc', '-3', '100, 100']) expect(refused({ hidden }), hidden).toEqual(['hidden']);
    expect(checkSettings({ hidden: 'none' }).settings.hidden).toEqual([]);
    expect(refused({ batch: '0' })).toEqual(['batch']);
    expect(refused({ dataset: 'nope' })).toEqual(['dataset']);
    expect(refused({ features: [] })).toEqual(['features']);
  });

  it('"explain the next step" is a problem file whose worked solution is that very step: the loss and the weights after it, as the worker computes them', () => {
    const trainer = new Trainer({ ...DEFAULT_TRAINING, optimizer: 'sgd', lr: 0.1, dataset: 'circles' });
    for (let i = 0; i < 37; i++) trainer.step();
    const trace = solvePlan(parseProblem(problemFileOf(trainer, trainer.stepper.nextRows(), 'step 38')));
    if (trace.kind !== 'network') throw new Error('expected a network problem');
    trainer.step();
    expect(trace.steps[0]!.loss).toBeCloseTo(trainer.last!.loss, 12);
    const after = trainer.weights();
    // Parameters in layer order: W and b of each linear layer.
    const solved = Object.values(trace.params).map((values) => (values as number[] | number[][]).flat(2));
    const trained = after.flatMap((layer) => [[...layer.weight], [...layer.bias]]);
    expect(solved.length).toBe(trained.length);
    solved.forEach((values, i) => values.forEach((value, k) => expect(value).toBeCloseTo(trained[i]![k]!, 12)));
  });

  it('a stateful optimizer\'s explained step is the real one: Adam, momentum, RMSprop and Adagrad carry their memory into the problem file', () => {
    for (const optimizer of ['adam', 'momentum', 'rmsprop', 'adagrad'] as const) {
      const trainer = new Trainer({ ...DEFAULT_TRAINING, optimizer, lr: 0.05, dataset: 'circles' });
      for (let i = 0; i < 23; i++) trainer.step();
      const trace = solvePlan(parseProblem(problemFileOf(trainer, trainer.stepper.nextRows(), 'step 24', 'after {steps} steps, t = {next}')));
      if (trace.kind !== 'network') throw new Error('expected a network problem');
      // The worked solution says where the optimizer's numbers come from.
      expect(trace.note).toEqual({ en: 'after 23 steps, t = 24', ru: 'after 23 steps, t = 24' });
      trainer.step();
      expect(trace.steps[0]!.loss).toBeCloseTo(trainer.last!.loss, 12);
      const solved = Object.values(trace.params).map((values) => (values as number[] | number[][]).flat(2));
      const trained = trainer.weights().flatMap((layer) => [[...layer.weight], [...layer.bias]]);
      solved.forEach((values, i) => values.forEach((value, k) => expect(value, optimizer).toBeCloseTo(trained[i]![k]!, 12)));
    }
  });
});
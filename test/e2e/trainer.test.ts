import { describe, expect, it } from 'vitest';
import { DATASET_NAMES, makeDataset } from '../../web/src/training/datasets.js';
import { DEFAULT_TRAINING, Trainer } from '../../web/src/training/trainer.js';

// The playground's Training mode without the browser: the same code its Web Worker runs.
describe('Training mode, in Node', () => {
  it('every dataset has 200 points in [−1, 1]² with both labels', () => {
    for (const name of DATASET_NAMES) {
      const { points, labels } = makeDataset(name);
      expect(labels.length).toBe(200);
      expect(points.every((value) => value >= -1 && value <= 1)).toBe(true);
      expect(new Set(labels)).toEqual(new Set([0, 1]));
    }
  });

  it('XOR with 2-8-8-1 tanh and Adam reaches 95% accuracy within 500 steps', () => {
    const trainer = new Trainer(DEFAULT_TRAINING);
    let report = trainer.report();
    while (report.step < 500 && report.accuracy < 0.95) report = trainer.step();
    expect(report.accuracy).toBeGreaterThanOrEqual(0.95);
    expect(trainer.probabilities(4).length).toBe(16);
  });

  it('the mse loss (on σ(logit)) trains circles too, and reports its own loss: the mean squared error of the probabilities', () => {
    const trainer = new Trainer({ ...DEFAULT_TRAINING, dataset: 'circles', loss: 'mse', lr: 0.05 });
    let report = trainer.report();
    // Before training, every probability is σ(logit) for small logits: the squared errors are about ¼.
    expect(report.loss).toBeGreaterThan(0.15);
    expect(report.loss).toBeLessThan(0.4);
    while (report.step < 800 && report.accuracy < 0.95) report = trainer.step();
    expect(report.accuracy).toBeGreaterThanOrEqual(0.95);
    expect(report.loss).toBeLessThan(0.1);
  });

  it('a learning rate far too large diverges and says so', () => {
    const trainer = new Trainer({ ...DEFAULT_TRAINING, optimizer: 'sgd', lr: 1e300, activation: 'relu' });
    let report = trainer.report();
    for (let i = 0; i < 50 && !report.diverged; i++) report = trainer.step();
    expect(report.diverged).toBe(true);
  });
});

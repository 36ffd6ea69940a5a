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

  it('a learning rate far too large diverges and says so', () => {
    const trainer = new Trainer({ ...DEFAULT_TRAINING, optimizer: 'sgd', lr: 1e300, activation: 'relu' });
    let report = trainer.report();
    for (let i = 0; i < 50 && !report.diverged; i++) report = trainer.step();
    expect(report.diverged).toBe(true);
  });
});

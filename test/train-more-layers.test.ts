import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Random } from '../src/tensor/random.js';
import { runMashagrad } from './support/run-cli.js';

/**
 * `mashagrad train` with the layers of #19 on a CSV table the test writes: each row is 4 steps of
 * 2 numbers, the class is whether the steps' first numbers rise or fall overall, learnable by an
 * MLP, by an RNN reading the row as a sequence, and by a convolution reading it as a 4×2 picture.
 */
const dir = mkdtempSync(join(tmpdir(), 'mashagrad-train-layers-'));
const random = new Random(4);
const rows = Array.from({ length: 240 }, (_, i) => {
  const rising = i % 2;
  const start = random.uniform(-1, 1);
  const steps = Array.from({ length: 4 }, (_, t) => [start + (rising === 1 ? 0.4 : -0.4) * t + random.normal(0, 0.1), random.normal(0, 1)]);
  return [...steps.flat().map((value) => value.toFixed(4)), rising].join(',');
});
writeFileSync(join(dir, 'steps.csv'), [Array.from({ length: 8 }, (_, i) => `f${i}`).join(',') + ',label', ...rows].join('\n'));
const trainingFile = (name: string, model: string) => {
  const file = join(dir, name);
  writeFileSync(file, `dataset: { csv: steps.csv, target: label, test_fraction: 0.25 }\nmodel:\n${model}\nloss: cross_entropy\ntrain: { optimizer: adam, lr: 0.02, batch: 30, epochs: 8, shuffle: true, seed: 3 }\n`);
  return file;
};
const MLP = ['  - linear: { out: 8 }', '  - batchnorm1d', '  - relu', '  - residual: [ { linear: { out: 8 } }, tanh ]', '  - dropout: { p: 0.2 }', '  - layernorm', '  - linear: { out: 2 }', '  - softmax'].join('\n');
const recurrent = (kind: string) => [`  - ${kind}: { hidden: 6, inputs: 2 }`, '  - linear: { out: 2 }', '  - softmax'].join('\n');
// The row as a 4×2 picture (a step per row): a convolution down the steps, batch norm of its channels.
const CNN = ['  - conv2d: { out: 4, kernel: [2, 1], image: [4, 2] }', '  - batchnorm2d', '  - relu', '  - flatten', '  - linear: { out: 2 }', '  - softmax'].join('\n');

interface Run { epochs: { testAccuracy: number | null }[] }

describe('mashagrad train with dropout, normalization, a residual block, an RNN, GRU, LSTM and batch norm of images', () => {
  it.each([['mlp', MLP], ['rnn', recurrent('rnn')], ['gru', recurrent('gru')], ['lstm', recurrent('lstm')], ['cnn', CNN]])('%s: trains, evaluates, saves every number, and the same seed gives the same model', async (name, model) => {
    const file = trainingFile(`${name}.yaml`, model);
    const runs = await Promise.all(['a', 'b'].map((copy) => runMashagrad('train', file, '--out', join(dir, `${name}-${copy}`), '--backend', 'reference', '--json')));
    for (const run of runs) {
      expect(run.stderr).toBe('');
      expect(run.exitCode).toBe(0);
    }
    const result = JSON.parse(runs[0]!.stdout) as Run;
    expect(result.epochs.at(-1).testAccuracy).toBeGreaterThan(0.9);
    const saved = readFileSync(join(dir, `${name}-a`, 'model.json'), 'utf8');
    expect(saved).toBe(readFileSync(join(dir, `${name}-b`, 'model.json'), 'utf8'));
    const layers = (JSON.parse(saved) as { model: (string | Record<string, Record<string, unknown>>)[] }).model;
    const kinds = layers.map((layer) => (typeof layer === 'string' ? layer : Object.keys(layer)[0]));
    if (name === 'mlp') {
      // The running statistics moved away from PyTorch's start (0 and 1) during training.
      const batchnorm = (layers[1] as Record<string, Record<string, unknown>>).batchnorm1d!;
      expect((batchnorm.running_mean as number[]).some((value) => value !== 0)).toBe(true);
      expect(kinds).toEqual(['linear', 'batchnorm1d', 'relu', 'residual', 'dropout', 'layernorm', 'linear', 'softmax']);
    } else if (name === 'cnn') {
      const batchnorm = (layers[1] as Record<string, Record<string, unknown>>).batchnorm2d!;
      expect((batchnorm.running_var as number[]).some((value) => value !== 1)).toBe(true);
      expect(kinds).toEqual(['conv2d', 'batchnorm2d', 'relu', 'flatten', 'linear', 'softmax']);
    } else {
      expect(kinds).toEqual([name, 'linear', 'softmax']);
      expect(Object.keys((layers[0] as Record<string, Record<string, unknown>>)[name]!)).toEqual(expect.arrayContaining(['weight_ih', 'weight_hh', 'bias_ih', 'bias_hh', 'h0', ...(name === 'lstm' ? ['c0'] : [])]));
    }
  });
});

import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FASHION_MNIST_DIR } from '../src/data/mnist.js';
import { tensor } from '../src/autograd/create.js';
import { Linear } from '../src/nn/linear.js';
import { Sequential } from '../src/nn/sequential.js';
import { Random } from '../src/tensor/random.js';
import { evaluate } from '../src/train/fit.js';
import { loadDataset } from '../src/files/load-dataset.js';
import { loadSavedModel } from '../src/files/saved-model.js';
import { writeMnistFolder, type MnistSplitFiles } from './support/idx-files.js';
import { runMashagrad } from './support/run-cli.js';

/**
 * `mashagrad train` end to end on small data sets the tests write: 4×4 "pictures" whose class
 * (0–3 of MNIST's ten) is where a bright 2×2 block sits, learnable in a few epochs; a CSV
 * classification table and a CSV regression table. Seconds, not minutes.
 */
const dir = mkdtempSync(join(tmpdir(), 'mashagrad-train-'));

function blocks(count: number, seed: number): MnistSplitFiles {
  const random = new Random(seed);
  const pixels: number[] = [];
  const labels: number[] = [];
  for (let i = 0; i < count; i++) {
    const label = i % 4;
    const top = label < 2 ? 0 : 2;
    const left = label % 2 === 0 ? 0 : 2;
    for (let r = 0; r < 4; r++) {
      for (let c = 0; c < 4; c++) {
        const inBlock = r >= top && r < top + 2 && c >= left && c < left + 2;
        pixels.push(Math.floor(inBlock ? 150 + random.next() * 105 : random.next() * 110));
      }
    }
    labels.push(label);
  }
  return { rows: 4, columns: 4, pixels, labels };
}

const pictures = join(dir, 'pictures');
writeMnistFolder(pictures, { train: blocks(400, 1), test: blocks(100, 2) }, true);

function writeFile(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

const picturesFile = (extra = '') => writeFile(`pictures${extra.length}.yaml`, `
title: { en: "Blocks", ru: "Квадраты" }
dataset: { idx: pictures }
model:
  - linear: { out: 8, init: he }
  - relu
  - linear: { out: 10${extra} }
  - softmax
loss: cross_entropy
train: { optimizer: adam, lr: 0.05, batch: 16, epochs: 4, shuffle: true, seed: 3 }
`);

describe('mashagrad train on MNIST-format files', () => {
  it('trains, evaluates on the test split, and writes the model, the history and the chart', async () => {
    const out = join(dir, 'run-a');
    const result = await runMashagrad('train', picturesFile(), '--out', out, '--backend', 'reference');
    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toMatch(/Blocks: 400 training rows, 100 test rows, 16 features; reference backend, float32, batches of 16, adam γ = 0.05, seed 3/);
    expect(result.stdout.split('\n').filter((line) => line.startsWith('epoch '))).toHaveLength(4);
    const history = JSON.parse(readFileSync(join(out, 'history.json'), 'utf8')) as { epochs: { loss: number; testAccuracy: number }[] };
    expect(history.epochs).toHaveLength(4);
    expect(history.epochs[3]!.loss).toBeLessThan(history.epochs[0]!.loss);
    expect(history.epochs[3]!.testAccuracy).toBeGreaterThanOrEqual(0.95);
    const chart = readFileSync(join(out, 'training.svg'), 'utf8');
    expect(chart).toContain('<svg');
    expect(chart).toContain('test set');

    // The saved model reads back and scores what the run reported on the test split.
    const { model, saved } = loadSavedModel(join(out, 'model.json'));
    expect(saved.model).toHaveLength(4);
    const { test } = loadDataset({ idx: pictures });
    const scored = evaluate(model, test!, 'cross_entropy', 'float32');
    expect(scored.accuracy).toBe(history.epochs[3]!.testAccuracy);
  });

  it('is reproducible: the same seed gives the same run, another seed another', async () => {
    const run = async (name: string, ...flags: string[]) => {
      await runMashagrad('train', picturesFile(), '--out', join(dir, name), '--epochs', '2', '--backend', 'reference', ...flags);
      return readFileSync(join(dir, name, 'model.json'), 'utf8');
    };
    const first = await run('seed-a');
    expect(await run('seed-b')).toBe(first);
    expect(await run('seed-c', '--seed', '4')).not.toBe(first);
  });

  it('--json prints one object with the epochs and the files written', async () => {
    const result = await runMashagrad('train', picturesFile(), '--out', join(dir, 'json'), '--epochs', '1', '--json', '--limit', '50');
    const report = JSON.parse(result.stdout) as { train: number; test: number; epochs: unknown[]; files: { model: string } };
    expect([report.train, report.test, report.epochs.length]).toEqual([50, 50, 1]);
    expect(existsSync(report.files.model)).toBe(true);
  });

  it('says what is wrong with the model, the data or the flags, with exit code 2', async () => {
    const badFlag = await runMashagrad('train', picturesFile(), '--epochs', 'zero', '--out', join(dir, 'zero'));
    expect(badFlag.exitCode).toBe(2);
    expect(badFlag.stderr).toContain("--epochs: 'zero' is not a whole number ≥ 1");

    const outputs = writeFile('three.yaml', readFileSync(picturesFile(), 'utf8').replace('linear: { out: 10 }', 'linear: { out: 3 }'));
    const three = await runMashagrad('train', outputs, '--out', join(dir, 'three'));
    expect(three.exitCode).toBe(2);
    expect(three.stderr).toContain('the model gives 3 outputs, but');
    expect(three.stderr).toContain('has 10 classes: the last linear layer needs out: 10');

    const missing = await runMashagrad('train', picturesFile(), '--data', join(dir, 'nowhere'), '--out', join(dir, 'nowhere-out'));
    expect(missing.exitCode).toBe(2);
    expect(missing.stderr).toContain(join(dir, 'nowhere'));
    expect(missing.stderr).not.toMatch(/at .*\.ts:\d+/);

    const solve = await runMashagrad('solve', picturesFile());
    expect(solve.exitCode).toBe(2);
    expect(solve.stderr).toContain('run it with mashagrad train, not solve');
  });
});

describe('what training refuses, and how a failed run ends', () => {
  const binary = writeFile('binary.csv', ['a,b,label', ...Array.from({ length: 40 }, (_, i) => `${(i % 7) / 7},${(i % 5) / 5},${i % 2}`)].join('\n'));
  const file = (name: string, body: string) => writeFile(name, `dataset: { csv: ${binary.split('/').pop()} }\n${body}`);

  it('cross-entropy over one output (its softmax is always 1) asks for two; logloss with one is fine', async () => {
    const one = await runMashagrad('train', file('ce1.yaml', 'model: [{ linear: { out: 1 } }, softmax]\nloss: cross_entropy\ntrain: { lr: 0.1 }\n'), '--out', join(dir, 'ce1'));
    expect(one.exitCode).toBe(2);
    expect(one.stderr).toContain('the model gives 1 output, but');
    expect(one.stderr).toContain('needs out: 2 (or out: 1 with logloss)');
    const logloss = await runMashagrad('train', file('ll1.yaml', 'model: [{ linear: { out: 1 } }, sigmoid]\nloss: logloss\ntrain: { lr: 0.1 }\n'), '--out', join(dir, 'll1'), '--json');
    expect(logloss.exitCode).toBe(0);
  });

  it('names, a hand-worked order and a model without a linear layer are refused with their paths', async () => {
    const named = await runMashagrad('train', file('named.yaml', 'model: [{ linear: { weights: W } }, sigmoid]\nloss: logloss\ntrain: { lr: 0.1, order: [2, 1] }\n'), '--out', join(dir, 'named'));
    expect(named.exitCode).toBe(2);
    expect(named.stderr).toContain('model[0].linear: weights and biases given as names make a symbolic problem');
    expect(named.stderr).toContain('train.order: a hand-worked order of observations is for problem files');
    const none = await runMashagrad('train', file('none.yaml', 'model: [sigmoid]\nloss: logloss\ntrain: { lr: 0.1 }\n'), '--out', join(dir, 'none'));
    expect(none.exitCode).toBe(2);
    expect(none.stderr).toContain('model: needs at least one linear layer');
  });

  it('a run whose loss stops being a number exits 1, saves no model and says which step', async () => {
    const out = join(dir, 'diverged');
    const result = await runMashagrad('train', file('diverge.yaml', 'model: [{ linear: { out: 1 } }]\nloss: mse\ndtype: float64\ntrain: { optimizer: sgd, lr: 1e200, epochs: 3 }\n'), '--out', out);
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toMatch(/training stopped: the loss became (Infinity|NaN) at epoch \d+, step \d+: the learning rate \(train.lr = 1e\+200\) is too large/);
    expect(existsSync(join(out, 'model.json'))).toBe(false);
    const history = JSON.parse(readFileSync(join(out, 'history.json'), 'utf8')) as { diverged: { loss: string } };
    expect(history.diverged.loss).toMatch(/Infinity|NaN/);
  });

  it('a feature beyond float32\'s range is refused, and so is an --out that is a file, before any training', async () => {
    writeFile('huge.csv', 'a,y\n1,0\n1e39,1\n2,0\n');
    const result = await runMashagrad('train', writeFile('huge.yaml', 'dataset: { csv: huge.csv }\nmodel: [{ linear: { out: 1 } }, sigmoid]\nloss: logloss\ntrain: { lr: 0.1 }\n'), '--out', join(dir, 'huge'));
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('feature 1 has a value that is Infinity as a float32 number');
    const outIsFile = await runMashagrad('train', picturesFile(), '--out', binary);
    expect(outIsFile.exitCode).toBe(2);
    expect(outIsFile.stderr).toContain(`--out ${binary}: cannot write there`);
  });

  it('summed losses (sse) are reported per row, whatever the batch size', () => {
    const { train } = loadDataset({ csv: binary, task: 'regression' });
    const model = new Sequential([new Linear(tensor([[0.5], [-2]], { dtype: 'float32' }), tensor([0.25], { dtype: 'float32' }))]);
    // Σ over rows of (0.5a − 2b + 0.25 − y)², divided by the rows: computed here without the library.
    let want = 0;
    for (let r = 0; r < train.count; r++) want += (0.5 * train.x[2 * r]! - 2 * train.x[2 * r + 1]! + 0.25 - train.targets![r]!) ** 2;
    want /= train.count;
    for (const batch of [7, 1000]) expect(evaluate(model, train, 'sse', 'float32', batch).loss).toBeCloseTo(want, 5);
    expect(evaluate(model, train, 'half_sse', 'float32', 7).loss).toBeCloseTo(want / 2, 5);
  });

  it('a saved model is checked when read back', () => {
    const bad = (name: string, text: string) => () => loadSavedModel(writeFile(name, text));
    expect(bad('null.json', 'null')).toThrow(/is it a model.json written by mashagrad train/);
    expect(bad('f16.json', JSON.stringify({ format: 'mashagrad-model', version: 1, loss: 'mse', dtype: 'float16', model: ['relu'] }))).toThrow(/dtype/);
    expect(bad('empty.json', JSON.stringify({ format: 'mashagrad-model', version: 1, loss: 'mse', dtype: 'float32', model: [] }))).toThrow(/at least one layer/);
    expect(bad('noweights.json', JSON.stringify({ format: 'mashagrad-model', version: 1, loss: 'mse', dtype: 'float32', model: [{ linear: { in: 2, out: 1 } }] }))).toThrow(/model\[0\].linear.weights: missing/);
  });
});

describe('learning-rate decay and standardized inputs', () => {
  it('lr_decay multiplies the learning rate after every epoch (ExponentialLR)', async () => {
    const file = writeFile('decay.yaml', readFileSync(picturesFile(), 'utf8').replace('seed: 3 }', 'seed: 3, lr_decay: 0.5 }'));
    const result = await runMashagrad('train', file, '--out', join(dir, 'decay'), '--epochs', '3', '--json', '--limit', '64');
    expect(result.exitCode).toBe(0);
    const report = JSON.parse(result.stdout) as { epochs: { lr: number }[] };
    expect(report.epochs.map((epoch) => epoch.lr)).toEqual([0.05, 0.025, 0.0125]);
  });

  it('standardize: true scales both splits by the training split\'s mean and standard deviation', () => {
    const raw = loadDataset({ idx: pictures });
    const scaled = loadDataset({ idx: pictures, standardize: true });
    const { mean, std } = scaled.standardization!;
    const values = Array.from(raw.train.x);
    const wantMean = values.reduce((sum, v) => sum + v, 0) / values.length;
    expect(mean).toBeCloseTo(wantMean, 10);
    expect(std).toBeCloseTo(Math.sqrt(values.reduce((sum, v) => sum + (v - wantMean) ** 2, 0) / values.length), 10);
    expect(scaled.train.x[5]).toBeCloseTo((raw.train.x[5]! - mean) / std, 5);
    expect(scaled.test!.x[7]).toBeCloseTo((raw.test!.x[7]! - mean) / std, 5);
    const scaledMean = Array.from(scaled.train.x).reduce((sum, v) => sum + v, 0) / values.length;
    expect(Math.abs(scaledMean)).toBeLessThan(1e-5);
  });
});

describe('mashagrad train on CSV tables', () => {
  const random = new Random(11);
  const species = ['setosa', 'versicolor', 'virginica'];
  const rows = Array.from({ length: 240 }, (_, i) => {
    const kind = i % 3;
    const a = kind * 2 + random.normal(0, 0.4);
    const b = (kind === 1 ? 3 : 0) + random.normal(0, 0.4);
    return `${a.toFixed(3)},${b.toFixed(3)},${species[kind]}`;
  });
  writeFile('flowers.csv', ['a,b,species', ...rows].join('\n'));
  writeFile('line.csv', ['u,v,y', ...Array.from({ length: 200 }, () => {
    const u = random.uniform(-1, 1);
    const v = random.uniform(-1, 1);
    return `${u},${v},${2 * u - v + 0.5}`;
  })].join('\n'));

  it('classifies by a string column, holding out a test fraction', async () => {
    const file = writeFile('flowers.yaml', `
dataset: { csv: flowers.csv, target: species, test_fraction: 0.25 }
model: [{ linear: { out: 8 } }, tanh, { linear: { out: 3 } }, softmax]
loss: cross_entropy
train: { optimizer: adam, lr: 0.05, batch: 20, epochs: 30, shuffle: true, seed: 1 }
`);
    const result = await runMashagrad('train', file, '--out', join(dir, 'flowers'), '--json');
    expect(result.exitCode).toBe(0);
    const report = JSON.parse(result.stdout) as { train: number; test: number; epochs: { testAccuracy: number }[] };
    expect([report.train, report.test]).toEqual([180, 60]);
    expect(report.epochs[29]!.testAccuracy).toBeGreaterThanOrEqual(0.9);
    const saved = JSON.parse(readFileSync(join(dir, 'flowers', 'model.json'), 'utf8')) as { classNames: string[] };
    expect(saved.classNames).toEqual(species);
  });

  it('fits a regression target with mse, float64 when asked', async () => {
    const file = writeFile('line.yaml', `
dataset: { csv: line.csv }
model: [{ linear: { out: 1 } }]
loss: mse
dtype: float64
train: { optimizer: sgd, lr: 0.1, batch: 10, epochs: 40, shuffle: true }
`);
    const result = await runMashagrad('train', file, '--out', join(dir, 'line'), '--json');
    expect(result.exitCode).toBe(0);
    const report = JSON.parse(result.stdout) as { epochs: { loss: number; accuracy: number | null }[] };
    expect(report.epochs[39]!.loss).toBeLessThan(1e-6);
    expect(report.epochs[39]!.accuracy).toBeNull();
    // y = 2u − v + 0.5: the single linear layer finds those numbers.
    const saved = JSON.parse(readFileSync(join(dir, 'line', 'model.json'), 'utf8')) as { model: { linear: { weights: number[][]; bias: number[] } }[] };
    const { weights, bias } = saved.model[0]!.linear;
    expect(weights.map((row) => row[0]!)).toEqual([expect.closeTo(2, 3), expect.closeTo(-1, 3)]);
    expect(bias[0]).toBeCloseTo(0.5, 3);
  });

  it('refuses a classification loss on numeric targets', async () => {
    const file = writeFile('wrong-loss.yaml', `
dataset: { csv: line.csv, task: regression }
model: [{ linear: { out: 1 } }, sigmoid]
loss: logloss
train: { lr: 0.1 }
`);
    const result = await runMashagrad('train', file, '--out', join(dir, 'wrong-loss'));
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('logloss is a classification loss');
  });
});

describe.skipIf(!existsSync(FASHION_MNIST_DIR))(`Fashion-MNIST from ${FASHION_MNIST_DIR} (apt-get install dataset-fashion-mnist)`, () => {
  it('one epoch on 3,000 rows of the real data reaches 70% on 3,000 test rows', async () => {
    const result = await runMashagrad('train', 'examples/train/fashion-mnist.yaml', '--limit', '3000', '--epochs', '1', '--out', join(dir, 'fashion'), '--json');
    expect(result.exitCode).toBe(0);
    const report = JSON.parse(result.stdout) as { epochs: { testAccuracy: number }[] };
    expect(report.epochs[0]!.testAccuracy).toBeGreaterThan(0.7);
  });
});

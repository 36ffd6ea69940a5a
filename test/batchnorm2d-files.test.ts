import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tensor } from '../src/autograd/create.js';
import type { NestedArray } from '../src/autograd/tensor.js';
import { buildModel } from '../src/files/build-model.js';
import { parseProblem } from '../src/files/load-problem.js';
import type { NetworkProblem } from '../src/files/plan.js';
import { loadSavedModel, savedModel } from '../src/files/saved-model.js';
import { BatchNorm2d } from '../src/nn/normalization.js';
import { refusal, type ConvCase } from './support/conv-cases.js';

/**
 * batchnorm2d in `model:` (problem files, training files, saved models): its spelling, the image
 * shape it checks with the path, and the model a file builds against torch.nn.BatchNorm2d in
 * training mode (the last case of test/fixtures/conv.json, from tools/fixtures/conv.py).
 */

type FixtureCase = ConvCase<{ kind: string; eps?: number; momentum?: number }>;
const fixture = JSON.parse(readFileSync(new URL('fixtures/conv.json', import.meta.url), 'utf8')) as { cases: FixtureCase[] };
const torchCase = fixture.cases.find((c) => c.layers.some((layer) => layer.kind === 'batchnorm2d'))!;

const flat = (values: NestedArray): number[] => Array.from(tensor(values).data);
const close = (actual: ArrayLike<number>, expected: readonly number[]) => {
  expect(actual.length).toBe(expected.length);
  expected.forEach((want, i) => expect(Math.abs(actual[i]! - want)).toBeLessThanOrEqual(1e-12 * (1 + Math.abs(want))));
};

const problems = refusal;

const convThenNorm = (norm: string, extra = '') => `
model:
  - conv2d: { in: 1, out: 2, kernel: 2, weights: [[[[1, 0], [0, -1]]], [[[0.5, 0.5], [-0.5, 0.5]]]], bias: [0, 0.5] }
${extra}  - ${norm}
  - flatten
  - linear: { out: 1, init: constant, value: 0.5 }
loss: mse
data: { x: [[[[1, 2, 0], [0, 1, 3], [2, 1, 0]]], [[[0, 1, 2], [1, 0, 1], [3, 1, 0]]]], y: [1, 0] }
train: { lr: 0.1 }
`;

describe('batchnorm2d in problem files', () => {
  it('a file\'s model gives torch.nn.BatchNorm2d\'s output and gradients, number for number', () => {
    const p = torchCase.parameters;
    const json = (name: string) => JSON.stringify(p[name]);
    const [, norm] = torchCase.layers;
    const text = [
      'model:',
      `  - conv2d: { weights: ${json('0.weight')}, bias: ${json('0.bias')} }`,
      `  - batchnorm2d: { weight: ${json('1.weight')}, bias: ${json('1.bias')}, eps: ${norm!.eps}, momentum: ${norm!.momentum} }`,
      '  - relu',
      '  - avgpool2d: { kernel: 2 }',
      '  - flatten',
      `  - linear: { weights: ${json('5.weight')}, bias: ${json('5.bias')} }`,
      'loss: mse',
      `data: { x: ${JSON.stringify(torchCase.input)}, y: ${JSON.stringify((torchCase.output as number[][]).map(() => [0, 0]))} }`,
      'train: { lr: 0.1 }',
    ].join('\n');
    const plan = parseProblem(text) as NetworkProblem;
    expect(plan.layers[1]).toMatchObject({ kind: 'batchnorm2d', features: 3, inputShape: [3, 4, 4], outputShape: [3, 4, 4] });
    const model = buildModel(plan.layers);
    const output = model.forward(tensor(plan.data.x));
    close(output.data, flat(torchCase.output));
    close(model.backward(tensor(torchCase.u)).data, flat(torchCase.gradInput));
    for (const [name, parameter] of model.namedParameters()) close(parameter.grad!.data, flat(torchCase.gradParameters[name]!));
  });

  it('says what is wrong, with the path: rows without an image, after flatten, channels, per-channel numbers', () => {
    expect(problems(convThenNorm('batchnorm2d').replace('  - conv2d', '  - flatten\n  - batchnorm2d\n  - conv2d')))
      .toContain('model[1].batchnorm2d: normalises images [channels, height, width]: put it after conv2d or pooling, give data.x as nested lists [N][C][H][W], or say the image size of each row (image: [28, 28])');
    expect(problems(convThenNorm('batchnorm2d: { features: 3 }'))).toContain("model[1].batchnorm2d.features: is 3, but the layer's input has 2 channels");
    expect(problems(convThenNorm('batchnorm2d: { weight: [1, 2, 3] }'))).toContain('model[1].batchnorm2d.weight: has 3 numbers, but the layer normalises 2 channels: one per channel');
    expect(problems(convThenNorm('batchnorm2d: { image: [3, 3] }'))).toContain('model[1].batchnorm2d.image: is [3, 3], but the layer before gives [2, 2]');
    expect(problems(convThenNorm('batchnorm2d: { momentum: 2 }'))).toContain('model[1].batchnorm2d.momentum');
    expect(problems(convThenNorm('batchnorm2d'))).toBe('no error');
  });

  it('a first layer reads rows of C·H·W numbers as the image it names, and a saved model keeps it and its running statistics', () => {
    const text = convThenNorm('batchnorm2d: { image: [3, 3], weight: [2], bias: [0.5], running_mean: [0.25], running_var: [2] }')
      .replace(/ {2}- conv2d.*\n/, '')
      .replace('data: { x: [[[[1, 2, 0], [0, 1, 3], [2, 1, 0]]], [[[0, 1, 2], [1, 0, 1], [3, 1, 0]]]]', 'data: { x: [[1, 2, 0, 0, 1, 3, 2, 1, 0], [0, 1, 2, 1, 0, 1, 3, 1, 0]]');
    const plan = parseProblem(text) as NetworkProblem;
    const model = buildModel(plan.layers);
    const x = tensor(plan.data.x);
    const norm = model.layers[0] as BatchNorm2d;
    expect(norm).toBeInstanceOf(BatchNorm2d);
    // Training: the batch's one channel, all 18 numbers; evaluation: the running statistics given.
    const mean = plan.data.x.flat().reduce((a, b) => a + b, 0) / 18;
    const variance = plan.data.x.flat().reduce((a, b) => a + (b - mean) ** 2, 0) / 18;
    close(norm.forward(x).data.subarray(0, 1), [2 * (1 - mean) / Math.sqrt(variance + 1e-5) + 0.5]);
    model.setTraining(false);
    const evaluated = model.forward(x);
    const dir = mkdtempSync(join(tmpdir(), 'mashagrad-bn2d-'));
    const file = join(dir, 'model.json');
    writeFileSync(file, JSON.stringify(savedModel(model, { title: 't', loss: 'mse', dtype: 'float64', classNames: null, training: {} })));
    const saved = JSON.parse(readFileSync(file, 'utf8')) as { model: { batchnorm2d?: { image?: number[]; running_mean?: number[] } }[] };
    expect(saved.model[0]?.batchnorm2d?.image).toEqual([3, 3]);
    // One training pass moved the running mean from 0.25 towards the batch's by the momentum 0.1.
    close(saved.model[0]!.batchnorm2d!.running_mean!, [0.9 * 0.25 + 0.1 * mean]);
    const loaded = loadSavedModel(file).model;
    loaded.setTraining(false);
    expect(Array.from(loaded.forward(x).data)).toEqual(Array.from(evaluated.data));
  });
});

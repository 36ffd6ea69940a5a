import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tensor } from '../src/autograd/create.js';
import { buildModel } from '../src/files/build-model.js';
import { parseProblem } from '../src/files/load-problem.js';
import { loadSavedModel, savedModel } from '../src/files/saved-model.js';
import type { NetworkProblem } from '../src/files/plan.js';
import { solvePlan } from '../src/problem/solve.js';
import { renderSolution } from '../src/explain/render.js';
import { refusal } from './support/conv-cases.js';
import { Random } from '../src/tensor/random.js';
import { writeMnistFolder, type MnistSplitFiles } from './support/idx-files.js';
import { runMashagrad } from './support/run-cli.js';

/**
 * Convolution and pooling layers in problem files, training files and saved models: the file
 * syntax, the shapes it checks, images as nested lists or as rows with image: [H, W], and
 * `mashagrad train` on small 6×6 pictures.
 */

const dir = mkdtempSync(join(tmpdir(), 'mashagrad-conv-'));
const writeFile = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

const problemText = (x: string, first = '') => `
model:
  - conv2d: { in: 1, out: 2, kernel: 2, weights: [[[[1, 0], [0, -1]]], [[[0.5, 0.5], [0.5, 0.5]]]], bias: [0, 0.1]${first} }
  - relu
  - maxpool2d: { kernel: 2 }
  - flatten
  - linear: { weights: [[1], [-1]], bias: [0] }
loss: mse
data: { x: ${x}, y: [1, 0] }
train: { lr: 0.1 }
`;
const images = '[[[[1, 2, 0], [0, 1, 3], [2, 1, 0]]], [[[0, 1, 1], [2, 0, 1], [1, 1, 2]]]]';

describe('conv layers in problem files', () => {
  it('reads nested [N][C][H][W] images, tracks each layer\'s shape and builds the model PyTorch would', () => {
    const plan = parseProblem(problemText(images)) as NetworkProblem;
    expect(plan.layers.map((layer) => ('outputShape' in layer ? `${layer.kind} [${layer.outputShape?.join(',')}]` : layer.kind)))
      .toEqual(['conv2d [2,2,2]', 'relu', 'maxpool2d [2,1,1]', 'flatten [2]', 'linear']);
    // The data stays one row per observation; the first conv layer reads each row as a 1×3×3 image.
    expect(plan.data.x[0]).toEqual([1, 2, 0, 0, 1, 3, 2, 1, 0]);
    const y = buildModel(plan.layers).forward(tensor(plan.data.x));
    // Image 1, channel 0: x[i][j] − x[i+1][j+1] = [[0, −1], [−1, 1]], after ReLU and max: 1.
    // Channel 1: half of each window's sum + 0.1 = [[2.1, 3.1], [2.1, 2.6]], max 3.1. Then 1·1 − 1·3.1.
    expect(Array.from(y.data)[0]).toBeCloseTo(1 - 3.1, 12);
  });

  it('rows of numbers are read as images when the layer says its size (image: [H, W])', () => {
    const rows = '[[1, 2, 0, 0, 1, 3, 2, 1, 0], [0, 1, 1, 2, 0, 1, 1, 1, 2]]';
    const fromRows = parseProblem(problemText(rows, ', image: [3, 3]')) as NetworkProblem;
    const fromImages = parseProblem(problemText(images)) as NetworkProblem;
    const a = buildModel(fromRows.layers).forward(tensor(fromRows.data.x));
    const b = buildModel(fromImages.layers).forward(tensor(fromImages.data.x));
    expect(Array.from(a.data)).toEqual(Array.from(b.data));
  });

  it('says what is wrong, with the path: no image size, a linear layer on images, a window too large, a wrong bias', () => {
    const problems = refusal;
    expect(problems(problemText('[[1, 2, 0, 0, 1, 3, 2, 1, 0], [0, 1, 1, 2, 0, 1, 1, 1, 2]]')))
      .toContain('model[0].conv2d: reads rows of 9 numbers: say the image size they are (image: [28, 28]), or give the data as nested lists');
    expect(problems(problemText(images).replace('  - flatten\n', '')))
      .toContain('model[3].linear: its input has shape [2, 1, 1] per observation, not a row of numbers: put "- flatten" before it');
    expect(problems(problemText(images).replace('maxpool2d: { kernel: 2 }', 'maxpool2d: { kernel: 3 }')))
      .toContain('model[2].maxpool2d: a 3×3 window does not fit the input [2, 2, 2] padded by 0×0');
    expect(problems(problemText(images).replace('bias: [0, 0.1]', 'bias: [0]'))).toContain('model[0].conv2d.bias: 1 numbers, but the layer has 2 output channels');
  });

  it('solve works a conv model as one forward and backward pass; a layer question on it is refused by name', () => {
    const trace = solvePlan(parseProblem(problemText(images)));
    expect(trace.kind).toBe('conv');
    if (trace.kind !== 'conv') return;
    // The loss is the mean of the two squared errors; ∂L/∂ŷ = 2(ŷ − y)/2, from the engine.
    expect(trace.lossValue).toBeCloseTo(((1 - 3.1 - 1) ** 2 + ((trace.prediction as number[][])[1]![0]! - 0) ** 2) / 2, 12);
    const pool = trace.layers[2]!.pool!;
    expect(pool[0]).toMatchObject({ at: [0, 0, 0], inputs: [0, 0, 0, 1], winners: [3], value: 1 });
    const question = ['model:', '  - conv2d: { in: 1, out: 1, kernel: 1, weights: [[[[2]]]] }', 'layer: 1', 'x: [[1, 2]]', 'gradient: [[1, 1]]'].join('\n');
    expect(() => solvePlan(parseProblem(question))).toThrow(/model\[0\]/);
  });

  it('a worked solution too large to write out is refused before any work, with the estimate', () => {
    const row = `[${Array.from({ length: 100 * 100 }, () => 0.5).join(', ')}]`;
    const text = `model:\n  - conv2d: { in: 1, out: 16, kernel: 5, padding: 2, image: [100, 100] }\n  - flatten\n  - linear: { out: 1 }\nloss: mse\ndata: { x: [${row}], y: [1] }\ntrain: { lr: 0.1 }\n`;
    expect(() => solvePlan(parseProblem(text))).toThrow(/^the worked solution would hold about [\d,]+ numbers/);
  });

  it('checks a student\'s answers: the loss, a layer\'s output, the kernel\'s and the bias\'s gradients', () => {
    const right = solvePlan(parseProblem(problemText(images)));
    if (right.kind !== 'conv') throw new Error('not a conv trace');
    const answers = `answers:\n  loss: ${right.lossValue}\n  layers: { 2: { output: ${JSON.stringify(right.layers[2]!.output)} } }\n` +
      `  grads: { 0.weight: ${JSON.stringify(right.layers[0]!.grads['0.weight'])}, 0.bias: [0, 0] }\n`;
    const checked = solvePlan(parseProblem(`${problemText(images)}${answers}`));
    expect(checked.answers?.checks.map((c) => `${c.path}: ${c.verdict}`)).toEqual(['layers.2.output: right', 'loss: right', 'grads.0.weight: right', 'grads.0.bias: wrong']);
    expect(checked.answers?.firstWrong).toBe('grads.0.bias');
  });

  it('the worked step of a small batch: each observation\'s d·im2col(X)ᵀ, their sum ∂L/∂W, ∂L/∂b over every observation, and the update of kernel and bias (en, ru)', () => {
    const trace = solvePlan(parseProblem(problemText(images)));
    if (trace.kind !== 'conv') throw new Error('not a conv trace');
    const conv = trace.layers[0]!.conv!;
    // The engine's ∂L/∂W (as the matrix [Cout, C·kH·kW]) is the sum of the observations' shares.
    const shares = conv.observations!.each.map((each) => (each.gradWeights as number[][]).flat());
    const total = (conv.observations!.total as number[][]).flat();
    total.forEach((value, i) => expect(shares[0]![i]! + shares[1]![i]!).toBeCloseTo(value, 12));
    expect(total).toEqual((trace.layers[0]!.grads['0.weight'] as number[][][][]).flat(3));
    // ∂L/∂b₁ of channel 2 adds all 2 × 4 arriving gradients of the two observations.
    expect(conv.biasBy).toBe('positions');
    expect(conv.biasTerms![1]!.reduce((a, b) => a + b, 0)).toBeCloseTo((trace.layers[0]!.grads['0.bias'] as number[])[1]!, 12);
    // SGD: W ← W − γ·∂L/∂W, with the engine's numbers after the step.
    const update = trace.layers[0]!.updates!['0.weight']!;
    const after = (update.at(-1)!.result as number[][]).flat();
    [1, 0, 0, -1, 0.5, 0.5, 0.5, 0.5].forEach((w, k) => expect(after[k]).toBeCloseTo(w - 0.1 * total[k]!, 12));
    const text = { en: renderSolution(trace, { format: 'text', language: 'en' }), ru: renderSolution(trace, { format: 'text', language: 'ru' }) };
    expect(text.en).toContain('W₁ ← W₁ − γ·∂L/∂W₁ = ');
    expect(text.en).toContain('b₁ ← b₁ − γ·∂L/∂b₁ = ');
    expect(text.en).toContain('Observation 2:');
    expect(text.ru).toContain('Наблюдение 2:');
    expect(text.ru).toContain('W₁ ← W₁ − γ·∂L/∂W₁ = ');
  });

  it('a larger batch writes ∂L/∂b as the sum of each observation\'s total and ∂L/∂W for the first observation with the batch\'s total', () => {
    const five = `[${Array.from({ length: 5 }, (_, i) => `[[[${i}, 1, 0], [0, 1, 3], [2, 1, ${-i}]]]`).join(', ')}]`;
    const trace = solvePlan(parseProblem(problemText(five).replace('y: [1, 0]', 'y: [1, 0, 1, 0, 1]')));
    if (trace.kind !== 'conv') throw new Error('not a conv trace');
    const conv = trace.layers[0]!.conv!;
    expect(conv.observations).toBeNull();
    expect(conv.biasBy).toBe('observations');
    expect(conv.biasTerms![0]).toHaveLength(5);
    expect(conv.biasTerms![0]!.reduce((a, b) => a + b, 0)).toBeCloseTo((trace.layers[0]!.grads['0.bias'] as number[])[0]!, 12);
  });

  it('what the one-step worked solution does not cover is refused by name: later steps, train.state, l2, a layer-wise update', () => {
    const refused = (text: string) => {
      try {
        solvePlan(parseProblem(text));
      } catch (error) {
        return (error as Error).message;
      }
      return 'no error';
    };
    const base = problemText(images);
    expect(refused(base.replace('train: { lr: 0.1 }', 'train: { lr: 0.1, epochs: 2 }'))).toMatch(/^more than one training step \(train.epochs, train.batch\): not offered yet for a network with convolution or pooling layers/);
    expect(refused(base.replace('train: { lr: 0.1 }', 'train: { lr: 0.1, batch: 1 }'))).toMatch(/^more than one training step/);
    expect(refused(base.replace('train: { lr: 0.1 }', 'train: { lr: 0.1, update: layerwise }'))).toMatch(/^train.update: layerwise: not offered yet/);
    expect(refused(`${base}l2: 0.1\n`)).toMatch(/^l2: not offered yet/);
  });

  it('a saved model keeps the conv and pooling layers with their numbers and reads back to the same outputs', () => {
    const plan = parseProblem(problemText('[[1, 2, 0, 0, 1, 3, 2, 1, 0], [0, 1, 1, 2, 0, 1, 1, 1, 2]]', ', image: [3, 3]')) as NetworkProblem;
    const model = buildModel(plan.layers);
    const saved = savedModel(model, { title: 't', loss: 'mse', dtype: 'float64', classNames: null, training: {} });
    const file = writeFile('model.json', JSON.stringify(saved));
    const loaded = loadSavedModel(file).model;
    const x = tensor(plan.data.x);
    expect(Array.from(loaded.forward(x).data)).toEqual(Array.from(model.forward(x).data));
    const written = JSON.parse(readFileSync(file, 'utf8')) as { model: { conv2d?: { image?: number[] } }[] };
    expect(written.model[0]?.conv2d?.image).toEqual([3, 3]);
  });
});

/** 6×6 pictures whose class is where a bright vertical or horizontal bar lies (4 classes). */
function bars(count: number, seed: number): MnistSplitFiles {
  const random = new Random(seed);
  const pixels: number[] = [];
  const labels: number[] = [];
  for (let i = 0; i < count; i++) {
    const label = i % 4;
    const at = label % 2 === 0 ? 1 : 4;
    for (let r = 0; r < 6; r++) {
      for (let c = 0; c < 6; c++) {
        const onBar = label < 2 ? c === at : r === at;
        pixels.push(Math.floor(onBar ? 160 + random.next() * 95 : random.next() * 100));
      }
    }
    labels.push(label);
  }
  return { rows: 6, columns: 6, pixels, labels };
}

describe('mashagrad train with a convolutional model', () => {
  const pictures = join(dir, 'bars');
  writeMnistFolder(pictures, { train: bars(200, 1), test: bars(80, 2) }, true);
  const training = writeFile('bars.yaml', `
dataset: { idx: bars, standardize: true }
model:
  - conv2d: { out: 4, kernel: 3, padding: 1, image: [6, 6], seed: 1 }
  - relu
  - maxpool2d: { kernel: 2 }
  - flatten
  - linear: { out: 10 }
  - softmax
loss: cross_entropy
train: { optimizer: adam, lr: 0.02, batch: 16, epochs: 3, shuffle: true, seed: 3 }
`);

  it('trains, learns the bars, and saves a model that reads back', async () => {
    const out = join(dir, 'bars-run');
    const result = await runMashagrad('train', training, '--out', out, '--json');
    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(0);
    const report = JSON.parse(result.stdout) as { epochs: { testAccuracy?: number }[] };
    expect(report.epochs.at(-1)?.testAccuracy).toBeGreaterThan(0.9);
    const { model } = loadSavedModel(join(out, 'model.json'));
    expect(model.layers.map((layer) => layer.kind)).toEqual(['conv2d', 'relu', 'maxpool2d', 'flatten', 'linear', 'softmax']);
  });
});

describe("a conv problem's note", () => {
  it('is shown in the reader\'s language, as a linear network\'s is (it was dropped before)', () => {
    const text = readFileSync(new URL('../examples/conv-and-linear.yaml', import.meta.url), 'utf8')
      .replace(/^model:/m, 'note: { en: "The book prints 7 here.", ru: "В задачнике здесь 7." }\nmodel:');
    const trace = solvePlan(parseProblem(text));
    expect(trace.kind).toBe('conv');
    const en = renderSolution(trace, { format: 'text', language: 'en' });
    const ru = renderSolution(trace, { format: 'text', language: 'ru' });
    expect(en).toContain('The book prints 7 here.');
    expect(ru).toContain('В задачнике здесь 7.');
    expect(ru).not.toContain('The book prints 7 here.');
  });
});

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as ort from 'onnxruntime-node';
import { afterAll, describe, expect, it } from 'vitest';
import { tensor } from '../src/autograd/create.js';
import { loadSavedModel } from '../src/files/saved-model.js';
import { loadProblem } from '../src/files/read-problem.js';
import { parseProblem } from '../src/files/load-problem.js';
import { loadTrainingFile } from '../src/files/training-file.js';
import { decodeSafetensors, encodeSafetensors } from '../src/interop/safetensors.js';
import { encodeNpy } from '../src/interop/npy.js';
import { runMashagrad } from './support/run-cli.js';

const FIXTURES = fileURLToPath(new URL('./fixtures/interop/', import.meta.url));
const torch = JSON.parse(readFileSync(join(FIXTURES, 'torch-mlp.json'), 'utf8')) as { layers: string; x: number[][]; y: number[][] };
const folder = mkdtempSync(join(tmpdir(), 'mashagrad-interop-cli-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

const npy = (rows: number[][]) => encodeNpy({ dtype: 'float64', shape: [rows.length, rows[0]!.length], data: Float64Array.from(rows.flat()) });
// The torch fixture's observations, and one-hot targets (the class PyTorch predicts) as .npy files.
writeFileSync(join(folder, 'x.npy'), npy(torch.x));
writeFileSync(join(folder, 'y.npy'), npy(torch.y.map((row) => row.map((p) => (p === Math.max(...row) ? 1 : 0)))));

/** The first training step's predictions of a problem file, as `solve --json` reports them. */
async function predictions(file: string): Promise<number[]> {
  const run = await runMashagrad('solve', file, '--json');
  expect(run.stderr).toBe('');
  const trace = JSON.parse(run.stdout) as { steps: { prediction: number[][] }[] };
  return trace.steps[0]!.prediction.flat();
}

const closeTo = (actual: number[], expected: number[], tolerance: number) => {
  expect(actual).toHaveLength(expected.length);
  actual.forEach((value, i) => expect(Math.abs(value - expected[i]!)).toBeLessThan(tolerance));
};

describe('mashagrad import', () => {
  it('turns the ONNX file torch.onnx.export wrote into a problem file that solves with PyTorch\'s predictions', async () => {
    const problem = join(folder, 'from-onnx.yaml');
    const run = await runMashagrad('import', join(FIXTURES, 'torch-mlp.onnx'), '--x', join(folder, 'x.npy'), '--y', join(folder, 'y.npy'), '-o', problem);
    expect(run).toMatchObject({ exitCode: 0, stderr: '' });
    const text = readFileSync(problem, 'utf8');
    expect(text).toContain('loss: cross_entropy');
    expect(text).toContain('  x: "x.npy"');
    closeTo(await predictions(problem), torch.y.flat(), 1e-6);
  });

  it('reads a PyTorch safetensors file with the layer list it is told (the file records none)', async () => {
    const run = await runMashagrad('import', join(FIXTURES, 'torch-mlp.safetensors'), '--layers', torch.layers);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain('  - leaky_relu: { slope: 0.2 }');
    expect(run.stdout).toMatch(/- linear: \{ weights: \[\[-?\d/);
  });

  it('keeps a large model\'s numbers in its weights file and names it', async () => {
    const weight = (outputs: number, inputs: number) => ({ dtype: 'float32' as const, shape: [outputs, inputs], data: new Float32Array(outputs * inputs).fill(0.01) });
    const file = join(folder, 'fashion.safetensors');
    writeFileSync(file, encodeSafetensors(new Map([['0.weight', weight(128, 784)], ['2.weight', weight(10, 128)]])));
    const problem = join(folder, 'fashion.yaml');
    expect((await runMashagrad('import', file, '--layers', 'linear,relu,linear,softmax', '-o', problem)).exitCode).toBe(0);
    const text = readFileSync(problem, 'utf8');
    expect(text).toContain('weights: "fashion.safetensors"');
    expect(text).toContain('- linear: { in: 784, out: 128 }');
    const plan = loadProblem(problem);
    if (plan.kind !== 'network') throw new Error('expected a network problem');
    const first = plan.layers[0]!;
    expect(first.kind === 'linear' && Array.isArray(first.weights) ? [first.weights.length, first.weights[0]!.length, first.weights[0]![0]] : null).toEqual([784, 128, Math.fround(0.01)]);
  });

  it('says in one line when the file is not a model', async () => {
    const run = await runMashagrad('import', join(folder, 'x.npy'));
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toBe(`mashagrad: ${join(folder, 'x.npy')}: a model file is .safetensors (a PyTorch state dict) or .onnx\n`);
    expect((await runMashagrad('import', join(folder, 'missing.onnx'))).stderr).toMatch(/^mashagrad: cannot read .*missing.onnx: no such file\n$/);
  });
});

describe('weights: and .npy in problem and training files', () => {
  it('a problem file naming a PyTorch safetensors file solves with PyTorch\'s predictions', async () => {
    const problem = join(folder, 'weights-key.yaml');
    writeFileSync(problem, [
      `weights: ${JSON.stringify(join(FIXTURES, 'torch-mlp.safetensors'))}`,
      'model: [{ linear: {} }, { leaky_relu: { slope: 0.2 } }, { linear: {} }, tanh, { linear: {} }, softmax]',
      'loss: cross_entropy', 'data: { x: x.npy, y: y.npy }', 'train: { lr: 0.1 }', '',
    ].join('\n'));
    closeTo(await predictions(problem), torch.y.flat(), 1e-6);
  });

  it('says which layer does not match the weights file', async () => {
    const problem = join(folder, 'mismatch.yaml');
    writeFileSync(problem, `weights: ${JSON.stringify(join(FIXTURES, 'torch-mlp.safetensors'))}\nmodel: [{ linear: {} }, relu, { linear: {} }]\nloss: mse\ndata: { x: x.npy, y: y.npy }\ntrain: { lr: 0.1 }\n`);
    const run = await runMashagrad('solve', problem);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain('weights: ');
    expect(run.stderr).toContain('parameters of layer 4, but the layer list has 3 layers');
  });

  it('a linear layer\'s weights may be a .npy matrix [inputs, outputs]; a wrong shape is named by its path', async () => {
    writeFileSync(join(folder, 'w.npy'), npy([[1, -1], [0.5, 0]]));
    writeFileSync(join(folder, 'v.npy'), encodeNpy({ dtype: 'float64', shape: [2], data: Float64Array.from([1, 2]) }));
    const problem = join(folder, 'npy-weights.yaml');
    writeFileSync(problem, 'model: [{ linear: { weights: w.npy } }, relu]\nloss: mse\ndata: { x: [[1, 2]], y: [[2, 1]] }\ntrain: { lr: 1 }\n');
    closeTo(await predictions(problem), [2, 0], 1e-12);
    writeFileSync(problem, 'model: [{ linear: { weights: v.npy } }]\nloss: mse\ndata: { x: [[1, 2]], y: [[2, 1]] }\ntrain: { lr: 1 }\n');
    const run = await runMashagrad('solve', problem);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain('model[0].linear.weights: v.npy: expected a matrix (2 axes), got shape [2]');
  });

  it('a training file starts from the weights it names', () => {
    const file = join(folder, 'fine-tune.yaml');
    writeFileSync(file, `dataset: { csv: data.csv }\nweights: ${JSON.stringify(join(FIXTURES, 'torch-mlp.onnx'))}\nloss: cross_entropy\ntrain: { lr: 0.01 }\n`);
    const training = loadTrainingFile(file);
    expect(training.model).toHaveLength(6);
    expect(training.model[0]).toMatchObject({ linear: { weights: expect.any(Array) as unknown } });
  });

  it('without a file system (the browser page), a problem naming a file says so', () => {
    expect(() => parseProblem('weights: m.safetensors\nmodel: [relu]\nloss: mse\n', 'p.yaml')).toThrow(/p.yaml has a problem:\n {2}weights: names a file/);
  });
});

describe('mashagrad export', () => {
  it('writes safetensors with PyTorch\'s names and layout, and prints the nn.Sequential that loads it', async () => {
    const file = join(folder, 'ex4.safetensors');
    const example = fileURLToPath(new URL('../examples/exercise-4-classification.yaml', import.meta.url));
    expect(await runMashagrad('export', example, '--format', 'safetensors', '-o', file)).toMatchObject({ exitCode: 0, stdout: `wrote ${file}` });
    const { arrays } = decodeSafetensors(readFileSync(file), file);
    // W₁ = [[1, −1], [0.5, 0]] in the sheet's layout is [[1, 0.5], [−1, 0]] as PyTorch's [outputs, inputs].
    expect(Array.from(arrays.get('0.weight')!.data)).toEqual([1, 0.5, -1, 0]);
    const code = await runMashagrad('export', example, '--format', 'pytorch', '--weights', 'ex4.safetensors');
    expect(code.stdout).toContain('    nn.Linear(2, 2, bias=False),\n    nn.ReLU(),\n    nn.Linear(2, 1, bias=False),\n    nn.Sigmoid(),\n)');
    expect(code.stdout).toContain('model.load_state_dict(load_file("ex4.safetensors"))');
  });

  it('exports a convolutional example: PyTorch\'s names, the nn.Sequential; reading it back is refused in one line', async () => {
    const file = join(folder, 'conv.safetensors');
    const example = fileURLToPath(new URL('../examples/conv-and-linear.yaml', import.meta.url));
    expect(await runMashagrad('export', example, '--format', 'safetensors', '-o', file)).toMatchObject({ exitCode: 0, stdout: `wrote ${file}` });
    const { arrays } = decodeSafetensors(readFileSync(file), file);
    expect([...arrays.keys()]).toEqual(['0.weight', '0.bias', '4.weight', '4.bias']);
    expect(arrays.get('0.weight')!.shape).toEqual([2, 1, 2, 2]);
    const code = await runMashagrad('export', example, '--format', 'pytorch', '--weights', 'conv.safetensors');
    expect(code.stdout).toContain('    nn.Conv2d(1, 2, kernel_size=(2, 2), stride=(1, 1), padding=(0, 0), dilation=(1, 1), groups=1),\n    nn.ReLU(),\n'
      + '    nn.MaxPool2d(kernel_size=(2, 2), stride=(1, 1), padding=(0, 0)),\n    nn.Flatten(),\n    nn.Linear(8, 1),\n)');
    expect(await runMashagrad('import', file, '-o', join(folder, 'conv.yaml'))).toMatchObject({
      exitCode: 2, stderr: `mashagrad: ${file}: layer 'conv2d' is one mashagrad exports but does not read back yet; it reads linear layers and activations\n`,
    });
  });

  it('refuses what it cannot export, in one line; exports the book\'s recurrent cell', async () => {
    const symbolic = fileURLToPath(new URL('../examples/exercise-5-symbolic.yaml', import.meta.url));
    expect(await runMashagrad('export', symbolic, '--format', 'onnx')).toMatchObject({ exitCode: 2, stderr: `mashagrad: ${symbolic} gives its weights as names: an export needs numbers\n` });
    expect((await runMashagrad('export', symbolic)).exitCode).toBe(2);
    const recurrent = fileURLToPath(new URL('../examples/rnn-tanh-two-units.yaml', import.meta.url));
    const rnn = await runMashagrad('export', recurrent, '--format', 'pytorch');
    expect(rnn.stdout).toContain('class RNN(nn.RNN):');
    expect(rnn.stdout).toContain('model = nn.Sequential(\n    RNN(1, 2, bias=False),\n    nn.Linear(2, 1, bias=False),\n)');
  });
});

describe('train on .npy data, export, run in ONNX Runtime', () => {
  it('a training file reads a data set from .npy files; its saved model exports to ONNX that onnxruntime-node runs as mashagrad does', async () => {
    // Three classes by the signs of two features; the labels are whole numbers, so they are classes.
    const rows = Array.from({ length: 30 }, (_, i) => [Math.sin(i * 1.7), Math.cos(i * 0.9), (i % 5) / 5, 1]);
    writeFileSync(join(folder, 'train-x.npy'), npy(rows));
    writeFileSync(join(folder, 'train-y.npy'), encodeNpy({ dtype: 'float64', shape: [30], data: Float64Array.from(rows, (row) => (row[0]! > 0 ? 1 : 0) + (row[1]! > 0 ? 1 : 0)) }));
    const file = join(folder, 'npy-training.yaml');
    writeFileSync(file, 'dataset: { npy: { x: train-x.npy, y: train-y.npy } }\nmodel: [{ linear: { out: 8 } }, tanh, { linear: { out: 3 } }, softmax]\nloss: cross_entropy\ntrain: { lr: 0.1, epochs: 2, batch: 10 }\n');
    const out = join(folder, 'npy-training');
    const trained = await runMashagrad('train', file, '--out', out, '--json');
    expect(trained.exitCode).toBe(0);
    const model = join(out, 'model.json');
    const onnxFile = join(folder, 'trained.onnx');
    expect((await runMashagrad('export', model, '--format', 'onnx', '-o', onnxFile)).exitCode).toBe(0);
    const ours = loadSavedModel(model).model.forward(tensor(rows, { dtype: 'float32' })).data;
    const session = await ort.InferenceSession.create(readFileSync(onnxFile));
    const result = await session.run({ input: new ort.Tensor('float32', Float32Array.from(rows.flat()), [30, 4]) });
    closeTo(Array.from(result.output!.data as Float32Array), Array.from(ours), 1e-5);
  });

  it('says which .npy file does not fit', async () => {
    writeFileSync(join(folder, 'short-y.npy'), encodeNpy({ dtype: 'float64', shape: [3], data: Float64Array.from([0, 1, 2]) }));
    const file = join(folder, 'bad-npy.yaml');
    writeFileSync(file, 'dataset: { npy: { x: train-x.npy, y: short-y.npy } }\nmodel: [{ linear: { out: 3 } }, softmax]\nloss: cross_entropy\ntrain: { lr: 0.1 }\n');
    const run = await runMashagrad('train', file, '--out', join(folder, 'bad-npy'));
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toMatch(/short-y.npy: shape \[3\] does not give one label or target row for each of the 30 rows of .*train-x.npy\n$/);
    writeFileSync(join(folder, 'huge-y.npy'), encodeNpy({ dtype: 'float64', shape: [30], data: new Float64Array(30).fill(1e9) }));
    writeFileSync(file, 'dataset: { npy: { x: train-x.npy, y: huge-y.npy } }\nmodel: [{ linear: { out: 3 } }, softmax]\nloss: cross_entropy\ntrain: { lr: 0.1 }\n');
    expect((await runMashagrad('train', file, '--out', join(folder, 'bad-npy'))).stderr).toMatch(/huge-y.npy: labels run up to 1000000000; class labels are 0 … 9999/);
  });
});

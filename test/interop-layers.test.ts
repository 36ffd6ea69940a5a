import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as ort from 'onnxruntime-node';
import { afterAll, describe, expect, it } from 'vitest';
import { tensor } from '../src/autograd/create.js';
import { buildModel } from '../src/files/build-model.js';
import { loadProblem } from '../src/files/read-problem.js';
import { exportModel } from '../src/interop/files.js';
import { portableLayers, sequentialOf, type PortableLayer } from '../src/interop/layers.js';
import { decodeOnnx, encodeOnnx } from '../src/interop/onnx.js';
import { decodeModel } from '../src/interop/onnx-messages.js';
import { decodeSafetensors } from '../src/interop/safetensors.js';
import { layersFromStateDict } from '../src/interop/state-dict.js';
import { Conv2d } from '../src/nn/conv.js';
import { Linear } from '../src/nn/linear.js';
import { Layer } from '../src/nn/layer.js';
import type { Algebra } from '../src/ops/algebra.js';
import { Sequential } from '../src/nn/sequential.js';
import { Random } from '../src/tensor/random.js';

/*
 * The layers beyond the perceptron (conv2d, conv1d, pooling, flatten, dropout, layernorm,
 * batchnorm1d) exported and run by the real engines: onnxruntime-node on the ONNX file, PyTorch
 * on the printed nn.Sequential loading the safetensors file, each against mashagrad's forward
 * pass in evaluation mode.
 */

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const random = new Random(19);
const values = (count: number, low = -0.5, high = 0.5) => Array.from({ length: count }, () => random.uniform(low, high));
const flatArray = (shape: number[], low = -0.5, high = 0.5) => ({ shape, data: values(shape.reduce((a, b) => a * b, 1), low, high) });
const matrix = (rows: number, columns: number) => Array.from({ length: rows }, () => values(columns));

/** Images [2, 7, 6] through a grouped, strided, padded, dilated convolution, batch norm of images, both poolings, flatten, dropout, batch norm. */
const convNet: PortableLayer[] = [
  { kind: 'conv2d', weight: flatArray([4, 1, 3, 2]), bias: values(4), stride: [2, 1], padding: [1, 1], dilation: [1, 2], groups: 2, observationShape: [2, 7, 6] },
  { kind: 'relu' },
  { kind: 'batchnorm2d', features: 4, weight: values(4, 0.5, 2), bias: values(4), runningMean: values(4), runningVar: values(4, 0.2, 2), eps: 1e-3, momentum: 0.2, batchesTracked: 3 },
  { kind: 'maxpool2d', kernel: [2, 2], stride: [1, 2], padding: [1, 0], observationShape: null },
  { kind: 'avgpool2d', kernel: [2, 3], stride: [2, 1], padding: [1, 1], observationShape: null },
  { kind: 'flatten' },
  { kind: 'dropout', p: 0.3 },
  { kind: 'linear', weights: matrix(36, 6), bias: values(6) },
  { kind: 'batchnorm1d', features: 6, weight: values(6, 0.5, 2), bias: values(6), runningMean: values(6), runningVar: values(6, 0.2, 2), eps: 1e-5, momentum: 0.1, batchesTracked: 7 },
  { kind: 'tanh' },
  { kind: 'linear', weights: matrix(6, 3), bias: values(3) },
  { kind: 'softmax' },
];

/** Sequences [3, 9] through a strided, padded, dilated conv1d, then layer norm (ONNX opset 17). */
const sequenceNet: PortableLayer[] = [
  { kind: 'conv1d', weight: flatArray([4, 3, 3]), bias: values(4), stride: 2, padding: 1, dilation: 2, groups: 1, observationShape: [3, 9] },
  { kind: 'sigmoid' },
  { kind: 'flatten' },
  { kind: 'linear', weights: matrix(16, 5), bias: values(5) },
  { kind: 'layernorm', features: 5, weight: values(5, 0.5, 2), bias: values(5), eps: 1e-5 },
  { kind: 'leaky_relu', slope: 0.1 },
  { kind: 'linear', weights: matrix(5, 2), bias: null },
];

/** Skip connections, one inside another, with layer norm and dropout in a body (opset 17 from inside a block). */
const residualNet: PortableLayer[] = [
  { kind: 'linear', weights: matrix(4, 5), bias: values(5) },
  { kind: 'residual', body: [{ kind: 'linear', weights: matrix(5, 5), bias: values(5) }, { kind: 'relu' }, { kind: 'layernorm', features: 5, weight: values(5, 0.5, 2), bias: values(5), eps: 1e-5 }, { kind: 'dropout', p: 0.5 }] },
  { kind: 'residual', body: [{ kind: 'residual', body: [{ kind: 'linear', weights: matrix(5, 5), bias: null }, { kind: 'tanh' }] }, { kind: 'sigmoid' }] },
  { kind: 'linear', weights: matrix(5, 2), bias: values(2) },
  { kind: 'softmax' },
];

/** Recurrent cells: the first takes [N, 5, 3] and passes on every step; later ones read rows, with one bias, none, h0 ≠ 0. */
const recurrentNet: PortableLayer[] = [
  { kind: 'rnn', weightIh: flatArray([4, 3]), weightHh: flatArray([4, 4]), biasIh: values(4), biasHh: values(4), h0: values(4), last: false, steps: false, relu: false },
  { kind: 'flatten' },
  { kind: 'linear', weights: matrix(20, 6), bias: values(6) },
  { kind: 'rnn', weightIh: flatArray([3, 2]), weightHh: flatArray([3, 3]), biasIh: values(3), biasHh: null, h0: values(3), last: false, steps: false, relu: false },
  { kind: 'linear', weights: matrix(9, 4), bias: values(4) },
  { kind: 'rnn', weightIh: flatArray([2, 2]), weightHh: flatArray([2, 2]), biasIh: null, biasHh: null, h0: [0, 0], last: true, steps: false, relu: false },
  { kind: 'softmax' },
];

/** A ReLU cell without biases passing on every step's state as rows, a linear layer at every step. */
const stepsNet: PortableLayer[] = [
  { kind: 'rnn', weightIh: flatArray([3, 2]), weightHh: flatArray([3, 3]), biasIh: null, biasHh: null, h0: values(3), last: false, steps: true, relu: true },
  { kind: 'linear', weights: matrix(3, 2), bias: values(2) },
  { kind: 'tanh' },
];

const NETS = [
  { name: 'conv2d, batchnorm2d, pools, flatten, dropout, batchnorm1d', layers: convNet, observation: [2, 7, 6], opset: 13 },
  { name: 'conv1d, flatten, layernorm', layers: sequenceNet, observation: [3, 9], opset: 17 },
  { name: 'residual blocks, nested', layers: residualNet, observation: [4], opset: 17 },
  { name: 'rnn: sequences in, every step or the last state out', layers: recurrentNet, observation: [5, 3], opset: 13 },
  { name: 'rnn relu: every step as rows, a linear layer at every step', layers: stepsNet, observation: [4, 2], opset: 13 },
];

const rowsOf = (count: number, width: number) => Array.from({ length: count }, () => values(width, -2, 2));
const width = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

const predict = (layers: readonly PortableLayer[], x: number[][], dtype: 'float32' | 'float64' = 'float64') =>
  sequentialOf(layers, dtype).forward(tensor(x, { dtype })).data;

const maxDifference = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
  expect(a.length).toBe(b.length);
  return Array.from(a).reduce((worst, value, i) => Math.max(worst, Math.abs(value - b[i]!)), 0);
};

async function onnxRuntime(bytes: Uint8Array, x: readonly number[], shape: readonly number[]): Promise<Float32Array> {
  const session = await ort.InferenceSession.create(bytes);
  const result = await session.run({ input: new ort.Tensor('float32', Float32Array.from(x), [...shape]) });
  return result.output!.data as Float32Array;
}

describe('export of the layers beyond the perceptron', () => {
  it('safetensors has PyTorch\'s state_dict names and shapes, num_batches_tracked as int64', () => {
    const { arrays, metadata } = decodeSafetensorsLoosely(exportModel(convNet, 'safetensors') as Uint8Array);
    expect(arrays).toEqual([
      ['0.weight', 'F32', [4, 1, 3, 2]], ['0.bias', 'F32', [4]],
      ['2.weight', 'F32', [4]], ['2.bias', 'F32', [4]], ['2.running_mean', 'F32', [4]], ['2.running_var', 'F32', [4]], ['2.num_batches_tracked', 'I64', []],
      ['7.weight', 'F32', [6, 36]], ['7.bias', 'F32', [6]],
      ['8.weight', 'F32', [6]], ['8.bias', 'F32', [6]], ['8.running_mean', 'F32', [6]], ['8.running_var', 'F32', [6]], ['8.num_batches_tracked', 'I64', []],
      ['10.weight', 'F32', [3, 6]], ['10.bias', 'F32', [3]],
    ]);
    expect(metadata).toBe('conv2d,relu,batchnorm2d,maxpool2d,avgpool2d,flatten,dropout,linear,batchnorm1d,tanh,linear,softmax');
  });

  it('names a residual block\'s parameters INDEX.body.J, as a module holding nn.Sequential as body, and prints that module', () => {
    const { arrays } = decodeSafetensorsLoosely(exportModel(residualNet, 'safetensors') as Uint8Array);
    expect(arrays.map(([name]) => name)).toEqual(['0.weight', '0.bias', '1.body.0.weight', '1.body.0.bias', '1.body.2.weight', '1.body.2.bias', '2.body.0.body.0.weight', '3.weight', '3.bias']);
    const code = exportModel(residualNet, 'pytorch', { weightsFile: 'm.safetensors' }) as string;
    expect(code).toContain('class Residual(nn.Module):');
    expect(code).toContain('    Residual(\n        Residual(\n            nn.Linear(5, 5, bias=False),\n            nn.Tanh(),\n        ),\n        nn.Sigmoid(),\n    ),\n');
    expect(exportModel(convNet, 'pytorch', { weightsFile: 'm.safetensors' })).not.toContain('class Residual');
  });

  it('names an rnn\'s parameters as nn.RNN does (weight_ih_l0, …), a missing bias as zeros, h0 as a buffer; prints the RNN module', () => {
    const { arrays } = decodeSafetensorsLoosely(exportModel(recurrentNet, 'safetensors', { dtype: 'float64' }) as Uint8Array);
    expect(arrays.filter(([name]) => name.startsWith('3.') || name.startsWith('5.'))).toEqual([
      ['3.weight_ih_l0', 'F64', [3, 2]], ['3.weight_hh_l0', 'F64', [3, 3]], ['3.bias_ih_l0', 'F64', [3]], ['3.bias_hh_l0', 'F64', [3]], ['3.h0', 'F64', [3]],
      ['5.weight_ih_l0', 'F64', [2, 2]], ['5.weight_hh_l0', 'F64', [2, 2]], ['5.h0', 'F64', [2]],
    ]);
    const { arrays: values } = decodeSafetensors(exportModel(recurrentNet, 'safetensors', { dtype: 'float64' }) as Uint8Array, 'r.safetensors');
    expect(Array.from(values.get('3.bias_hh_l0')!.data)).toEqual([0, 0, 0]);
    const code = exportModel(recurrentNet, 'pytorch', { weightsFile: 'm.safetensors' }) as string;
    expect(code).toContain('    RNN(3, 4, last=False),\n    nn.Flatten(),\n    nn.Linear(20, 6),\n    RNN(2, 3, last=False),\n    nn.Linear(9, 4),\n    RNN(2, 2, bias=False),\n');
  });

  it('prints the nn.Sequential with every setting', () => {
    const code = exportModel(convNet, 'pytorch', { weightsFile: 'm.safetensors' }) as string;
    expect(code).toContain('    nn.Conv2d(2, 4, kernel_size=(3, 2), stride=(2, 1), padding=(1, 1), dilation=(1, 2), groups=2),\n    nn.ReLU(),\n    nn.BatchNorm2d(4, eps=0.001, momentum=0.2),\n'
      + '    nn.MaxPool2d(kernel_size=(2, 2), stride=(1, 2), padding=(1, 0)),\n    nn.AvgPool2d(kernel_size=(2, 3), stride=(2, 1), padding=(1, 1), count_include_pad=True),\n'
      + '    nn.Flatten(),\n    nn.Dropout(p=0.3),\n    nn.Linear(36, 6),\n    nn.BatchNorm1d(6, eps=0.00001, momentum=0.1),\n');
    expect(code).toContain('x.reshape(-1, 2, 7, 6)');
    expect(exportModel(sequenceNet, 'pytorch', { weightsFile: 'm.safetensors' })).toContain('    nn.Conv1d(3, 4, kernel_size=3, stride=2, padding=1, dilation=2, groups=1),\n');
  });

  it.each(NETS)('onnxruntime-node runs the ONNX export ($name) as mashagrad does, to 1e-5 (float32)', async ({ layers, observation, opset }) => {
    const bytes = encodeOnnx(layers);
    expect(Number(decodeModel(bytes).opsetImport?.[0]?.version)).toBe(opset);
    const x = rowsOf(5, width(observation));
    const theirs = await onnxRuntime(bytes, x.flat(), [5, ...observation]);
    expect(maxDifference(theirs, predict(layers, x, 'float32'))).toBeLessThan(1e-5);
  });

  it.each(['conv-and-linear.yaml', 'batchnorm.yaml', 'layernorm.yaml', 'residual-dropout.yaml', 'rnn-tanh-two-units.yaml', 'book/there-and-back.yaml'])('onnxruntime-node runs %s\'s network (evaluation mode) as mashagrad does', async (name) => {
    const problem = loadProblem(join(ROOT, 'examples', name));
    if (problem.kind !== 'network') throw new Error(`${name} is not a numeric network problem`);
    const model = buildModel(problem.layers);
    model.setTraining(false);
    const x = tensor(problem.data.x);
    const layers = portableLayers(model);
    // Rows read as images by the first layer are given to the runtime as the images themselves.
    const first = layers[0]!;
    const shape = 'observationShape' in first && first.observationShape !== null ? [x.shape[0]!, ...first.observationShape]
      : first.kind === 'rnn' ? [x.shape[0]!, -1, first.weightIh.shape[1]!].map((extent) => (extent === -1 ? x.shape[1]! / first.weightIh.shape[1]! : extent)) : x.shape;
    const theirs = await onnxRuntime(encodeOnnx(layers), Array.from(x.data), shape);
    expect(maxDifference(theirs, model.forward(x).data)).toBeLessThan(1e-5);
  });

  it('safetensors refuses to read them back, naming the layer; ONNX reads them (test/onnx-import-layers.test.ts)', () => {
    const safetensors = decodeSafetensors(exportModel(convNet, 'safetensors') as Uint8Array, 'c.safetensors');
    expect(() => layersFromStateDict(safetensors.arrays, 'c.safetensors', { layers: safetensors.metadata.get('mashagrad.layers')! }))
      .toThrow(/c.safetensors: layer 'conv2d' is one mashagrad exports but does not read back yet/);
    expect(decodeOnnx(encodeOnnx(sequenceNet), 's.onnx').map((layer) => layer.kind)).toEqual(sequenceNet.map((layer) => layer.kind));
  });

  it('refuses rows read as images anywhere but the first layer, and layers it has no counterpart for', () => {
    const late = new Sequential([new Linear(tensor([[1, 2, 3, 4]])), new Conv2d(tensor([[[[1]]]]), null, { observationShape: [1, 2, 2] })]);
    expect(() => portableLayers(late)).toThrow(/layer 1 \(conv2d\) reads rows as observations of shape \[1, 2, 2\]; an export takes that shape only on the first layer/);
    const custom = new Sequential([new Linear(tensor([[1, 2]])), new Doubling()]);
    expect(() => portableLayers(custom)).toThrow(/layer 1 \(doubling\) has no PyTorch\/ONNX counterpart here/);
  });
});

/** A layer of a user's own, with no counterpart elsewhere. */
class Doubling extends Layer {
  readonly kind = 'doubling';
  compute<T>(m: Algebra<T>, x: T): T {
    return m.add(x, x);
  }
}

/** The header's names, dtypes and shapes in file order, and the layer list. */
function decodeSafetensorsLoosely(bytes: Uint8Array): { arrays: [string, string, number[]][]; metadata: string } {
  const length = Number(new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(0, true));
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + length))) as Record<string, { dtype: string; shape: number[] } & Record<string, string>>;
  const { __metadata__: metadata, ...entries } = header;
  return { arrays: Object.entries(entries).map(([name, entry]) => [name, entry.dtype, entry.shape]), metadata: metadata!['mashagrad.layers']! };
}

const python = '/usr/bin/python3';
const enginesMissing = !existsSync(python) || spawnSync(python, ['-c', 'import onnx, torch'], { stdio: 'ignore' }).status !== 0;
if (enginesMissing) console.warn('SKIPPED: interop checks with PyTorch and onnx.checker (needs /usr/bin/python3 with python3-torch and python3-onnx)');

describe.skipIf(enginesMissing)('PyTorch and onnx.checker read the exports of the new layers', () => {
  const folder = mkdtempSync(join(tmpdir(), 'mashagrad-interop-layers-'));
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  it.each(NETS.flatMap((net) => (['float32', 'float64'] as const).map((dtype) => ({ ...net, dtype }))))(
    'onnx.checker accepts the ONNX file; PyTorch loads the safetensors strictly into the printed code and reproduces mashagrad ($name, $dtype)', ({ layers, observation, dtype }) => {
      writeFileSync(join(folder, 'model.onnx'), exportModel(layers, 'onnx', { dtype }));
      writeFileSync(join(folder, 'model.safetensors'), exportModel(layers, 'safetensors', { dtype }));
      writeFileSync(join(folder, 'model.py'), exportModel(layers, 'pytorch', { dtype, weightsFile: 'model.safetensors' }));
      const x = rowsOf(4, width(observation));
      writeFileSync(join(folder, 'x.json'), JSON.stringify(x));
      writeFileSync(join(folder, 'shape.json'), JSON.stringify([-1, ...observation]));
      const run = spawnSync(python, [join(ROOT, 'tools/fixtures/interop.py'), 'check', folder], { encoding: 'utf8' });
      expect(run.stderr).toBe('');
      const result = JSON.parse(run.stdout) as { checker: string; y: number[][] };
      expect(result.checker).toBe('ok');
      expect(maxDifference(result.y.flat(), predict(layers, x, dtype))).toBeLessThan(dtype === 'float32' ? 1e-5 : 1e-12);
    });
});

import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as ort from 'onnxruntime-node';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { FASHION_MNIST_DIR, loadMnistFormat } from '../src/data/mnist.js';
import { tensor } from '../src/autograd/create.js';
import { buildModel } from '../src/files/build-model.js';
import { loadProblem } from '../src/files/read-problem.js';
import { exportModel, readModelFile, readNpyFile } from '../src/interop/files.js';
import { portableLayers, sequentialOf, type PortableLayer } from '../src/interop/layers.js';
import { InteropError } from '../src/interop/named-array.js';
import { decodeNpy, encodeNpy } from '../src/interop/npy.js';
import { decodeOnnx, encodeOnnx } from '../src/interop/onnx.js';
import { decodeSafetensors, encodeSafetensors } from '../src/interop/safetensors.js';
import { layersFromStateDict } from '../src/interop/state-dict.js';
import { initialise } from '../src/nn/init.js';
import { Random } from '../src/tensor/random.js';
import { GENERATED_FILE, generatedOnnxProto } from '../tools/interop/generate-onnx-proto.js';

const FIXTURES = fileURLToPath(new URL('./fixtures/interop/', import.meta.url));
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const torchFixture = JSON.parse(readFileSync(join(FIXTURES, 'torch-mlp.json'), 'utf8')) as { layers: string; x: number[][]; y: number[][] };

const maxDifference = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
  expect(a.length).toBe(b.length);
  return Array.from(a).reduce((worst, value, i) => Math.max(worst, Math.abs(value - b[i]!)), 0);
};

/** mashagrad's predictions for rows x (float64 unless asked). */
const predict = (layers: readonly PortableLayer[], x: number[][], dtype: 'float32' | 'float64' = 'float64') =>
  sequentialOf(layers, dtype).forward(tensor(x, { dtype })).data;

async function onnxRuntime(bytes: Uint8Array, x: number[][]): Promise<Float32Array> {
  const session = await ort.InferenceSession.create(bytes);
  const result = await session.run({ input: new ort.Tensor('float32', Float32Array.from(x.flat()), [x.length, x[0]!.length]) });
  return result.output!.data as Float32Array;
}

/** A model of Fashion-MNIST's shape (784 pixels → 128 → 10 classes), Xavier-initialised with a seed. */
function fashionShapedModel(): { layers: PortableLayer[]; x: number[][] } {
  const rows = (values: ArrayLike<number>, count: number, columns: number) => Array.from({ length: count }, (_, r) => Array.from({ length: columns }, (_, c) => values[r * columns + c]!));
  const w1 = initialise([784, 128], { init: 'xavier', seed: 1 }, 784, 128).data;
  const w2 = initialise([128, 10], { init: 'xavier', seed: 2 }, 128, 10).data;
  const random = new Random(3);
  const layers: PortableLayer[] = [
    { kind: 'linear', weights: rows(w1, 784, 128), bias: Array.from({ length: 128 }, () => random.uniform(-0.1, 0.1)) },
    { kind: 'relu' },
    { kind: 'linear', weights: rows(w2, 128, 10), bias: Array.from({ length: 10 }, () => random.uniform(-0.1, 0.1)) },
    { kind: 'softmax' },
  ];
  // Pixels scaled to [0, 1], as the training file reads Fashion-MNIST.
  const x = Array.from({ length: 16 }, () => Array.from({ length: 784 }, () => Math.floor(random.uniform(0, 256)) / 255));
  return { layers, x };
}

describe('safetensors', () => {
  it('writes PyTorch names and layout: 0.weight is [outputs, inputs], the transpose of the sheet\'s W', () => {
    const layers: PortableLayer[] = [{ kind: 'linear', weights: [[1, 2, 3], [4, 5, 6]], bias: [7, 8, 9] }, { kind: 'relu' }, { kind: 'linear', weights: [[1], [2], [3]], bias: null }];
    const { arrays, metadata } = decodeSafetensors(exportModel(layers, 'safetensors', { dtype: 'float64' }) as Uint8Array, 'model.safetensors');
    expect([...arrays.keys()]).toEqual(['0.weight', '0.bias', '2.weight']);
    expect(arrays.get('0.weight')!.shape).toEqual([3, 2]);
    expect(Array.from(arrays.get('0.weight')!.data)).toEqual([1, 4, 2, 5, 3, 6]);
    expect(arrays.get('2.weight')!.shape).toEqual([1, 3]);
    expect(metadata.get('format')).toBe('pt');
    expect(layersFromStateDict(arrays, 'model.safetensors', { layers: metadata.get('mashagrad.layers')! })).toEqual(layers);
  });

  it('reads float32 back exactly and float64 exactly, with data 8-byte aligned', () => {
    const arrays = new Map([
      ['a', { dtype: 'float32' as const, shape: [2], data: Float32Array.from([0.1, -3]) }],
      ['b', { dtype: 'float64' as const, shape: [1, 1], data: Float64Array.from([Math.PI]) }],
    ]);
    const bytes = encodeSafetensors(arrays);
    expect((8 + Number(new DataView(bytes.buffer).getBigUint64(0, true))) % 8).toBe(0);
    const back = decodeSafetensors(bytes, 'x').arrays;
    expect(back.get('a')!.data).toEqual(Float32Array.from([0.1, -3]));
    expect(back.get('b')!.data[0]).toBe(Math.PI);
  });

  it('says in one line what is wrong with a broken file', () => {
    const good = encodeSafetensors(new Map([['w', { dtype: 'float32' as const, shape: [2], data: Float32Array.from([1, 2]) }]]));
    expect(() => decodeSafetensors(good.subarray(0, good.length - 1), 'cut.safetensors')).toThrow(/cut.safetensors: tensor 'w': data_offsets \[0, 8\] lie outside the 7 bytes/);
    expect(() => decodeSafetensors(new Uint8Array(4), 'tiny.safetensors')).toThrow(InteropError);
    const huge = new Uint8Array(16);
    new DataView(huge.buffer).setBigUint64(0, 1n << 40n, true);
    expect(() => decodeSafetensors(huge, 'h.safetensors')).toThrow(/its header claims 1099511627776 bytes/);
  });

  it('imports the safetensors file PyTorch saved (committed fixture) with PyTorch\'s predictions', () => {
    const layers = readModelFile(join(FIXTURES, 'torch-mlp.safetensors'), { layers: torchFixture.layers });
    expect(layers.map((layer) => layer.kind)).toEqual(['linear', 'leaky_relu', 'linear', 'tanh', 'linear', 'softmax']);
    expect(maxDifference(predict(layers, torchFixture.x), torchFixture.y.flat())).toBeLessThan(1e-6);
  });

  it('without a layer list, fills the gaps between linear layers with --activation (relu)', () => {
    const layers = readModelFile(join(FIXTURES, 'torch-mlp.safetensors'));
    expect(layers.map((layer) => layer.kind)).toEqual(['linear', 'relu', 'linear', 'relu', 'linear']);
    expect(() => readModelFile(join(FIXTURES, 'torch-mlp.safetensors'), { layers: 'linear,relu,linear' })).toThrow(/layer 2 is listed as linear|parameters of layer 4/);
  });
});

describe('.npy', () => {
  it('reads what numpy.save wrote: float32, int64, Fortran order', () => {
    const x = readNpyFile(join(FIXTURES, 'x-float32.npy'));
    expect(x).toMatchObject({ dtype: 'float32', shape: [3, 4] });
    expect(Array.from(x.data)).toEqual(Array.from({ length: 12 }, (_, i) => i / 8));
    expect(Array.from(readNpyFile(join(FIXTURES, 'labels-int64.npy')).data)).toEqual([2, 0, 1]);
    const fortran = readNpyFile(join(FIXTURES, 'fortran-float64.npy'));
    expect(fortran.shape).toEqual([2, 3]);
    expect(Array.from(fortran.data)).toEqual([-2.5, -1.5, -0.5, 0.5, 1.5, 2.5]);
  });

  it('writes what it reads, header padded to 64 bytes as numpy does', () => {
    const array = { dtype: 'float64' as const, shape: [2, 2], data: Float64Array.from([1, 2, 3, 0.1]) };
    const bytes = encodeNpy(array);
    expect((10 + new DataView(bytes.buffer).getUint16(8, true)) % 64).toBe(0);
    expect(decodeNpy(bytes, 'a.npy')).toEqual(array);
    expect(() => decodeNpy(bytes.subarray(0, bytes.length - 8), 'a.npy')).toThrow(/a.npy: shape \(2, 2\) needs 32 bytes of data, the file has 24/);
    expect(() => decodeNpy(new TextEncoder().encode('hello world'), 'b.npy')).toThrow(/b.npy: not a .npy file/);
  });
});

describe('ONNX', () => {
  it('its codec is the one protobufjs-cli generates from the vendored onnx.proto (run tools/interop/generate-onnx-proto.ts after changing either)', () => {
    expect(readFileSync(GENERATED_FILE, 'utf8')).toBe(generatedOnnxProto());
  });

  it('round-trips the layer set: linear with and without bias, every activation', () => {
    const layers: PortableLayer[] = [
      { kind: 'linear', weights: [[1, -2], [0.5, 4]], bias: [0.25, -1] }, { kind: 'leaky_relu', slope: 0.2 },
      { kind: 'linear', weights: [[1, 0, 2], [3, 1, -1]], bias: null }, { kind: 'tanh' },
      { kind: 'linear', weights: [[1, 1], [0, 1], [2, 0]], bias: [0, 1] }, { kind: 'sigmoid' }, { kind: 'relu' }, { kind: 'softmax' },
    ];
    expect(decodeOnnx(encodeOnnx(layers), 'm.onnx')).toEqual(layers);
  });

  it('onnxruntime-node runs the export of a Fashion-MNIST-shaped model and agrees with mashagrad to 1e-5 (float32)', async () => {
    const { layers, x } = fashionShapedModel();
    const ours = predict(layers, x, 'float32');
    const theirs = await onnxRuntime(encodeOnnx(layers), x);
    expect(maxDifference(theirs, ours)).toBeLessThan(1e-5);
  });

  const fashionMissing = !existsSync(FASHION_MNIST_DIR);
  if (fashionMissing) console.warn(`SKIPPED: ONNX Runtime on Fashion-MNIST images (no ${FASHION_MNIST_DIR}; apt-get install dataset-fashion-mnist)`);
  it.skipIf(fashionMissing)('onnxruntime-node agrees with mashagrad to 1e-5 on real Fashion-MNIST test images', async () => {
    const { layers } = fashionShapedModel();
    const images = loadMnistFormat(FASHION_MNIST_DIR, { limit: 64 }).test!;
    const x = Array.from({ length: images.count }, (_, row) => Array.from(images.x.subarray(row * 784, (row + 1) * 784)));
    expect(maxDifference(await onnxRuntime(encodeOnnx(layers), x), predict(layers, x, 'float32'))).toBeLessThan(1e-5);
  });

  it.each(['exercise-2.yaml', 'exercise-4-classification.yaml', 'exercise-4-regression.yaml'])('onnxruntime-node runs %s\'s network as mashagrad does', async (name) => {
    const problem = loadProblem(join(ROOT, 'examples', name));
    if (problem.kind !== 'network') throw new Error(`${name} is not a numeric network problem`);
    const model = buildModel(problem.layers);
    const ours = model.forward(tensor(problem.data.x)).data;
    const theirs = await onnxRuntime(encodeOnnx(portableLayers(model)), problem.data.x);
    expect(maxDifference(theirs, ours)).toBeLessThan(1e-5);
  });

  it('imports the ONNX file torch.onnx.export wrote (committed fixture) with PyTorch\'s predictions', () => {
    const layers = readModelFile(join(FIXTURES, 'torch-mlp.onnx'));
    expect(layers.map((layer) => layer.kind)).toEqual(['linear', 'leaky_relu', 'linear', 'tanh', 'linear', 'softmax']);
    expect(maxDifference(predict(layers, torchFixture.x), torchFixture.y.flat())).toBeLessThan(1e-6);
  });

  it('names the node it cannot read', () => {
    const bytes = encodeOnnx([{ kind: 'linear', weights: [[1]], bias: null }]);
    // Gemm → Gelu in the encoded op type: the same length, so the message stays well-formed.
    const text = Buffer.from(bytes).toString('latin1').replaceAll('Gemm', 'Gelu');
    expect(() => decodeOnnx(Buffer.from(text, 'latin1'), 'c.onnx')).toThrow(/c.onnx: node 0 \('\/0\/Gelu', Gelu\) is not in mashagrad's layer set; it reads Gemm, .*Conv, MaxPool/);
    expect(() => decodeOnnx(Uint8Array.from([0xff, 0xff, 0xff]), 'junk.onnx')).toThrow(/junk.onnx: not an ONNX model/);
  });
});

describe('hostile files', () => {
  const valid = {
    safetensors: exportModel([{ kind: 'linear', weights: [[1, 2], [3, 4]], bias: [1, 2] }, { kind: 'softmax' }], 'safetensors') as Uint8Array,
    onnx: encodeOnnx([{ kind: 'linear', weights: [[1, 2], [3, 4]], bias: [1, 2] }, { kind: 'leaky_relu', slope: 0.1 }]),
    npy: encodeNpy({ dtype: 'float32', shape: [2, 2], data: Float32Array.from([1, 2, 3, 4]) }),
  };
  const readers = {
    safetensors: (bytes: Uint8Array) => layersFromStateDict(decodeSafetensors(bytes, 'f').arrays, 'f'),
    onnx: (bytes: Uint8Array) => decodeOnnx(bytes, 'f'),
    npy: (bytes: Uint8Array) => decodeNpy(bytes, 'f'),
  };
  it.each(['safetensors', 'onnx', 'npy'] as const)('a damaged %s file is read or refused with an InteropError, never another exception', (format) => {
    const damaged = fc.tuple(fc.nat(), fc.uint8Array({ minLength: 1, maxLength: 8 }), fc.nat({ max: 16 })).map(([at, bytes, cut]) => {
      const file = Uint8Array.from(valid[format]);
      file.set(bytes.subarray(0, Math.max(0, file.length - (at % file.length))), at % file.length);
      return file.subarray(0, file.length - cut);
    });
    fc.assert(fc.property(fc.oneof(damaged, fc.uint8Array({ maxLength: 64 })), (bytes) => {
      try {
        readers[format](bytes);
      } catch (error) {
        if (!(error instanceof InteropError)) throw error;
      }
    }), { numRuns: 400, seed: 15 });
  });
});

/*
 * The real engines in Python: onnx.checker on the ONNX export, and the printed PyTorch code
 * loading the safetensors export. Needs Debian's python3-onnx and python3-torch.
 */
const python = '/usr/bin/python3';
const enginesMissing = !existsSync(python) || spawnSync(python, ['-c', 'import onnx, torch'], { stdio: 'ignore' }).status !== 0;
if (enginesMissing) console.warn('SKIPPED: interop checks with PyTorch and onnx.checker (needs /usr/bin/python3 with python3-torch and python3-onnx; apt-get install python3-torch python3-onnx)');

describe.skipIf(enginesMissing)('PyTorch and onnx.checker read the exports', () => {
  const folder = mkdtempSync(join(tmpdir(), 'mashagrad-interop-'));
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  it.each(['float32', 'float64'] as const)('onnx.checker accepts the ONNX file, and PyTorch reproduces the predictions from the safetensors export (%s)', (dtype) => {
    const { layers: fashion, x } = fashionShapedModel();
    const random = new Random(4);
    const matrix = (count: number, columns: number) => Array.from({ length: count }, () => Array.from({ length: columns }, () => random.uniform(-0.3, 0.3)));
    const layers: PortableLayer[] = [
      fashion[0]!, { kind: 'leaky_relu', slope: 0.1 }, { kind: 'linear', weights: matrix(128, 5), bias: null }, { kind: 'tanh' },
      { kind: 'linear', weights: matrix(5, 3), bias: [0, 0, 1] }, { kind: 'sigmoid' }, { kind: 'softmax' },
    ];
    writeFileSync(join(folder, 'model.onnx'), exportModel(layers, 'onnx', { dtype }));
    writeFileSync(join(folder, 'model.safetensors'), exportModel(layers, 'safetensors', { dtype }));
    writeFileSync(join(folder, 'model.py'), exportModel(layers, 'pytorch', { dtype, weightsFile: 'model.safetensors' }));
    writeFileSync(join(folder, 'x.json'), JSON.stringify(x));
    const run = spawnSync(python, [join(ROOT, 'tools/fixtures/interop.py'), 'check', folder], { encoding: 'utf8' });
    expect(run.stderr).toBe('');
    const result = JSON.parse(run.stdout) as { checker: string; y: number[][] };
    expect(result.checker).toBe('ok');
    expect(maxDifference(result.y.flat(), predict(layers, x, dtype))).toBeLessThan(dtype === 'float32' ? 1e-5 : 1e-12);
  });
});

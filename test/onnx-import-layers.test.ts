import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { tensor } from '../src/autograd/create.js';
import type { NestedArray } from '../src/autograd/tensor.js';
import { buildModel } from '../src/files/build-model.js';
import { parseProblem } from '../src/files/load-problem.js';
import type { NetworkProblem } from '../src/files/plan.js';
import { portableLayers, sequentialOf } from '../src/interop/layers.js';
import { decodeOnnx, encodeOnnx } from '../src/interop/onnx.js';

/**
 * ONNX import of the layers beyond the perceptron: a model mashagrad exports reads back to the
 * same outputs, and torch.onnx.export's file of a small CNN (tools/fixtures/interop_cnn.py) reads
 * to PyTorch's outputs.
 */

const fixture = JSON.parse(readFileSync(new URL('fixtures/interop/torch-cnn.json', import.meta.url), 'utf8')) as { x: NestedArray; y: number[][] };

const exported = `
model:
  - conv2d: { in: 1, out: 2, kernel: 2, padding: 1, weights: [[[[1, 0], [0, -1]]], [[[0.5, 0.5], [-0.5, 0.5]]]], bias: [0, 0.5] }
  - relu
  - batchnorm2d: { weight: [1, 2], bias: [0, 0.5], running_mean: [0.5, 1], running_var: [2, 0.5] }
  - maxpool2d: { kernel: 2 }
  - conv2d: { out: 3, kernel: [2, 1], stride: [1, 2], init: uniform, value: 0.5, seed: 3 }
  - avgpool2d: { kernel: 1, padding: 0 }
  - dropout: { p: 0.3 }
  - flatten
  - linear: { out: 4, init: uniform, value: 0.5, seed: 4 }
  - layernorm
  - batchnorm1d: { running_mean: [0.1, 0.2, 0.3, 0.4], running_var: [1, 2, 3, 4] }
  - linear: { out: 2, init: uniform, value: 0.5, seed: 5 }
loss: mse
data: { x: [[[[1, 2, 0], [0, 1, 3], [2, 1, 0]]], [[[0, 1, 2], [1, 0, 1], [3, 1, 0]]]], y: [[1, 0], [0, 1]] }
train: { lr: 0.1 }
`;

describe('ONNX import of convolution, pooling, flatten, normalization and dropout', () => {
  it('a model mashagrad exports reads back to the same outputs (float64)', () => {
    const plan = parseProblem(exported) as NetworkProblem;
    const model = buildModel(plan.layers);
    model.setTraining(false);
    const layers = decodeOnnx(encodeOnnx(portableLayers(model), { dtype: 'float64' }), 'model.onnx');
    // Dropout is the identity at inference: it exports as Identity and reads back as nothing.
    expect(layers.map((layer) => layer.kind)).toEqual(['conv2d', 'relu', 'batchnorm2d', 'maxpool2d', 'conv2d', 'avgpool2d', 'flatten', 'linear', 'layernorm', 'batchnorm1d', 'linear']);
    const images = tensor(plan.data.x).reshape([2, 1, 3, 3]);
    // ε and the momentum travel as ONNX's float32 attributes: 1e-5 comes back as 9.99999975e-6.
    const want = Array.from(model.forward(images).data);
    Array.from(sequentialOf(layers).forward(images).data).forEach((value, i) => expect(Math.abs(value - want[i]!)).toBeLessThan(1e-9));
  });

  it('torch.onnx.export\'s small CNN reads to PyTorch\'s outputs', () => {
    const layers = decodeOnnx(readFileSync(new URL('fixtures/interop/torch-cnn.onnx', import.meta.url)), 'torch-cnn.onnx');
    expect(layers.map((layer) => layer.kind)).toEqual(['conv2d', 'relu', 'batchnorm2d', 'maxpool2d', 'conv2d', 'tanh', 'avgpool2d', 'flatten', 'linear', 'layernorm', 'linear']);
    const y = sequentialOf(layers, 'float32').forward(tensor(fixture.x, { dtype: 'float32' }));
    const expected = fixture.y.flat();
    Array.from(y.data).forEach((value, i) => expect(Math.abs(value - expected[i]!)).toBeLessThan(1e-5 * (1 + Math.abs(expected[i]!))));
  });

  it('an unsupported node is refused naming the node, its op type and what is read', () => {
    const plan = parseProblem(exported.replace('  - dropout: { p: 0.3 }\n', '  - residual: [ relu ]\n')) as NetworkProblem;
    const model = buildModel(plan.layers);
    model.setTraining(false);
    expect(() => decodeOnnx(encodeOnnx(portableLayers(model)), 'model.onnx')).toThrow(/^model\.onnx: node \d+ \('\/6\/Add', Add\) .*Conv, MaxPool, AveragePool.*residual block's Add is not read yet/);
  });
});

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { tensor } from '../src/autograd/create.js';
import type { NestedArray, Tensor } from '../src/autograd/tensor.js';
import { ReLU } from '../src/nn/activations.js';
import { Conv1d, Conv2d } from '../src/nn/conv.js';
import { Flatten } from '../src/nn/flatten.js';
import type { Layer } from '../src/nn/layer.js';
import { Linear } from '../src/nn/linear.js';
import { BatchNorm2d } from '../src/nn/normalization.js';
import { AvgPool2d, MaxPool2d } from '../src/nn/pooling.js';
import { Sequential } from '../src/nn/sequential.js';
import type { ConvCase as Case } from './support/conv-cases.js';

/**
 * The convolution and pooling layers against PyTorch's nn modules (float64), from the committed
 * fixtures that tools/fixtures/conv.py writes: output, gradient by the input and by every
 * parameter, through the layers' forward and the sheet's backward(d).
 */

type Pair = [number, number];
type LayerSpec =
  | { kind: 'conv2d'; stride: Pair; padding: Pair; dilation: Pair; groups: number }
  | { kind: 'conv1d'; stride: number; padding: number; dilation: number; groups: number }
  | { kind: 'maxpool2d' | 'avgpool2d'; kernel: Pair; stride: Pair; padding: Pair }
  | { kind: 'batchnorm2d'; eps: number; momentum: number }
  | { kind: 'linear' | 'flatten' | 'relu' };
type ConvCase = Case<LayerSpec>;

const fixture = JSON.parse(readFileSync(new URL('fixtures/conv.json', import.meta.url), 'utf8')) as { torch: string; cases: ConvCase[] };

function build(c: ConvCase): Sequential {
  const parameter = (name: string): Tensor | null => (c.parameters[name] === undefined ? null : tensor(c.parameters[name]));
  const layers = c.layers.map((spec, index): Layer => {
    const weight = () => parameter(`${index}.weight`)!;
    const bias = () => parameter(`${index}.bias`);
    switch (spec.kind) {
      case 'conv2d': return new Conv2d(weight(), bias(), spec);
      case 'conv1d': return new Conv1d(weight(), bias(), spec);
      case 'maxpool2d': return new MaxPool2d(spec);
      case 'avgpool2d': return new AvgPool2d(spec);
      case 'batchnorm2d': return new BatchNorm2d(weight().shape[0]!, { weight: weight(), bias: bias()!, eps: spec.eps, momentum: spec.momentum });
      case 'linear': return new Linear(weight(), bias());
      case 'flatten': return new Flatten();
      case 'relu': return new ReLU();
    }
  });
  return new Sequential(layers);
}

const TOLERANCE = 1e-12;
function mismatches(actual: Tensor | null, expected: NestedArray, what: string): string[] {
  if (actual === null) return [`${what}: missing`];
  const reference = tensor(expected);
  if (actual.shape.join() !== reference.shape.join()) return [`${what}: shape [${actual.shape.join(', ')}] vs PyTorch [${reference.shape.join(', ')}]`];
  return Array.from(reference.data).flatMap((want, i) => {
    const got = actual.data[i]!;
    return Math.abs(got - want) <= TOLERANCE + TOLERANCE * Math.abs(want) ? [] : [`${what}[${i}]: ${got} vs PyTorch ${want}`];
  });
}

describe(`convolution and pooling layers against PyTorch ${fixture.torch}`, () => {
  for (const c of fixture.cases) {
    it(`${c.label}: output, gradient by the input and by every parameter`, () => {
      const model = build(c);
      const y = model.forward(tensor(c.input));
      const gradInput = model.backward(tensor(c.u));
      const parameters = new Map(model.namedParameters());
      expect([...parameters.keys()].sort()).toEqual(Object.keys(c.gradParameters).sort());
      const problems = [
        ...mismatches(y, c.output, 'output'),
        ...mismatches(gradInput, c.gradInput, 'gradient by the input'),
        ...Object.entries(c.gradParameters).flatMap(([name, expected]) => mismatches(parameters.get(name)?.grad ?? null, expected, `gradient by ${name}`)),
      ];
      expect(problems).toEqual([]);
    });
  }
});

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { tensorAlgebra } from '../src/autograd/apply.js';
import { transpose } from '../src/autograd/api.js';
import { tensor } from '../src/autograd/create.js';
import { gradcheck } from '../src/autograd/gradcheck.js';
import type { Tensor } from '../src/autograd/tensor.js';
import { Tanh } from '../src/nn/activations.js';
import { Dropout } from '../src/nn/dropout.js';
import type { Layer } from '../src/nn/layer.js';
import { Linear } from '../src/nn/linear.js';
import { BatchNorm1d, BatchNorm2d, LayerNorm } from '../src/nn/normalization.js';
import { Residual } from '../src/nn/residual.js';
import { RNN, type RnnNonlinearity, type RnnOutput } from '../src/nn/rnn.js';
import { GRU, LSTM } from '../src/nn/gated.js';
import { fileURLToPath } from 'node:url';
import { loadProblem } from '../src/files/read-problem.js';
import { solvePlan } from '../src/problem/solve.js';
import type { NetworkTrace } from '../src/trace/types.js';

/**
 * The layers beyond the perceptron against torch.nn (float64): test/fixtures/layers.json,
 * written by tools/fixtures/layers.py. For each case the output, the gradient by the input and
 * every parameter's gradient of Σ u⊙output must agree to 1e-10, relative and absolute.
 */

type Nested = number | Nested[];
interface Run { output: Nested; gradInput: Nested; gradParams: Record<string, Nested> }
interface LayerCase {
  layer: string;
  name: string;
  x: Nested;
  u: Nested;
  params?: Record<string, Nested>;
  training: Run;
  evaluation?: Run;
  [key: string]: unknown;
}
const fixture = JSON.parse(readFileSync(new URL('fixtures/layers.json', import.meta.url), 'utf8')) as { torch: string; cases: LayerCase[] };
const casesOf = (layer: string) => fixture.cases.filter((entry) => entry.layer === layer);

const t = (values: Nested) => tensor(values);
const flat = (values: Nested): number[] => (Array.isArray(values) ? values.flatMap(flat) : [values]);
function expectClose(actual: Tensor | null, expected: Nested, what: string): void {
  expect(actual, what).not.toBeNull();
  const [a, e] = [[...actual!.data], flat(expected)];
  expect(a.length, what).toBe(e.length);
  const worst = Math.max(0, ...a.map((value, i) => Math.abs(value - e[i]!) / (1 + Math.abs(e[i]!))));
  expect(worst, `${what}: largest relative difference`).toBeLessThan(1e-10);
}

/** Forward x, backward u; compare with PyTorch's record (parameter names as torch.nn's, `rename` maps ours). */
function compare(layer: Layer, entry: LayerCase, run: Run, transposed: ReadonlySet<string> = new Set()): void {
  layer.zeroGrad();
  const output = layer.forward(t(entry.x));
  expectClose(output, run.output, `${entry.name}: output`);
  const gradInput = layer.backward(t(entry.u));
  expectClose(gradInput, run.gradInput, `${entry.name}: ∂/∂x`);
  const ours = new Map(layer.namedParameters());
  expect([...ours.keys()].sort()).toEqual(Object.keys(run.gradParams).sort());
  for (const [name, expected] of Object.entries(run.gradParams)) {
    const gradient = ours.get(name)!.grad;
    expectClose(transposed.has(name) && gradient !== null ? transpose(gradient) : gradient, expected, `${entry.name}: ∂/∂${name}`);
  }
}

describe('layers against torch.nn', () => {
  it('holds every layer the fixture generator writes', () => {
    expect(new Set(fixture.cases.map((entry) => entry.layer))).toEqual(new Set(['dropout', 'layernorm', 'batchnorm1d', 'batchnorm2d', 'residual', 'rnn', 'rnn-network', 'gru', 'lstm']));
  });

  for (const entry of casesOf('dropout')) {
    it(`${entry.name}: PyTorch's mask, scaled by 1/(1 − p), and the identity in evaluation`, () => {
      const layer = new Dropout(entry.p as number);
      layer.fixMask(flat(entry.mask as Nested));
      compare(layer, entry, entry.training);
      layer.setTraining(false);
      compare(layer, entry, entry.evaluation!);
    });
  }

  for (const entry of casesOf('layernorm')) {
    it(entry.name, () => {
      const params = entry.params!;
      compare(new LayerNorm(entry.features as number, { weight: t(params.weight!), bias: t(params.bias!) }), entry, entry.training);
    });
  }

  for (const entry of [...casesOf('batchnorm1d'), ...casesOf('batchnorm2d')]) {
    it(`${entry.name}: training with the running statistics it leaves, then evaluation`, () => {
      const params = entry.params!;
      const before = entry.runningBefore as Record<string, Nested>;
      const after = entry.runningAfter as Record<string, Nested>;
      const Norm = entry.layer === 'batchnorm2d' ? BatchNorm2d : BatchNorm1d;
      const layer = new Norm(entry.features as number, {
        weight: t(params.weight!), bias: t(params.bias!), runningMean: t(before.running_mean!), runningVar: t(before.running_var!), momentum: entry.momentum as number,
      });
      compare(layer, entry, entry.training);
      expectClose(layer.runningMean, after.running_mean!, 'running_mean');
      expectClose(layer.runningVar, after.running_var!, 'running_var');
      expect(layer.batchesTracked).toBe(1);
      layer.setTraining(false);
      compare(layer, entry, entry.evaluation!);
      expectClose(layer.runningMean, after.running_mean!, 'running_mean is left alone in evaluation');
    });
  }

  for (const entry of casesOf('residual')) {
    it(`${entry.name}: x + f(x), the gradient by x adding along the skip`, () => {
      const params = entry.params!;
      // torch's Linear keeps W as [outputs, inputs]; the sheet's (and ours) is [inputs, outputs].
      const layer = new Residual([new Linear(transpose(t(params['body.0.weight']!)), t(params['body.0.bias']!)), new Tanh()]);
      compare(layer, entry, entry.training, new Set(['body.0.weight']));
    });
  }

  for (const entry of casesOf('rnn')) {
    it(`${entry.name}: backpropagation through time`, () => {
      const params = entry.params!;
      const layer = new RNN(
        { weightIh: t(params.weight_ih!), weightHh: t(params.weight_hh!), biasIh: params.bias_ih === undefined ? null : t(params.bias_ih), biasHh: params.bias_hh === undefined ? null : t(params.bias_hh) },
        { h0: t(entry.h0 as Nested), output: entry.output as RnnOutput, nonlinearity: (entry.nonlinearity ?? 'tanh') as RnnNonlinearity },
      );
      // Every step's state as rows of their own is a problem file's layout: the input is rows of steps × inputs.
      const rows = entry.output === 'steps' ? { ...entry, x: (entry.x as number[][][]).map((sequence) => sequence.flat()) } : entry;
      compare(layer, rows, entry.training);
    });
  }

  for (const entry of [...casesOf('gru'), ...casesOf('lstm')]) {
    it(`${entry.name}: PyTorch's gates (GRU r, z, n; LSTM i, f, g, o), back through time`, () => {
      const params = entry.params!;
      const weights = { weightIh: t(params.weight_ih!), weightHh: t(params.weight_hh!), biasIh: t(params.bias_ih!), biasHh: t(params.bias_hh!) };
      const options = { h0: t(entry.h0 as Nested), output: entry.output as RnnOutput };
      const layer = entry.layer === 'gru' ? new GRU(weights, options) : new LSTM(weights, { ...options, c0: t(entry.c0 as Nested) });
      compare(layer, entry, entry.training);
      // A problem file's rows (steps × inputs numbers each) give the same numbers.
      const rows = (entry.x as number[][][]).map((sequence) => sequence.flat());
      if (entry.output === 'last') expectClose(layer.forward(tensor(rows)), entry.training.output, `${entry.name}: output from rows`);
    });
  }

  for (const entry of casesOf('rnn-network')) {
    it(`${entry.name}: the worked solution's loss, prediction and gradients are PyTorch's`, () => {
      const trace = solvePlan(loadProblem(fileURLToPath(new URL(`../${entry.file as string}`, import.meta.url)))) as NetworkTrace;
      const step = trace.steps[0]!;
      expectClose(tensor(step.prediction), entry.prediction as Nested, 'prediction');
      expectClose(tensor(step.loss), entry.loss as Nested, 'loss');
      for (const [name, expected] of Object.entries(entry.gradParams as Record<string, Nested>)) expectClose(tensor(step.grads[name] as number[][]), expected, `∂L/∂${name}`);
    });
  }

  it('an RNN takes a problem file\'s rows (steps × inputs numbers each) as it takes [N, T, inputs]', () => {
    const entry = casesOf('rnn').find((candidate) => candidate.output === 'last' && (candidate.x as number[][][])[0]!.length === 7)!;
    const params = entry.params!;
    const layer = new RNN({ weightIh: t(params.weight_ih!), weightHh: t(params.weight_hh!), biasIh: t(params.bias_ih!), biasHh: t(params.bias_hh!) }, { h0: t(entry.h0 as Nested) });
    const rows = (entry.x as number[][][]).map((sequence) => sequence.flat());
    expectClose(layer.forward(tensor(rows)), entry.training.output, 'output from rows');
  });
});

describe('gradcheck of the new layers (central differences)', () => {
  const check = (f: (...xs: Tensor[]) => Tensor, inputs: Tensor[]) => {
    const result = gradcheck(f, inputs);
    expect(result.ok, result.details).toBe(true);
  };
  const x = () => tensor([[0.3, -1.2, 0.8], [1.1, 0.4, -0.5], [-0.7, 0.9, 0.2], [0.6, -0.3, 1.4]]);
  const vector = () => tensor([0.9, -0.4, 1.3]);

  it('layernorm by x, γ and β', () => {
    check((input, weight, bias) => new LayerNorm(3).compute(tensorAlgebra, input, [weight, bias]), [x(), vector(), vector()]);
  });
  it('batchnorm1d in training by x, γ and β', () => {
    check((input, weight, bias) => new BatchNorm1d(3).compute(tensorAlgebra, input, [weight, bias, tensor([0, 0, 0]), tensor([1, 1, 1])]), [x(), vector(), vector()]);
  });
  it('batchnorm2d in training by x, γ and β', () => {
    const images = tensor([[[[0.3, -1.2], [0.8, 0.1]], [[1.1, 0.4], [-0.5, 0.9]]], [[[-0.7, 0.9], [0.2, 0.6]], [[-0.3, 1.4], [0.5, -0.8]]]]);
    check((input, weight, bias) => new BatchNorm2d(2).compute(tensorAlgebra, input, [weight, bias, tensor([0, 0]), tensor([1, 1])]), [images, tensor([0.9, -0.4]), tensor([1.3, 0.2])]);
  });
  it('residual [linear, tanh] by x and the weights', () => {
    const layer = new Residual([new Linear(tensor([[0.5, -0.3], [0.2, 0.8]]), tensor([0.1, -0.2])), new Tanh()]);
    check((input, weight, bias) => layer.compute(tensorAlgebra, input, [weight, bias]), [tensor([[0.3, -1.2], [0.8, 0.1]]), layer.body[0]!.parameters()[0]!.detach(), tensor([0.1, -0.2])]);
  });
  it('rnn with ReLU passing on every step, by x and the weights', () => {
    const layer = new RNN({ weightIh: tensor([[0.5, -0.3], [0.2, 0.8]]), weightHh: tensor([[0.1, -0.6], [0.4, 0.3]]) }, { nonlinearity: 'relu', output: 'steps' });
    check(
      (input, wih, whh) => layer.compute(tensorAlgebra, input, [wih, whh, tensor([0.2, 0.1])]),
      [tensor([[0.3, 1.2, 0.8, 0.1, 0.5, 0.4], [0.9, 0.2, 0.7, 0.3, 1.1, 0.6]]), layer.weightIh.detach(), layer.weightHh.detach()],
    );
  });
  const gatedInputs = (layer: GRU | LSTM) => [layer.weightIh.detach(), layer.weightHh.detach(), layer.biasIh!.detach(), layer.biasHh!.detach()];
  const stacked = (rows: number, columns: number, seed: number) => tensor(Array.from({ length: rows }, (_, r) => Array.from({ length: columns }, (_, c) => Math.sin(seed + 3 * r + 7 * c) * 0.6)));
  const biases = (count: number, seed: number) => tensor(Array.from({ length: count }, (_, i) => Math.cos(seed + 5 * i) * 0.3));
  it('gru over 3 steps by x, the weights, the biases', () => {
    const layer = new GRU({ weightIh: stacked(6, 2, 1), weightHh: stacked(6, 2, 2), biasIh: biases(6, 3), biasHh: biases(6, 4) }, { output: 'all' });
    check((input, ...weights) => layer.compute(tensorAlgebra, input, [...weights, tensor([0.2, -0.1])]), [tensor([[0.3, -1.2, 0.8, 0.1, 0.5, -0.4]]), ...gatedInputs(layer)]);
  });
  it('lstm over 3 steps by x, the weights, the biases', () => {
    const layer = new LSTM({ weightIh: stacked(8, 2, 5), weightHh: stacked(8, 2, 6), biasIh: biases(8, 7), biasHh: biases(8, 8) });
    check((input, ...weights) => layer.compute(tensorAlgebra, input, [...weights, tensor([0.2, -0.1]), tensor([-0.3, 0.4])]), [tensor([[0.3, -1.2, 0.8, 0.1, 0.5, -0.4]]), ...gatedInputs(layer)]);
  });
  it('rnn over 3 steps by x, the weights, the biases', () => {
    const layer = new RNN({ weightIh: tensor([[0.5, -0.3], [0.2, 0.8]]), weightHh: tensor([[0.1, -0.6], [0.4, 0.3]]), biasIh: tensor([0.1, 0]), biasHh: tensor([0, -0.2]) });
    check(
      (input, wih, whh, bih, bhh) => layer.compute(tensorAlgebra, input, [wih, whh, bih, bhh, tensor([0.2, -0.1])]),
      [tensor([[0.3, -1.2, 0.8, 0.1, 0.5, -0.4]]), layer.weightIh.detach(), layer.weightHh.detach(), layer.biasIh!.detach(), layer.biasHh!.detach()],
    );
  });
});

import { unfold } from '../autograd/api.js';
import { tensor } from '../autograd/create.js';
import { gradients } from '../autograd/functional.js';
import type { Tensor } from '../autograd/tensor.js';
import { buildModel } from '../files/build-model.js';
import type { LayerPlan, NetworkProblem } from '../files/plan.js';
import { InputError } from '../errors.js';
import { computeLoss } from '../nn/losses.js';
import { createOptimizer } from '../optim/create.js';
import { optimizerSettingsFromFile } from '../optim/file-settings.js';
import { Conv2d } from '../nn/conv.js';
import type { Layer } from '../nn/layer.js';
import { BatchNorm2d } from '../nn/normalization.js';
import { MaxPool2d, Pool2d } from '../nn/pooling.js';
import type { Values } from '../formula/values-text.js';
import { ruleHyperparameters, ruleText, UpdateRecorder } from './update.js';
import type { ChannelNorm, ConvDetails, ConvLayerRecord, ConvTrace, ConvOutputSum, NormDetails, PoolWindow, Term } from '../trace/conv-types.js';

/*
 * A network with convolution or pooling layers, worked as a teacher does on a small example: one
 * training step on the whole data, every layer's numbers, and for the first observation each
 * convolution output as a sum of products (and the same as W·im2col(X)), each pooling window with
 * its winner, and ∂L/∂X with its terms; ∂L/∂W and ∂L/∂b summed over the batch (each observation's
 * share shown in a small batch); then the optimizer's update. The engine computes every value;
 * this file only lists which numbers make up each sum.
 */

/** Element (c, i, j) of the first observation of an [N, C, H, W] tensor. */
const at4 = (t: Tensor, c: number, i: number, j: number) => t.data[(c * t.shape[2]! + i) * t.shape[3]! + j]!;

/** Observation `n` (the first by default) of a layer's input as an image [1, C, H, W] (rows are read as the layer reads them). */
function firstImage(input: Tensor, shape: readonly number[], n = 0): Tensor {
  const size = shape.reduce((product, extent) => product * extent, 1);
  return tensor(input.data.slice(n * size, (n + 1) * size), { shape: [1, ...shape] });
}

/** Up to this many observations, the sums over the batch (∂L/∂W, ∂L/∂b) are written with each observation's numbers. */
export const SMALL_BATCH = 4;

function convDetails(layer: Conv2d, input: Tensor, output: Tensor, gradOutput: Tensor, gradInput: Tensor, plan: LayerPlan): ConvDetails {
  const inShape = (plan as { inputShape: readonly number[] }).inputShape;
  const x = firstImage(input, inShape);
  const y = firstImage(output, output.shape.slice(1));
  const d = firstImage(gradOutput, gradOutput.shape.slice(1));
  const gx = firstImage(gradInput, inShape);
  const w = layer.weight;
  const [cout, cinG, kH, kW] = w.shape as [number, number, number, number];
  const { stride, padding, dilation, groups } = layer.attrs;
  const [, h, width] = inShape as [number, number, number];
  const [, oH, oW] = y.shape.slice(1) as [number, number, number];
  const coutG = cout / groups;
  const weightAt = (o: number, c: number, i: number, j: number) => w.data[((o * cinG + c) * kH + i) * kW + j]!;
  // Which input (channel, row, column) kernel tap (c, i, j) of output (o, p, q) reads; null in the padding.
  const source = (o: number, c: number, i: number, j: number, p: number, q: number): [number, number, number] | null => {
    const row = p * stride[0] - padding[0] + i * dilation[0];
    const column = q * stride[1] - padding[1] + j * dilation[1];
    const channel = Math.floor(o / coutG) * cinG + c;
    return row < 0 || row >= h || column < 0 || column >= width ? null : [channel, row, column];
  };
  const windows: ConvOutputSum[] = [];
  const inputTerms = new Map<string, Term[]>();
  for (let o = 0; o < cout; o++) {
    for (let p = 0; p < oH; p++) {
      for (let q = 0; q < oW; q++) {
        const terms: Term[] = [];
        for (let c = 0; c < cinG; c++) {
          for (let i = 0; i < kH; i++) {
            for (let j = 0; j < kW; j++) {
              const from = source(o, c, i, j, p, q);
              // A tap in the padding reads 0: it is left out of the sum, as a teacher writes it.
              if (from === null) continue;
              terms.push([at4(x, ...from), weightAt(o, c, i, j)]);
              const key = from.join();
              inputTerms.set(key, [...(inputTerms.get(key) ?? []), [at4(d, o, p, q), weightAt(o, c, i, j)]]);
            }
          }
        }
        windows.push({ at: [o, p, q], terms, bias: layer.bias === null ? null : layer.bias.data[o]!, value: at4(y, o, p, q) });
      }
    }
  }
  const inputGradient: { at: [number, number, number]; terms: Term[]; value: number }[] = [];
  for (let c = 0; c < inShape[0]!; c++) {
    for (let i = 0; i < h; i++) {
      for (let j = 0; j < width; j++) inputGradient.push({ at: [c, i, j], terms: inputTerms.get([c, i, j].join()) ?? [], value: at4(gx, c, i, j) });
    }
  }
  const observations = input.shape[0]!;
  const small = observations <= SMALL_BATCH;
  const gradients = Array.from({ length: observations }, (_, n) => firstImage(gradOutput, gradOutput.shape.slice(1), n).data);
  // ∂L/∂b of a channel adds every gradient arriving at it: each one in a small batch, else each observation's total.
  const channelOf = (data: ArrayLike<number>, o: number) => Array.from({ length: oH * oW }, (_, k) => data[o * oH * oW + k]!);
  const biasTerms = layer.bias === null ? null : Array.from({ length: cout }, (_, o) => gradients.flatMap((data) => {
    const terms = channelOf(data, o);
    return small ? terms : [terms.reduce((total, value) => total + value, 0)];
  }));
  let matrix: ConvDetails['matrix'] = null;
  let perObservation: ConvDetails['observations'] = null;
  if (groups === 1 && padding[0] === 0 && padding[1] === 0) {
    // The same numbers as one matrix product with shared weights: Y = W·im2col(X) (+ b per row).
    const weights = w.reshape([cout, cinG * kH * kW]);
    const product = (n: number) => {
      const columns = unfold(firstImage(input, inShape, n), [kH, kW], { stride, padding, dilation }).reshape([cinG * kH * kW, oH * oW]);
      const gradient = firstImage(gradOutput, gradOutput.shape.slice(1), n).reshape([cout, oH * oW]);
      return { columns, gradient, gradWeights: gradient.matmul(columns.transpose()) };
    };
    const { columns, gradient, gradWeights } = product(0);
    matrix = { weights: weights.toArray(), columns: columns.toArray(), product: weights.matmul(columns).toArray(), gradient: gradient.toArray(), gradWeights: gradWeights.toArray() };
    if (small) {
      const each = Array.from({ length: observations }, (_, n) => {
        const one = product(n);
        return { columns: one.columns.toArray(), gradient: one.gradient.toArray(), gradWeights: one.gradWeights.toArray() };
      });
      perObservation = { each, total: asMatrix(w.grad!) };
    }
  }
  return { windows, matrix, observations: perObservation, biasTerms, biasBy: small ? 'positions' : 'observations', inputGradient };
}

function poolWindows(layer: Pool2d, input: Tensor, output: Tensor, gradOutput: Tensor, inShape: readonly number[]): PoolWindow[] {
  const x = firstImage(input, inShape);
  const y = firstImage(output, output.shape.slice(1));
  const d = firstImage(gradOutput, gradOutput.shape.slice(1));
  const { kernel, stride, padding } = layer.window;
  const [channels, h, width] = inShape as [number, number, number];
  const [, oH, oW] = y.shape.slice(1) as [number, number, number];
  const windows: PoolWindow[] = [];
  for (let c = 0; c < channels; c++) {
    for (let p = 0; p < oH; p++) {
      for (let q = 0; q < oW; q++) {
        const inputs: number[] = [];
        for (let i = 0; i < kernel[0]; i++) {
          for (let j = 0; j < kernel[1]; j++) {
            const row = p * stride[0] - padding[0] + i;
            const column = q * stride[1] - padding[1] + j;
            if (row >= 0 && row < h && column >= 0 && column < width) inputs.push(at4(x, c, row, column));
          }
        }
        const value = at4(y, c, p, q);
        const winners = layer instanceof MaxPool2d ? inputs.flatMap((input, k) => (input === value ? [k] : [])) : [];
        windows.push({ at: [c, p, q], inputs, winners, value, gradient: at4(d, c, p, q) });
      }
    }
  }
  return windows;
}

/**
 * Batch normalization of images in training, channel by channel over the whole batch (its
 * statistics mix the observations): the numbers, μ and σ² the layer computed, x̂, and the gradients.
 */
function normDetails(layer: BatchNorm2d, input: Tensor, output: Tensor, gradOutput: Tensor, gradInput: Tensor): NormDetails {
  const named = new Map(layer.named);
  const [mean, variance, xhat] = (['mu', 'sigmasq', 'xhat'] as const).map((name) => named.get(name) as Tensor) as [Tensor, Tensor, Tensor];
  const [n, c] = output.shape as [number, number];
  const positions = output.size / (n * c);
  // Channel k of an [N, C, …] tensor as rows: one per observation, its positions along it.
  const channel = (t: Tensor, k: number) => Array.from({ length: n }, (_, i) => Array.from(t.data.subarray((i * c + k) * positions, (i * c + k + 1) * positions)));
  const average = (rows: number[][]) => rows.flat().reduce((total, value) => total + value, 0) / (n * positions);
  const channels = Array.from({ length: c }, (_, k): ChannelNorm => {
    const d = channel(gradOutput, k);
    const normalised = channel(xhat, k);
    const dx̂ = d.map((row, i) => row.map((value, j) => value * normalised[i]![j]!));
    return {
      values: channel(input.reshape(output.shape), k), mean: mean.data[k]!, variance: variance.data[k]!, xhat: normalised,
      gamma: layer.weight.data[k]!, beta: layer.bias.data[k]!, output: channel(output, k),
      gradient: d, meanGradient: average(d), meanGradientXhat: average(dx̂),
      gradGamma: layer.weight.grad!.data[k]!, gradBeta: layer.bias.grad!.data[k]!, gradInput: channel(gradInput.reshape(output.shape), k),
    };
  });
  return { eps: layer.eps, count: n * positions, channels };
}

const snapshot = (layer: Layer, index: number, pick: (t: Tensor) => Tensor | null): Record<string, Values> =>
  Object.fromEntries(layer.namedParameters().flatMap(([name, parameter]) => {
    const value = pick(parameter);
    return value === null ? [] : [[`${index}.${name}`, value.toArray()]];
  }));

/** A parameter as the worked solution writes it: a convolution's kernel as the matrix [Cout, C·kH·kW] of W·im2col(X). */
const asMatrix = (t: Tensor): Values => (t.rank > 2 ? t.reshape([t.shape[0]!, t.size / t.shape[0]!]) : t).toArray();

/** A parameter's symbol: W₁ and b₁, γ₂ and β₂ for batch norm (numbered by the layer). */
const symbolOf = (layer: Layer, name: string, index: number) =>
  `${layer instanceof BatchNorm2d ? (name === 'weight' ? 'gamma' : 'beta') : name === 'weight' ? 'W' : 'b'}${index + 1}`;

/** What this worked solution does not cover yet; refused by name, rather than shown with numbers that ignore it. */
function refuseUnsupported(problem: NetworkProblem): void {
  const { train } = problem;
  const refuse = (what: string) => { throw new InputError(`${what}: not offered yet for a network with convolution or pooling layers, whose worked solution is one step on the whole batch (docs/layers.md)`); };
  if (train.state !== undefined) refuse('train.state (a step in the middle of training)');
  if (train.update === 'layerwise') refuse('train.update: layerwise');
  if (problem.l2 !== undefined) refuse('l2');
  if (train.epochs > 1 || (train.batch !== undefined && train.batch < problem.data.x.length)) refuse('more than one training step (train.epochs, train.batch)');
}

/** One forward and backward pass of a network with convolution or pooling layers, and the optimizer's step, every number recorded. */
export function solveConvNetwork(problem: NetworkProblem): ConvTrace {
  refuseUnsupported(problem);
  const model = buildModel(problem.layers);
  const x = tensor(problem.data.x);
  const y = tensor(problem.data.y);
  const prediction = model.forward(x);
  const leaf = prediction.detach().requireGrad();
  const loss = computeLoss(problem.loss, leaf, y);
  const [gradPrediction] = gradients(loss, [leaf]);
  // The sheet's backward pass: each layer, from the top, turns the gradient arriving at its output into the one it passes down.
  const passes: { gradOutput: Tensor; gradInput: Tensor }[] = [];
  let arriving = gradPrediction!;
  for (let index = model.layers.length - 1; index >= 0; index--) {
    const gradInput = model.layers[index]!.backward(arriving);
    passes[index] = { gradOutput: arriving, gradInput };
    arriving = gradInput;
  }
  const layers = model.layers.map((layer, index): ConvLayerRecord => {
    const plan = problem.layers[index]!;
    const input = layer.input!;
    const output = layer.output!;
    const { gradOutput, gradInput } = passes[index]!;
    const inputShape = 'inputShape' in plan && plan.inputShape !== null ? plan.inputShape : input.shape.slice(1);
    const outputShape = 'outputShape' in plan && plan.outputShape !== null ? plan.outputShape : output.shape.slice(1);
    return {
      index, kind: layer.kind, inputShape, outputShape,
      input: input.toArray(), output: output.toArray(), gradOutput: gradOutput.toArray(), gradInput: gradInput.toArray(),
      params: snapshot(layer, index, (t) => t), grads: snapshot(layer, index, (t) => t.grad),
      ...(layer instanceof Conv2d ? { conv: convDetails(layer, input, output, gradOutput, gradInput, plan) } : {}),
      ...(layer instanceof Pool2d ? { pool: poolWindows(layer, input, output, gradOutput, inputShape) } : {}),
      ...(layer instanceof BatchNorm2d ? { norm: normDetails(layer, input, output, gradOutput, gradInput) } : {}),
    };
  });
  // The step: the optimizer's own update, written line by line by its declared rule (optim/update-rule.ts).
  const optimizer = createOptimizer(model.parameters(), optimizerSettingsFromFile(problem.train));
  const hyperparameters = optimizer.hyperparameters();
  const before = new Map(model.namedParameters().map(([key, parameter]) => [key, asMatrix(parameter)]));
  optimizer.step();
  const recorder = new UpdateRecorder(optimizer.rule);
  const updated = layers.map((record, index): ConvLayerRecord => {
    const layer = model.layers[index]!;
    if (layer.namedParameters().length === 0) return record;
    const updates = Object.fromEntries(layer.namedParameters().map(([name, parameter]) => {
      const key = `${index}.${name}`;
      return [key, recorder.record(key, symbolOf(layer, name, index), 1, before.get(key)!, asMatrix(parameter.grad!), asMatrix(parameter), hyperparameters)];
    }));
    return { ...record, updates };
  });
  return {
    kind: 'conv', title: problem.title, ...(problem.titles === undefined ? {} : { titles: problem.titles }),
    loss: problem.loss, observations: problem.data.x.length, y: y.toArray(), prediction: prediction.toArray(),
    lossValue: loss.item(), gradPrediction: gradPrediction!.toArray(), layers: updated,
    optimizer: { name: optimizer.name, lr: problem.train.lr, rule: ruleText(optimizer.rule), hyperparameters: ruleHyperparameters(optimizer.rule, hyperparameters) },
  };
}

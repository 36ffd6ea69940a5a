import { unfold } from '../autograd/api.js';
import { tensor } from '../autograd/create.js';
import { gradients } from '../autograd/functional.js';
import type { Tensor } from '../autograd/tensor.js';
import { buildModel } from '../files/build-model.js';
import type { LayerPlan, NetworkProblem } from '../files/plan.js';
import { computeLoss } from '../nn/losses.js';
import { Conv2d } from '../nn/conv.js';
import type { Layer } from '../nn/layer.js';
import { BatchNorm2d } from '../nn/normalization.js';
import { MaxPool2d, Pool2d } from '../nn/pooling.js';
import type { Values } from '../formula/values-text.js';
import type { ChannelNorm, ConvDetails, ConvLayerRecord, ConvTrace, ConvOutputSum, NormDetails, PoolWindow, Term } from '../trace/conv-types.js';

/*
 * A network with convolution or pooling layers, worked as a teacher does on a small example: one
 * forward and backward pass over the data, every layer's numbers, and for the first observation
 * each convolution output as a sum of products (and the same as W·im2col(X)), each pooling window
 * with its winner, and ∂L/∂W, ∂L/∂b, ∂L/∂X with their terms. The engine computes every value;
 * this file only lists which numbers make up each sum.
 */

/** Element (c, i, j) of the first observation of an [N, C, H, W] tensor. */
const at4 = (t: Tensor, c: number, i: number, j: number) => t.data[(c * t.shape[2]! + i) * t.shape[3]! + j]!;

/** The first observation of a layer's input as an image [1, C, H, W] (rows are read as the layer reads them). */
function firstImage(input: Tensor, shape: readonly number[]): Tensor {
  const size = shape.reduce((product, extent) => product * extent, 1);
  return tensor(input.data.slice(0, size), { shape: [1, ...shape] });
}

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
  const biasTerms = layer.bias === null ? null : Array.from({ length: cout }, (_, o) => Array.from({ length: oH * oW }, (_, k) => d.data[o * oH * oW + k]!));
  let matrix: ConvDetails['matrix'] = null;
  if (groups === 1 && padding[0] === 0 && padding[1] === 0) {
    // The same numbers as one matrix product with shared weights: Y = W·im2col(X) (+ b per row).
    const weights = w.reshape([cout, cinG * kH * kW]);
    const columns = unfold(x, [kH, kW], { stride, padding, dilation }).reshape([cinG * kH * kW, oH * oW]);
    const gradient = d.reshape([cout, oH * oW]);
    matrix = {
      weights: weights.toArray(), columns: columns.toArray(), product: weights.matmul(columns).toArray(),
      gradient: gradient.toArray(), gradWeights: gradient.matmul(columns.transpose()).toArray(),
    };
  }
  return { windows, matrix, biasTerms, inputGradient };
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

/** One forward and backward pass of a network with convolution or pooling layers, every number recorded. */
export function solveConvNetwork(problem: NetworkProblem): ConvTrace {
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
  return {
    kind: 'conv', title: problem.title, ...(problem.titles === undefined ? {} : { titles: problem.titles }),
    loss: problem.loss, observations: problem.data.x.length, y: y.toArray(), prediction: prediction.toArray(),
    lossValue: loss.item(), gradPrediction: gradPrediction!.toArray(), layers,
  };
}

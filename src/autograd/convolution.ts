import { ShapeError } from '../errors.js';
import type { ConvWindow } from '../kernels/backend.js';
import type { ConvAttrs } from '../ops/types.js';
import { formatShape } from '../tensor/shape.js';
import { apply } from './apply.js';
import type { Tensor } from './tensor.js';

/**
 * The public convolution and pooling functions (PyTorch's F.conv2d, F.conv1d, F.max_pool2d,
 * F.avg_pool2d, F.unfold, F.fold, torch.flatten): the registry's unfold, fold and conv2d, and
 * compositions of them. A size is one number for both axes or a pair [along H, along W].
 */

export type Pair = number | readonly [number, number];

export interface WindowOptions {
  /** Default: 1 (for pooling: the kernel size, as PyTorch). */
  readonly stride?: Pair;
  /** Zeros (for max pooling: −∞) added on each side; default 0. */
  readonly padding?: Pair;
  /** Spacing between the kernel's taps; default 1. */
  readonly dilation?: Pair;
}

export interface ConvOptions extends WindowOptions {
  /** Channels split into groups convolved separately; default 1. */
  readonly groups?: number;
}

/** A setting given as one number for both axes, or as (along H, along W). */
export function pairOf(value: Pair): [number, number] {
  return typeof value === 'number' ? [value, value] : [value[0], value[1]];
}

export function windowOf(kernel: Pair, options: WindowOptions, defaultStride: Pair): ConvWindow {
  return {
    kernel: pairOf(kernel),
    stride: pairOf(options.stride ?? defaultStride),
    padding: pairOf(options.padding ?? 0),
    dilation: pairOf(options.dilation ?? 1),
  };
}

/** The bias [Cout] added to every position of y [N, Cout, ...]. */
function addBias(op: string, y: Tensor, bias: Tensor | undefined): Tensor {
  if (bias === undefined) return y;
  if (bias.rank !== 1 || bias.shape[0] !== y.shape[1]) {
    throw new ShapeError(`${op}: the bias must have one number per output channel, shape [${y.shape[1]}], got ${formatShape(bias.shape)}`);
  }
  const along = y.shape.map((extent, axis) => (axis === 1 ? extent : 1));
  return apply('add', [y, apply('reshape', [bias], { shape: along })], {});
}

/** y = x ∗ weight + bias: x [N, C, H, W], weight [Cout, C/groups, kH, kW], bias [Cout]. */
export function conv2d(x: Tensor, weight: Tensor, bias?: Tensor, options: ConvOptions = {}): Tensor {
  return addBias('conv2d', apply('conv2d', [x, weight], convAttrsOf(options)), bias);
}

/** conv2d's settings with their defaults (stride 1, no padding, no dilation, one group). */
function convAttrsOf(options: ConvOptions): ConvAttrs {
  return { stride: pairOf(options.stride ?? 1), padding: pairOf(options.padding ?? 0), dilation: pairOf(options.dilation ?? 1), groups: options.groups ?? 1 };
}

/**
 * conv2d's gradient by its input (torch.nn.grad.conv2d_input): gy [N, Cout, oH, oW] sent back
 * through weight [Cout, C/groups, kH, kW] onto an input of `size` (H, W). What conv2d's backward pass computes.
 */
export function conv2dBackwardInput(gy: Tensor, weight: Tensor, size: Pair, options: ConvOptions = {}): Tensor {
  return apply('conv2dBackwardInput', [gy, weight], { ...convAttrsOf(options), size: pairOf(size) });
}

/**
 * conv2d's gradient by its weight (torch.nn.grad.conv2d_weight): the input x [N, C, H, W] and gy
 * [N, Cout, oH, oW] give the weight's [Cout, C/groups, kH, kW] for a `kernel` (kH, kW).
 */
export function conv2dBackwardWeight(x: Tensor, gy: Tensor, kernel: Pair, options: ConvOptions = {}): Tensor {
  return apply('conv2dBackwardWeight', [x, gy], { ...convAttrsOf(options), kernel: pairOf(kernel) });
}

export interface Conv1dOptions {
  readonly stride?: number;
  readonly padding?: number;
  readonly dilation?: number;
  readonly groups?: number;
}

/** 1-D convolution, x [N, C, L] and weight [Cout, C/groups, k]: conv2d on images one row high. */
export function conv1d(x: Tensor, weight: Tensor, bias?: Tensor, options: Conv1dOptions = {}): Tensor {
  if (x.rank !== 3) throw new ShapeError(`conv1d: the input must be 3-D [N, C, L], got shape ${formatShape(x.shape)}`);
  if (weight.rank !== 3) throw new ShapeError(`conv1d: the weight must be 3-D [Cout, C/groups, k], got shape ${formatShape(weight.shape)}`);
  const image = apply('reshape', [x], { shape: [x.shape[0]!, x.shape[1]!, 1, x.shape[2]!] });
  const kernel = apply('reshape', [weight], { shape: [weight.shape[0]!, weight.shape[1]!, 1, weight.shape[2]!] });
  const y = apply('conv2d', [image, kernel], {
    stride: [1, options.stride ?? 1], padding: [0, options.padding ?? 0], dilation: [1, options.dilation ?? 1], groups: options.groups ?? 1,
  });
  const rows = apply('reshape', [y], { shape: [y.shape[0]!, y.shape[1]!, y.shape[3]!] });
  return addBias('conv1d', rows, bias);
}

/** im2col: x [N, C, H, W] → [N, C·kH·kW, oH·oW], each window position a column (F.unfold). */
export function unfold(x: Tensor, kernel: Pair, options: WindowOptions = {}): Tensor {
  return apply('unfold', [x], { ...windowOf(kernel, options, 1), fill: 0 });
}

/** col2im: columns [N, C·kH·kW, L] summed back into [N, C, H, W] of `size` (H, W) (F.fold). */
export function fold(cols: Tensor, size: Pair, kernel: Pair, options: WindowOptions = {}): Tensor {
  return apply('fold', [cols], { ...windowOf(kernel, options, 1), size: pairOf(size) });
}

/**
 * Max pooling: the largest value in each window; its gradient goes to the winner (tied winners
 * share it, as max does everywhere in mashagrad: docs/layers.md). Stride: the kernel by default.
 */
export function maxPool2d(x: Tensor, kernel: Pair, options: WindowOptions = {}): Tensor {
  return apply('maxPool2d', [x], windowOf(kernel, options, kernel));
}

/**
 * Max pooling's vjp: gy [N, C, oH, oW] sent to the winners of maxPool2d(x, kernel, options)'s
 * windows, tied winners sharing it; the shape of x. What maxPool2d's backward pass computes.
 */
export function maxPool2dBackward(x: Tensor, gy: Tensor, kernel: Pair, options: WindowOptions = {}): Tensor {
  return apply('maxPool2dBackward', [x, gy], windowOf(kernel, options, kernel));
}

/** Average pooling: the mean of each window, padding counted as zeros (PyTorch's default count_include_pad). */
export function avgPool2d(x: Tensor, kernel: Pair, options: Omit<WindowOptions, 'dilation'> = {}): Tensor {
  return apply('avgPool2d', [x], windowOf(kernel, options, kernel));
}

/** All axes from `startAxis` on as one (torch.flatten; the Flatten layer keeps the batch axis). */
export function flatten(x: Tensor, startAxis = 1): Tensor {
  if (!Number.isInteger(startAxis) || startAxis < 0 || startAxis > x.rank - 1) {
    throw new ShapeError(`flatten: start axis ${startAxis} is out of range for shape ${formatShape(x.shape)}`);
  }
  const kept = x.shape.slice(0, startAxis);
  const rest = x.shape.slice(startAxis).reduce((product, extent) => product * extent, 1);
  return apply('reshape', [x], { shape: [...kept, rest] });
}

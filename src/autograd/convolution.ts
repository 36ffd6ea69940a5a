import { ShapeError } from '../errors.js';
import type { ConvWindow } from '../kernels/backend.js';
import { slidingOutput } from '../ops/convolution.js';
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

function pairOf(value: Pair): [number, number] {
  return typeof value === 'number' ? [value, value] : [value[0], value[1]];
}

function windowOf(kernel: Pair, options: WindowOptions, defaultStride: Pair): ConvWindow {
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
  const y = apply('conv2d', [x, weight], {
    stride: pairOf(options.stride ?? 1), padding: pairOf(options.padding ?? 0), dilation: pairOf(options.dilation ?? 1), groups: options.groups ?? 1,
  });
  return addBias('conv2d', y, bias);
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
 * A pooling window: PyTorch allows at most half the kernel as padding (so no window lies in the
 * padding alone) and strides by the kernel unless told otherwise.
 */
function poolWindow(op: string, x: Tensor, kernel: Pair, options: WindowOptions): ConvWindow {
  if (x.rank !== 4) throw new ShapeError(`${op}: the input must be 4-D [N, C, H, W], got shape ${formatShape(x.shape)}`);
  const window = windowOf(kernel, options, kernel);
  if (window.padding.some((pad, axis) => pad * 2 > window.kernel[axis]!)) {
    throw new ShapeError(`${op}: padding (${window.padding.join(', ')}) must be at most half the kernel (${window.kernel.join(', ')})`);
  }
  return window;
}

/** The windows of x as [N, C, kH·kW, oH·oW], the padding read as `fill`. */
function windows(op: string, x: Tensor, window: ConvWindow, fill: number): { columns: Tensor; out: [number, number] } {
  const out = slidingOutput(op, x.shape, window);
  const cols = apply('unfold', [x], { ...window, fill });
  const [n, c] = x.shape as [number, number];
  return { columns: apply('reshape', [cols], { shape: [n, c, window.kernel[0] * window.kernel[1], out[0] * out[1]] }), out };
}

/**
 * Max pooling: the largest value in each window; its gradient goes to the winner (tied winners
 * share it, as max does everywhere in mashagrad: docs/decisions.md).
 */
export function maxPool2d(x: Tensor, kernel: Pair, options: WindowOptions = {}): Tensor {
  const { columns, out } = windows('maxPool2d', x, poolWindow('maxPool2d', x, kernel, options), -Infinity);
  const pooled = apply('max', [columns], { axes: [2], keepdims: false });
  return apply('reshape', [pooled], { shape: [x.shape[0]!, x.shape[1]!, out[0], out[1]] });
}

/** Average pooling: the mean of each window, padding counted as zeros (PyTorch's default count_include_pad). */
export function avgPool2d(x: Tensor, kernel: Pair, options: Omit<WindowOptions, 'dilation'> = {}): Tensor {
  const { columns, out } = windows('avgPool2d', x, poolWindow('avgPool2d', x, kernel, options), 0);
  const pooled = apply('mean', [columns], { axes: [2], keepdims: false });
  return apply('reshape', [pooled], { shape: [x.shape[0]!, x.shape[1]!, out[0], out[1]] });
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

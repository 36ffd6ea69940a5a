import { ShapeError } from '../errors.js';
import type { ConvWindow } from '../kernels/backend.js';
import { formatShape } from '../tensor/shape.js';
import type { Algebra } from './algebra.js';
import { slidingOutput } from './convolution.js';

/*
 * Pooling written once over any Algebra (the public functions and the layers both use it): the
 * windows laid out by unfold, then max or mean over each window. No op of its own: the gradient
 * is max's (to the winner) or mean's (1/(kH·kW) to each), carried back by unfold's vjp (col2im).
 */

/**
 * A pooling window: PyTorch allows at most half the kernel as padding (so no window lies in the
 * padding alone) and strides by the kernel unless told otherwise.
 */
export function checkPoolWindow(op: string, shape: readonly number[], window: ConvWindow): void {
  if (shape.length !== 4) throw new ShapeError(`${op}: the input must be 4-D [N, C, H, W], got shape ${formatShape(shape)}`);
  if (window.padding.some((pad, axis) => pad * 2 > window.kernel[axis]!)) {
    throw new ShapeError(`${op}: padding (${window.padding.join(', ')}) must be at most half the kernel (${window.kernel.join(', ')})`);
  }
}

function pooled<T>(m: Algebra<T>, op: string, x: T, window: ConvWindow, reduce: 'max' | 'mean'): T {
  const shape = m.shapeOf(x);
  checkPoolWindow(op, shape, window);
  const [oH, oW] = slidingOutput(op, shape, window);
  const [n = 0, c = 0] = shape;
  // Max pooling reads the padding as −∞ (it never wins); average pooling as 0 (PyTorch's count_include_pad).
  const cols = m.unfold(x, { ...window, fill: reduce === 'max' ? -Infinity : 0 });
  const windows = m.reshape(cols, [n, c, window.kernel[0] * window.kernel[1], oH * oW]);
  const best = reduce === 'max' ? m.max(windows, [2], false) : m.mean(windows, [2], false);
  return m.reshape(best, [n, c, oH, oW]);
}

/** The largest value of each window; ties share the gradient (as max does everywhere here). */
export function maxPool<T>(m: Algebra<T>, x: T, window: ConvWindow): T {
  return pooled(m, 'maxPool2d', x, window, 'max');
}

/** The mean of each window, padding counted as zeros. */
export function avgPool<T>(m: Algebra<T>, x: T, window: ConvWindow): T {
  return pooled(m, 'avgPool2d', x, window, 'mean');
}

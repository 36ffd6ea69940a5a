import { ShapeError } from '../errors.js';
import { backend } from '../kernels/active.js';
import type { ConvWindow } from '../kernels/backend.js';
import { formatShape, sameShape, type Shape } from '../tensor/shape.js';
import type { Algebra } from './algebra.js';
import { slidingOutput } from './convolution.js';
import { call } from './notation.js';
import type { OpDef, PoolAttrs } from './types.js';

/*
 * Pooling as registry ops with kernels of their own (reference/pooling.ts), read straight from
 * the image: no unfolded copy [N, C·kH·kW, oH·oW] and no reductions and masks over it. The
 * numbers are those of unfold then max or mean over each window, which pooling was before.
 * Max pooling's gradient is an op too (maxPool2dBackward: each window's gradient to its winners,
 * tied winners sharing it, as max does everywhere here); average pooling's is col2im of the
 * gradient spread evenly over each window (fold, the adjoint of unfold).
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

function pooledShape(op: string, x: Shape, window: ConvWindow): Shape {
  checkPoolWindow(op, x, window);
  const [oH, oW] = slidingOutput(op, x, window);
  return [x[0]!, x[1]!, oH, oW];
}

const windowOf = (attrs: PoolAttrs): ConvWindow => ({ kernel: attrs.kernel, stride: attrs.stride, padding: attrs.padding, dilation: attrs.dilation });

/** x [N, C, H, W] → [N, C, oH, oW]: the largest value of each window (the padding reads −∞). */
export const maxPool2d: OpDef<PoolAttrs> = {
  name: 'maxPool2d', summary: 'the largest value of each window (max pooling)', arity: 1, differentiable: true,
  outputShape: ([x = []], attrs) => pooledShape('maxPool2d', x, attrs),
  forward: ([x], attrs, out) => backend().maxPool2d(x!.data, x!.shape, windowOf(attrs), out),
  // ∂y/∂x: [x = the window's max] / (the number of maxima), summed over the windows that read x.
  vjp: (m, { inputs: [x], gy, attrs }) => [m.maxPool2dBackward(x!, gy, attrs)],
  notation: call({ ascii: 'maxPool2d', pretty: 'maxpool', latex: '\\operatorname{maxpool}' }),
};

/**
 * (x [N, C, H, W], gy [N, C, oH, oW]) → gx [N, C, H, W]: max pooling's vjp, each window's gradient
 * shared among its winners. Linear in gy; in x it is constant wherever no tie changes, so its
 * derivative by x is 0 (as max's mask is) and only gy carries a gradient.
 */
export const maxPool2dBackward: OpDef<PoolAttrs> = {
  name: 'maxPool2dBackward', summary: "max pooling's gradient: each window's share to its winners", arity: 2, differentiable: true,
  outputShape([x = [], gy = []], attrs) {
    const pooled = pooledShape('maxPool2dBackward', x, attrs);
    if (!sameShape(pooled, gy)) {
      throw new ShapeError(`maxPool2dBackward: the gradient must have the pooled shape ${formatShape(pooled)}, got ${formatShape(gy)}`);
    }
    return x;
  },
  forward: ([x, gy], attrs, out) => backend().maxPool2dBackward(x!.data, x!.shape, windowOf(attrs), gy!.data, out),
  // Its adjoint in gy: each window gathers the mean of ggx over its winners (the same shares).
  vjp: (m, { inputs: [x], gy: ggx, attrs, needsGrad }) => [null, needsGrad[1] ? winnersMean(m, x!, ggx, attrs) : null],
  notation: call({ ascii: 'maxPool2dBackward', pretty: 'maxpool′', latex: "\\operatorname{maxpool}'" }),
};

/** Per window of x, the mean of `values` (x's shape) over the window's winners: [N, C, oH, oW]. Over the Algebra, for second derivatives. */
function winnersMean<T>(m: Algebra<T>, x: T, values: T, window: PoolAttrs): T {
  const shape = m.shapeOf(x);
  const [n = 0, c = 0] = shape;
  const [oH, oW] = slidingOutput('maxPool2d', shape, window);
  const taps = [n, c, window.kernel[0] * window.kernel[1], oH * oW];
  const windows = m.reshape(m.unfold(x, { ...windowOf(window), fill: -Infinity }), taps);
  const isMax = m.eq(windows, m.broadcastTo(m.max(windows, [2], true), taps));
  const shares = m.div(isMax, m.broadcastTo(m.sum(isMax, [2], true), taps));
  const gathered = m.sum(m.mul(shares, m.reshape(m.unfold(values, { ...windowOf(window), fill: 0 }), taps)), [2], false);
  return m.reshape(gathered, [n, c, oH, oW]);
}

/** x [N, C, H, W] → [N, C, oH, oW]: the mean of each window, the padding counted as zeros. */
export const avgPool2d: OpDef<PoolAttrs> = {
  name: 'avgPool2d', summary: 'the mean of each window (average pooling)', arity: 1, differentiable: true,
  outputShape: ([x = []], attrs) => pooledShape('avgPool2d', x, attrs),
  forward: ([x], attrs, out) => backend().avgPool2d(x!.data, x!.shape, windowOf(attrs), out),
  // ∂y/∂x = 1/(kH·kW) from each window that reads x: gy spread evenly over the window's taps, then col2im.
  vjp: (m, { inputs: [x], gy, attrs }) => {
    const shape = m.shapeOf(x!);
    const [n = 0, c = 0] = shape;
    const gyShape = m.shapeOf(gy);
    const taps = attrs.kernel[0] * attrs.kernel[1];
    const positions = gyShape[2]! * gyShape[3]!;
    const spread = m.broadcastTo(m.reshape(gy, [n, c, 1, positions]), [n, c, taps, positions]);
    const cols = m.reshape(m.scale(spread, 1 / taps), [n, c * taps, positions]);
    return [m.fold(cols, { ...windowOf(attrs), size: [shape[2]!, shape[3]!] })];
  },
  notation: call({ ascii: 'avgPool2d', pretty: 'avgpool', latex: '\\operatorname{avgpool}' }),
};

/** The largest value of each window; ties share the gradient (as max does everywhere here). */
export function maxPool<T>(m: Algebra<T>, x: T, window: ConvWindow): T {
  return m.maxPool2d(x, windowOf(window));
}

/** The mean of each window, padding counted as zeros. */
export function avgPool<T>(m: Algebra<T>, x: T, window: ConvWindow): T {
  return m.avgPool2d(x, windowOf(window));
}

import { describe, expect, it } from 'vitest';
import * as api from '../autograd/api.js';
import { tensorAlgebra } from '../autograd/apply.js';
import { tensor } from '../autograd/create.js';
import type { Tensor } from '../autograd/tensor.js';
import { Random } from '../tensor/random.js';
import { sizeOf, type Shape } from '../tensor/shape.js';

/*
 * The pooling ops against what pooling was before they existed: unfold, then max or mean over
 * each window, differentiated through max's and mean's vjps and unfold's (col2im). Inputs from
 * a few small whole numbers, so windows have ties (the gradient shared among tied winners) and
 * −∞ appears among them. Forward values are equal bit for bit; gradients bit for bit where
 * windows do not overlap, and to a few ulps where they do (the shares are added in another order).
 */

type Window = { kernel: [number, number]; stride: [number, number]; padding: [number, number]; dilation: [number, number] };

const WINDOWS: readonly [Shape, Window][] = [
  [[2, 3, 4, 6], { kernel: [2, 2], stride: [2, 2], padding: [0, 0], dilation: [1, 1] }],
  [[1, 2, 5, 5], { kernel: [3, 3], stride: [2, 2], padding: [1, 1], dilation: [1, 1] }],
  [[2, 1, 6, 7], { kernel: [2, 3], stride: [1, 2], padding: [1, 1], dilation: [2, 1] }],
  [[1, 2, 7, 5], { kernel: [3, 2], stride: [1, 1], padding: [0, 1], dilation: [1, 1] }],
];

const overlaps = (window: Window) => window.stride.some((stride, axis) => stride < window.dilation[axis]! * (window.kernel[axis]! - 1) + 1);

/** Values from {−2, −1, 0, 1, 2} (many ties), a few −∞ when asked. */
function tiedValues(shape: Shape, seed: number, withInfinity: boolean): number[] {
  const random = new Random(seed);
  return Array.from({ length: sizeOf(shape) }, () => {
    const r = random.next();
    return withInfinity && r < 0.1 ? -Infinity : Math.floor(r * 5) - 2;
  });
}

function composite(x: Tensor, window: Window, reduce: 'max' | 'mean'): Tensor {
  const [n = 0, c = 0, h = 0, w = 0] = x.shape;
  // Max pooling's padding reads −∞ (it never wins), average pooling's 0.
  const cols = tensorAlgebra.unfold(x, { ...window, fill: reduce === 'max' ? -Infinity : 0 });
  const slide = (size: number, axis: 0 | 1) =>
    Math.floor((size + 2 * window.padding[axis] - window.dilation[axis] * (window.kernel[axis] - 1) - 1) / window.stride[axis]) + 1;
  const oH = slide(h, 0);
  const oW = slide(w, 1);
  const windows = api.reshape(cols, [n, c, window.kernel[0] * window.kernel[1], oH * oW]);
  return api.reshape(reduce === 'max' ? api.max(windows, 2) : api.mean(windows, 2), [n, c, oH, oW]);
}

/** Value and gradient of Σ u·pool(x). */
function run(pool: (x: Tensor) => Tensor, values: readonly number[], shape: Shape, dtype: 'float32' | 'float64', seed: number, nonFinite = false) {
  const x = tensor(dtype === 'float32' ? Float32Array.from(values) : Float64Array.from(values), { shape: [...shape], requiresGrad: true });
  const y = pool(x);
  const random = new Random(seed);
  // With nonFinite, some of the arriving gradients are ±∞ or NaN (the losers of their windows then get 0·∞ = NaN).
  const special = [Infinity, NaN, -Infinity];
  const u = tensor(Array.from({ length: y.size }, (_, i) => (nonFinite && i % 7 === 3 ? special[i % 3]! : random.next() - 0.5)), { shape: [...y.shape], dtype });
  api.sum(api.mul(y, u)).backward();
  return { y: [...y.data], grad: [...x.grad!.data] };
}

describe('pooling ops give the numbers of unfold + max / mean', () => {
  for (const [shape, window] of WINDOWS) {
    for (const dtype of ['float64', 'float32'] as const) {
      it(`max pooling ${JSON.stringify(shape)} ${JSON.stringify(window)} ${dtype}: ties and −∞ in windows`, () => {
        // The max pooling's padding is −∞; with −∞ inputs a window of the padding and −∞ alone may win with −∞.
        for (const [seed, withInfinity, nonFinite] of [[1, false, false], [2, true, false], [3, false, true], [4, true, true]] as const) {
          const values = tiedValues(shape, seed, withInfinity);
          const now = run((x) => api.maxPool2d(x, window.kernel, window), values, shape, dtype, seed, nonFinite);
          const before = run((x) => composite(x, window, 'max'), values, shape, dtype, seed, nonFinite);
          expect(now.y).toEqual(before.y);
          if (overlaps(window)) {
            now.grad.forEach((g, i) => {
              if (Number.isFinite(before.grad[i])) expect(g).toBeCloseTo(before.grad[i]!, dtype === 'float32' ? 5 : 12);
              else expect(g).toBe(before.grad[i]);
            });
          } else {
            expect(now.grad).toEqual(before.grad);
          }
        }
      });

      // Average pooling takes no dilation.
      if (window.dilation.some((d) => d !== 1)) continue;
      it(`average pooling ${JSON.stringify(shape)} ${JSON.stringify(window)} ${dtype}`, () => {
        const random = new Random(4);
        const values = Array.from({ length: sizeOf(shape) }, () => random.next() * 4 - 2);
        const now = run((x) => api.avgPool2d(x, window.kernel, window), values, shape, dtype, 5);
        const before = run((x) => composite(x, window, 'mean'), values, shape, dtype, 5);
        expect(now.y).toEqual(before.y);
        expect(now.grad).toEqual(before.grad);
      });
    }
  }

  it('maxPool2dBackward refuses a gradient of another shape than the pooled one, naming both', () => {
    const x = tensor(new Float64Array(16), { shape: [1, 1, 4, 4] });
    expect(() => api.maxPool2dBackward(x, tensor(new Float64Array(9), { shape: [1, 1, 3, 3] }), 2)).toThrow(/pooled shape \[1, 1, 2, 2\], got \[1, 1, 3, 3\]/);
  });
});

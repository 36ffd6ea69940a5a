import type { Storage } from '../../tensor/dtype.js';
import type { Shape } from '../../tensor/shape.js';
import type { ConvWindow } from '../backend.js';
import { slidingExtent } from './im2col.js';

/*
 * Pooling read straight from the image, window by window, with no unfolded copy: the same
 * numbers as unfold then max or mean over each window (the taps in the order of a flattened
 * kernel; max pooling's padding reads −∞ and average pooling's 0).
 */

/** Max's rule of reduce.ts: v wins when larger, and NaN wins (PyTorch's amax). */
const beats = (v: number, best: number) => v > best || v !== v;

interface Walk {
  readonly planes: number; readonly h: number; readonly w: number; readonly oH: number; readonly oW: number; readonly window: ConvWindow;
}

function walkOf(shape: Shape, window: ConvWindow): Walk {
  const [n = 0, c = 0, h = 0, w = 0] = shape;
  const oH = slidingExtent(h, window.kernel[0], window.stride[0], window.padding[0], window.dilation[0]);
  const oW = slidingExtent(w, window.kernel[1], window.stride[1], window.padding[1], window.dilation[1]);
  return { planes: n * c, h, w, oH, oW, window };
}

/** The image index under tap (i, j) of the window at (p, q), or −1 in the padding. */
function tapAt(walk: Walk, p: number, q: number, i: number, j: number): number {
  const { window } = walk;
  const row = p * window.stride[0] - window.padding[0] + i * window.dilation[0];
  const col = q * window.stride[1] - window.padding[1] + j * window.dilation[1];
  return row < 0 || row >= walk.h || col < 0 || col >= walk.w ? -1 : row * walk.w + col;
}

/** The largest value of each window (padding −∞): out [N, C, oH, oW]. */
export function maxPool2d(x: Storage, shape: Shape, window: ConvWindow, out: Storage): void {
  const walk = walkOf(shape, window);
  const [kH, kW] = window.kernel;
  let o = 0;
  for (let plane = 0; plane < walk.planes; plane++) {
    const base = plane * walk.h * walk.w;
    for (let p = 0; p < walk.oH; p++) {
      for (let q = 0; q < walk.oW; q++, o++) {
        let best = -Infinity;
        for (let i = 0; i < kH; i++) {
          for (let j = 0; j < kW; j++) {
            const at = tapAt(walk, p, q, i, j);
            const v = at < 0 ? -Infinity : x[base + at]!;
            if (beats(v, best)) best = v;
          }
        }
        out[o] = best;
      }
    }
  }
}

/**
 * Max pooling's gradient: gy [N, C, oH, oW] sent to each window's winners, shared equally
 * between tied ones (as max's vjp: [x = max]·gy / the number of maxima); out [N, C, H, W] is
 * overwritten. A padding tap counts as a winner only when the window's inputs are all −∞
 * (its share is dropped, as fold drops it); a NaN maximum has no winner and gives NaN to the
 * window's inputs, as 0/0 does there.
 */
export function maxPool2dBackward(x: Storage, shape: Shape, window: ConvWindow, gy: Storage, out: Storage): void {
  const walk = walkOf(shape, window);
  const [kH, kW] = window.kernel;
  const single = out instanceof Float32Array;
  out.fill(0);
  let o = 0;
  for (let plane = 0; plane < walk.planes; plane++) {
    const base = plane * walk.h * walk.w;
    for (let p = 0; p < walk.oH; p++) {
      for (let q = 0; q < walk.oW; q++, o++) {
        let best = -Infinity;
        for (let i = 0; i < kH; i++) {
          for (let j = 0; j < kW; j++) {
            const at = tapAt(walk, p, q, i, j);
            const v = at < 0 ? -Infinity : x[base + at]!;
            if (beats(v, best)) best = v;
          }
        }
        let winners = 0;
        for (let i = 0; i < kH; i++) {
          for (let j = 0; j < kW; j++) {
            const at = tapAt(walk, p, q, i, j);
            if ((at < 0 ? -Infinity : x[base + at]!) === best) winners++;
          }
        }
        const exact = gy[o]! / winners;
        const share = single ? Math.fround(exact) : exact;
        for (let i = 0; i < kH; i++) {
          for (let j = 0; j < kW; j++) {
            const at = tapAt(walk, p, q, i, j);
            if (at >= 0 && (winners === 0 || x[base + at] === best)) out[base + at] = out[base + at]! + share;
          }
        }
      }
    }
  }
}

/** The mean of each window, the padding counted as zeros (PyTorch's count_include_pad): out [N, C, oH, oW]. */
export function avgPool2d(x: Storage, shape: Shape, window: ConvWindow, out: Storage): void {
  const walk = walkOf(shape, window);
  const [kH, kW] = window.kernel;
  const single = out instanceof Float32Array;
  // As mean does (a sum over a middle axis, then times 1/count): each partial sum rounded to the storage type.
  const scale = single ? Math.fround(1 / (kH * kW)) : 1 / (kH * kW);
  let o = 0;
  for (let plane = 0; plane < walk.planes; plane++) {
    const base = plane * walk.h * walk.w;
    for (let p = 0; p < walk.oH; p++) {
      for (let q = 0; q < walk.oW; q++, o++) {
        let sum = 0;
        for (let i = 0; i < kH; i++) {
          for (let j = 0; j < kW; j++) {
            const at = tapAt(walk, p, q, i, j);
            sum += at < 0 ? 0 : x[base + at]!;
            if (single) sum = Math.fround(sum);
          }
        }
        out[o] = sum * scale;
      }
    }
  }
}

import type { Storage } from '../../tensor/dtype.js';
import type { Shape } from '../../tensor/shape.js';
import type { ConvWindow } from '../backend.js';
import { slidingExtent } from './im2col.js';

/*
 * Pooling read straight from the image, window by window, with no unfolded copy: the same
 * numbers as unfold then max or mean over each window (the taps in the order of a flattened
 * kernel; max pooling's padding reads −∞ and average pooling's 0).
 */

interface Walk {
  readonly planes: number; readonly h: number; readonly w: number; readonly oH: number; readonly oW: number; readonly window: ConvWindow;
}

function walkOf(shape: Shape, window: ConvWindow): Walk {
  const [n = 0, c = 0, h = 0, w = 0] = shape;
  const oH = slidingExtent(h, window.kernel[0], window.stride[0], window.padding[0], window.dilation[0]);
  const oW = slidingExtent(w, window.kernel[1], window.stride[1], window.padding[1], window.dilation[1]);
  return { planes: n * c, h, w, oH, oW, window };
}

interface Scan {
  readonly h: number; readonly w: number; readonly kH: number; readonly kW: number;
  readonly sH: number; readonly sW: number; readonly pH: number; readonly pW: number; readonly dH: number; readonly dW: number;
}

const scanOf = (walk: Walk): Scan => {
  const { kernel, stride, padding, dilation } = walk.window;
  return { h: walk.h, w: walk.w, kH: kernel[0], kW: kernel[1], sH: stride[0], sW: stride[1], pH: padding[0], pW: padding[1], dH: dilation[0], dW: dilation[1] };
};

/**
 * The largest value of the window at (p, q) over the plane at `base`, as the result; in
 * `found`, the image index of its first winner (−1 for a padding tap) and the number of tied
 * winners (0 when the largest is NaN, which no comparison equals). Padding taps read −∞, so
 * they tie only in a window of −∞ inputs.
 */
const found = { winner: -1, count: 0 };
function windowMax(x: Storage, base: number, g: Scan, p: number, q: number): number {
  const top = p * g.sH - g.pH;
  const left = q * g.sW - g.pW;
  let best = -Infinity;
  let winner = -1;
  let count = 0;
  for (let i = 0; i < g.kH; i++) {
    const row = top + i * g.dH;
    const inside = row >= 0 && row < g.h;
    const rowStart = base + row * g.w;
    for (let j = 0; j < g.kW; j++) {
      const col = left + j * g.dW;
      const at = inside && col >= 0 && col < g.w ? rowStart + col : -1;
      const v = at < 0 ? -Infinity : x[at]!;
      // Max's rule of reduce.ts: v wins when larger, and NaN wins (PyTorch's amax).
      if (v > best || v !== v) {
        best = v;
        winner = at;
        count = v === v ? 1 : 0;
      } else if (v === best) {
        count++;
      }
    }
  }
  found.winner = winner;
  found.count = count;
  return best;
}

/** The largest value of each window (padding −∞): out [N, C, oH, oW]. */
export function maxPool2d(x: Storage, shape: Shape, window: ConvWindow, out: Storage): void {
  const walk = walkOf(shape, window);
  const g = scanOf(walk);
  const { oH, oW } = walk;
  let o = 0;
  for (let plane = 0; plane < walk.planes; plane++) {
    const base = plane * g.h * g.w;
    for (let p = 0; p < oH; p++) {
      for (let q = 0; q < oW; q++, o++) out[o] = windowMax(x, base, g, p, q);
    }
  }
}

/**
 * Max pooling's gradient: gy [N, C, oH, oW] sent to each window's winners, shared equally
 * between tied ones (as max's vjp: [x = max]·gy / the number of maxima); out [N, C, H, W] is
 * overwritten. A padding tap counts as a winner only when the window's inputs are all −∞
 * (its share is dropped, as fold drops it).
 */
export function maxPool2dBackward(x: Storage, shape: Shape, window: ConvWindow, gy: Storage, out: Storage): void {
  const walk = walkOf(shape, window);
  const g = scanOf(walk);
  const { oH, oW } = walk;
  const single = out instanceof Float32Array;
  out.fill(0);
  let o = 0;
  for (let plane = 0; plane < walk.planes; plane++) {
    const base = plane * g.h * g.w;
    for (let p = 0; p < oH; p++) {
      for (let q = 0; q < oW; q++, o++) {
        const best = windowMax(x, base, g, p, q);
        const { winner, count } = found;
        const d = gy[o]!;
        // As max's vjp computes it: [x = max]·d / count, so a NaN maximum (count 0) gives 0/0 = NaN
        // to the window's inputs, and a d of ±∞ or NaN gives the losers 0·d = NaN.
        const exact = count === 0 ? NaN : d / count;
        const share = single ? Math.fround(exact) : exact;
        const loser = d * 0;
        if (count === 1 && loser === 0) {
          if (winner >= 0) out[winner] = out[winner]! + share;
          continue;
        }
        for (let i = 0; i < g.kH; i++) {
          const row = p * g.sH - g.pH + i * g.dH;
          if (row < 0 || row >= g.h) continue;
          for (let j = 0; j < g.kW; j++) {
            const col = q * g.sW - g.pW + j * g.dW;
            const at = base + row * g.w + col;
            if (col >= 0 && col < g.w) out[at] = out[at]! + (count === 0 || x[at] === best ? share : loser);
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
        const top = p * window.stride[0] - window.padding[0];
        const left = q * window.stride[1] - window.padding[1];
        for (let i = 0; i < kH; i++) {
          const row = top + i * window.dilation[0];
          const inside = row >= 0 && row < walk.h;
          for (let j = 0; j < kW; j++) {
            const col = left + j * window.dilation[1];
            sum += inside && col >= 0 && col < walk.w ? x[base + row * walk.w + col]! : 0;
            if (single) sum = Math.fround(sum);
          }
        }
        out[o] = sum * scale;
      }
    }
  }
}

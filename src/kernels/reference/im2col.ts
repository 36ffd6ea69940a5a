import type { Storage } from '../../tensor/dtype.js';
import type { Shape } from '../../tensor/shape.js';
import type { ConvWindow } from '../backend.js';

/** Output extent of a sliding window along one axis (PyTorch's formula; < 1 when it does not fit). */
export function slidingExtent(size: number, kernel: number, stride: number, padding: number, dilation: number): number {
  return Math.floor((size + 2 * padding - dilation * (kernel - 1) - 1) / stride) + 1;
}

/** The output columns q whose input column q·stride − padding + offset lies inside [0, width): [first, end). */
function insideColumns(offset: number, stride: number, padding: number, width: number, outWidth: number): [number, number] {
  const start = offset - padding;
  const first = start >= 0 ? 0 : Math.ceil(-start / stride);
  const end = Math.min(outWidth, Math.max(first, Math.floor((width - 1 - start) / stride) + 1));
  return [Math.min(first, outWidth), end];
}

/**
 * im2col: x [N, C, H, W] into columns [N, C·kH·kW, oH·oW]. Row (c, i, j) of sample n holds, at
 * column (p, q), the input under kernel tap (i, j) when the window is at output position (p, q):
 * x[n, c, p·sH − padH + i·dH, q·sW − padW + j·dW], or `fill` where that falls in the padding.
 * The rows are in the order of a PyTorch weight [Cout, C, kH, kW] flattened, so conv = W·cols.
 */
export function im2col(x: Storage, shape: Shape, window: ConvWindow, fill: number, out: Storage): void {
  const [n = 0, c = 0, h = 0, w = 0] = shape;
  const [kH, kW] = window.kernel;
  const [sH, sW] = window.stride;
  const [pH, pW] = window.padding;
  const [dH, dW] = window.dilation;
  const oH = slidingExtent(h, kH, sH, pH, dH);
  const oW = slidingExtent(w, kW, sW, pW, dW);
  let o = 0;
  for (let sample = 0; sample < n; sample++) {
    for (let channel = 0; channel < c; channel++) {
      const plane = (sample * c + channel) * h * w;
      for (let i = 0; i < kH; i++) {
        for (let j = 0; j < kW; j++) {
          // The padding's columns on both sides depend on the tap only; between them a strided copy with no test per element.
          const [first, end] = insideColumns(j * dW, sW, pW, w, oW);
          for (let p = 0; p < oH; p++) {
            const row = p * sH - pH + i * dH;
            if (row < 0 || row >= h) {
              out.fill(fill, o, o + oW);
              o += oW;
              continue;
            }
            if (first > 0) out.fill(fill, o, o + first);
            if (end < oW) out.fill(fill, o + end, o + oW);
            let from = plane + row * w + first * sW + j * dW - pW;
            // Stride 1 reads a contiguous run: one block copy.
            if (sW === 1) out.set(x.subarray(from, from + end - first), o + first);
            else for (let q = o + first, stop = o + end; q < stop; q++, from += sW) out[q] = x[from]!;
            o += oW;
          }
        }
      }
    }
  }
}

/**
 * col2im, the adjoint of im2col: each column entry is added back onto the input position it was
 * read from (entries read from the padding are dropped). `out` [N, C, H, W] is overwritten.
 */
export function col2im(cols: Storage, shape: Shape, window: ConvWindow, out: Storage): void {
  const [n = 0, c = 0, h = 0, w = 0] = shape;
  const [kH, kW] = window.kernel;
  const [sH, sW] = window.stride;
  const [pH, pW] = window.padding;
  const [dH, dW] = window.dilation;
  const oH = slidingExtent(h, kH, sH, pH, dH);
  const oW = slidingExtent(w, kW, sW, pW, dW);
  out.fill(0);
  let o = 0;
  for (let sample = 0; sample < n; sample++) {
    for (let channel = 0; channel < c; channel++) {
      const plane = (sample * c + channel) * h * w;
      for (let i = 0; i < kH; i++) {
        for (let j = 0; j < kW; j++) {
          const [first, end] = insideColumns(j * dW, sW, pW, w, oW);
          for (let p = 0; p < oH; p++) {
            const row = p * sH - pH + i * dH;
            if (row < 0 || row >= h) {
              o += oW;
              continue;
            }
            let to = plane + row * w + first * sW + j * dW - pW;
            for (let q = o + first, stop = o + end; q < stop; q++, to += sW) out[to] = out[to]! + cols[q]!;
            o += oW;
          }
        }
      }
    }
  }
}

import type { Storage } from '../../dtype.js';
import { stridesOf, type Shape } from '../../shape.js';
import { ReduceCode } from '../codes.js';
import { forEachRun } from './strided.js';

/**
 * Reduce over `axes`. Every input element is visited once, in storage order; its output
 * position follows strides that are 0 on reduced axes.
 */
export function reduce(code: ReduceCode, x: Storage, shape: Shape, axes: readonly number[], out: Storage): void {
  const keptShape = shape.map((extent, axis) => (axes.includes(axis) ? 1 : extent));
  const keptStrides = stridesOf(keptShape).map((stride, axis) => (axes.includes(axis) ? 0 : stride));
  out.fill(code === ReduceCode.sum ? 0 : -Infinity);
  // Runs along the innermost axis: the input is contiguous from `i`, the output steps by `step`.
  forEachRun(shape, 0, keptStrides, (o, i, length, step) => {
    if (code === ReduceCode.sum) {
      for (let j = 0, p = o; j < length; j++, p += step) out[p] = out[p]! + x[i + j]!;
    } else {
      for (let j = 0, p = o; j < length; j++, p += step) {
        const v = x[i + j]!;
        // NaN wins, as in PyTorch's amax: once out[p] is NaN no comparison replaces it.
        if (v > out[p]! || v !== v) out[p] = v;
      }
    }
  });
}

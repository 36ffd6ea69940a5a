import type { Storage } from '../../dtype.js';
import { sizeOf, stridesOf, type Shape } from '../../shape.js';
import { ReduceCode } from '../codes.js';

/**
 * Reduce over `axes`. Every input element is visited once, in storage order; its output
 * position follows strides that are 0 on reduced axes.
 */
export function reduce(code: ReduceCode, x: Storage, shape: Shape, axes: readonly number[], out: Storage): void {
  const rank = shape.length;
  const keptShape = shape.map((extent, axis) => (axes.includes(axis) ? 1 : extent));
  const keptStrides = stridesOf(keptShape).map((stride, axis) => (axes.includes(axis) ? 0 : stride));
  out.fill(code === ReduceCode.sum ? 0 : -Infinity);
  const total = sizeOf(shape);
  if (total === 0) return;
  if (rank === 0) {
    out[0] = x[0]!;
    return;
  }
  const inner = shape[rank - 1]!;
  const innerStep = keptStrides[rank - 1]!;
  const counter = new Array<number>(rank).fill(0);
  let o = 0;
  for (let i = 0; i < total; i += inner) {
    if (code === ReduceCode.sum) {
      for (let j = 0, p = o; j < inner; j++, p += innerStep) out[p] = out[p]! + x[i + j]!;
    } else {
      for (let j = 0, p = o; j < inner; j++, p += innerStep) {
        const v = x[i + j]!;
        // NaN wins, as in PyTorch's amax: once out[p] is NaN no comparison replaces it.
        if (v > out[p]! || v !== v) out[p] = v;
      }
    }
    for (let axis = rank - 2; axis >= 0; axis--) {
      const extent = shape[axis]!;
      if (++counter[axis]! < extent) {
        o += keptStrides[axis]!;
        break;
      }
      counter[axis] = 0;
      o -= keptStrides[axis]! * (extent - 1);
    }
  }
}

import type { Storage } from '../../tensor/dtype.js';
import { stridesOf, type Shape } from '../../tensor/shape.js';
import { ReduceCode } from '../codes.js';
import { forEachRun } from './strided.js';

/**
 * Reduce over `axes`. Every input element is visited once, in storage order; its output
 * position follows strides that are 0 on reduced axes.
 */
export function reduce(code: ReduceCode, x: Storage, shape: Shape, axes: readonly number[], out: Storage): void {
  // The two reductions training does at every step: over the leading axes (a bias gradient
  // sums the rows) and over the trailing ones (softmax and cross-entropy reduce each row).
  const leading = axes.every((axis, i) => axis === i);
  const trailing = axes.every((axis, i) => axis === shape.length - axes.length + i);
  if (leading || trailing) {
    const reduced = axes.reduce((product, axis) => product * shape[axis]!, 1);
    const kept = reduced === 0 ? out.length : x.length / reduced;
    if (leading) reduceRows(code, x, reduced, kept, out);
    else reduceColumns(code, x, kept, reduced, out);
    return;
  }
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

/** out[j] = ⊕ over i of x[i·columns + j]: whole rows at a time, in storage order. */
function reduceRows(code: ReduceCode, x: Storage, rows: number, columns: number, out: Storage): void {
  out.fill(code === ReduceCode.sum ? 0 : -Infinity);
  for (let i = 0; i < rows; i++) {
    const from = i * columns;
    if (code === ReduceCode.sum) {
      for (let j = 0; j < columns; j++) out[j] = out[j]! + x[from + j]!;
    } else {
      for (let j = 0; j < columns; j++) {
        const v = x[from + j]!;
        if (v > out[j]! || v !== v) out[j] = v;
      }
    }
  }
}

/** out[i] = ⊕ over j of x[i·columns + j], accumulated in a local double (float32 rounds once, at the end). */
function reduceColumns(code: ReduceCode, x: Storage, rows: number, columns: number, out: Storage): void {
  for (let i = 0; i < rows; i++) {
    const from = i * columns;
    if (code === ReduceCode.sum) {
      let sum = 0;
      for (let j = 0; j < columns; j++) sum += x[from + j]!;
      out[i] = sum;
    } else {
      let max = -Infinity;
      for (let j = 0; j < columns; j++) {
        const v = x[from + j]!;
        if (v > max || v !== v) max = v;
      }
      out[i] = max;
    }
  }
}

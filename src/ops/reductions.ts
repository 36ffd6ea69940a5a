import { ShapeError } from '../errors.js';
import { backend } from '../kernels/active.js';
import { BinaryCode, ReduceCode } from '../kernels/codes.js';
import { formatShape, type Shape } from '../tensor/shape.js';
import type { Algebra } from './algebra.js';
import { argAt, call } from './notation.js';
import { Precedence, type Notation, type OpDef, type ReduceAttrs } from './types.js';

/** x's shape with the reduced axes set to 1: where a reduction's result broadcasts back. */
export function keptShape(shape: Shape, axes: readonly number[]): Shape {
  return shape.map((extent, axis) => (axes.includes(axis) ? 1 : extent));
}

export function reducedShape(op: string, shape: Shape, { axes, keepdims }: ReduceAttrs): Shape {
  for (const axis of axes) {
    if (!Number.isInteger(axis) || axis < 0 || axis >= shape.length) {
      throw new ShapeError(`${op}: axis ${axis} is out of range for shape ${formatShape(shape)}`);
    }
  }
  return keepdims ? keptShape(shape, axes) : shape.filter((_, axis) => !axes.includes(axis));
}

/** Number of elements that were reduced into each output element. */
export function reducedCount(shape: Shape, axes: readonly number[]): number {
  return axes.reduce((count, axis) => count * (shape[axis] ?? 1), 1);
}

/** Bring a reduction's result (or its gradient) back to the input's shape. */
export function spreadBack<T>(m: Algebra<T>, reduced: T, inputShape: Shape, { axes, keepdims }: ReduceAttrs): T {
  const kept = keepdims ? reduced : m.reshape(reduced, keptShape(inputShape, axes));
  return m.broadcastTo(kept, inputShape);
}

function reductionNotation(ascii: string, pretty: string, latex: string) {
  return {
    precedence: Precedence.atom,
    write: (args: readonly { text: string; precedence: number }[], _attrs: unknown, style: 'ascii' | 'pretty' | 'latex') => {
      const x = argAt(args, 0).text;
      return style === 'ascii' ? `${ascii}(${x})` : style === 'pretty' ? `${pretty}(${x})` : `${latex}\\left(${x}\\right)`;
    },
  };
}

export const sum: OpDef<ReduceAttrs> = {
  name: 'sum', summary: 'sum over axes', arity: 1, differentiable: true,
  // In matrix formulas sum(X) adds every element.
  matrixGrammarNames: ['sum'],
  outputShape: ([x = []], attrs) => reducedShape('sum', x, attrs),
  forward: ([x], { axes }, out) => backend().reduce(ReduceCode.sum, x!.data, x!.shape, axes, out),
  // ∂(Σx)/∂xᵢ = 1: the gradient is copied back to every element
  vjp: (m, { inputs: [x], gy, attrs }) => [spreadBack(m, gy, m.shapeOf(x!), attrs)],
  notation: alongAxisNotation(reductionNotation('sum', 'Σ', '\\sum'), 'colsum', 'rowsum'),
};

export const mean: OpDef<ReduceAttrs> = {
  name: 'mean', summary: 'mean over axes', arity: 1, differentiable: true,
  outputShape: ([x = []], attrs) => reducedShape('mean', x, attrs),
  forward([x], { axes }, out, outShape) {
    backend().reduce(ReduceCode.sum, x!.data, x!.shape, axes, out);
    const scale = out instanceof Float32Array ? Float32Array.of(1 / reducedCount(x!.shape, axes)) : Float64Array.of(1 / reducedCount(x!.shape, axes));
    backend().binary(BinaryCode.mul, out, outShape, scale, [], out, outShape);
  },
  // ∂(mean x)/∂xᵢ = 1/n
  vjp: (m, { inputs: [x], gy, attrs }) => {
    const shape = m.shapeOf(x!);
    return [m.scale(spreadBack(m, gy, shape, attrs), 1 / reducedCount(shape, attrs.axes))];
  },
  notation: alongAxisNotation(call({ ascii: 'mean', latex: '\\operatorname{mean}' }), 'colmean', 'rowmean'),
};

/**
 * A reduction of everything written as itself (Σ(W²), mean((ŷ − y)²)); one along a single axis
 * that stays as a row or a column says which, so it is not read as the total: batch norm's mean
 * of each column colmean(X), layer norm's mean of each row rowmean(X), softmax's sum of each row
 * rowsum(d ⊙ ŷ), which Σ(d ⊙ ŷ) would write like L2's total Σ(W²).
 */
function alongAxisNotation(whole: Notation<unknown>, down: string, across: string): Notation<unknown> {
  const [columns, rows] = [down, across].map((name) => call({ ascii: name, latex: `\\operatorname{${name}}` }));
  return {
    precedence: Precedence.atom,
    write: (args, attrs, style) => {
      const { axes, keepdims } = attrs as ReduceAttrs;
      if (!keepdims || axes.length !== 1) return whole.write(args, attrs, style);
      return (axes[0] === 0 ? columns : rows)!.write(args, attrs, style);
    },
  };
}

export const max: OpDef<ReduceAttrs> = {
  name: 'max', summary: 'maximum over axes', arity: 1, differentiable: true,
  outputShape: ([x = []], attrs) => reducedShape('max', x, attrs),
  forward: ([x], { axes }, out) => backend().reduce(ReduceCode.max, x!.data, x!.shape, axes, out),
  // ∂(max x)/∂xᵢ = [xᵢ = max]/(number of maxima): ties share the gradient, as PyTorch's amax
  vjp: (m, { inputs: [x], output: y, gy, attrs }) => {
    const shape = m.shapeOf(x!);
    const isMax = m.eq(x!, spreadBack(m, y, shape, attrs));
    const ties = m.sum(isMax, attrs.axes, true);
    return [m.div(m.mul(isMax, spreadBack(m, gy, shape, attrs)), m.broadcastTo(ties, shape))];
  },
  notation: reductionNotation('max', 'max', '\\max'),
};

import { backend } from '../kernels/active.js';
import { BinaryCode, ReduceCode, UnaryCode } from '../kernels/codes.js';
import { allocate, dtypeOf, type Storage } from '../tensor/dtype.js';
import { formatShape, sizeOf, type Shape } from '../tensor/shape.js';
import { ShapeError } from '../errors.js';
import { call } from './notation.js';
import { keptShape, reducedShape, spreadBack } from './reductions.js';
import type { AxisAttrs, KernelInput, OpDef, ReduceAttrs } from './types.js';

/** exp(x − max x) into `out`, and its sums over `axes` (shape kept); the max keeps exp finite. */
function shiftedExp(x: KernelInput, axes: readonly number[], out: Storage): { sums: Storage; maxima: Storage; kept: Shape } {
  const kernels = backend();
  const kept = keptShape(x.shape, axes);
  const maxima = allocate(dtypeOf(x.data), sizeOf(kept));
  kernels.reduce(ReduceCode.max, x.data, x.shape, axes, maxima);
  // A row of −∞ (or +∞) would give ∞ − ∞; shift such rows by 0 instead.
  for (let i = 0; i < maxima.length; i++) if (!Number.isFinite(maxima[i]!)) maxima[i] = 0;
  kernels.binary(BinaryCode.sub, x.data, x.shape, maxima, kept, out, x.shape);
  kernels.unary(UnaryCode.exp, out, out);
  const sums = allocate(dtypeOf(x.data), sizeOf(kept));
  kernels.reduce(ReduceCode.sum, out, x.shape, axes, sums);
  return { sums, maxima, kept };
}

export const softmax: OpDef<AxisAttrs> = {
  name: 'softmax', summary: 'softmax along an axis', arity: 1, differentiable: true,
  outputShape([x = []], { axis }) {
    if (!Number.isInteger(axis) || axis < 0 || axis >= x.length) {
      throw new ShapeError(`softmax: axis ${axis} is out of range for shape ${formatShape(x)}`);
    }
    return x;
  },
  forward([x], { axis }, out) {
    const { sums, kept } = shiftedExp(x!, [axis], out);
    backend().binary(BinaryCode.div, out, x!.shape, sums, kept, out, x!.shape);
  },
  // ∂pᵢ/∂xⱼ = pᵢ([i = j] − pⱼ), used as p ⊙ (g − Σ g⊙p)
  vjp: (m, { output: y, gy, attrs }) => {
    const dot = m.sum(m.mul(gy, y), [attrs.axis], true);
    return [m.mul(y, m.sub(gy, m.broadcastTo(dot, m.shapeOf(y))))];
  },
  notation: call({ ascii: 'softmax', latex: '\\operatorname{softmax}' }),
  // The same ∂pᵢ/∂xⱼ as the vjp's comment, for explanations: i and j index a row's classes.
  jacobian: (x, p) => ({
    pretty: `∂${p.pretty}ᵢ/∂${x.pretty}ⱼ = ${p.pretty}ᵢ·([i = j] − ${p.pretty}ⱼ)`,
    latex: `\\frac{\\partial {${p.latex}}_{i}}{\\partial {${x.latex}}_{j}} = {${p.latex}}_{i}\\left([i = j] - {${p.latex}}_{j}\\right)`,
  }),
};

export const logsumexp: OpDef<ReduceAttrs> = {
  name: 'logsumexp', summary: 'log Σ exp over axes', arity: 1, differentiable: true,
  outputShape: ([x = []], attrs) => reducedShape('logsumexp', x, attrs),
  forward([x], { axes }, out) {
    const scratch = allocate(dtypeOf(x!.data), x!.data.length);
    const { sums, maxima } = shiftedExp(x!, axes, scratch);
    // log Σ exp(x) = m + log Σ exp(x − m)
    for (let i = 0; i < out.length; i++) out[i] = maxima[i]! + Math.log(sums[i]!);
  },
  // ∂(log Σ eˣ)/∂xᵢ = softmax(x)ᵢ = exp(xᵢ − y)
  vjp: (m, { inputs: [x], output: y, gy, attrs }) => {
    const shape = m.shapeOf(x!);
    return [m.mul(spreadBack(m, gy, shape, attrs), m.exp(m.sub(x!, spreadBack(m, y, shape, attrs))))];
  },
  notation: call({ ascii: 'logsumexp', latex: '\\operatorname{logsumexp}' }),
};

import { makeAlgebra, type Algebra } from '../ops/algebra.js';
import { registry } from '../ops/registry.js';
import type { OpAttrs, OpDef, OpName } from '../ops/types.js';
import { allocate, promote, type DType } from '../tensor/dtype.js';
import { sizeOf } from '../tensor/shape.js';
import { isGradEnabled } from './grad-mode.js';
import { Tensor, type Creator } from './tensor.js';

function resultDtype(inputs: readonly Tensor[]): DType {
  let dtype = inputs[0]?.dtype ?? 'float64';
  for (let i = 1; i < inputs.length; i++) dtype = promote(dtype, inputs[i]!.dtype);
  return dtype;
}

/**
 * Run one registry op: check shapes, compute the forward kernel and — when any input wants
 * a gradient and recording is on — remember how the result was made.
 */
export function apply<N extends OpName>(name: N, inputs: readonly Tensor[], attrs: OpAttrs[N]): Tensor {
  const op = registry[name] as OpDef<OpAttrs[N]>;
  let tracking = false;
  if (op.differentiable && isGradEnabled()) {
    for (const input of inputs) if (input.requiresGrad) tracking = true;
  }
  const creator: Creator | null = tracking ? { op, inputs, attrs } : null;
  const dtype = resultDtype(inputs);

  const scalarForward = op.forwardScalar;
  if (scalarForward !== undefined && inputs.every((input) => input.shape.length === 0)) {
    const b = inputs[1];
    return Tensor.scalar(scalarForward(inputs[0]!.item(), b === undefined ? 0 : b.item()), dtype, creator);
  }

  const shape = op.outputShape(inputs.map((input) => input.shape), attrs);
  if (op.aliasesInput === true) return new Tensor(inputs[0]!.data, shape, dtype, creator);
  const out = allocate(dtype, sizeOf(shape));
  op.forward(inputs, attrs, out, shape);
  return new Tensor(out, shape, dtype, creator);
}

/** The algebra vjps run in when differentiating tensors: each rule step is a recorded op. */
export const tensorAlgebra: Algebra<Tensor> = makeAlgebra<Tensor>({
  apply,
  constant: (value, like) => Tensor.scalar(value, like.dtype),
  shapeOf: (x) => x.shape,
});

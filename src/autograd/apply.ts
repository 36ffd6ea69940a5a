import { makeAlgebra, type Algebra } from '../ops/algebra.js';
import { registry } from '../ops/registry.js';
import type { OpAttrs, OpDef, OpName } from '../ops/types.js';
import { allocate, promote } from '../tensor/dtype.js';
import { sizeOf } from '../tensor/shape.js';
import { isGradEnabled, tracingDepth } from './grad-mode.js';
import { NO_INPUTS, SCALAR_SHAPE, Tensor } from './tensor.js';

/**
 * Run one registry op: check shapes, compute the forward kernel and — when any input wants
 * a gradient and recording is on — remember how the result was made.
 */
export function apply<N extends OpName>(name: N, inputs: readonly Tensor[], attrs: OpAttrs[N]): Tensor {
  return applyOp(registry[name], inputs, attrs);
}

/** apply() with the op already looked up (the public functions look theirs up once). */
export function applyOp(op: OpDef<OpAttrs[OpName]>, inputs: readonly Tensor[], attrs: unknown): Tensor {
  const count = inputs.length;
  let tracking = false;
  let allScalar = true;
  let dtype = inputs[0]?.dtype ?? 'float64';
  for (let i = 0; i < count; i++) {
    const input = inputs[i]!;
    if (input.requiresGrad) tracking = true;
    if (input.shape.length !== 0) allScalar = false;
    if (input.dtype !== dtype) dtype = promote(dtype, input.dtype);
  }
  tracking = tracking && op.differentiable && isGradEnabled();
  // A result that records nothing must not hold its inputs: that would keep the history alive.
  const recording = tracking || (tracingDepth > 0 && inputs.some(hasHistory));
  const recordedOp = recording ? op : null;
  const recordedInputs = recording ? inputs : NO_INPUTS;
  const recordedAttrs = recording ? attrs : undefined;

  let result: Tensor;
  // 0-d fast path: one number in, one number out, no typed array (micrograd-style graphs).
  const scalarForward = op.forwardScalar;
  if (scalarForward !== undefined && allScalar && count <= 2) {
    const value = scalarForward(inputs[0]!.item(), count === 2 ? inputs[1]!.item() : 0);
    result = new Tensor(null, SCALAR_SHAPE, dtype, recordedOp, recordedInputs, recordedAttrs, dtype === 'float32' ? Math.fround(value) : value);
  } else {
    const shape = op.outputShape(inputs.map((input) => input.shape), attrs as never);
    if (op.aliasesInput === true) {
      result = new Tensor(inputs[0]!.data, shape, dtype, recordedOp, recordedInputs, recordedAttrs);
    } else {
      const out = allocate(dtype, sizeOf(shape));
      op.forward(inputs, attrs as never, out, shape);
      result = new Tensor(out, shape, dtype, recordedOp, recordedInputs, recordedAttrs);
    }
  }
  // Recorded only for a trace (a mask, say): it has a history but no gradient flows through it.
  if (recording && !tracking) result.requiresGrad = false;
  return result;
}

/** Whether a value depends on something a trace feeds in (see traceAll). */
function hasHistory(input: Tensor): boolean {
  return input.requiresGrad || input.op !== null;
}

/** The algebra vjps run in when differentiating tensors: each rule step is a recorded op. */
export const tensorAlgebra: Algebra<Tensor> = makeAlgebra<Tensor>({
  apply,
  constant: (value, like) => Tensor.constant(value, like.dtype),
  shapeOf: (x) => x.shape,
});

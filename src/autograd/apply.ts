import { makeAlgebra, type Algebra } from '../ops/algebra.js';
import { registry } from '../ops/registry.js';
import type { OpAttrs, OpDef, OpName } from '../ops/types.js';
import { promote, type DType, type Storage } from '../tensor/dtype.js';
import { takeStorage } from '../tensor/storage-pool.js';
import { sizeOf } from '../tensor/shape.js';
import { isGradEnabled, tracingDepth } from './grad-mode.js';
import { markShared, SCALAR_SHAPE, Tensor } from './tensor.js';

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
  if (count === 1) return applyUnary(op, inputs[0]!, attrs);
  if (count === 2) return applyBinary(op, inputs[0]!, inputs[1]!, attrs);
  let tracking = false;
  let dtype = inputs[0]?.dtype ?? 'float64';
  for (const input of inputs) {
    if (input.requiresGrad) tracking = true;
    if (input.dtype !== dtype) dtype = promote(dtype, input.dtype);
  }
  tracking = tracking && op.differentiable && isGradEnabled();
  const recording = tracking || (tracingDepth > 0 && inputs.some(hasHistory));
  // Three or more inputs (concat) are kept as a list of their own; the caller's array may change.
  const list = recording && count > 0 ? Object.freeze(inputs.slice()) : null;
  return run(op, inputs, attrs, dtype, recording, tracking, list === null ? null : list[0]!, list);
}

/**
 * applyOp() for an op of two inputs, without an inputs array: a 0-d graph (micrograd-style)
 * makes a million of these, and its results keep the inputs inline (see Tensor.input0).
 */
export function applyBinary(op: OpDef<OpAttrs[OpName]>, a: Tensor, b: Tensor, attrs: unknown): Tensor {
  const dtype = a.dtype === b.dtype ? a.dtype : promote(a.dtype, b.dtype);
  const tracking = (a.requiresGrad || b.requiresGrad) && op.differentiable && isGradEnabled();
  // A result that records nothing must not hold its inputs: that would keep the history alive.
  const recording = tracking || (tracingDepth > 0 && (hasHistory(a) || hasHistory(b)));
  const scalarForward = op.forwardScalar;
  if (scalarForward !== undefined && a.shape.length === 0 && b.shape.length === 0) {
    // 0-d fast path: one number in, one number out, no typed array.
    const value = scalarForward(a.item(), b.item());
    // One constructor call site (not one per branch), so V8 inlines it and the value is never boxed.
    const result = new Tensor(
      null, SCALAR_SHAPE, dtype, recording ? op : null, recording ? a : null, recording ? b : null,
      recording ? attrs : undefined, dtype === 'float32' ? Math.fround(value) : value,
    );
    // Recorded only for a trace (a mask, say): it has a history but no gradient flows through it.
    if (recording && !tracking) result.requiresGrad = false;
    return result;
  }
  return run(op, [a, b], attrs, dtype, recording, tracking, a, b);
}

/** applyOp() for an op of one input (see applyBinary). */
export function applyUnary(op: OpDef<OpAttrs[OpName]>, x: Tensor, attrs: unknown): Tensor {
  const dtype = x.dtype;
  const tracking = x.requiresGrad && op.differentiable && isGradEnabled();
  const recording = tracking || (tracingDepth > 0 && hasHistory(x));
  const scalarForward = op.forwardScalar;
  if (scalarForward !== undefined && x.shape.length === 0) {
    const value = scalarForward(x.item(), 0);
    const result = new Tensor(
      null, SCALAR_SHAPE, dtype, recording ? op : null, recording ? x : null, null,
      recording ? attrs : undefined, dtype === 'float32' ? Math.fround(value) : value,
    );
    if (recording && !tracking) result.requiresGrad = false;
    return result;
  }
  return run(op, [x], attrs, dtype, recording, tracking, x, null);
}

/** The general path: shape rule, forward kernel into new storage (or the input's, for aliases). */
function run(
  op: OpDef<OpAttrs[OpName]>, inputs: readonly Tensor[], attrs: unknown, dtype: DType, recording: boolean, tracking: boolean,
  input0: Tensor | null, input1: Tensor | readonly Tensor[] | null,
): Tensor {
  const shape = op.outputShape(inputs.map((input) => input.shape), attrs as never);
  let storage: Storage;
  if (op.aliasesInput === true) {
    storage = inputs[0]!.data;
    markShared(storage);
  } else {
    storage = takeStorage(dtype, sizeOf(shape));
    op.forward(inputs, attrs as never, storage, shape);
  }
  const result = recording
    ? new Tensor(storage, shape, dtype, op, input0, input1, attrs)
    : new Tensor(storage, shape, dtype);
  if (recording && !tracking) result.requiresGrad = false;
  return result;
}

/** Whether a value depends on something a trace feeds in (see traceAll). */
function hasHistory(input: Tensor): boolean {
  return input.requiresGrad || input.op !== null;
}

const NO_ATTRS = {};

/** The algebra vjps run in when differentiating tensors: each rule step is a recorded op. */
export const tensorAlgebra: Algebra<Tensor> = makeAlgebra<Tensor>({
  apply,
  constant: (value, like) => Tensor.constant(value, like.dtype),
  shapeOf: (x) => x.shape,
  // Rule steps on one or two tensors skip apply()'s inputs array and registry lookup.
  direct(name) {
    const op = registry[name];
    return op.arity === 2 ? (a, b) => applyBinary(op, a, b, NO_ATTRS) : (x) => applyUnary(op, x, NO_ATTRS);
  },
});

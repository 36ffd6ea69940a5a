import { ShapeError } from '../errors.js';
import { formatShape, normaliseAxis, type Shape } from '../tensor/shape.js';
import type { BinaryFunctions, UnaryFunctions } from '../ops/families.js';
import { registry } from '../ops/registry.js';
import type { BinaryName, OpName, UnaryName } from '../ops/types.js';
import { apply, applyBinary, applyUnary } from './apply.js';
import { Tensor } from './tensor.js';
import type * as api from './api.js';

/** The public tensor functions (PyTorch/TF.js names); each is one registry op or a composition. */

export type TensorLike = Tensor | number;
/** An axis, several axes, or undefined for all of them. Negative axes count from the end. */
export type Axes = number | readonly number[] | undefined;

const NONE = {};

function asTensor(x: TensorLike, like?: Tensor): Tensor {
  return typeof x === 'number' ? Tensor.constant(x, like?.dtype) : x;
}

/** The public function of an elementwise op of two inputs; a number takes the other input's dtype. */
function binaryOp<N extends BinaryName>(name: N): (a: TensorLike, b: TensorLike) => Tensor {
  const op = registry[name];
  return (a, b) => {
    const ta = asTensor(a, typeof b === 'number' ? undefined : b);
    return applyBinary(op, ta, asTensor(b, ta), NONE);
  };
}

/** The public function of an elementwise op of one input. */
function unaryOp<N extends UnaryName>(name: N): (x: TensorLike) => Tensor {
  const op = registry[name];
  return (x) => applyUnary(op, asTensor(x), NONE);
}

// One line per op of the two elementwise families (an ES export needs its name written out);
// the check below makes a missing one a compile error.
export const add = binaryOp('add');
export const sub = binaryOp('sub');
export const mul = binaryOp('mul');
export const div = binaryOp('div');
export const pow = binaryOp('pow');
export const maximum = binaryOp('maximum');
export const minimum = binaryOp('minimum');
export const gt = binaryOp('gt');
export const ge = binaryOp('ge');
export const lt = binaryOp('lt');
export const le = binaryOp('le');
export const eq = binaryOp('eq');
export const ne = binaryOp('ne');
export const neg = unaryOp('neg');
export const exp = unaryOp('exp');
export const log = unaryOp('log');
export const sqrt = unaryOp('sqrt');
export const abs = unaryOp('abs');
export const sin = unaryOp('sin');
export const cos = unaryOp('cos');
export const tanh = unaryOp('tanh');
export const sigmoid = unaryOp('sigmoid');
export const relu = unaryOp('relu');
export const step = unaryOp('step');
export const sign = unaryOp('sign');
export const softplus = unaryOp('softplus');
export const softsign = unaryOp('softsign');
export const tan = unaryOp('tan');
export const asin = unaryOp('asin');
export const acos = unaryOp('acos');
export const atan = unaryOp('atan');
export const sinh = unaryOp('sinh');
export const cosh = unaryOp('cosh');

/**
 * Compile-time check: this module exports a function for every registry op (the elementwise
 * families with their uniform signatures), so the package root, which re-exports it whole,
 * exports every op. A missing op shows up here by name.
 */
type MissingFunctions = Exclude<OpName, keyof typeof api>;
const _everyOpHasAFunction: [MissingFunctions] extends [never] ? true : MissingFunctions = true;
type FamilySignatures<T extends UnaryFunctions<TensorLike, Tensor> & BinaryFunctions<TensorLike, Tensor>> = T;
type _FamiliesHaveTheirSignatures = FamilySignatures<typeof api>;

function axesOf(op: string, x: Tensor, axes: Axes): number[] {
  if (axes === undefined) return [...x.shape.keys()];
  const list = typeof axes === 'number' ? [axes] : axes;
  const normalised = list.map((axis) => {
    const n = normaliseAxis(axis, x.rank);
    if (n === null) throw new ShapeError(`${op}: axis ${axis} is out of range for shape ${formatShape(x.shape)}`);
    return n;
  });
  return [...new Set(normalised)].sort((p, q) => p - q);
}

export function sum(x: Tensor, axes?: Axes, keepdims = false): Tensor {
  return apply('sum', [x], { axes: axesOf('sum', x, axes), keepdims });
}
export function mean(x: Tensor, axes?: Axes, keepdims = false): Tensor {
  return apply('mean', [x], { axes: axesOf('mean', x, axes), keepdims });
}
export function max(x: Tensor, axes?: Axes, keepdims = false): Tensor {
  return apply('max', [x], { axes: axesOf('max', x, axes), keepdims });
}
export function logsumexp(x: Tensor, axes?: Axes, keepdims = false): Tensor {
  return apply('logsumexp', [x], { axes: axesOf('logsumexp', x, axes), keepdims });
}
export function softmax(x: Tensor, axis = -1): Tensor {
  const [normalised] = axesOf('softmax', x, axis);
  return apply('softmax', [x], { axis: normalised! });
}
/**
 * Cross-entropy of softmax(logits) against targets of the same shape (one-hot rows or
 * probabilities), one number per row: logsumexp − Σ targets·logits over the last axis.
 */
export function softmaxCrossEntropy(logits: Tensor, targets: Tensor): Tensor {
  return apply('softmaxCrossEntropy', [logits, targets], NONE);
}

/**
 * Matrix product with NumPy's rules: 2-D and batched (leading axes broadcast); a 1-D
 * operand is a row (left) or column (right) vector whose axis is dropped from the result.
 */
export function matmul(a: Tensor, b: Tensor): Tensor {
  const left = a.rank === 1 ? reshape(a, [1, a.shape[0]!]) : a;
  const right = b.rank === 1 ? reshape(b, [b.shape[0]!, 1]) : b;
  const product = apply('matmul', [left, right], NONE);
  if (a.rank !== 1 && b.rank !== 1) return product;
  const shape = product.shape.slice();
  if (b.rank === 1) shape.pop();
  if (a.rank === 1) shape.splice(shape.length - (b.rank === 1 ? 1 : 2), 1);
  return reshape(product, shape);
}

export function reshape(x: Tensor, shape: readonly number[]): Tensor {
  // One −1 means "whatever is left", as in NumPy.
  const unknown = shape.indexOf(-1);
  let resolved: Shape = shape;
  if (unknown >= 0) {
    const known = shape.reduce((product, extent, i) => (i === unknown ? product : product * extent), 1);
    resolved = shape.map((extent, i) => (i === unknown ? (known === 0 ? 0 : x.size / known) : extent));
  }
  return apply('reshape', [x], { shape: resolved });
}

/** Permute axes; without `perm`, swap the last two (the matrix transpose). */
export function transpose(x: Tensor, perm?: readonly number[]): Tensor {
  if (perm === undefined) {
    if (x.rank < 2) return x;
    const swapped = [...x.shape.keys()];
    swapped[x.rank - 2] = x.rank - 1;
    swapped[x.rank - 1] = x.rank - 2;
    return apply('transpose', [x], { perm: swapped });
  }
  return apply('transpose', [x], { perm });
}

export function broadcastTo(x: Tensor, shape: readonly number[]): Tensor {
  return apply('broadcastTo', [x], { shape });
}

/** The part with begin[axis] ≤ index < end[axis]; negative bounds count from the end. */
export function slice(x: Tensor, begin: readonly number[], end: readonly number[]): Tensor {
  const bound = (value: number | undefined, axis: number, fallback: number) =>
    value === undefined ? fallback : value < 0 ? value + x.shape[axis]! : value;
  return apply('slice', [x], {
    begin: x.shape.map((_, axis) => bound(begin[axis], axis, 0)),
    end: x.shape.map((extent, axis) => bound(end[axis], axis, extent)),
  });
}

/** x[i] along the first axis (the axis is dropped). */
export function index(x: Tensor, i: number): Tensor {
  const extent = x.shape[0];
  if (extent === undefined) throw new ShapeError('index: a 0-d tensor has no axis to index');
  const at = i < 0 ? i + extent : i;
  if (!Number.isInteger(at) || at < 0 || at >= extent) throw new ShapeError(`index: ${i} is out of range for an axis of length ${extent}`);
  return reshape(slice(x, [at], [at + 1]), x.shape.slice(1));
}

export function concat(xs: readonly Tensor[], axis = 0): Tensor {
  const first = xs[0];
  if (first === undefined) throw new ShapeError('concat: needs at least one tensor');
  const normalised = normaliseAxis(axis, first.rank);
  if (normalised === null) throw new ShapeError(`concat: axis ${axis} is out of range for shape ${formatShape(first.shape)}`);
  return apply('concat', xs, { axis: normalised });
}

/** x placed at `begin` in zeros of `shape` (the adjoint of slice: its vjp). */
export function place(x: Tensor, shape: readonly number[], begin: readonly number[]): Tensor {
  return apply('place', [x], { shape, begin });
}

/** A new node with the same value (gradients pass through unchanged). */
export function identity(x: Tensor): Tensor {
  return apply('identity', [x], NONE);
}

/** max(x, αx): slope α (default 0.01, as PyTorch) for negative inputs. */
export function leakyRelu(x: TensorLike, slope = 0.01): Tensor {
  return apply('leakyRelu', [asTensor(x)], { slope });
}

export {
  conv1d, conv2d, conv2dBackwardInput, conv2dBackwardWeight, unfold, fold, maxPool2d, maxPool2dBackward, avgPool2d, flatten,
  type Pair, type WindowOptions, type ConvOptions, type Conv1dOptions,
} from './convolution.js';
/** The trace of a square matrix, tr X = Σᵢ Xᵢᵢ (a 0-d tensor). */
export function trace(x: Tensor): Tensor {
  return apply('trace', [x], NONE);
}
/** The determinant of a square matrix (a 0-d tensor); its gradient is det X · X⁻ᵀ. */
export function det(x: Tensor): Tensor {
  return apply('det', [x], NONE);
}
/** The inverse of a square matrix; a singular matrix gives NaN in every element. */
export function inv(x: Tensor): Tensor {
  return apply('inv', [x], NONE);
}
/** The identity matrix of x's size (x square); it carries no gradient. */
export function eyeLike(x: Tensor): Tensor {
  return apply('eyeLike', [x], NONE);
}
/** diag (MATLAB's): a vector's n×n diagonal matrix, or a square matrix's diagonal as an n×1 column. */
export function diag(x: Tensor): Tensor {
  return apply('diag', [x], NONE);
}
/** The commutation matrix of x's shape (mn×mn for x m×n): K·vec x = vec xᵀ, vec stacking columns. It carries no gradient. */
export function commutation(x: Tensor): Tensor {
  return apply('commutation', [x], NONE);
}
/** The Kronecker product of two matrices (MATLAB's kron, torch.kron): block (i, j) of the result is Aᵢⱼ·B. */
export function kron(a: Tensor, b: Tensor): Tensor {
  return apply('kron', [a, b], NONE);
}

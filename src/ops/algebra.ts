import { sameShape, type Shape } from '../tensor/shape.js';
import { binaryNames, unaryNames, type BinaryFunctions, type UnaryFunctions } from './families.js';
import type { BinaryName, ConvAttrs, ConvInputGradAttrs, ConvWeightGradAttrs, FoldAttrs, OpAttrs, OpName, PoolAttrs, UnaryName, UnfoldAttrs } from './types.js';

/** What an algebra implementation supplies: applying a registry op, constants and shapes. */
export interface AlgebraBase<T> {
  apply<N extends OpName>(name: N, inputs: readonly T[], attrs: OpAttrs[N]): T;
  constant(value: number, like: T): T;
  shapeOf(x: T): Shape;
  /**
   * Optional: a direct function for the op of one or two inputs (and no attributes) called
   * `name`, used instead of apply() — no inputs array, no lookup per rule step. A unary op's
   * function is called with its input twice.
   */
  direct?(name: OpName): ((a: T, b: T) => T) | undefined;
}

/**
 * The vocabulary every vjp is written in. Implemented over tensors (autodiff, and again for
 * higher derivatives) and over symbols (derivative formulas); a rule is written once.
 */
export interface Algebra<T> extends AlgebraBase<T>, UnaryFunctions<T, T>, BinaryFunctions<T, T> {
  /**
   * True: rules write the terms that only choose a limit at a single point (pow's [a = 0] terms).
   * False (withoutLimitTerms): a rule as a textbook writes it (b·aᵇ⁻¹, not b·(a + [a = 0]·[b = 0])ᵇ⁻¹),
   * for a derivative printed where it has the same value.
   */
  readonly limitTerms: boolean;
  leakyRelu(x: T, slope: number): T;
  matmul(a: T, b: T): T;
  /** Swap the last two axes (the matrix transpose). */
  mT(x: T): T;
  transpose(x: T, perm: readonly number[]): T;
  reshape(x: T, shape: Shape): T;
  broadcastTo(x: T, shape: Shape): T;
  sum(x: T, axes: readonly number[], keepdims: boolean): T;
  mean(x: T, axes: readonly number[], keepdims: boolean): T;
  max(x: T, axes: readonly number[], keepdims: boolean): T;
  softmax(x: T, axis: number): T;
  logsumexp(x: T, axes: readonly number[], keepdims: boolean): T;
  /** Per row over the last axis: logsumexp(z) − Σ y·z. */
  softmaxCrossEntropy(z: T, y: T): T;
  slice(x: T, begin: readonly number[], end: readonly number[]): T;
  place(x: T, shape: Shape, begin: readonly number[]): T;
  concat(xs: readonly T[], axis: number): T;
  /** im2col: every window position of x [N, C, H, W] as a column. */
  unfold(x: T, attrs: UnfoldAttrs): T;
  /** col2im, unfold's adjoint. */
  fold(cols: T, attrs: FoldAttrs): T;
  /** 2-D convolution (no bias). */
  conv2d(x: T, w: T, attrs: ConvAttrs): T;
  /** conv2d's gradient by its input, from gy and the weight. */
  conv2dBackwardInput(gy: T, w: T, attrs: ConvInputGradAttrs): T;
  /** conv2d's gradient by its weight, from the input and gy. */
  conv2dBackwardWeight(x: T, gy: T, attrs: ConvWeightGradAttrs): T;
  maxPool2d(x: T, attrs: PoolAttrs): T;
  /** Max pooling's vjp: gy shared among each window's winners in x. */
  maxPool2dBackward(x: T, gy: T, attrs: PoolAttrs): T;
  avgPool2d(x: T, attrs: PoolAttrs): T;
  /** Sum a broadcast gradient back down to `shape` (the engine's job, not each rule's). */
  sumTo(x: T, shape: Shape): T;
  /** x multiplied by a plain number. */
  scale(x: T, factor: number): T;
  trace(x: T): T;
  det(x: T): T;
  inv(x: T): T;
  /** The identity matrix of x's size (x square). */
  eyeLike(x: T): T;
  /** The diagonal matrix of a vector, or the diagonal of a square matrix as a column. */
  diag(x: T): T;
  /** The Kronecker product of two matrices. */
  kron(a: T, b: T): T;
}

const NONE = {};

export function makeAlgebra<T>(base: AlgebraBase<T>): Algebra<T> {
  const apply = base.apply.bind(base);
  const binary = (name: BinaryName | 'matmul' | 'kron'): ((a: T, b: T) => T) =>
    base.direct?.(name) ?? ((a, b) => apply(name, [a, b], NONE));
  const unary = (name: UnaryName): ((x: T) => T) => {
    const direct = base.direct?.(name);
    return direct === undefined ? (x) => apply(name, [x], NONE) : (x) => direct(x, x);
  };
  const unaryFunctions = Object.fromEntries(unaryNames.map((name) => [name, unary(name)])) as UnaryFunctions<T, T>;
  const binaryFunctions = Object.fromEntries(binaryNames.map((name) => [name, binary(name)])) as BinaryFunctions<T, T>;
  const algebra: Algebra<T> = {
    apply,
    limitTerms: true,
    constant: base.constant.bind(base),
    shapeOf: base.shapeOf.bind(base),
    ...unaryFunctions,
    ...binaryFunctions,
    matmul: binary('matmul'),
    leakyRelu: (x, slope) => apply('leakyRelu', [x], { slope }),
    mT(x) {
      const rank = base.shapeOf(x).length;
      const perm = [...Array(rank).keys()];
      perm[rank - 2] = rank - 1;
      perm[rank - 1] = rank - 2;
      return apply('transpose', [x], { perm });
    },
    transpose: (x, perm) => apply('transpose', [x], { perm }),
    reshape: (x, shape) => apply('reshape', [x], { shape }),
    broadcastTo: (x, shape) => apply('broadcastTo', [x], { shape }),
    sum: (x, axes, keepdims) => apply('sum', [x], { axes, keepdims }),
    mean: (x, axes, keepdims) => apply('mean', [x], { axes, keepdims }),
    max: (x, axes, keepdims) => apply('max', [x], { axes, keepdims }),
    softmax: (x, axis) => apply('softmax', [x], { axis }),
    logsumexp: (x, axes, keepdims) => apply('logsumexp', [x], { axes, keepdims }),
    softmaxCrossEntropy: (z, y) => apply('softmaxCrossEntropy', [z, y], NONE),
    slice: (x, begin, end) => apply('slice', [x], { begin, end }),
    place: (x, shape, begin) => apply('place', [x], { shape, begin }),
    concat: (xs, axis) => apply('concat', xs, { axis }),
    unfold: (x, attrs) => apply('unfold', [x], attrs),
    fold: (cols, attrs) => apply('fold', [cols], attrs),
    conv2d: (x, w, attrs) => apply('conv2d', [x, w], attrs),
    conv2dBackwardInput: (gy, w, attrs) => apply('conv2dBackwardInput', [gy, w], attrs),
    conv2dBackwardWeight: (x, gy, attrs) => apply('conv2dBackwardWeight', [x, gy], attrs),
    maxPool2d: (x, attrs) => apply('maxPool2d', [x], attrs),
    maxPool2dBackward: (x, gy, attrs) => apply('maxPool2dBackward', [x, gy], attrs),
    avgPool2d: (x, attrs) => apply('avgPool2d', [x], attrs),
    sumTo(x, shape) {
      const from = base.shapeOf(x);
      if (sameShape(from, shape)) return x;
      // Leading axes that broadcasting added, and axes where the target has extent 1.
      const lead = from.length - shape.length;
      const axes: number[] = [];
      for (let axis = 0; axis < from.length; axis++) {
        if (axis < lead || (shape[axis - lead] === 1 && from[axis] !== 1)) axes.push(axis);
      }
      const summed = axes.length > 0 ? apply('sum', [x], { axes, keepdims: true }) : x;
      return sameShape(base.shapeOf(summed), shape) ? summed : apply('reshape', [summed], { shape });
    },
    scale: (x, factor) => algebra.mul(x, base.constant(factor, x)),
    trace: (x) => apply('trace', [x], NONE),
    det: (x) => apply('det', [x], NONE),
    inv: (x) => apply('inv', [x], NONE),
    eyeLike: (x) => apply('eyeLike', [x], NONE),
    diag: (x) => apply('diag', [x], NONE),
    kron: binary('kron'),
  };
  return algebra;
}

/** The same algebra with the rules written as a textbook writes them (Algebra.limitTerms false). */
export function withoutLimitTerms<T>(algebra: Algebra<T>): Algebra<T> {
  return { ...algebra, limitTerms: false };
}

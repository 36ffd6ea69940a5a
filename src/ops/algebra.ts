import { sameShape, type Shape } from '../tensor/shape.js';
import type { OpAttrs, OpName } from './types.js';

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
export interface Algebra<T> extends AlgebraBase<T> {
  add(a: T, b: T): T; sub(a: T, b: T): T; mul(a: T, b: T): T; div(a: T, b: T): T; pow(a: T, b: T): T;
  maximum(a: T, b: T): T; minimum(a: T, b: T): T;
  gt(a: T, b: T): T; ge(a: T, b: T): T; lt(a: T, b: T): T; le(a: T, b: T): T; eq(a: T, b: T): T; ne(a: T, b: T): T;
  neg(x: T): T; exp(x: T): T; log(x: T): T; sqrt(x: T): T; abs(x: T): T; sin(x: T): T; cos(x: T): T;
  tanh(x: T): T; sigmoid(x: T): T; relu(x: T): T; step(x: T): T; sign(x: T): T; softplus(x: T): T;
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
  /** Sum a broadcast gradient back down to `shape` (the engine's job, not each rule's). */
  sumTo(x: T, shape: Shape): T;
  /** x multiplied by a plain number. */
  scale(x: T, factor: number): T;
}

const NONE = {};

export function makeAlgebra<T>(base: AlgebraBase<T>): Algebra<T> {
  const apply = base.apply.bind(base);
  const binary = (name: OpName & keyof BinaryNames): ((a: T, b: T) => T) =>
    base.direct?.(name) ?? ((a, b) => apply(name, [a, b], NONE));
  const unary = (name: OpName & keyof UnaryNames): ((x: T) => T) => {
    const direct = base.direct?.(name);
    return direct === undefined ? (x) => apply(name, [x], NONE) : (x) => direct(x, x);
  };
  const algebra: Algebra<T> = {
    apply,
    constant: base.constant.bind(base),
    shapeOf: base.shapeOf.bind(base),
    add: binary('add'), sub: binary('sub'), mul: binary('mul'), div: binary('div'), pow: binary('pow'),
    maximum: binary('maximum'), minimum: binary('minimum'),
    gt: binary('gt'), ge: binary('ge'), lt: binary('lt'), le: binary('le'), eq: binary('eq'), ne: binary('ne'),
    neg: unary('neg'), exp: unary('exp'), log: unary('log'), sqrt: unary('sqrt'), abs: unary('abs'),
    sin: unary('sin'), cos: unary('cos'), tanh: unary('tanh'), sigmoid: unary('sigmoid'), relu: unary('relu'),
    step: unary('step'), sign: unary('sign'), softplus: unary('softplus'),
    leakyRelu: (x, slope) => apply('leakyRelu', [x], { slope }),
    matmul: binary('matmul'),
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
  };
  return algebra;
}

interface BinaryNames { add: 1; sub: 1; mul: 1; div: 1; pow: 1; maximum: 1; minimum: 1; gt: 1; ge: 1; lt: 1; le: 1; eq: 1; ne: 1; matmul: 1 }
interface UnaryNames { neg: 1; exp: 1; log: 1; sqrt: 1; abs: 1; sin: 1; cos: 1; tanh: 1; sigmoid: 1; relu: 1; step: 1; sign: 1; softplus: 1 }

import { backend } from '../kernels/active.js';
import { BinaryCode, UnaryCode } from '../kernels/codes.js';
import { broadcastShapes, formatShape, type Shape } from '../tensor/shape.js';
import { ShapeError } from '../errors.js';
import type { Algebra } from './algebra.js';
import type { BinaryName, Notation, NoAttrs, OpDef, OpFacts, UnaryName } from './types.js';

const SCALAR: Shape = [];

/** The broadcast output shape, or a ShapeError naming the op and both shapes. */
export function broadcastOrThrow(op: string, a: Shape, b: Shape): Shape {
  if (a.length === 0 && b.length === 0) return SCALAR;
  const shape = broadcastShapes(a, b);
  if (shape === null) {
    throw new ShapeError(`${op}: shapes ${formatShape(a)} and ${formatShape(b)} do not broadcast (each axis, from the right, must be equal or 1)`);
  }
  return shape;
}

interface UnarySpec {
  /** The op's name, which is also its kernel code's (kernels/codes.ts). */
  name: UnaryName;
  summary: string;
  /** Its names in the formula grammar, as OpDef.grammarNames; absent when it has none. */
  grammar?: readonly string[];
  differentiable?: boolean;
  /** What the worked solutions read of it (OpDef.neverZero …). */
  facts?: OpFacts;
  vjp<T>(m: Algebra<T>, io: { x: T; y: T; gy: T }): T | null;
  notation: Notation<unknown>;
}

/** An elementwise op of one input (JAX's `defjvp` idea: the family's plumbing written once). */
export function elementwiseUnary(spec: UnarySpec): OpDef<NoAttrs> {
  const code = UnaryCode[spec.name];
  return {
    name: spec.name,
    summary: spec.summary,
    ...(spec.grammar === undefined ? {} : { grammarNames: spec.grammar }),
    arity: 1,
    differentiable: spec.differentiable ?? true,
    outputShape: ([x]) => x ?? SCALAR,
    forward: ([x], _attrs, out) => backend().unary(code, x!.data, out),
    forwardScalar: (x) => backend().unaryScalar(code, x),
    unaryCode: code,
    // Property reads rather than array destructuring: this runs once per node of a scalar graph.
    vjp: (m, ctx) => [spec.vjp(m, { x: ctx.inputs[0]!, y: ctx.output, gy: ctx.gy })],
    notation: spec.notation,
    ...spec.facts,
  };
}

interface BinarySpec {
  /** The op's name, which is also its kernel code's (kernels/codes.ts). */
  name: BinaryName;
  summary: string;
  /** Its names in the formula grammar, as OpDef.grammarNames; absent for operators (+ − * / ^). */
  grammar?: readonly string[];
  differentiable?: boolean;
  /** What the worked solutions read of it (OpDef.neverZero …). */
  facts?: OpFacts;
  vjp<T>(m: Algebra<T>, io: { a: T; b: T; y: T; gy: T; needsGrad: readonly boolean[] }): readonly (T | null)[];
  notation: Notation<unknown>;
}

/** An elementwise op of two broadcast inputs; the engine reduces broadcast gradients. */
export function elementwiseBinary(spec: BinarySpec): OpDef<NoAttrs> {
  const { name } = spec;
  const code = BinaryCode[name];
  return {
    name,
    summary: spec.summary,
    ...(spec.grammar === undefined ? {} : { grammarNames: spec.grammar }),
    arity: 2,
    differentiable: spec.differentiable ?? true,
    outputShape: ([a, b]) => broadcastOrThrow(name, a ?? SCALAR, b ?? SCALAR),
    forward: ([a, b], _attrs, out, outShape) => backend().binary(code, a!.data, a!.shape, b!.data, b!.shape, out, outShape),
    forwardScalar: (a, b) => backend().binaryScalar(code, a, b),
    vjp: (m, ctx) => spec.vjp(m, { a: ctx.inputs[0]!, b: ctx.inputs[1]!, y: ctx.output, gy: ctx.gy, needsGrad: ctx.needsGrad }),
    notation: spec.notation,
    ...spec.facts,
  };
}

import { makeAlgebra, withoutLimitTerms, type Algebra } from '../ops/algebra.js';
import { asFraction } from './numbers.js';
import { registry } from '../ops/registry.js';
import type { OpAttrs, OpName } from '../ops/types.js';

/** A formula as data: what the vjp rules build when they run on symbols instead of numbers. */
export type Sym =
  | { readonly kind: 'const'; readonly value: number }
  | { readonly kind: 'var'; readonly name: string; readonly matrix?: boolean; readonly shape?: readonly number[] }
  | { readonly kind: 'op'; readonly op: OpName; readonly args: readonly Sym[]; readonly attrs: unknown };

export const symConst = (value: number): Sym => ({ kind: 'const', value });
export const symVar = (name: string): Sym => ({ kind: 'var', name });
/** A matrix-valued symbol (X, W₁, d): products with other matrices are matrix products or ⊙. */
export const matrixVar = (name: string, shape?: readonly number[]): Sym =>
  shape === undefined ? { kind: 'var', name, matrix: true } : { kind: 'var', name, matrix: true, shape };

/**
 * The shape a formula stands for, where the symbols say it: known shapes let a mean's
 * gradient know its count. Unknown matrices are [0, 0]: rank 2, size unknown. An op's shape is
 * its own shape rule (OpDef.outputShape) applied to its arguments' shapes; where unknown extents
 * keep the rule from deciding (a [0, 0] against a known matrix), the first argument that is not
 * a number gives it, as for an elementwise op.
 */
export function shapeOfSym(sym: Sym): readonly number[] {
  if (sym.kind === 'var') return sym.shape ?? (sym.matrix === true ? [0, 0] : []);
  if (sym.kind === 'const') return [];
  const shapes = sym.args.map(shapeOfSym);
  try {
    return registry[sym.op].outputShape(shapes, sym.attrs as never);
  } catch {
    return shapes.find((shape) => shape.length > 0) ?? [];
  }
}

/** Whether a formula stands for a matrix: it involves one, and is not summed to a number. */
export function isMatrix(sym: Sym): boolean {
  if (sym.kind === 'var') return sym.matrix === true;
  if (sym.kind === 'const') return false;
  // A sum or mean down the rows or along each row that keeps its axis (colsum, rowmean) is still a row or a column.
  if (keepsOneAxis(sym)) return sym.args.some(isMatrix);
  if (sym.op === 'sum' || sym.op === 'mean') return false;
  return sym.args.some(isMatrix);
}

/** The names a formula reads: its variables (∂L/∂h₁ in an RNN's ∂L/∂U₁; m, β₁ in an update rule). */
export function symNames(sym: Sym, into = new Set<string>()): Set<string> {
  if (sym.kind === 'var') into.add(sym.name);
  if (sym.kind === 'op') for (const arg of sym.args) symNames(arg, into);
  return into;
}

/** A sum or mean along one axis that keeps it (colsum, rowsum, colmean, rowmean): a row or a column, not a number. */
export function keepsOneAxis(sym: Sym): boolean {
  if (sym.kind !== 'op' || (sym.op !== 'sum' && sym.op !== 'mean')) return false;
  const { axes, keepdims } = sym.attrs as { axes: readonly number[]; keepdims: boolean };
  return keepdims && axes.length === 1;
}

const isConst = (x: Sym | undefined, value?: number): boolean =>
  x !== undefined && x.kind === 'const' && (value === undefined || x.value === value);

/** Ops that leave a scalar unchanged. */
const SCALAR_IDENTITY: ReadonlySet<OpName> = new Set(['sum', 'mean', 'max', 'transpose']);

/**
 * op(args) as typed, for the formula beside its graph: no identities and no folding, so
 * y·(−(−x)) keeps −(−x), a node of the graph. Only layout ops (reshape, broadcast) and reductions
 * of a number, which have no node a reader sees, write just their argument.
 */
export function typedSym<N extends OpName>(op: N, args: readonly Sym[], attrs: OpAttrs[N]): Sym {
  const [a] = args;
  if (a !== undefined && (registry[op].notation.precedence === 'transparent' || (SCALAR_IDENTITY.has(op) && !isMatrix(a)))) return a;
  return { kind: 'op', op, args, attrs };
}

/**
 * Build op(args) with the identities a person applies without thinking — 1·x = x, x + 0 = x,
 * x¹ = x, −(−x) = x, (Wᵀ)ᵀ = W — and fold operations on numbers with the registry's own
 * forward. Layout ops (reshape, broadcast) do not show in formulas.
 */
export function buildSym<N extends OpName>(op: N, args: readonly Sym[], attrs: OpAttrs[N]): Sym {
  const [a, b] = args;
  // Ops whose notation writes just their argument (reshape, broadcast) do not show in a formula.
  const layoutOnly = registry[op].notation.precedence === 'transparent';
  if (a !== undefined && (layoutOnly || (SCALAR_IDENTITY.has(op) && !isMatrix(a)))) return a;
  if (op === 'transpose' && a?.kind === 'op' && a.op === 'transpose') return a.args[0]!;
  const forwardScalar = registry[op].forwardScalar;
  if (forwardScalar !== undefined && args.every((arg) => arg.kind === 'const')) {
    const value = forwardScalar(isConst(a) ? (a as { value: number }).value : 0, isConst(b) ? (b as { value: number }).value : 0);
    // A function of a number stays written where its value is no simple number: 2^x·ln(2), not 0.693147·2^x.
    if (Number.isFinite(value) && (registry[op].foldsToNumber === true || asFraction(value) !== null)) return symConst(value);
  }
  switch (op) {
    case 'add':
      if (isConst(a, 0)) return b!;
      if (isConst(b, 0)) return a!;
      if (b?.kind === 'op' && b.op === 'neg') return buildSym('sub', [a!, b.args[0]!], {});
      break;
    case 'sub':
      if (isConst(b, 0)) return a!;
      if (isConst(a, 0)) return buildSym('neg', [b!], {});
      if (b?.kind === 'op' && b.op === 'neg') return buildSym('add', [a!, b.args[0]!], {});
      break;
    case 'mul':
      if (isConst(a, 0) || isConst(b, 0)) return symConst(0);
      if (isConst(a, 1)) return b!;
      if (isConst(b, 1)) return a!;
      if (isConst(a, -1)) return buildSym('neg', [b!], {});
      if (isConst(b, -1)) return buildSym('neg', [a!], {});
      // Numbers first: x·2 is written 2x; and 2·(3·x) is 6x.
      if (isConst(b) && !isConst(a)) return buildSym('mul', [b!, a!], {});
      if (a?.kind === 'const' && b?.kind === 'op' && b.op === 'mul' && b.args[0]?.kind === 'const') {
        return buildSym('mul', [symConst(a.value * b.args[0].value), b.args[1]!], {});
      }
      break;
    case 'div':
      if (isConst(b, 1)) return a!;
      if (isConst(a, 0)) return symConst(0);
      break;
    case 'pow':
      if (isConst(b, 1)) return a!;
      if (isConst(b, 0)) return symConst(1);
      break;
    case 'matmul':
      // The sheet's d·Wᵀ with d = 1 is Wᵀ: the local derivative by itself.
      if (isConst(a, 1)) return b!;
      if (isConst(b, 1)) return a!;
      break;
    case 'neg':
      if (a?.kind === 'op' && a.op === 'neg') return a.args[0]!;
      break;
  }
  return { kind: 'op', op, args, attrs };
}

/**
 * The algebra the registry's vjp rules run in to produce derivative formulas. A matrix symbol
 * reports shape [0, 0]: its rank is known (so transposes and sums work), its size is not.
 */
export const symbolicAlgebra: Algebra<Sym> = makeAlgebra<Sym>({
  apply: buildSym,
  constant: (value) => symConst(value),
  shapeOf: (x) => (isMatrix(x) ? shapeOfSym(x) : []),
});

/**
 * The same, without the terms that only choose a limit at one point (Algebra.limitTerms):
 * for a derivative printed where they do not change its value, so it reads as a textbook's.
 */
export const textbookAlgebra: Algebra<Sym> = withoutLimitTerms(symbolicAlgebra);

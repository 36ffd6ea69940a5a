import { makeAlgebra, type Algebra } from '../ops/algebra.js';
import { registry } from '../ops/registry.js';
import type { OpAttrs, OpName } from '../ops/types.js';

/** A formula as data: what the vjp rules build when they run on symbols instead of numbers. */
export type Sym =
  | { readonly kind: 'const'; readonly value: number }
  | { readonly kind: 'var'; readonly name: string }
  | { readonly kind: 'op'; readonly op: OpName; readonly args: readonly Sym[]; readonly attrs: unknown };

export const symConst = (value: number): Sym => ({ kind: 'const', value });
export const symVar = (name: string): Sym => ({ kind: 'var', name });

const isConst = (x: Sym | undefined, value?: number): boolean =>
  x !== undefined && x.kind === 'const' && (value === undefined || x.value === value);

/** Ops that leave a scalar formula unchanged (their shapes are all [] here). */
const TRANSPARENT: ReadonlySet<OpName> = new Set(['identity', 'reshape', 'broadcastTo', 'sum', 'mean', 'max', 'transpose']);

/**
 * Build op(args) with the identities a person applies without thinking — 1·x = x, x + 0 = x,
 * x¹ = x, −(−x) = x — and fold operations on numbers with the registry's own forward.
 * Scalar formulas only: shape ops are transparent.
 */
export function buildSym<N extends OpName>(op: N, args: readonly Sym[], attrs: OpAttrs[N]): Sym {
  const [a, b] = args;
  if (TRANSPARENT.has(op) && a !== undefined) return a;
  const forwardScalar = registry[op].forwardScalar;
  if (forwardScalar !== undefined && args.every((arg) => arg.kind === 'const')) {
    const value = forwardScalar(isConst(a) ? (a as { value: number }).value : 0, isConst(b) ? (b as { value: number }).value : 0);
    if (Number.isFinite(value)) return symConst(value);
  }
  switch (op) {
    case 'add':
      if (isConst(a, 0)) return b!;
      if (isConst(b, 0)) return a!;
      break;
    case 'sub':
      if (isConst(b, 0)) return a!;
      if (isConst(a, 0)) return buildSym('neg', [b!], {});
      break;
    case 'mul':
      if (isConst(a, 0) || isConst(b, 0)) return symConst(0);
      if (isConst(a, 1)) return b!;
      if (isConst(b, 1)) return a!;
      if (isConst(a, -1)) return buildSym('neg', [b!], {});
      if (isConst(b, -1)) return buildSym('neg', [a!], {});
      // Numbers first: x·2 is written 2x.
      if (isConst(b) && !isConst(a)) return buildSym('mul', [b!, a!], {});
      break;
    case 'div':
      if (isConst(b, 1)) return a!;
      if (isConst(a, 0)) return symConst(0);
      break;
    case 'pow':
      if (isConst(b, 1)) return a!;
      if (isConst(b, 0)) return symConst(1);
      break;
    case 'neg':
      if (a?.kind === 'op' && a.op === 'neg') return a.args[0]!;
      break;
  }
  return { kind: 'op', op, args, attrs };
}

/** The algebra the registry's vjp rules run in to produce derivative formulas. */
export const symbolicAlgebra: Algebra<Sym> = makeAlgebra<Sym>({
  apply: buildSym,
  constant: (value) => symConst(value),
  shapeOf: () => [],
});

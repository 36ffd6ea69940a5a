import { shapeOfSym, symbolicAlgebra, symVar, type Sym } from '../formula/symbolic.js';
import { buildSym } from '../formula/symbolic.js';

/** The symbol of the count a mean divides by. */
export const COUNT = 'n';

/**
 * A mean loss as its sum and its count: mean((ŷ − y)²) → Σ((ŷ − y)²) and n = 3. A teacher writes
 * the derivative of a mean as the derivative of the sum over n, with n's value (2/n·(ŷ − y),
 * (σ(z) − y)/n), not with the count already folded into a number (2/3·(ŷ − y)).
 */
export function meanAsSum(loss: Sym): { readonly sum: Sym; readonly count: number } | null {
  if (loss.kind !== 'op' || loss.op !== 'mean') return null;
  const [inside] = loss.args;
  if (inside === undefined) return null;
  const axes = (loss.attrs as { axes?: readonly number[] }).axes ?? [];
  const shape = shapeOfSym(inside);
  const count = axes.reduce((product, axis) => product * (shape[axis] ?? 1), 1);
  if (!(count > 0)) return null;
  return { sum: buildSym('sum', [inside], loss.attrs as { axes: number[]; keepdims: boolean }), count };
}

/** The derivative of a sum, over n: c·rest becomes c/n·rest (2/n·(ŷ − y)), anything else rest/n. */
export function overCount(gradientOfSum: Sym): Sym {
  const n = symVar(COUNT);
  if (gradientOfSum.kind === 'op' && gradientOfSum.op === 'mul' && gradientOfSum.args[0]?.kind === 'const') {
    return symbolicAlgebra.mul(symbolicAlgebra.div(gradientOfSum.args[0], n), gradientOfSum.args[1]!);
  }
  return symbolicAlgebra.div(gradientOfSum, n);
}

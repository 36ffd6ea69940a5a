import type { Sym } from './symbolic.js';
import { SumOfProducts } from './sum-of-products.js';

/*
 * What a person would write, by the project's own algebra (formula/sum-of-products.ts): like
 * terms and like factors combined, a polynomial multiplied out to canonical form with its terms
 * ordered (4x + 3y), anything else rewritten only when that makes it shorter.
 */

/** Formulas larger than this (in operations and leaves) are kept as they are. */
export const MAX_SIMPLIFIED_NODES = 80;

function countNodes(sym: Sym): number {
  return sym.kind === 'op' ? 1 + sym.args.reduce((total, arg) => total + countNodes(arg), 0) : 1;
}

/** Sums, products and whole non-negative powers of names and numbers. */
function isPolynomial(sym: Sym): boolean {
  if (sym.kind !== 'op') return true;
  if (sym.op === 'pow') {
    const power = sym.args[1];
    return power?.kind === 'const' && Number.isInteger(power.value) && power.value >= 0 && isPolynomial(sym.args[0]!);
  }
  return (sym.op === 'add' || sym.op === 'sub' || sym.op === 'mul' || sym.op === 'neg') && sym.args.every(isPolynomial);
}

/**
 * A scalar formula simplified: a polynomial (with `expand`, the default) expanded to canonical
 * form, terms ordered by degree and then by `variableOrder`; any other formula with like terms
 * and factors combined (and multiplied out, with `expand`) when that has fewer operations.
 */
export function simplifySym(sym: Sym, variableOrder: readonly string[] = [], options: { expand?: boolean } = {}): Sym {
  if (sym.kind !== 'op') return sym;
  // Past this size (a sum over many paths) a rewritten formula would be no easier to read.
  if (countNodes(sym) > MAX_SIMPLIFIED_NODES) return sym;
  const expand = options.expand !== false;
  const inner = (arg: Sym) => simplifySym(arg, variableOrder, options);
  const expanded = expand ? new SumOfProducts(true, variableOrder, inner).simplify(sym) : null;
  if (expanded !== null && isPolynomial(sym)) return expanded;
  const collected = new SumOfProducts(false, variableOrder, inner).simplify(sym) ?? sym;
  const shortest = expanded !== null && countNodes(expanded) < countNodes(collected) ? expanded : collected;
  return countNodes(shortest) < countNodes(sym) ? shortest : sym;
}

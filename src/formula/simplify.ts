import type { Sym } from './symbolic.js';
import { SumOfProducts } from './sum-of-products.js';

/*
 * What a person would write, by the project's own algebra (formula/sum-of-products.ts): like
 * terms and like factors combined, a polynomial multiplied out to canonical form with its terms
 * ordered (4x + 3y), anything else rewritten only when that makes it shorter.
 */

/** Formulas larger than this (in operations and leaves) are kept as they are. */
export const MAX_SIMPLIFIED_NODES = 80;

/** Operations and leaves of a formula (iterative: a sum of thousands of terms does not overflow the stack). */
function countNodes(sym: Sym): number {
  let count = 0;
  const stack: Sym[] = [sym];
  while (stack.length > 0) {
    const node = stack.pop()!;
    count++;
    if (node.kind === 'op') stack.push(...node.args);
  }
  return count;
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
  return simplifyWith(sym, variableOrder, options.expand !== false, new Map());
}

/** `done` holds every sub-formula already simplified in this call: an atom's arguments are simplified once, not once per pass. */
function simplifyWith(sym: Sym, variableOrder: readonly string[], expand: boolean, done: Map<Sym, Sym>): Sym {
  if (sym.kind !== 'op') return sym;
  // Past this size (a sum over many paths) a rewritten formula would be no easier to read.
  if (countNodes(sym) > MAX_SIMPLIFIED_NODES) return sym;
  const known = done.get(sym);
  if (known !== undefined) return known;
  const inner = (arg: Sym) => simplifyWith(arg, variableOrder, expand, done);
  const expanded = expand ? new SumOfProducts(true, variableOrder, inner).simplify(sym) : null;
  let result: Sym;
  if (expanded !== null && isPolynomial(sym)) {
    result = expanded;
  } else {
    const collected = new SumOfProducts(false, variableOrder, inner).simplify(sym) ?? sym;
    const shortest = expanded !== null && countNodes(expanded) < countNodes(collected) ? expanded : collected;
    result = countNodes(shortest) < countNodes(sym) ? shortest : sym;
  }
  done.set(sym, result);
  return result;
}

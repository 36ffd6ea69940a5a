import { buildSym, symConst, type Sym } from './symbolic.js';
import { writeSym } from './write.js';

/*
 * A formula as a sum of products: Σ cᵢ · Π fⱼ^kⱼ, where each factor f is an atom (a name, a
 * function such as sigmoid(z), or a sum kept whole) and each power k a whole number (negative
 * for a denominator). In this form like terms combine (x·a + a·x = 2·a·x) and like factors
 * combine (x·x = x²) by comparing keys. `expand` also multiplies out products and whole powers
 * of sums, which brings a polynomial to its canonical form.
 */

/** An atom and its power in a product. */
interface Factor {
  readonly base: Sym;
  readonly key: string;
  readonly power: number;
  /** When the atom is a sum kept whole: its terms (so its sign can be turned: −(y − 1) = 1 − y). */
  readonly sum?: Sum;
}

/** c · Π factors; `key` names the product without c, so like terms share it. */
interface Term {
  readonly coefficient: number;
  readonly factors: readonly Factor[];
  readonly key: string;
}

type Sum = readonly Term[];

/** More terms than this when multiplying out: the expansion is abandoned (the formula stays factored). */
export const MAX_EXPANDED_TERMS = 48;
/** Whole powers of a sum up to this are multiplied out. */
const MAX_EXPANDED_POWER = 6;

class TooManyTerms extends Error {}
/** A coefficient of finite numbers that float64 cannot hold (10³⁰⁸ + 10³⁰⁸): the formula stays as written. */
class CoefficientOverflow extends Error {}

/** c, computed from finite `operands`, where it is finite too; otherwise the simplification is abandoned. */
function held(c: number, ...operands: number[]): number {
  if (!Number.isFinite(c) && operands.every(Number.isFinite)) throw new CoefficientOverflow();
  return c;
}

const productKey = (factors: readonly Factor[]): string =>
  factors.map((factor) => `${factor.key}^${factor.power}`).sort().join('·');

function term(coefficient: number, factors: readonly Factor[]): Term {
  return { coefficient, factors, key: productKey(factors) };
}

const constant = (value: number): Sum => (value === 0 ? [] : [term(value, [])]);

/** An atom as a one-term sum; its key is its written form, so equal atoms combine. */
function atom(base: Sym, key = writeSym(base, 'ascii'), sum?: Sum): Sum {
  return [term(1, [sum === undefined ? { base, key, power: 1 } : { base, key, power: 1, sum }])];
}

/** Add up terms, combining those with the same product and dropping the ones that cancel. */
function collect(terms: Iterable<Term>): Sum {
  const byKey = new Map<string, Term>();
  for (const next of terms) {
    const seen = byKey.get(next.key);
    byKey.set(next.key, seen === undefined ? next : { ...seen, coefficient: held(seen.coefficient + next.coefficient, seen.coefficient, next.coefficient) });
  }
  return [...byKey.values()].filter((t) => t.coefficient !== 0);
}

function multiplyTerms(p: Term, q: Term): Term {
  const powers = new Map<string, Factor>();
  for (const factor of [...p.factors, ...q.factors]) {
    const seen = powers.get(factor.key);
    powers.set(factor.key, seen === undefined ? factor : { ...seen, power: seen.power + factor.power });
  }
  return term(held(p.coefficient * q.coefficient, p.coefficient, q.coefficient), [...powers.values()].filter((factor) => factor.power !== 0));
}

/** Start a sum with a positive term: 1 − x, not −x + 1. */
function startPositive(terms: Term[]): Term[] {
  const firstPositive = terms.findIndex((t) => t.coefficient > 0);
  if (firstPositive > 0) terms.unshift(...terms.splice(firstPositive, 1));
  return terms;
}

const scale = (sum: Sum, by: number): Sum => collect(sum.map((t) => ({ ...t, coefficient: held(t.coefficient * by, t.coefficient, by) })));

function powerOfTerm(t: Term, power: number): Term {
  return term(held(t.coefficient ** power, t.coefficient), t.factors.map((factor) => ({ ...factor, power: factor.power * power })));
}

/** Ordering and naming shared by one conversion: the variables in the order people list them. */
interface Context {
  readonly expand: boolean;
  readonly order: string[];
  /** Simplify an atom's own arguments (sigmoid(x + x) → sigmoid(2x)). */
  readonly inner: (sym: Sym) => Sym;
}

export class SumOfProducts {
  private readonly context: Context;

  constructor(expand: boolean, order: readonly string[], inner: (sym: Sym) => Sym) {
    this.context = { expand, order: [...order], inner };
  }

  /**
   * The formula in sum-of-products form, written back as a Sym; null when expanding would pass
   * MAX_EXPANDED_TERMS, or a coefficient of finite numbers would overflow.
   */
  simplify(sym: Sym): Sym | null {
    try {
      return this.write(this.read(sym));
    } catch (error) {
      if (error instanceof TooManyTerms || error instanceof CoefficientOverflow) return null;
      throw error;
    }
  }

  private read(sym: Sym): Sum {
    if (sym.kind === 'const') return constant(sym.value);
    if (sym.kind === 'var') {
      if (!this.context.order.includes(sym.name)) this.context.order.push(sym.name);
      return atom(sym, sym.name);
    }
    const [a, b] = sym.args;
    switch (sym.op) {
      case 'add':
        return collect([...this.read(a!), ...this.read(b!)]);
      case 'sub':
        return collect([...this.read(a!), ...scale(this.read(b!), -1)]);
      case 'neg':
        return scale(this.read(a!), -1);
      case 'mul':
        return this.multiply(this.read(a!), this.read(b!));
      case 'div':
        return this.multiply(this.read(a!), this.reciprocal(this.read(b!)));
      case 'pow':
        if (b?.kind === 'const' && Number.isInteger(b.value)) return this.power(this.read(a!), b.value);
        break;
    }
    const args = sym.args.map((arg) => this.context.inner(arg));
    return atom(buildSym(sym.op, args, sym.attrs as never));
  }

  /** A sum that is not one term, as a single factor (written back in its simplified form). */
  private asFactor(sum: Sum): Term {
    if (sum.length === 1) return sum[0]!;
    return atom(this.write(sum), undefined, sum)[0]!;
  }

  private multiply(p: Sum, q: Sum): Sum {
    if (p.length === 0 || q.length === 0) return [];
    // Without expanding, a sum is one factor: 2(x + y) stays as it is.
    if (!this.context.expand || (p.length === 1 && q.length === 1)) return [multiplyTerms(this.asFactor(p), this.asFactor(q))];
    if (p.length * q.length > MAX_EXPANDED_TERMS) throw new TooManyTerms();
    return collect(p.flatMap((s) => q.map((t) => multiplyTerms(s, t))));
  }

  private reciprocal(sum: Sum): Sum {
    // 1/0 stays a written division, so the formula keeps its meaning (∞ or NaN) where it is evaluated.
    if (sum.length === 0) return atom(buildSym('div', [symConst(1), symConst(0)], {}));
    return [powerOfTerm(this.asFactor(sum), -1)];
  }

  private power(sum: Sum, power: number): Sum {
    if (power === 0) return constant(1);
    if (sum.length === 0) return power > 0 ? [] : atom(buildSym('pow', [symConst(0), symConst(power)], {}));
    // (3x)¹⁰⁰⁰ stays whole: 3¹⁰⁰⁰ is not a number.
    if (sum.length === 1 && !Number.isFinite(sum[0]!.coefficient ** power)) return atom(buildSym('pow', [this.write(sum), symConst(power)], {}));
    if (sum.length === 1 || !this.context.expand || power < 0 || power > MAX_EXPANDED_POWER) {
      return [powerOfTerm(this.asFactor(sum), power)];
    }
    let result: Sum = sum;
    for (let k = 1; k < power; k++) result = this.multiply(result, sum);
    return result;
  }

  /** Variables first, in the given order, then other atoms as they first appeared. */
  private rank(factor: Factor): number {
    const index = factor.base.kind === 'var' ? this.context.order.indexOf(factor.base.name) : -1;
    return index >= 0 ? index : this.context.order.length;
  }

  /** A product's variable powers, when every factor is a variable (for ordering polynomial terms). */
  private variablePowers(t: Term): number[] | null {
    if (t.factors.some((factor) => factor.base.kind !== 'var')) return null;
    const powers = this.context.order.map(() => 0);
    for (const factor of t.factors) powers[this.rank(factor)] = factor.power;
    return powers;
  }

  /** Polynomial terms as people write them: higher degree first, then by variable order, the number last. */
  private orderTerms(sum: Sum): Term[] {
    const terms = [...sum];
    const keyed = terms.map((t) => ({ t, powers: this.variablePowers(t) }));
    if (keyed.every((entry) => entry.powers !== null)) {
      const degree = (powers: number[]) => powers.reduce((total, k) => total + k, 0);
      keyed.sort((p, q) => {
        const byDegree = degree(q.powers!) - degree(p.powers!);
        if (byDegree !== 0) return byDegree;
        for (let i = 0; i < p.powers!.length; i++) if (p.powers![i] !== q.powers![i]) return q.powers![i]! - p.powers![i]!;
        return 0;
      });
      return startPositive(keyed.map((entry) => entry.t));
    }
    // Other sums keep the order their terms came in.
    return startPositive(terms);
  }

  private writeProduct(factors: readonly Factor[], coefficient = 1): Sym | null {
    const ordered = [...factors].sort((p, q) => this.rank(p) - this.rank(q));
    let product: Sym | null = coefficient === 1 ? null : symConst(coefficient);
    for (const factor of ordered) {
      const written = factor.power === 1 ? factor.base : buildSym('pow', [factor.base, symConst(factor.power)], {});
      product = product === null ? written : buildSym('mul', [product, written], {});
    }
    return product;
  }

  /** |c| · numerator / denominator; the sign is the caller's (so sums write a − b). */
  private writeMagnitude(t: Term): Sym {
    const numerator = this.writeProduct(t.factors.filter((factor) => factor.power > 0), Math.abs(t.coefficient));
    const denominator = this.writeProduct(t.factors.filter((factor) => factor.power < 0).map((factor) => ({ ...factor, power: -factor.power })));
    const top = numerator ?? symConst(1);
    return denominator === null ? top : buildSym('div', [top, denominator], {});
  }

  /** −(y − 1)/(1 − ŷ) written (1 − y)/(1 − ŷ): a negative term turns the sign of a sum it has to an odd power. */
  private turnSign(t: Term): Term {
    if (t.coefficient >= 0) return t;
    const index = t.factors.findIndex((factor) => factor.sum !== undefined && factor.power % 2 !== 0);
    if (index < 0) return t;
    const factor = t.factors[index]!;
    const turned = scale(factor.sum!, -1);
    const base = this.write(turned);
    const factors = [...t.factors];
    factors[index] = { base, key: writeSym(base, 'ascii'), power: factor.power, sum: turned };
    return term(-t.coefficient, factors);
  }

  private write(sum: Sum): Sym {
    let result: Sym | null = null;
    for (const t of this.orderTerms(sum.map((t) => this.turnSign(t)))) {
      const magnitude = this.writeMagnitude(t);
      if (result === null) result = t.coefficient < 0 ? buildSym('neg', [magnitude], {}) : magnitude;
      else result = buildSym(t.coefficient < 0 ? 'sub' : 'add', [result, magnitude], {});
    }
    return result ?? symConst(0);
  }
}

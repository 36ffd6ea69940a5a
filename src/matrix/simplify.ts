import { registry } from '../ops/registry.js';
import type { OpName } from '../ops/types.js';
import { diagonalOf, isScalar, isScalarShape, type MatrixExpr } from './expr.js';
import { isMatrixFunction } from './functions.js';
import { identityMatrix } from './resolve.js';
import { matrixOp } from './symbolic.js';
import { matrixAscii } from './write.js';

/**
 * A matrix formula in the form a teacher writes: a sum of terms, each a number times scalar
 * factors times a chain of matrix factors; transposes pushed down to the variables
 * ((A·x)ᵀ = xᵀ·Aᵀ), I dropped from products, equal terms collected (r + r = 2r), and a factor
 * every term shares taken out (Aᵀ·x + A·x = (A + Aᵀ)·x). Sums inside products are not multiplied
 * out: −2·Mᵀ·(y − M·w) stays as it is.
 */

export interface Term {
  readonly coef: number;
  /** Factors of shape 1×1 (det X, xᵀ·A·x), which commute with everything. */
  readonly scalars: readonly MatrixExpr[];
  /** Matrix factors in product order. */
  readonly chain: readonly MatrixExpr[];
}

const ONE: Term = { coef: 1, scalars: [], chain: [] };
const constant = (value: number): MatrixExpr => ({ kind: 'const', value, shape: [] });
const keys = new WeakMap<MatrixExpr, string>();
/** The text two equal formulas share (memoised: the simplifier compares factors often). */
export function keyOf(x: MatrixExpr): string {
  let key = keys.get(x);
  if (key === undefined) {
    key = `${matrixAscii(x)}@${x.shape.join('x')}`;
    keys.set(x, key);
  }
  return key;
}
const isColumn = (x: MatrixExpr): boolean => x.shape.length === 2 && x.shape[1] === 1 && x.shape[0]! > 1;
const isRow = (x: MatrixExpr): boolean => x.shape.length === 2 && x.shape[0] === 1 && x.shape[1]! > 1;
const isEye = (x: MatrixExpr): boolean => x.kind === 'op' && x.op === 'eyeLike';

/** The number under layout ops (a number spread over a shape, a 1×1 reshaped), or null. */
function scalarCore(x: MatrixExpr): MatrixExpr | null {
  if (isScalar(x)) return x;
  if (x.kind === 'op' && (x.op === 'broadcastTo' || x.op === 'reshape' || x.op === 'identity')) return scalarCore(x.args[0]!);
  return null;
}

/**
 * diag(·) in a plainer form, or null: diag(ones(n,1)) = I, diag(ones(n,n)) = diag(I) = ones(n,1); the diagonal of a transpose is the
 * diagonal, diag(Mᵀ) = diag(M).
 */
const isOnes = (x: MatrixExpr): boolean => (x.kind === 'const' ? x.value === 1 : x.kind === 'op' && (x.op === 'broadcastTo' || x.op === 'reshape' || x.op === 'identity') && isOnes(x.args[0]!));

function plainerDiag(arg: MatrixExpr): MatrixExpr | null {
  const [rows, columns] = arg.shape;
  if (columns === 1 && isOnes(arg)) return identityMatrix(rows!);
  // The diagonal of I (n×n) is a column of ones: diag(I) would not say n.
  if (isOnes(arg) || (isEye(arg) && columns! > 1)) return matrixOp('broadcastTo', [constant(1)], { shape: [rows!, 1] });
  if (columns === 1 || rows === 1 || arg.kind !== 'op') return null;
  return arg.op === 'transpose' ? matrixOp('diag', [arg.args[0]!], {}) : null;
}

/**
 * diag(c·u·vᵀ) for columns u, v (one term whose chain passes through a column) as c·(u ⊙ v), or
 * null: what the vjp of diag(x)·y leaves, which the Jacobian then reads as diag(y).
 */
function outerProductDiagonal(arg: MatrixExpr): Term | null {
  if (arg.shape[0] === 1 || arg.shape[1] === 1) return null;
  const terms = termsOf(arg);
  if (terms.length !== 1) return null;
  const [term] = terms as [Term];
  const split = term.chain.findIndex((factor, i) => i < term.chain.length - 1 && factor.shape[1] === 1);
  if (split < 0) return null;
  const u = chainExpr(term.chain.slice(0, split + 1));
  const v = simplifyMatrix(matrixOp('transpose', [chainExpr(term.chain.slice(split + 1))], { perm: [1, 0] }));
  return { ...term, chain: [matrixOp('mul', [u, v], {})] };
}

/** 1/t as a scalar factor, so that t·(1/t) cancels. */
const reciprocal = (t: MatrixExpr): MatrixExpr => matrixOp('div', [constant(1), t], {});
const reciprocalOf = (x: MatrixExpr): MatrixExpr | null =>
  x.kind === 'op' && x.op === 'div' && x.args[0]!.kind === 'const' && x.args[0]!.value === 1 ? x.args[1]! : null;

/** Scalar factors with each t and 1/t pair cancelled (det X · 1/det X = 1). */
function cancel(scalars: readonly MatrixExpr[]): MatrixExpr[] {
  const kept = [...scalars];
  for (let i = 0; i < kept.length; i++) {
    const under = reciprocalOf(kept[i]!);
    if (under === null) continue;
    const j = kept.findIndex((other) => keyOf(other) === keyOf(under));
    if (j < 0) continue;
    kept.splice(Math.max(i, j), 1);
    kept.splice(Math.min(i, j), 1);
    i = -1;
  }
  return kept;
}

function times(p: Term, q: Term): Term {
  const chain = [...p.chain, ...q.chain];
  const withoutEye = chain.filter((factor) => !isEye(factor));
  return { coef: p.coef * q.coef, scalars: cancel([...p.scalars, ...q.scalars]), chain: withoutEye.length > 0 ? withoutEye : chain.slice(0, 1) };
}

/** One factor of a product: a single term as it is, a sum as one bracketed factor. */
function asFactor(given: readonly Term[], scalarShaped: boolean): Term {
  // S⁻¹ + S⁻¹ is the one term 2·S⁻¹, not a bracket (a symmetric S makes such sums, matrix/symmetric.ts).
  const terms = given.length > 1 && collect(given).length <= 1 ? collect(given) : given;
  // A sum whose terms cancel (A − A) is a zero factor: the product is 0, whatever its shape.
  if (terms.length === 0) return { ...ONE, coef: 0 };
  if (terms.length === 1) {
    const term = terms[0]!;
    if (!scalarShaped || term.chain.length === 0) return term;
    return { coef: term.coef, scalars: [...term.scalars, chainExpr(term.chain)], chain: [] };
  }
  const atom = fromTerms(terms);
  return scalarShaped ? { ...ONE, scalars: [atom] } : { ...ONE, chain: [atom] };
}

const atomTerm = (x: MatrixExpr): Term => (isScalar(x) ? { ...ONE, scalars: [x] } : { ...ONE, chain: [x] });
const negate = (terms: readonly Term[]): Term[] => terms.map((term) => ({ ...term, coef: -term.coef }));

export function transposeAtom(x: MatrixExpr): MatrixExpr {
  if (isScalar(x) || isEye(x) || diagonalOf(x) !== null) return x;
  if (x.kind === 'op' && x.op === 'transpose') return x.args[0]!;
  // A matrix of one number is its own transpose, turned: ones(2,3)ᵀ = ones(3,2).
  const core = scalarCore(x);
  if (core !== null && x.shape.length === 2) return matrixOp('broadcastTo', [core], { shape: [x.shape[1]!, x.shape[0]!] });
  // (A + Aᵀ)ᵀ is written A + Aᵀ again: the terms with fewer transposes first.
  if (x.kind === 'op' && (x.op === 'add' || x.op === 'sub')) return fromTerms(transposeTerms(termsOf(x)).sort(termOrder));
  if (x.kind === 'op' && x.op === 'mul') return matrixOp('mul', x.args.map(transposeAtom), {});
  return matrixOp('transpose', [x], { perm: [1, 0] });
}

function transposeTerms(terms: readonly Term[]): Term[] {
  return terms.map((term) => ({ ...term, chain: [...term.chain].reverse().map(transposeAtom) }));
}

export function termsOf(x: MatrixExpr): Term[] {
  if (x.kind === 'const') return [{ ...ONE, coef: x.value }];
  if (x.kind === 'var') return [atomTerm(x)];
  const [a, b] = x.args;
  switch (x.op) {
    case 'add': return [...termsOf(a!), ...termsOf(b!)];
    case 'sub': return [...termsOf(a!), ...negate(termsOf(b!))];
    case 'neg': return negate(termsOf(a!));
    case 'mul': {
      // A number spread over a matrix multiplies as the number only beside a factor of the whole
      // product's shape: 2 ⊙ ones(2,2) is a matrix of 2s, not the number 2.
      const whole = (factor: MatrixExpr) => isScalar(x) || factor.shape.join() === x.shape.join();
      const left = whole(b!) ? scalarCore(a!) : null;
      const right = whole(a!) && left === null ? scalarCore(b!) : null;
      // ones ⊙ b = b (what the vjp of a sum leaves under an elementwise function).
      if (left === null && right === null) {
        const [p, q] = [simplifyMatrix(a!), simplifyMatrix(b!)];
        if (p.shape.join() === q.shape.join() && (isOnes(p) || isOnes(q))) return termsOf(isOnes(p) ? q : p);
        return [atomTerm(matrixOp('mul', [p, q], {}))];
      }
      const p = left ?? a!;
      const q = right ?? b!;
      return [times(asFactor(termsOf(p), isScalar(p)), asFactor(termsOf(q), isScalar(q)))];
    }
    case 'matmul': return [times(asFactor(termsOf(a!), isScalar(a!)), asFactor(termsOf(b!), isScalar(b!)))];
    case 'div':
      if (b!.kind === 'const') return termsOf(a!).map((term) => ({ ...term, coef: term.coef / b!.value }));
      if (isScalar(b!)) return [times(asFactor(termsOf(a!), isScalar(a!)), { ...ONE, scalars: [reciprocal(simplifyMatrix(b!))] })];
      break;
    case 'transpose': return transposeTerms(termsOf(a!));
    case 'broadcastTo':
    case 'reshape':
    case 'identity':
    case 'sum':
      // A number spread over a matrix stays a matrix (of ones, times the number).
      if (isScalar(a!) && isScalar(x)) return termsOf(a!);
      // Σ a ⊙ b = aᵀ·b for column vectors of the same length, and u·vᵀ for rows (what the vjp of c·aᵀ leaves for the number c).
      if (x.op === 'sum' && isScalar(x) && a!.kind === 'op' && a!.op === 'mul' && a!.args[0]!.shape.join() === a!.args[1]!.shape.join()) {
        const [u, v] = a!.args as [MatrixExpr, MatrixExpr];
        if (isColumn(u)) return termsOf(matrixOp('matmul', [matrixOp('transpose', [u], { perm: [1, 0] }), v], {}));
        if (isRow(u)) return termsOf(matrixOp('matmul', [u, matrixOp('transpose', [v], { perm: [1, 0] })], {}));
      }
      if (x.op === 'identity' || (x.op === 'reshape' && a!.shape.join() === x.shape.join())) return termsOf(a!);
      // A column reshaped to a row is its transpose (what diag's vjp gives a row vector: diag(G) as a row).
      if (x.op === 'reshape' && ((isColumn(a!) && isRow(x)) || (isRow(a!) && isColumn(x)))) return transposeTerms(termsOf(a!));
      break;
    case 'diag': {
      const plainer = plainerDiag(a!) ?? plainerDiag(simplifyMatrix(a!));
      if (plainer !== null) return termsOf(plainer);
      const outer = outerProductDiagonal(a!);
      if (outer !== null) return [outer];
      break;
    }
  }
  // Any other op is one factor, its arguments simplified; numbers fold with the op's own forward.
  const args = x.args.map((arg) => keptShape(arg, simplifyMatrix(arg), x.op));
  // U^1 = U (what the power rule's c·Uᶜ⁻¹ leaves for c = 2), elementwise as for a number.
  if (x.op === 'pow' && args[1]!.kind === 'const' && args[1]!.value === 1) return termsOf(args[0]!);
  const fold = registry[x.op].forwardScalar;
  if (fold !== undefined && args.every((arg) => arg.kind === 'const')) {
    const [p, q] = args as { value: number }[];
    const value = fold(p!.value, q?.value ?? p!.value);
    // exp(A − A) is a matrix of ones, not the number 1.
    return isScalar(x) ? [{ ...ONE, coef: value }] : [atomTerm(matrixOp('broadcastTo', [constant(value)], { shape: [...x.shape] }))];
  }
  return [atomTerm({ ...x, args })];
}

/**
 * An argument as simplified, in the shape the op reads it: a sum that cancelled to the number 0
 * (x − x) stays a matrix of zeros under sum(·) or any other op that is not elementwise, and a
 * number a matrix op reads as 1×1 keeps that shape, as resolve.ts gave it (kron(2, A) needs two
 * matrices; tr, det, inv, I and commutation a square one). Elementwise ops take the number.
 */
function keptShape(arg: MatrixExpr, simple: MatrixExpr, op: OpName): MatrixExpr {
  if (simple.shape.length !== 0 || arg.shape.length === 0 || registry[op].forwardScalar !== undefined) return simple;
  if (!isScalarShape(arg.shape)) return matrixOp('broadcastTo', [simple], { shape: [...arg.shape] });
  const readsMatrices = op === 'kron' || op === 'commutation' || op === 'eyeLike' || isMatrixFunction(op);
  return readsMatrices ? matrixOp('reshape', [simple], { shape: [...arg.shape] }) : simple;
}

const transposes = (term: Term): number => term.chain.reduce((count, factor) => count + (keyOf(factor).match(/'/g)?.length ?? 0), 0);
/** A sum as a textbook starts it: a positive term first (Xᵀ − μ·1ᵀ), then fewer transposes (A + Aᵀ). */
const termOrder = (p: Term, q: Term): number => Number(p.coef < 0) - Number(q.coef < 0) || transposes(p) - transposes(q);

function collect(terms: readonly Term[]): Term[] {
  const byKey = new Map<string, Term>();
  for (const term of terms) {
    const key = [...term.scalars.map(keyOf).sort(), '|', ...term.chain.map(keyOf)].join(' ');
    const before = byKey.get(key);
    byKey.set(key, before === undefined ? term : { ...before, coef: before.coef + term.coef });
  }
  return [...byKey.values()].filter((term) => term.coef !== 0);
}

/** A factor every term shares at the right (or left) end of its chain, taken out of the sum. */
function factorOut(terms: readonly Term[]): Term | null {
  if (terms.length < 2 || terms.some((term) => term.chain.length < 2 || term.scalars.length > 0)) return null;
  for (const side of ['right', 'left'] as const) {
    const end = (term: Term) => (side === 'right' ? term.chain[term.chain.length - 1]! : term.chain[0]!);
    const shared = keyOf(end(terms[0]!));
    if (!terms.every((term) => keyOf(end(term)) === shared)) continue;
    const rest = terms.map((term) => ({ ...term, chain: side === 'right' ? term.chain.slice(0, -1) : term.chain.slice(1) }));
    // The bracket adds what is left of each term: only matrices of one shape add (A + bᵀ, a 2×2
    // and a 1×2, would hold only by broadcasting).
    const shapes = new Set(rest.map((term) => chainExpr(term.chain).shape.join('x')));
    if (shapes.size > 1) continue;
    const coef = rest.every((term) => term.coef === rest[0]!.coef) ? rest[0]!.coef : 1;
    const inner = fromTerms(rest.map((term) => ({ ...term, coef: term.coef / coef })).sort(termOrder));
    return { coef, scalars: [], chain: side === 'right' ? [inner, end(terms[0]!)] : [end(terms[0]!), inner] };
  }
  return null;
}

export /**
 * Terms that share their right-hand factor, taken together where not all terms do:
 * A·x + Aᵀ·x + b = (A + Aᵀ)·x + b. Null when no two terms share one.
 */
function factorGroups(terms: readonly Term[]): Term[] | null {
  const groups = new Map<string, Term[]>();
  for (const term of terms) {
    const key = term.chain.length >= 2 && term.scalars.length === 0 ? keyOf(term.chain[term.chain.length - 1]!) : `#${groups.size}`;
    groups.set(key, [...(groups.get(key) ?? []), term]);
  }
  let factored = false;
  const result = [...groups.values()].flatMap((group) => {
    const shared = group.length < 2 ? null : factorOut(group);
    if (shared === null) return group;
    factored = true;
    return [shared];
  });
  return factored ? result : null;
}

export function chainExpr(chain: readonly MatrixExpr[]): MatrixExpr {
  return chain.slice(1).reduce((product, factor) => matrixOp('matmul', [product, factor], {}), chain[0]!);
}

/** A term without its sign. */
function termExpr(term: Term, coef: number): MatrixExpr {
  const factors: MatrixExpr[] = [...(coef === 1 && (term.scalars.length > 0 || term.chain.length > 0) ? [] : [constant(coef)]), ...term.scalars];
  const scalar = factors.length === 0 ? null : factors.slice(1).reduce((product, factor) => matrixOp('mul', [product, factor], {}), factors[0]!);
  if (term.chain.length === 0) return scalar ?? constant(coef);
  const chain = chainExpr(term.chain);
  return scalar === null ? chain : matrixOp('mul', [scalar, chain], {});
}

const signed = (term: Term): MatrixExpr => (term.coef < 0 ? matrixOp('neg', [termExpr(term, -term.coef)], {}) : termExpr(term, term.coef));

export function fromTerms(given: readonly Term[]): MatrixExpr {
  const terms = collect(given);
  if (terms.length === 0) return constant(0);
  const factored = factorOut(terms);
  if (factored !== null) return signed(factored);
  const grouped = factorGroups(terms);
  if (grouped !== null) return fromTerms(grouped);
  const [first, ...rest] = terms;
  const start = signed(first!);
  return rest.reduce((total, term) => matrixOp(term.coef < 0 ? 'sub' : 'add', [total, termExpr(term, Math.abs(term.coef))], {}), start);
}

/** The teacher's form of a matrix formula (same value, same shape up to 1×1 ≡ number). */
export function simplifyMatrix(x: MatrixExpr): MatrixExpr {
  return fromTerms(termsOf(x));
}

import { noGrad } from '../autograd/grad-mode.js';
import { differential } from './differential.js';
import { evaluateMatrix } from './evaluate.js';
import { isScalarShape, type MatrixExpr } from './expr.js';
import { identityMatrix } from './resolve.js';
import { chainExpr, fromTerms, keyOf, simplifyMatrix, termsOf, type Term } from './simplify.js';
import { matrixOp } from './symbolic.js';

/**
 * Solving ∇_v f = 0 where the gradient is affine in v (docs/matrix-calculus.md, "Stationary
 * points"). The differential of the gradient, collected as dG = Σ c·L·dv·R (the machinery of
 * record/matrix-kronecker.ts), has factors free of v exactly when G is affine in v; then
 * G = Σ c·L·v·R + G₀ with G₀ = G at v = 0. With left factors only the equation is
 * (Σ c·L)·v = −G₀, solved as v = (Σ c·L)⁻¹·(−G₀); with right factors only v·(Σ c·R) = −G₀.
 */

export interface LinearPart {
  readonly coef: number;
  readonly scalars: readonly MatrixExpr[];
  /** The factors left of dv (none: I). */
  readonly left: readonly MatrixExpr[];
  /** The factors right of dv (none: I); for a vector v a 1×1 right factor is moved to `scalars`. */
  readonly right: readonly MatrixExpr[];
}

export interface AffineGradient {
  /** dG, collected: linear in dv with factors free of v. */
  readonly differential: MatrixExpr;
  readonly parts: readonly LinearPart[];
  /** G₀: the gradient at v = 0. */
  readonly constant: MatrixExpr;
  readonly side: 'left' | 'right' | 'both';
}

export const dependsOn = (x: MatrixExpr, name: string): boolean => (x.kind === 'var' ? x.name === name && x.differentialOf === undefined : x.kind === 'op' && x.args.some((arg) => dependsOn(arg, name)));
const isDifferential = (x: MatrixExpr, name: string): boolean => x.kind === 'var' && x.differentialOf === name;
const hasDifferential = (x: MatrixExpr, name: string): boolean => isDifferential(x, name) || (x.kind === 'op' && x.args.some((arg) => hasDifferential(arg, name)));

/** The formula with every `name` replaced by `by` (the same shape). */
export function substitute(x: MatrixExpr, name: string, by: MatrixExpr): MatrixExpr {
  if (x.kind === 'var') return x.name === name && x.differentialOf === undefined ? by : x;
  if (x.kind === 'const') return x;
  const args = x.args.map((arg) => substitute(arg, name, by));
  return args.every((arg, i) => arg === x.args[i]) ? x : { ...x, args };
}

/**
 * G as Σ c·L·v·R + G₀, or why not: 'nonlinear' when dG still has v in it (or dv inside a number
 * or a function), 'constant' when G does not depend on v at all.
 */
export function affineGradient(gradient: MatrixExpr, name: string, shape: readonly number[]): AffineGradient | 'nonlinear' | 'constant' {
  const { expr: raw, unknown } = differential({ ...gradient, shape: shape.length === 0 ? [] : gradient.shape }, name);
  // No differential could be written (a variable exponent): nothing is known, so no formula.
  if (unknown) return 'nonlinear';
  if (raw === null) return 'constant';
  const collected = simplifyMatrix(raw);
  const terms = termsOf(collected);
  if (terms.length === 0) return 'constant';
  const vector = shape.length < 2 || shape[1] === 1;
  const parts: LinearPart[] = [];
  for (const term of terms) {
    if (isScalarShape(shape)) {
      // A number's differential dc stands among the scalar factors: G = (Σ c·s)·c + G₀.
      const own = term.scalars.findIndex((factor) => isDifferential(factor, name));
      const others = [...term.scalars.filter((_, i) => i !== own), ...(term.chain.length > 0 ? [chainExpr(term.chain)] : [])];
      if (own < 0 || others.some((factor) => dependsOn(factor, name) || hasDifferential(factor, name))) return 'nonlinear';
      parts.push({ coef: term.coef, scalars: others, left: [], right: [] });
      continue;
    }
    const at = term.chain.findIndex((factor) => isDifferential(factor, name));
    if (at < 0 || term.scalars.some((s) => dependsOn(s, name) || hasDifferential(s, name))) return 'nonlinear';
    if (term.chain.some((factor, i) => i !== at && (dependsOn(factor, name) || hasDifferential(factor, name)))) return 'nonlinear';
    const right = term.chain.slice(at + 1);
    // A vector's right factor is a number (1ᵀ·1 = n), which commutes to the left.
    const movesLeft = vector && right.length > 0;
    parts.push({ coef: term.coef, scalars: movesLeft ? [...term.scalars, chainExpr(right)] : term.scalars, left: term.chain.slice(0, at), right: movesLeft ? [] : right });
  }
  const zero: MatrixExpr = { kind: 'const', value: 0, shape };
  const constant = simplifyMatrix(substitute(gradient, name, zero));
  const side = parts.every((part) => part.right.length === 0) ? 'left' : parts.every((part) => part.left.length === 0) ? 'right' : 'both';
  return { differential: collected, parts, constant, side };
}

/** The equation M·v = b (or v·M = b), before and after it is tidied as a student would, and v from it. */
export interface LinearSolution {
  readonly equation: { readonly lhs: MatrixExpr; readonly rhs: MatrixExpr };
  /** Both sides divided by a shared number and a shared outer factor cancelled (absent when nothing changed). */
  readonly reduced?: { readonly lhs: MatrixExpr; readonly rhs: MatrixExpr; readonly cancelled: readonly MatrixExpr[]; readonly ifInvertible: boolean };
  /** The M that must be invertible (a number when v is only scaled). */
  readonly matrix: MatrixExpr;
  readonly solution: MatrixExpr;
}

const negated = (terms: readonly Term[]): Term[] => terms.map((term) => ({ ...term, coef: -term.coef }));
const scaled = (terms: readonly Term[], by: number): Term[] => terms.map((term) => ({ ...term, coef: term.coef / by }));
const hasVariable = (x: MatrixExpr): boolean => x.kind === 'var' || (x.kind === 'op' && x.args.some(hasVariable));

/** Numbers written as formulas (1ᵀ·1 with ones(4,1)) folded into the coefficient: 4. */
function foldNumbers(terms: readonly Term[]): Term[] {
  return terms.map((term) => {
    const fixed = term.scalars.filter((s) => !hasVariable(s));
    if (fixed.length === 0) return term;
    const value = fixed.reduce((product, s) => product * noGrad(() => evaluateMatrix(s, new Map())).data[0]!, 1);
    return { ...term, coef: term.coef * value, scalars: term.scalars.filter((s) => hasVariable(s)) };
  });
}

/**
 * v from an affine gradient with one-sided factors: M·v = −G₀ (left) or v·M = −G₀ (right), as a
 * student writes it: a number all terms share divided out (2XᵀX·w = 2Xᵀy → XᵀX·w = Xᵀy), an
 * outer factor both sides share cancelled (S⁻¹·4·μ = S⁻¹·Xᵀ1 → 4·μ = Xᵀ1), then v = M⁻¹·b, or
 * b/m when M is a number m times I. Null for factors on both sides (Sylvester-like).
 */
/**
 * `invertible` (with values): a factor is cancelled only where it is invertible at them (λ ≠ 0, A
 * nonsingular); otherwise the full system stands and its own singularity is reported. Without it
 * the factors are cancelled and the reduced equation holds if they are invertible (`ifInvertible`).
 */
export function solveAffine(affine: AffineGradient, name: string, shape: readonly number[], invertible?: (factor: MatrixExpr) => boolean): LinearSolution | null {
  if (affine.side === 'both') return null;
  const left = affine.side === 'left';
  const size = left ? shape[0] ?? 1 : shape[1] ?? 1;
  const v: MatrixExpr = { kind: 'var', name, shape };
  const factorsOf = (part: LinearPart) => (left ? part.left : part.right);
  let m: Term[] = affine.parts.map((part) => ({ coef: part.coef, scalars: part.scalars, chain: factorsOf(part).length > 0 ? factorsOf(part) : [identityMatrix(size)] }));
  let b: Term[] = negated(termsOf(affine.constant));
  const product = (terms: readonly Term[]) => {
    if (!isScalarTerms(terms) && left) return matrixOp('matmul', [fromTerms(terms), v], {});
    if (!isScalarTerms(terms)) {
      // v·(2·X·Xᵀ) prints as v·2·X·Xᵀ: one term's number goes in front, 2·v·X·Xᵀ, as a student writes it.
      const [term] = terms;
      if (terms.length > 1 || (term!.coef === 1 && term!.scalars.length === 0)) return matrixOp('matmul', [v, fromTerms(terms)], {});
      const number = fromTerms([{ ...term!, chain: [] }]);
      return matrixOp('mul', [number, matrixOp('matmul', [v, fromTerms([{ coef: 1, scalars: [], chain: term!.chain }])], {})], {});
    }
    const number = fromTerms(terms.map((term) => ({ ...term, chain: [] })));
    return number.kind === 'const' && number.value === 1 ? v : matrixOp('mul', [number, v], {});
  };
  const equation = { lhs: product(m), rhs: fromTerms(b) };

  m = foldNumbers(m);
  b = foldNumbers(b);
  const common = m[0]!.coef;
  if (m.every((term) => Math.abs(term.coef) === Math.abs(common)) && common !== 1) {
    m = scaled(m, common);
    b = scaled(b, common);
  }
  const cancelled: MatrixExpr[] = [];
  // A number every term of both sides has (λ in 2λ·ĉ = 4λ) is divided out.
  for (const factor of m[0]!.scalars) {
    const has = (term: Term) => term.scalars.some((s) => keyOf(s) === keyOf(factor));
    if (![...m, ...b].every(has) || invertible?.(factor) === false) continue;
    cancelled.push(factor);
    const drop = (term: Term): Term => { const at = term.scalars.findIndex((s) => keyOf(s) === keyOf(factor)); return { ...term, scalars: term.scalars.filter((_, i) => i !== at) }; };
    m = m.map(drop);
    b = b.map(drop);
  }
  for (;;) {
    const outer = (term: Term) => (left ? term.chain[0] : term.chain[term.chain.length - 1]);
    const first = outer(m[0]!);
    const shared = first !== undefined && first.shape[0] === first.shape[1] && !isIdentity(first) && [...m, ...b].every((term) => outer(term) !== undefined && keyOf(outer(term)!) === keyOf(first));
    if (!shared || invertible?.(first) === false) break;
    cancelled.push(first);
    const drop = (term: Term): Term => ({ ...term, chain: left ? term.chain.slice(1) : term.chain.slice(0, -1) });
    m = m.map(drop).map((term) => (term.chain.length === 0 ? { ...term, chain: [identityMatrix(size)] } : term));
    b = b.map(drop);
  }
  const matrix = isScalarTerms(m) ? fromTerms(m.map((term) => ({ ...term, chain: [] }))) : fromTerms(m);
  const solution = isScalarTerms(m) ? divided(b, m) : simplifyMatrix(left ? matrixOp('matmul', [matrixOp('inv', [matrix], {}), fromTerms(b)], {}) : matrixOp('matmul', [fromTerms(b), matrixOp('inv', [matrix], {})], {}));
  // Once M is 1 the tidied equation is the answer itself: v = (A + Aᵀ)/2.
  const tidied = isScalarTerms(m) && matrix.kind === 'const' && matrix.value === 1 ? { lhs: v, rhs: solution } : { lhs: product(m), rhs: fromTerms(b) };
  const changed = keyOf(tidied.lhs) !== keyOf(equation.lhs) || keyOf(tidied.rhs) !== keyOf(equation.rhs);
  return { equation, ...(changed ? { reduced: { ...tidied, cancelled, ifInvertible: invertible === undefined && cancelled.length > 0 } } : {}), matrix, solution };
}

const isIdentity = (x: MatrixExpr): boolean => x.kind === 'op' && x.op === 'eyeLike';
/** M is a number times I (every term's chain is I or empty). */
const isScalarTerms = (terms: readonly Term[]): boolean => terms.every((term) => term.chain.every(isIdentity));

/** b/m, written as a student does: Xᵀ1/4 rather than 0.25·Xᵀ1, (A + Aᵀ)/2 rather than 0.5·A + 0.5·Aᵀ. */
function divided(b: readonly Term[], m: readonly Term[]): MatrixExpr {
  const numbersOnly = m.length === 1 && m[0]!.scalars.length === 0;
  if (!numbersOnly) return matrixOp('div', [fromTerms(b), fromTerms(m.map((term) => ({ ...term, chain: [] })))], {});
  const quotient = scaled(b, m[0]!.coef);
  const shared = Math.abs(quotient[0]?.coef ?? 1);
  const whole = 1 / shared;
  if (quotient.length > 0 && quotient.every((term) => Math.abs(term.coef) === shared) && Number.isInteger(whole) && whole > 1) {
    return matrixOp('div', [fromTerms(scaled(quotient, shared)), { kind: 'const', value: whole, shape: [] }], {});
  }
  return fromTerms(quotient);
}

/**
 * The book's "transpose and add" for a Lagrangian (problem 7): a listed variable Λ whose gradient
 * is c·(X − Xᵀ) makes ∇_Λ = 0 the constraint X = Xᵀ; ∇_X f = 0 transposed and added to itself
 * cancels Λ where Λ enters antisymmetrically (Λ − Λᵀ); with Xᵀ = X what is left is solved for X.
 * Null where this does not apply (no such constraint, or Λ does not cancel).
 */
export interface TransposeAndAdd {
  readonly multiplier: string;
  readonly variable: string;
  /** ∇_X f + (∇_X f)ᵀ, simplified: Λ is gone. */
  readonly sum: MatrixExpr;
  /** The same with Xᵀ written X. */
  readonly symmetric: MatrixExpr;
  readonly solved: LinearSolution;
}

export function transposeAndAdd(gradients: ReadonlyMap<string, MatrixExpr>, shapes: ReadonlyMap<string, readonly number[]>): TransposeAndAdd | null {
  if (gradients.size !== 2) return null;
  const [[p, gp], [q, gq]] = [...gradients] as [[string, MatrixExpr], [string, MatrixExpr]];
  for (const [multiplier, constraint, variable, objective] of [[p, gp, q, gq], [q, gq, p, gp]] as const) {
    const shape = shapes.get(variable)!;
    if (shape.length !== 2 || shape[0] !== shape[1] || !isSkewPart(constraint, variable)) continue;
    const sum = simplifyMatrix(matrixOp('add', [objective, matrixOp('transpose', [objective], { perm: [1, 0] })], {}));
    if (dependsOn(sum, multiplier)) continue;
    const x: MatrixExpr = { kind: 'var', name: variable, shape };
    const symmetric = simplifyMatrix(replaceTranspose(sum, variable, x));
    const affine = affineGradient(symmetric, variable, shape);
    if (typeof affine === 'string') continue;
    const solved = solveAffine(affine, variable, shape);
    if (solved !== null) return { multiplier, variable, sum, symmetric, solved };
  }
  return null;
}

/** The gradient is c·(X − Xᵀ): setting it to zero says X is symmetric. */
function isSkewPart(gradient: MatrixExpr, variable: string): boolean {
  const terms = termsOf(gradient);
  if (terms.length !== 2 || terms.some((term) => term.scalars.length > 0 || term.chain.length !== 1)) return false;
  const plain = terms.find((term) => term.chain[0]!.kind === 'var' && (term.chain[0] as { name: string }).name === variable);
  const transposed = terms.find((term) => { const f = term.chain[0]!; return f.kind === 'op' && f.op === 'transpose' && f.args[0]!.kind === 'var' && (f.args[0] as { name: string }).name === variable; });
  return plain !== undefined && transposed !== undefined && plain.coef === -transposed.coef && plain.coef !== 0;
}

function replaceTranspose(x: MatrixExpr, name: string, by: MatrixExpr): MatrixExpr {
  if (x.kind !== 'op') return x;
  if (x.op === 'transpose' && x.args[0]!.kind === 'var' && (x.args[0] as { name: string }).name === name) return by;
  return { ...x, args: x.args.map((arg) => replaceTranspose(arg, name, by)) };
}



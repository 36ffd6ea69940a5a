import type { Algebra } from '../ops/algebra.js';
import { isScalar, isScalarShape, type MatrixExpr } from './expr.js';
import { diagonalMatrix, identityMatrix } from './resolve.js';
import { chainExpr, fromTerms, simplifyMatrix, termsOf, transposeAtom, type Term } from './simplify.js';
import { matrixAlgebra, matrixOp, symbolicMatrixGradients } from './symbolic.js';

/**
 * Derivatives of a matrix formula by one variable, as formulas in matrix notation:
 * - a number by anything: the gradient, in the variable's shape (∂(xᵀAx)/∂x = (A + Aᵀ)x);
 * - a vector by a vector (or number): the Jacobian J with dy = J·dx (∂(x·xᵀ·x)/∂x = xᵀx·I + 2x·xᵀ),
 *   read off the reverse mode run with a symbolic seed e: the gradient of eᵀy is Jᵀe, linear in e;
 *   an elementwise function gives e ⊙ f′(x), that is diag(f′(x))·e (∂exp(x)/∂x = diag(exp(x)));
 * - otherwise null: the numbers are still computed, the formula is not written.
 */

/** A name no formula can use (the grammar's names are letters, digits and _). */
const SEED = '#seed';

const hasSeed = (x: MatrixExpr): boolean => (x.kind === 'var' ? x.name === SEED : x.kind === 'op' && x.args.some(hasSeed));
const isSeed = (x: MatrixExpr): boolean => x.kind === 'var' && x.name === SEED;
const isSeedTransposed = (x: MatrixExpr): boolean => x.kind === 'op' && x.op === 'transpose' && isSeed(x.args[0]!);

const isVectorLike = (shape: readonly number[]): boolean => shape.length === 0 || (shape.length === 2 && shape[1] === 1);

/**
 * x = g ⊙ (M·e) (in any order of elementwise products and divisions by seed-free vectors) with e
 * the seed and g a column vector free of it: what the vjp of an elementwise function leaves
 * (exp: e ⊙ exp(x); ln: e ./ x). Gives g and the term M·e (coefficient, numbers, M), or null.
 */
function seededHadamard(x: MatrixExpr): { g: MatrixExpr; inner: Term } | null {
  if (x.shape.length !== 2 || x.shape[1] !== 1) return null;
  const factors: MatrixExpr[] = [];
  const divisors: MatrixExpr[] = [];
  const elementwise = (y: MatrixExpr): boolean => y.kind === 'op' && (y.op === 'mul' || y.op === 'div') && !isScalar(y.args[0]!) && !isScalar(y.args[1]!);
  const flatten = (y: MatrixExpr): void => {
    if (!elementwise(y) || y.kind !== 'op') factors.push(y);
    else if (y.op === 'mul') y.args.forEach(flatten);
    else {
      flatten(y.args[0]!);
      divisors.push(y.args[1]!);
    }
  };
  flatten(x);
  const seeded = factors.filter(hasSeed);
  const rest = factors.filter((factor) => !hasSeed(factor));
  if (seeded.length !== 1 || factors.length + divisors.length < 2 || divisors.some(hasSeed)) return null;
  if ([...rest, ...divisors].some((factor) => factor.shape.join() !== x.shape.join())) return null;
  const terms = termsOf(seeded[0]!);
  const inner = terms.length === 1 ? terms[0]! : null;
  if (inner === null || inner.scalars.some(hasSeed) || !isSeed(inner.chain[inner.chain.length - 1] ?? x) || inner.chain.slice(0, -1).some(hasSeed)) return null;
  const product = rest.length === 0 ? null : rest.slice(1).reduce((total, factor) => matrixOp('mul', [total, factor], {}), rest[0]!);
  const g = divisors.reduce<MatrixExpr>((total, divisor) => matrixOp('div', [total, divisor], {}), product ?? { kind: 'const', value: 1, shape: [] });
  return { g, inner: { ...inner, chain: inner.chain.slice(0, -1) } };
}

/**
 * A sum over some axes only (the rows of diag(x)'s gradient gy ⊙ I): the grammar's sum() is over
 * every element, so a formula holding one would be written wrong; such a derivative is left out.
 */
const hasPartialSum = (x: MatrixExpr): boolean => x.kind === 'op' && ((x.op === 'sum' && !isScalar(x)) || x.args.some(hasPartialSum));
/** A node of more than two axes (kron's vjp sees gy as [m, p, n, q] blocks): no matrix formula writes it, nor simplifies it. */
const hasManyAxes = (x: MatrixExpr): boolean => x.shape.length > 2 || (x.kind === 'op' && x.args.some(hasManyAxes));

/** `algebra`: the registry's rules in full (matrixAlgebra), or as a textbook writes them (textbookMatrixAlgebra). */
export function matrixDerivative(expr: MatrixExpr, variable: string, shapeOfVariable: readonly number[], algebra: Algebra<MatrixExpr> = matrixAlgebra): MatrixExpr | null {
  const derivative = anyMatrixDerivative(expr, variable, shapeOfVariable, algebra);
  return derivative === null || hasPartialSum(derivative) ? null : derivative;
}

function anyMatrixDerivative(expr: MatrixExpr, variable: string, shapeOfVariable: readonly number[], algebra: Algebra<MatrixExpr>): MatrixExpr | null {
  if (isScalarShape(expr.shape)) {
    const gradient = symbolicMatrixGradients(expr, { kind: 'const', value: 1, shape: expr.shape }, [variable], algebra).get(variable);
    if (gradient !== undefined && hasManyAxes(gradient)) return null;
    return gradient === undefined ? { kind: 'const', value: 0, shape: [] } : simplifyMatrix(gradient);
  }
  if (!isVectorLike(expr.shape) || !isVectorLike(shapeOfVariable)) return null;
  const seed: MatrixExpr = { kind: 'var', name: SEED, shape: expr.shape };
  const gradient = symbolicMatrixGradients(expr, seed, [variable], algebra).get(variable);
  if (gradient === undefined) return { kind: 'const', value: 0, shape: [] };
  if (hasManyAxes(gradient)) return null;
  const rows = expr.shape[0] ?? 1;
  const jacobianTerms: Term[] = [];
  for (const term of termsOf(gradient)) {
    const seeded = term.scalars.findIndex(hasSeed);
    if (seeded >= 0) {
      // L·(eᵀR) with eᵀR a number: Jᵀ gets L·Rᵀ, so J gets R·Lᵀ.
      const inner = termsOf(term.scalars[seeded]!);
      const only = inner.length === 1 ? inner[0]! : null;
      if (only === null || only.chain.length < 2 || !isSeedTransposed(only.chain[0]!) || only.scalars.some(hasSeed) || term.chain.some(hasSeed)) return null;
      const scalars = [...term.scalars.filter((_, i) => i !== seeded), ...only.scalars];
      jacobianTerms.push({ coef: term.coef * only.coef, scalars, chain: [...only.chain.slice(1), ...[...term.chain].reverse().map(transposeAtom)] });
      continue;
    }
    const at = term.chain.findIndex(hasSeed);
    if (at < 0) continue;
    const factor = term.chain[at]!;
    const left = term.chain.slice(0, at);
    const right = term.chain.slice(at + 1);
    const leftTransposed = [...left].reverse().map(transposeAtom);
    if (isSeed(factor)) {
      // L·e·r with r a number: Jᵀ gets r·L, so J gets r·Lᵀ (I when there is no L).
      const scalars = right.length === 0 ? term.scalars : [...term.scalars, chainExpr(right)];
      const chain = leftTransposed.length > 0 ? leftTransposed : [identity(rows)];
      jacobianTerms.push({ coef: term.coef, scalars, chain });
    } else if (seededHadamard(factor) !== null) {
      // L·(g ⊙ M·e)·r with r a number = r·L·diag(g)·M·e: Jᵀ gets r·L·diag(g)·M, so J gets r·Mᵀ·diag(g)·Lᵀ.
      const { g, inner } = seededHadamard(factor)!;
      const scalars = [...term.scalars, ...inner.scalars, ...(right.length === 0 ? [] : [chainExpr(right)])];
      const chain = [...[...inner.chain].reverse().map(transposeAtom), diagonalMatrix(g), ...leftTransposed];
      jacobianTerms.push({ coef: term.coef * inner.coef, scalars, chain });
    } else if (isSeedTransposed(factor) && right.length > 0) {
      // L·eᵀ·R with eᵀR a number = Rᵀe: Jᵀ gets L·Rᵀ, so J gets R·Lᵀ.
      jacobianTerms.push({ coef: term.coef, scalars: term.scalars, chain: [...right, ...leftTransposed] });
    } else {
      return null;
    }
  }
  return jacobianTerms.length === 0 ? { kind: 'const', value: 0, shape: [] } : fromTerms(jacobianTerms);
}

/** I of size n (what it multiplies says its size; the formula writes it I); it evaluates too. */
const identity = identityMatrix;

/** The Hessian of a number by a vector: the Jacobian of its gradient, or null when not written in matrix form. */
export function matrixHessian(expr: MatrixExpr, variable: string, shapeOfVariable: readonly number[], algebra: Algebra<MatrixExpr> = matrixAlgebra): MatrixExpr | null {
  if (!isScalarShape(expr.shape) || !isVectorLike(shapeOfVariable)) return null;
  const gradient = matrixDerivative(expr, variable, shapeOfVariable, algebra);
  return gradient === null ? null : hessianOfGradient(gradient, variable, shapeOfVariable, algebra);
}

/** The Hessian as the Jacobian of a gradient formula already written (the one a trace prints). */
export function hessianOfGradient(gradient: MatrixExpr, variable: string, shapeOfVariable: readonly number[], algebra: Algebra<MatrixExpr> = matrixAlgebra): MatrixExpr | null {
  if (!isVectorLike(shapeOfVariable)) return null;
  if (gradient.kind === 'const') return { kind: 'const', value: 0, shape: [] };
  // The simplified gradient has lost 1×1 shapes on numbers; give it the variable's shape back
  // (a 1×1 matrix product, ones(1,2)·(x^c ⊙ log(x)), keeps its 1×1: its vjp needs matrices).
  const oneByOne = gradient.shape.length === 2 && isScalarShape(gradient.shape);
  return matrixDerivative({ ...gradient, shape: shapeOfVariable.length === 0 && !oneByOne ? [] : gradient.shape }, variable, shapeOfVariable, algebra);
}

import { InputError } from '../errors.js';
import type { MatrixExpr } from './expr.js';
import { simplifyMatrix } from './simplify.js';
import { matrixOp } from './symbolic.js';
import type { MatrixValue } from './values.js';

/**
 * Variables declared "symmetric matrix" (docs/matrix-calculus.md, "Symmetric matrices"): their
 * values must be symmetric, and a derivative formula may use Sᵀ = S and (S⁻¹)ᵀ = S⁻¹, as the book
 * does for the covariance matrix Σ. The gradient by S stays the gradient of the formula as it is
 * written (every entry of S free), evaluated at a symmetric S.
 */

/** Entries further apart than this (relative) are not equal: a value typed by hand is exact. */
const TOLERANCE = 1e-12;

/** Refuses a value of a symmetric variable that is not a square, symmetric matrix, naming the first entry that differs. */
export function checkSymmetricValue(name: string, value: MatrixValue): void {
  const [rows, columns] = value.shape;
  if (value.shape.length !== 2 || rows !== columns) {
    throw new InputError(`the value of ${name}: ${name} is declared a symmetric matrix, so it must be a square list of rows, got a ${rows ?? 1}×${columns ?? 1} value`);
  }
  const n = rows!;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const upper = value.data[i * n + j]!;
      const lower = value.data[j * n + i]!;
      if (Math.abs(upper - lower) > TOLERANCE * (1 + Math.abs(upper))) {
        throw new InputError(`the value of ${name}: ${name} is declared a symmetric matrix, but ${name}[${i}][${j}] = ${upper} and ${name}[${j}][${i}] = ${lower}; make them equal`);
      }
    }
  }
}

const isSymmetricAtom = (x: MatrixExpr, names: ReadonlySet<string>): boolean =>
  (x.kind === 'var' && names.has(x.name)) || (x.kind === 'op' && x.op === 'inv' && isSymmetricAtom(x.args[0]!, names));

/** The formula with Sᵀ written S and (S⁻¹)ᵀ written S⁻¹ for each symmetric S, equal terms collected again. */
export function useSymmetry(x: MatrixExpr, names: ReadonlySet<string>): MatrixExpr {
  if (names.size === 0) return x;
  const visit = (y: MatrixExpr): MatrixExpr => {
    if (y.kind !== 'op') return y;
    if (y.op === 'transpose' && isSymmetricAtom(y.args[0]!, names)) return visit(y.args[0]!);
    const args = y.args.map(visit);
    return args.every((arg, i) => arg === y.args[i]) ? y : matrixOp(y.op, args, y.attrs);
  };
  const symmetric = visit(x);
  return symmetric === x ? x : simplifyMatrix(symmetric);
}

/** Whether the formula writes a transpose that symmetry removes (then the derivation says Sᵀ = S). */
export const usesSymmetry = (x: MatrixExpr, names: ReadonlySet<string>): boolean =>
  x.kind === 'op' && ((x.op === 'transpose' && isSymmetricAtom(x.args[0]!, names)) || x.args.some((arg) => usesSymmetry(arg, names)));

import { noGrad } from '../autograd/grad-mode.js';
import type { Tensor } from '../autograd/tensor.js';
import type { Values } from '../formula/values-text.js';
import { differential } from '../matrix/differential.js';
import { evaluateMatrix } from '../matrix/evaluate.js';
import type { MatrixExpr } from '../matrix/expr.js';
import { identityMatrix } from '../matrix/resolve.js';
import { chainExpr, simplifyMatrix, termsOf } from '../matrix/simplify.js';
import { matrixOp } from '../matrix/symbolic.js';
import { vecJacobian } from '../matrix/vec.js';
import { matrixText } from '../matrix/write.js';
import type { MatrixKronecker } from '../trace/types.js';

/**
 * The derivative of a matrix F(X) by a matrix X (docs/matrix-calculus.md, "A matrix by a
 * matrix"): the differential dF = Σ c·L·dX·R (dX⁻¹ = −X⁻¹·dX·X⁻¹, d(A·X·B) = A·dX·B), and, with
 * vec stacking columns (column-major, as in Magnus & Neudecker), vec(L·dX·R) = (Rᵀ ⊗ L)·vec dX,
 * so the Jacobian ∂vec F/∂vec X = Σ c·Rᵀ ⊗ L, a formula of the grammar's kron (the registry op).
 * Its numbers are that formula evaluated, compared with the engine's Jacobian reordered to
 * column-major. Null where the differential is not such a sum (dXᵀ in it, an elementwise
 * function, a number times dX inside a scalar factor).
 */
export function kroneckerOf(expr: MatrixExpr, name: string, shape: readonly number[], leaves: ReadonlyMap<string, Tensor> | null, engineRows: readonly (readonly number[])[] | undefined): MatrixKronecker | null {
  const { expr: raw } = differential(expr, name);
  if (raw === null) return null;
  const simplified = simplifyMatrix(raw);
  const dX = (x: MatrixExpr) => x.kind === 'var' && x.differentialOf === name;
  const hasDX = (x: MatrixExpr): boolean => dX(x) || (x.kind === 'op' && x.args.some(hasDX));
  const dXTransposed = (x: MatrixExpr) => x.kind === 'op' && x.op === 'transpose' && dX(x.args[0]!);
  // vec dXᵀ = K·vec dX, K the commutation matrix of X's shape.
  const commutationMatrix = matrixOp('commutation', [{ kind: 'var', name, shape }], {});
  let transposed = false;
  const [rows, columns] = shape as [number, number];
  const [outRows = 1, outColumns = 1] = expr.shape;
  let jacobian: MatrixExpr | null = null;
  for (const term of termsOf(simplified)) {
    const at = term.chain.findIndex((factor) => dX(factor) || dXTransposed(factor));
    if (at < 0 || term.scalars.some(hasDX) || term.chain.some((factor, i) => i !== at && hasDX(factor))) return null;
    // L·dX·R gives Rᵀ ⊗ L, and L·dXᵀ·R (Rᵀ ⊗ L)·K; without L (or R) it is I of F's rows (or
    // columns), and without both the Jacobian is I (or K) alone.
    const left = at === 0 ? null : chainExpr(term.chain.slice(0, at));
    const right = at === term.chain.length - 1 ? null : simplifyMatrix(matrixOp('transpose', [chainExpr(term.chain.slice(at + 1))], { perm: [1, 0] }));
    const kronecker = left === null && right === null ? null : matrixOp('kron', [right ?? identityMatrix(outColumns), left ?? identityMatrix(outRows)], {});
    const withTranspose = dXTransposed(term.chain[at]!);
    transposed ||= withTranspose;
    const product = !withTranspose ? (kronecker ?? identityMatrix(outRows * outColumns)) : kronecker === null ? commutationMatrix : matrixOp('matmul', [kronecker, commutationMatrix], {});
    const scaled = [...term.scalars, ...(Math.abs(term.coef) === 1 ? [] : [constant(Math.abs(term.coef))])].reduceRight<MatrixExpr>((total, factor) => matrixOp('mul', [factor, total], {}), product);
    jacobian = jacobian === null ? (term.coef < 0 ? matrixOp('neg', [scaled], {}) : scaled) : matrixOp(term.coef < 0 ? 'sub' : 'add', [jacobian, scaled], {});
  }
  if (jacobian === null) return null;
  const result: MatrixKronecker = { differential: matrixText(raw), linear: matrixText(simplified), formula: matrixText(jacobian), rows: outRows * outColumns, columns: rows * columns, ...(transposed ? { commutation: true } : {}) };
  if (leaves === null || engineRows === undefined) return result;

  const computed = noGrad(() => evaluateMatrix(jacobian, leaves));
  const value = Array.from({ length: result.rows }, (_, i) => Array.from(computed.data.subarray(i * result.columns, (i + 1) * result.columns)));
  const engine = vecJacobian(engineRows, expr.shape, shape);
  const agrees = value.every((row, i) => row.every((v, j) => Math.abs(v - engine[i]![j]!) <= 1e-9 * (1 + Math.abs(engine[i]![j]!))));
  return { ...result, value: value as Values, engine: engine as Values, agrees };
}

const constant = (value: number): MatrixExpr => ({ kind: 'const', value, shape: [] });

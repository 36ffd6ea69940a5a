import { describe, expect, it } from 'vitest';
import { traceMatrixExpression, traceMatrixSymbolic } from './matrix-expression.js';

/** Rᵀ ⊗ L computed here, entry by entry, independently of the code under test. */
function kron(p: number[][], q: number[][]): number[][] {
  return p.flatMap((row) => q.map((qRow) => row.flatMap((a) => qRow.map((b) => a * b))));
}
const transpose = (m: number[][]) => m[0]!.map((_, j) => m.map((row) => row[j]!));

describe('a matrix by a matrix: the differential and ∂vec F/∂vec X as Kronecker products', () => {
  const A = [[1, 0], [2, 1]];
  const B = [[0, 1], [1, 1]];
  const X = [[2, 1], [1, 3]];

  it('A*X*B by X: dF = A·dX·B, J = kron(B\', A), numbers equal to Bᵀ ⊗ A and to the engine (column-major vec)', () => {
    const kronecker = traceMatrixExpression('A*X*B', { A, X, B }).kronecker!.X!;
    expect(kronecker.differential.ascii).toBe('A*dX*B');
    expect(kronecker.formula.ascii).toBe("kron(B', A)");
    expect(kronecker.formula.pretty).toBe('Bᵀ ⊗ A');
    expect(kronecker.value).toEqual(kron(transpose(B), A));
    expect(kronecker.agrees).toBe(true);
    expect(kronecker.engine).toEqual(kronecker.value);
  });

  it("inv(X): dX⁻¹ = −X⁻¹·dX·X⁻¹, J = −X⁻ᵀ ⊗ X⁻¹; X*X: Xᵀ ⊗ I + I ⊗ X; X' has no such form (dXᵀ)", () => {
    const inverse = traceMatrixExpression('inv(X)', { X }).kronecker!.X!;
    expect(inverse.differential.pretty).toBe('−X⁻¹·dX·X⁻¹');
    expect(inverse.formula.pretty).toBe('−X⁻ᵀ ⊗ X⁻¹');
    const inv = [[0.6, -0.2], [-0.2, 0.4]];
    const expected = kron(transpose(inv), inv).map((row) => row.map((v) => -v));
    (inverse.value as number[][]).forEach((row, i) => row.forEach((v, j) => expect(v).toBeCloseTo(expected[i]![j]!, 12)));
    expect(inverse.agrees).toBe(true);
    const square = traceMatrixExpression('X*X', { X: [[1, 2], [3, 4]] }).kronecker!.X!;
    expect(square.formula.pretty).toBe('Xᵀ ⊗ I + I ⊗ X');
    expect(square.agrees).toBe(true);
    expect(traceMatrixExpression("X'", { X }).kronecker).toBeUndefined();
  });

  it('with declared variables: the formula without numbers', () => {
    const kronecker = traceMatrixSymbolic('A*X*B', { A: 'matrix m×n', X: 'matrix n×k', B: 'matrix k×p' }).kronecker!.X!;
    expect(kronecker.formula.ascii).toBe("kron(B', A)");
    expect(kronecker.value).toBeUndefined();
  });
});

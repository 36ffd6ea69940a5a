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

  it("inv(X): dX⁻¹ = −X⁻¹·dX·X⁻¹, J = −X⁻ᵀ ⊗ X⁻¹; X*X: Xᵀ ⊗ I + I ⊗ X; exp(X) has no such form (an elementwise function)", () => {
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
    expect(traceMatrixExpression('exp(X)', { X }).kronecker).toBeUndefined();
  });

  it('with declared variables: the formula without numbers', () => {
    const kronecker = traceMatrixSymbolic('A*X*B', { A: 'matrix m×n', X: 'matrix n×k', B: 'matrix k×p' }).kronecker!.X!;
    expect(kronecker.formula.ascii).toBe("kron(B', A)");
    expect(kronecker.value).toBeUndefined();
  });
});

describe('kron(A, B) in the matrix grammar (the registry op)', () => {
  const A = [[1, 2], [3, 4]];
  const B = [[0, 1], [1, 1], [2, 0]];

  it('is the block matrix with block (i, j) = Aᵢⱼ·B, written A ⊗ B', () => {
    const trace = traceMatrixExpression('kron(A, B)', { A, B });
    expect(trace.value).toEqual(kron(A, B));
    expect(trace.formula.pretty).toBe('A ⊗ B');
    expect(traceMatrixExpression("2*kron(A, B)'*x", { A, B, x: [1, 2, 3, 4, 5, 6] }).formula.pretty).toBe('2·(A ⊗ B)ᵀ·x');
  });

  it('the printed Kronecker Jacobian parses back and gives its own numbers', () => {
    const X = [[2, 1], [1, 3]];
    for (const [formula, at] of [['inv(X)', { X }], ['A*X*B', { A: [[1, 0], [2, 1]], X, B: [[0, 1], [1, 1]] }]] as const) {
      const kronecker = traceMatrixExpression(formula, at).kronecker!.X!;
      expect(traceMatrixExpression(kronecker.formula.ascii, at).value).toEqual(kronecker.value);
    }
    expect(traceMatrixExpression('inv(X)', { X }).kronecker!.X!.formula.ascii).toBe("-kron(inv(X)', inv(X))");
  });

  it("x'*kron(A, B)*x by x is a formula; by A the numbers only (the vjp sees gy as blocks, which no matrix formula writes)", () => {
    const trace = traceMatrixExpression("x'*kron(A, B)*x", { A, B: [[0, 1], [1, 1]], x: [1, 2, 3, 4] });
    expect(trace.derivatives.x).toBe("(kron(A, B) + kron(A, B)')*x");
    expect(trace.derivatives.A).toBeUndefined();
    // Σ over the blocks: ∂/∂A[i][j] = Σₖₗ x[2i+k]·B[k][l]·x[2j+l].
    const x = [1, 2, 3, 4];
    const expected = [0, 1].map((i) => [0, 1].map((j) => [0, 1].reduce((s, k) => s + [0, 1].reduce((t, l) => t + x[2 * i + k]! * [[0, 1], [1, 1]][k]![l]! * x[2 * j + l]!, 0), 0)));
    expect(trace.gradient.A).toEqual(expected);
  });

  it('refuses a call with the wrong number of arguments and an I whose size nothing fixes', () => {
    const message = (formula: string) => { try { traceMatrixExpression(formula, { A }); } catch (error) { return (error as Error).message; } return ''; };
    expect(message('kron(A)')).toMatch(/kron takes 2 arguments separated by ',', but found 1/);
    expect(message('kron(A, A, A)')).toMatch(/kron takes 2 arguments/);
    expect(message('tr(A, A)')).toMatch(/tr takes one argument/);
    expect(message('kron(I, A)')).toMatch(/the size of I is not known inside kron/);
  });
});

describe('through dXᵀ: the commutation matrix K, vec dXᵀ = K·vec dX', () => {
  const X = [[1, 2, 5], [3, 4, 6]];

  it("X' by X (2×3) is K(X), the 6×6 permutation with K·vec X = vec Xᵀ, and the engine agrees", () => {
    const kronecker = traceMatrixExpression("X'", { X }).kronecker!.X!;
    expect(kronecker.formula.ascii).toBe('commutation(X)');
    expect(kronecker.commutation).toBe(true);
    // vec X = (1, 3, 2, 4, 5, 6), vec Xᵀ = (1, 2, 5, 3, 4, 6): row r of K has its 1 where vec X holds vec Xᵀ's r-th entry.
    const vecX = [1, 3, 2, 4, 5, 6];
    const K = kronecker.value as number[][];
    expect(K.map((row) => row.reduce((s, k, j) => s + k * vecX[j]!, 0))).toEqual([1, 2, 5, 3, 4, 6]);
    expect(kronecker.agrees).toBe(true);
  });

  it("X'*X: (Xᵀ ⊗ I)·K + I ⊗ Xᵀ, which parses back with the same numbers", () => {
    const trace = traceMatrixExpression("X'*X", { X });
    const kronecker = trace.kronecker!.X!;
    expect(kronecker.formula.ascii).toBe("kron(X', I)*commutation(X) + kron(I, X')");
    expect(kronecker.formula.pretty).toBe('(Xᵀ ⊗ I)·K(X) + I ⊗ Xᵀ');
    expect(kronecker.agrees).toBe(true);
    expect(traceMatrixExpression("kron(X', I)*commutation(X) + kron(I, X')", { X, I: [[1, 0, 0], [0, 1, 0], [0, 0, 1]] }).value).toEqual(kronecker.value);
  });
});

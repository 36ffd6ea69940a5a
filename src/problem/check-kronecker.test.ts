import { describe, expect, it } from 'vitest';
import { traceMatrixExpression, traceMatrixSymbolic } from '../record/matrix-expression.js';
import { checkMatrixAnswers } from './check-matrix-answers.js';

const X = [[2, 1], [1, 3]];
const checkOf = (trace: ReturnType<typeof traceMatrixExpression>, formula: string, name = 'X') => checkMatrixAnswers(trace, { kronecker: { [name]: formula } }).checks[0]!;

describe('answers: kronecker (∂vec F/∂vec X as a formula, vec stacking columns)', () => {
  it("the book's rule dX⁻¹ = −X⁻¹·dX·X⁻¹ as -kron(inv(X)', inv(X)) is right, at values and with X declared", () => {
    expect(checkOf(traceMatrixExpression('inv(X)', { X }), "-kron(inv(X)', inv(X))").verdict).toBe('right');
    expect(checkOf(traceMatrixSymbolic('inv(X)', { X: 'matrix' }), "-kron(inv(X)', inv(X))").verdict).toBe('right');
  });

  it('a wrong one shows the first entry where it differs: without the transpose it agrees at the symmetric X but not at a random one', () => {
    const check = checkOf(traceMatrixExpression('inv(X)', { X }), '-kron(inv(X), inv(X))');
    expect(check.verdict).toBe('wrong');
    expect(check.expected).toBe("-kron(inv(X)', inv(X))");
    const { differsAt } = check;
    expect(differsAt!.point.X).not.toEqual(X);
    expect(Math.abs(differsAt!.given - differsAt!.expected)).toBeGreaterThan(1e-6);
  });

  it("I in kron takes its size from F: X*X gives kron(X', I) + kron(I, X); swapping a factor is wrong at entry (1, 2)", () => {
    const trace = traceMatrixExpression('X*X', { X: [[1, 2], [3, 4]] });
    expect(checkOf(trace, "kron(X', I) + kron(I, X)").verdict).toBe('right');
    const wrong = checkOf(trace, "kron(X', I) + kron(X, I)");
    expect(wrong.verdict).toBe('wrong');
    // The (1, 2) entry of Xᵀ ⊗ I + I ⊗ X is X₁₂ = 2; of Xᵀ ⊗ I + X ⊗ I it is 0.
    expect(wrong.differsAt).toMatchObject({ row: 1, column: 2, given: 0, expected: 2, point: { X: [[1, 2], [3, 4]] } });
  });

  it('non-square factors: A*X*B (3×2 · 2×4 · 4×1) by X is kron(B\', A), and I alone is the Jacobian of X itself', () => {
    const trace = traceMatrixExpression('A*X*B', { A: [[1, 0], [2, 1], [0, 3]], X: [[1, 2, 0, 1], [0, 1, 1, 2]], B: [1, 2, 3, 4] });
    expect(checkOf(trace, "kron(B', A)").verdict).toBe('right');
    expect(checkOf(trace, "kron(B, A')'").verdict).toBe('right');
    expect(checkOf(trace, "kron(A, B')").verdict).toBe('wrong');
    expect(checkOf(traceMatrixExpression('X + 0', { X }), 'I').verdict).toBe('right');
  });

  it("through dXᵀ: X'*X (X 2×3) is kron(X', I)*commutation(X) + kron(I, X'); without K it is wrong", () => {
    const trace = traceMatrixExpression("X'*X", { X: [[1, 2, 5], [3, 4, 6]] });
    expect(checkOf(trace, "kron(X', I)*commutation(X) + kron(I, X')").verdict).toBe('right');
    expect(checkOf(trace, "kron(X', I) + kron(I, X')").verdict).toBe('wrong');
  });

  it('refuses it for a number f (that is derivatives:) and names the answer in a formula error', () => {
    expect(() => checkOf(traceMatrixExpression('tr(X)', { X }), 'I')).toThrow(/kronecker\.X: ∂vec f\/∂vec X is written for a matrix \(or vector\) formula by a matrix variable, but f is 1×1/);
    expect(() => checkOf(traceMatrixExpression('inv(X)', { X }), 'kron(X)')).toThrow(/^answers: kronecker\.X: kron takes 2 arguments/);
  });
});

describe('answers: derivatives now also show where a wrong formula differs', () => {
  it("(A + A')*x against A*x: entry and values", () => {
    const trace = traceMatrixExpression("x'*A*x", { x: [1, 2], A: [[1, 2], [3, 4]] });
    const check = checkMatrixAnswers(trace, { derivatives: { x: 'A*x' } }).checks[0]!;
    // ∇ = (A + Aᵀ)x = (2·1 + 5·2, 5·1 + 8·2) = (12, 21); A·x = (5, 11).
    expect(check.differsAt).toMatchObject({ row: 1, column: 1, given: 5, expected: 12 });
  });
});

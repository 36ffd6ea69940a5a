import { describe, expect, it } from 'vitest';
import { traceMatrixExpression, traceMatrixSymbolic } from '../record/matrix-expression.js';
import { checkMatrixAnswers } from './check-matrix-answers.js';

const lagrangian = traceMatrixExpression("tr((X - A)'*(X - A)) + tr(L'*(X - X'))", { X: [[1, 2], [0, 1]], A: [[2, 1], [3, 0]], L: [[0, 1], [-1, 2]] });
const verdicts = (stationary: Record<string, string>) => checkMatrixAnswers(lagrangian, { stationary }).checks.map((check) => `${check.path}: ${check.verdict}`);

describe('answers: stationary (a stationary point as formulas of the other variables)', () => {
  it("the nearest symmetric matrix X = (A + A')/2 with Λ = (A − A')/2 makes both gradients zero", () => {
    expect(verdicts({ X: "(A + A')/2", L: "(A - A')/2" })).toEqual(['stationary.X: right', 'stationary.L: right']);
  });

  it('a wrong point is wrong, and its gradient is shown: X = A is not symmetric, Λ = 0 leaves 2X − 2A = Aᵀ − A', () => {
    expect(verdicts({ X: 'A', L: "(A - A')/2" })).toEqual(['stationary.X: wrong', 'stationary.L: wrong']);
    expect(verdicts({ X: "(A + A')/2", L: '0*A' })).toEqual(['stationary.X: wrong', 'stationary.L: right']);
    const check = checkMatrixAnswers(lagrangian, { stationary: { X: "(A + A')/2", L: '0*A' } }).checks[0]!;
    // 2X − 2A = Aᵀ − A there.
    expect(check.expected).toEqual([[0, 2], [-2, 0]]);
  });

  it('refuses a formula of the wrong shape, and a problem without values', () => {
    expect(() => verdicts({ X: 'A*ones(2,1)' })).toThrow(/stationary\.X: A\*ones\(2,1\) has the shape 2×1, but X is 2×2/);
    const symbolic = traceMatrixSymbolic("x'*x", { x: 'vector' });
    expect(() => checkMatrixAnswers(symbolic, { stationary: { x: '0*x' } })).toThrow(/stationary needs values/);
  });
});

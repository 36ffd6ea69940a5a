import { describe, expect, it } from 'vitest';
import { parseProblem } from '../files/load-problem.js';
import { checkMatrixAnswers } from '../problem/check-matrix-answers.js';
import { solvePlan } from '../problem/solve.js';
import { traceMatrixExpression, traceMatrixSymbolic } from '../record/matrix-expression.js';
import { declaredShapes } from './declared.js';

const S = [[2, 0.5], [0.5, 1]];
const verdicts = (report: ReturnType<typeof checkMatrixAnswers>) => report.checks.map((check) => `${check.path}: ${check.verdict}`);

describe('symmetric matrices (docs/matrix-calculus.md)', () => {
  it('are declared "symmetric matrix" (n×n) or "symmetric matrix m×m"; a non-square one is refused', () => {
    expect(declaredShapes({ S: 'symmetric matrix', A: 'matrix m×k' })).toMatchObject({ symmetric: ['S'], shapes: { S: [3, 3], A: [4, 5] } });
    expect(declaredShapes({ S: 'symmetric matrix m×m' }).shapes.S).toEqual([3, 3]);
    expect(() => declaredShapes({ S: 'symmetric matrix m×n' })).toThrow(/a symmetric matrix is square; write "symmetric matrix m×m"/);
  });

  it('refuse a value that is not symmetric, naming the entries that differ', () => {
    expect(() => traceMatrixExpression('ln(det(S))', { S: [[2, 0.5], [0.4, 1]] }, { symmetric: ['S'] })).toThrow(/S is declared a symmetric matrix, but S\[0\]\[1\] = 0\.5 and S\[1\]\[0\] = 0\.4; make them equal/);
    expect(() => traceMatrixExpression('ln(det(S))', { S: [1, 2] }, { symmetric: ['S'] })).toThrow(/must be a square list of rows, got a 2×1 value/);
  });

  it("use Sᵀ = S in the derivative: ln det S gives inv(S) (inv(S)' when S is any matrix), and the derivation names the rule", () => {
    const general = traceMatrixExpression('ln(det(S))', { S });
    const symmetric = traceMatrixExpression('ln(det(S))', { S }, { symmetric: ['S'] });
    expect(general.derivatives.S).toBe("inv(S)'");
    expect(symmetric.derivatives.S).toBe('inv(S)');
    expect(symmetric.worked.S?.rules).toContain('symmetric');
    expect(general.worked.S?.rules).not.toContain('symmetric');
    // The numbers are the unconstrained gradient at the symmetric point: the same either way.
    expect(symmetric.gradient.S).toEqual(general.gradient.S);
    expect(symmetric.worked.S?.linearForm?.ascii).toBe('tr(inv(S)*dS)');
  });

  it("collect a'*S*x + x'*S*a into 2*S*a-like terms: x'*S*x by x is 2*S*x", () => {
    const trace = traceMatrixSymbolic("x'*S*x", { x: 'vector', S: 'symmetric matrix' });
    expect(trace.derivatives.x).toBe('2*S*x');
    expect(trace.symmetric).toEqual(['S']);
  });

  it('compare answers at random symmetric matrices: inv(S) is right for a symmetric S, wrong for any S', () => {
    const symmetric = traceMatrixSymbolic('ln(det(S))', { S: 'symmetric matrix' });
    const general = traceMatrixSymbolic('ln(det(S))', { S: 'matrix' });
    expect(verdicts(checkMatrixAnswers(symmetric, { derivatives: { S: 'inv(S)' } }))).toEqual(['derivatives.S: right']);
    expect(verdicts(checkMatrixAnswers(general, { derivatives: { S: 'inv(S)' } }))).toEqual(['derivatives.S: wrong']);
    expect(verdicts(checkMatrixAnswers(symmetric, { derivatives: { S: 'inv(S) + S - S\'' } }))).toEqual(['derivatives.S: right']);
  });

  it('in a problem file with values, variables: says which are symmetric; anything else there is refused', () => {
    const file = (variables: string) => `expression: "ln(det(S)) + a'*S*a"\nvariables: ${variables}\nat: { S: [[2, 1], [1, 3]], a: [1, 2] }\n`;
    const trace = solvePlan(parseProblem(file('{ S: "symmetric matrix" }')));
    expect(trace.kind === 'matrix' && trace.derivatives.S).toBe("inv(S) + a*a'");
    expect(() => parseProblem(file('{ S: "symmetric matrix", a: vector }'))).toThrow(/variables\.a.*only declares symmetric matrices/);
    expect(() => solvePlan(parseProblem(file('{ T: "symmetric matrix" }')))).toThrow(/T is declared a symmetric matrix but has no value/);
  });
});

import { describe, expect, it } from 'vitest';
import { InputError } from '../errors.js';
import { explainExpression } from '../explain/expression-solution.js';
import { traceExpression } from '../record/expression.js';
import { buildExpressionGraph } from './graph.js';
import { latexName, prettyName, recordedLatexName, recordedPrettyName } from './write.js';
import { matrixName } from '../matrix/write.js';
import { traceMatrixExpression } from '../record/matrix-expression.js';

/** A formula as the solution writes it, at a point giving each name 1. */
const written = (source: string, names: readonly string[]) => traceExpression(source, Object.fromEntries(names.map((name) => [name, 1]))).formula;

describe('a name a person types is written so that it reads as one name', () => {
  it('x1 and x_1 in one formula are refused: both would print x₁ (x₁ + x₁ = 1 + 2)', () => {
    expect(() => traceExpression('x1 + x_1', { x1: 1, x_1: 2 })).toThrow(InputError);
    expect(() => traceExpression('x1 + x_1', { x1: 1, x_1: 2 })).toThrow('x1 and x_1 are both written x₁');
  });

  it('the refusal’s example of a rename uses the user’s own names (mu1 and mu2, not x1 and x2)', () => {
    expect(() => traceExpression('mu1 + mu_1', { mu1: 1, mu_1: 2 })).toThrow('mu1 and mu_1 are both written μ₁ in a solution: rename all but one of them (e.g. mu1 and mu2)');
    // mu2 is taken, so the example goes on to mu3.
    expect(() => traceExpression('mu1 + mu_1 + mu2', { mu1: 1, mu_1: 2, mu2: 3 })).toThrow('(e.g. mu1 and mu3)');
  });

  it('operation nodes skip the letters a variable is written as (a_1 takes a1)', () => {
    // 27 operations: the 27th node would be a1, which prints as the variable a_1 does.
    const source = `a_1*${Array.from({ length: 27 }, () => 'exp(').join('')}y${')'.repeat(27)}`;
    const ids = buildExpressionGraph(source, { a_1: 1, y: 0.001 }).nodes.map((node) => prettyName(node.id));
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('only the loss’s gradients are written as derivatives: dL_dh1 → ∂L/∂h₁, dist_delta and dx_dy as typed', () => {
    expect(recordedPrettyName('dL_dh1')).toBe('∂L/∂h₁');
    expect(recordedLatexName('dL_dh1')).toBe('\\frac{\\partial L}{\\partial h_{1}}');
    expect(prettyName('dist_delta')).toBe('dist_delta');
    expect(prettyName('dx_dy')).toBe('dx_dy');
    // It printed ∂f/∂x = ∂x/∂y for f = dx_dy·x.
    expect(traceExpression('dx_dy*x', { dx_dy: 1, x: 2 }).derivativeFormulas.x!.pretty).toBe('dx_dy');
  });

  it('a variable a person names dL_dx is written as typed, never as a derivative (∂f/∂∂L/∂x)', () => {
    expect(prettyName('dL_dx')).toBe('dL_dx');
    expect(latexName('dL_dx')).toBe('\\mathit{dL\\_dx}');
    const trace = traceExpression('dL_dx*dx_dy', { dL_dx: 2, dx_dy: 3 });
    expect(trace.derivativeFormulas.dL_dx!.pretty).toBe('dx_dy');
    expect(trace.derivativeFormulas.dx_dy!.pretty).toBe('dL_dx');
    const solution = explainExpression(trace, { language: 'en' });
    const written = JSON.stringify(solution.blocks);
    expect(written).not.toContain('∂L');
    expect(written).toContain('∂f/∂dL_dx');
  });

  it('a number before a name of several letters keeps its dot (2·ab, not 2ab); 2x and 3exp(x) stay', () => {
    expect(written('2*ab', ['ab']).pretty).toBe('2·ab');
    expect(written('2*x', ['x']).pretty).toBe('2x');
    expect(written('3*exp(x)', ['x']).pretty).toBe('3exp(x)');
    expect(written('2*ab', ['ab']).latex).toBe('2 \\cdot \\mathit{ab}');
  });

  it('LaTeX writes a name of several letters as one word', () => {
    expect(latexName('ab')).toBe('\\mathit{ab}');
    expect(latexName('rate2')).toBe('\\mathit{rate}_{2}');
    expect(latexName('dist_delta')).toBe('\\mathit{dist\\_delta}');
    expect(latexName('x')).toBe('x');
    expect(latexName('W1')).toBe('W_{1}');
  });
});

describe('one rule for a name in the scalar and the matrix formulas (greek.ts, matrixName)', () => {
  const names = ['mu', 'lambda', 'beta', 'gamma', 'sigma', 'mu1', 'lambda_2', 'W1', 'ab', 'x', 'yhat'];

  it('matrixName writes every name as the scalar writer does: mu → μ, lambda → λ, mu1 → μ₁, W1 → W₁', () => {
    for (const name of names) expect(matrixName(name), name).toEqual({ ascii: name, pretty: prettyName(name), latex: latexName(name) });
    expect([prettyName('mu'), prettyName('lambda'), prettyName('beta'), prettyName('sigma'), prettyName('mu1')]).toEqual(['μ', 'λ', 'β', 'σ', 'μ₁']);
    expect([latexName('mu'), latexName('lambda'), latexName('mu1')]).toEqual(['\\mu', '\\lambda', '\\mu_{1}']);
  });

  it('the same formula of numbers written by both writers names mu and lambda alike', () => {
    const scalar = traceExpression('mu*x + lambda', { mu: 2, x: 3, lambda: 1 }).formula;
    const matrix = traceMatrixExpression('mu*x + lambda', { mu: 2, x: 3, lambda: 1 }).formula;
    expect(scalar.pretty).toBe('μ·x + λ');
    expect(matrix.pretty).toBe(scalar.pretty);
    expect(matrix.latex).toContain('\\mu');
    expect(matrix.latex).not.toContain('mathit');
  });

  it('a matrix formula with x1 and x_1 is refused as the scalar one is: both would print x₁', () => {
    expect(() => traceMatrixExpression('x1 + x_1', { x1: 1, x_1: 2 })).toThrow('x1 and x_1 are both written x₁');
  });
});

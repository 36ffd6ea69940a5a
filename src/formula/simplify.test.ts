import { describe, expect, it } from 'vitest';
import { traceExpression } from '../record/expression.js';

const derivatives = (source: string, at: Record<string, number>) => traceExpression(source, at).derivatives;

describe('symbolic derivatives', () => {
  it('expands polynomials to canonical form (exercise 1)', () => {
    expect(derivatives('x^2 + x*y + (x+y)^2', { x: 1, y: 2 })).toEqual({ x: '4*x + 3*y', y: '3*x + 2*y' });
  });

  it('orders terms by degree, then by variable', () => {
    expect(derivatives('(x + 1)^3', { x: 0 }).x).toBe('3*x^2 + 6*x + 3');
  });

  it('keeps the output-reusing forms of the registry rules', () => {
    expect(derivatives('sigmoid(x)', { x: 0 }).x).toBe('sigmoid(x)*(1 - sigmoid(x))');
    expect(derivatives('exp(x)', { x: 0 }).x).toBe('exp(x)');
    expect(derivatives('relu(x)', { x: 1 }).x).toBe('step(x)');
  });

  it('writes formulas that parse back and give the numeric gradient', () => {
    const cases: [string, Record<string, number>][] = [
      ['x^2 + x*y + (x+y)^2', { x: 1, y: -3.5 }],
      ['sigmoid(w*x + b)', { w: 0.3, x: -2, b: 0.1 }],
      ['x/y - log(y)*sqrt(x)', { x: 2, y: 3 }],
      ['max(x, y)*tanh(x) + abs(y - 2*x)', { x: 0.7, y: 0.2 }],
      ['x^y', { x: 1.5, y: 2.5 }],
    ];
    for (const [source, at] of cases) {
      const trace = traceExpression(source, at);
      for (const name of trace.variables) {
        const reparsed = traceExpression(trace.derivatives[name]!, Object.fromEntries(
          traceExpression(trace.derivatives[name]!, at).variables.map((v) => [v, at[v]!]),
        ));
        expect(reparsed.value).toBeCloseTo(trace.gradient[name]!, 12);
      }
    }
  });
});

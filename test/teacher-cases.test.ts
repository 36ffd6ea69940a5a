import { describe, expect, it } from 'vitest';
import { explain } from '../src/explain/solution.js';
import { traceExpression } from '../src/record/expression.js';
import { auditSolution } from './support/equation-audit.js';
import { LANGUAGES, solveText } from './worked-solutions.js';

/** What a demanding teacher found off the beaten path, each fixed at its root. */

const linesOf = (expression: string, at: string) => {
  const solution = explain(solveText(`expression: "${expression}"\nat: ${at}\n`), { language: 'en' });
  return solution.blocks.flatMap((block) => (block.kind === 'equation' ? [block.parts.map((part) => part.pretty).join(' = ')] : []));
};

describe('formulas a teacher writes on the board', () => {
  it('a power in an exponent is bracketed: 2^(x²), never 2^x², which also reads (2^x)²', () => {
    const trace = traceExpression('2^(x^2) + x^y^2', { x: 1.5, y: 1 });
    expect(trace.formula.pretty).toBe('2^(x²) + x^(y²)');
    expect(trace.derivativeFormulas.x!.pretty).toContain('2^(x²)');
    expect(Object.values(trace.derivativeFormulas).map((formula) => formula.pretty).join(' ')).not.toMatch(/\^[a-z]²/);
  });

  it('ln 2 stays ln(2) in the derivative of 2^b (not 0.693147), and every line stays true', () => {
    expect(linesOf('2^(x^2)', '{ x: 1.5 }')).toContain('∂f/∂a = 2^a·ln(2) = 2^2.25·ln(2) = 3.297');
    expect(traceExpression('2^x', { x: 1 }).derivatives.x).toBe('2^x*log(2)');
    // A function of a number that is a simple number is still folded: ln(1)·x is 0, √4·x is 2x.
    expect(traceExpression('x*sqrt(4)', { x: 1 }).derivatives.x).toBe('2');
    for (const language of LANGUAGES) {
      const solution = explain(solveText('expression: "(x^2)^3 + 2^(x^2) + 3^x"\nat: { x: 1.5 }\n'), { language });
      expect(auditSolution(solution).false).toEqual([]);
    }
  });
});

import { describe, expect, it } from 'vitest';
import { explain } from '../src/explain/solution.js';
import { renderSolution } from '../src/explain/render.js';
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

  it('a negative integer power is a superscript as a positive one is: x⁻⁴, not x^(−4), and the lines stay true', () => {
    const trace = traceExpression('x^(-3) + x^-2', { x: -2 });
    expect(trace.derivativeFormulas.x!.pretty).toBe('−3x⁻⁴ − 2x⁻³');
    expect(linesOf('x^(-3)', '{ x: -2 }')).toContain('f = x⁻³ = (−2)⁻³ = −0.125');
    for (const language of LANGUAGES) {
      const solution = explain(solveText('expression: "x^(-3) + x^-2"\nat: { x: -2 }\n'), { language });
      expect(auditSolution(solution).false).toEqual([]);
    }
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

describe('numbers too small for float64', () => {
  it('x·x at 10⁻²⁰⁰ is computed as 0: a warning says it is not 0 in exact arithmetic (en, ru), naming x once', () => {
    const trace = solveText('expression: x*x - 2*x\nat: { x: 1e-200 }\n');
    if (trace.kind !== 'expression') throw new Error('not an expression');
    expect(trace.diagnostics.map((remark) => [remark.code, remark.node])).toEqual([['underflow', 'a']]);
    expect(renderSolution(trace, { format: 'text', language: 'en' })).toContain('a = x·x at x = 10⁻²⁰⁰ is not 0 in exact arithmetic');
    expect(renderSolution(trace, { format: 'text', language: 'ru' })).toContain('a = x·x при x = 10⁻²⁰⁰ в точной арифметике не равно 0');
    // σ(−800) underflows too; x − x is exactly 0 and ReLU(−1) is 0: no warning.
    expect(traceExpression('sigmoid(x)', { x: -800 }).diagnostics.map((remark) => remark.code)).toEqual(['underflow']);
    expect(traceExpression('(x - x)*y + relu(y)', { x: 1e-200, y: -1 }).diagnostics).toEqual([]);
  });

  it('a negative product that underflows is closer to 0 than float64 reaches, not "smaller" than anything (en, ru)', () => {
    const trace = solveText('expression: x*y + 1\nat: { x: 1e-200, y: -1e-200 }\n');
    const english = renderSolution(trace, { format: 'text', language: 'en' });
    const russian = renderSolution(trace, { format: 'text', language: 'ru' });
    expect(english).toContain('closer to 0 than the smallest positive number float64 holds');
    expect(english).not.toContain('smaller than');
    expect(russian).toContain('по модулю меньше наименьшего положительного числа');
  });

  it('the underflow warning stands right under the line a = 10⁻²⁰⁰·10⁻²⁰⁰ = 0, in the forward pass of every format (en, ru)', () => {
    const trace = solveText('expression: x*x/(x*x)\nat: { x: 1e-200 }\n');
    const text = renderSolution(trace, { format: 'text', language: 'en' }).split('\n');
    const line = text.findIndex((row) => row.trim() === 'a = x·x = 10⁻²⁰⁰·10⁻²⁰⁰ = 0');
    expect(line).toBeGreaterThan(0);
    expect(text[line + 1]).toMatch(/^Warning\. a = x·x at x = 10⁻²⁰⁰ is not 0 in exact arithmetic/);
    const words = { en: ['exact arithmetic', 'Local derivatives'], ru: ['точной арифметике', 'Локальные производные'] } as const;
    for (const format of ['text', 'md', 'tex', 'html'] as const) {
      for (const language of LANGUAGES) {
        const page = renderSolution(trace, { format, language });
        const [warning, nextSection] = words[language];
        const at = page.indexOf(warning);
        // Once, in the forward pass: not repeated at the end.
        expect(at, `${format} ${language}`).toBeGreaterThan(0);
        expect(page.indexOf(warning, at + 1), `${format} ${language}`).toBe(-1);
        expect(at, `${format} ${language}`).toBeLessThan(page.indexOf(nextSection));
      }
    }
  });
});

import { describe, expect, it } from 'vitest';
import { explain } from '../src/explain/solution.js';
import { renderSolution } from '../src/explain/render.js';
import { formulaText } from '../src/formula/formula-text.js';
import { symbolicAlgebra as m, symConst, symVar } from '../src/formula/symbolic.js';
import { traceMatrixExpression } from '../src/record/matrix-expression.js';
import { auditSolution } from './support/equation-audit.js';
import { FORMATS, LANGUAGES, solveText } from './worked-solutions.js';

/**
 * Signs as a textbook prints them (src/formula/textbook-signs.ts): a − b, never a + −b or
 * a − −b; a negative factor in brackets, (−1)·(1/x), never −1·−(…); −2/x, not 2((−1)/x).
 */

/** a + −b, a − −b, a·−b, 2((−1)/x) in Unicode; a + -b, a - -b, a \cdot -b in LaTeX. */
const x = () => symVar('x');

const DOUBLE_SIGN = /[+−] [−-](?![∞\d]*\))|[+−]\s*[−-]\s|·[−-]|\(\(−1\)\/|[+-] -(?!\\infty)|\\cdot -/;

const FORMULAS: readonly [string, string][] = [
  ['x - 2*x/x', '{ x: 3 }'], ['x - y*(-x)', '{ x: 2, y: 3 }'], ['x + -y', '{ x: 1, y: 2 }'], ['x - (-2)*y', '{ x: 1, y: 2 }'],
  ['1/x - 1/y', '{ x: 2, y: 4 }'], ['exp(-x)*y - y/x', '{ x: 0.5, y: 3 }'], ['(x - y)/(y - x*x)', '{ x: 3, y: 1 }'], ['-x*(-y)', '{ x: 2, y: 5 }'],
];

describe('signs in the sums over paths and the derivative formulas', () => {
  it('x − 2x/x at 3: ∂f/∂x = (−1)·(1/x)·2 + (−1)·(−a/(x·x)) + 1 = −2/x + 2x/(x·x) + 1 = 1', () => {
    const solution = explain(solveText('expression: x - 2*x/x\nat: { x: 3 }\n'), { language: 'en' });
    const lines = solution.blocks.flatMap((block) => (block.kind === 'equation' ? [block.parts.map((part) => part.pretty).join(' = ')] : []));
    expect(lines).toContain('∂f/∂x = (−1)·(1/x)·2 + (−1)·(−a/(x·x)) + 1 = −2/x + 2x/(x·x) + 1 = 1');
    expect(lines).toContain('∂b/∂x = −a/(x·x) = −6/(3·3) = −2/3');
  });

  it(`${FORMULAS.length} formulas with minus signs everywhere: no double sign in any format or language, every line true`, () => {
    for (const [expression, at] of FORMULAS) {
      const trace = solveText(`expression: "${expression}"\nat: ${at}\n`);
      for (const language of LANGUAGES) {
        expect(auditSolution(explain(trace, { language })).false, expression).toEqual([]);
        for (const format of FORMATS.filter((f) => f !== 'html')) {
          const text = renderSolution(trace, { format, language });
          // The title is the formula as typed (x + -y); every line the solution writes is checked.
          const line = text.split('\n').find((candidate) => !candidate.includes(expression) && DOUBLE_SIGN.test(candidate));
          expect(line, `${expression} ${format} ${language}`).toBeUndefined();
        }
      }
    }
  });

  it('the writer: x + (−y) is x − y, x − (−2y) is x + 2y, 2·((−1)/x) is −2/x, −(a/b) is −a/b (the ascii keeps its brackets)', () => {
    const [x, y, a, b] = ['x', 'y', 'a', 'b'].map(symVar) as [ReturnType<typeof symVar>, ReturnType<typeof symVar>, ReturnType<typeof symVar>, ReturnType<typeof symVar>];
    const raw = (op: 'add' | 'sub' | 'mul' | 'div', p: ReturnType<typeof symVar>, q: ReturnType<typeof symVar>) => ({ kind: 'op' as const, op, args: [p, q], attrs: {} });
    const neg = (p: ReturnType<typeof symVar>) => ({ kind: 'op' as const, op: 'neg' as const, args: [p], attrs: {} });
    expect(formulaText(raw('add', x, neg(y))).pretty).toBe('x − y');
    expect(formulaText(raw('sub', x, neg(raw('mul', symConst(2), y)))).pretty).toBe('x + 2y');
    expect(formulaText(raw('mul', symConst(2), raw('div', symConst(-1), x))).pretty).toBe('−2/x');
    expect(formulaText(raw('sub', x, raw('mul', symConst(-3), y))).pretty).toBe('x + 3y');
    const quotient = formulaText(m.neg(m.div(a, b)));
    expect([quotient.pretty, quotient.latex, quotient.ascii]).toEqual(['−a/b', '-\\frac{a}{b}', '-(a/b)']);
    expect(formulaText(raw('mul', x, neg(y))).pretty).toBe('−x·y');
  });

  it('a sum inside a sum loses its brackets in a derivative (sign(x) + [x > y] + 0.5[x = y]), but the formula as typed keeps them beside its graph', () => {
    const solution = explain(solveText('expression: abs(x) + relu(y) + max(x, y)\nat: { x: 0, y: 0 }\n'), { language: 'en' });
    const lines = solution.blocks.flatMap((block) => (block.kind === 'equation' ? [block.parts.map((part) => part.pretty).join(' = ')] : []));
    expect(lines).toContain('∂f/∂x = 1·1·sign(x) + 1·([x > y] + 0.5[x = y]) = sign(x) + [x > y] + 0.5[x = y] = 0.5');
    const typed = solveText('expression: x - (y - (x + y)) + z*(x - y)\nat: { x: 1, y: 2, z: 3 }\n');
    if (typed.kind !== 'expression') throw new Error('not an expression');
    expect(typed.formula.pretty).toBe('x − (y − (x + y)) + z·(x − y)');
    expect(formulaText(m.sub(x(), m.sub(symVar('y'), m.add(x(), symVar('z'))))).pretty).toBe('x − y + x + z');
  });

  it('the formula as typed keeps its signs beside its graph: y·(−(−x)) stays, as the forward pass has h = −d, and it has the graph\'s nodes', () => {
    const source = '2*(1/x) + x*(-1) + (-x)/y + y*(-(-x))';
    const typed = solveText(`expression: "${source}"\nat: { x: 2, y: 3 }\n`);
    if (typed.kind !== 'expression') throw new Error('not an expression');
    expect(typed.formula.pretty).toBe('2(1/x) + x·(−1) + (−x)/y + y·(−(−x))');
    // Typed back, it makes the same graph: one part of the line for every node the solution lists.
    const again = solveText(`expression: "${typed.formula.ascii}"\nat: { x: 2, y: 3 }\n`);
    if (again.kind !== 'expression') throw new Error('not an expression');
    expect(again.nodes.map((node) => [node.id, node.op, node.formula.pretty])).toEqual(typed.nodes.map((node) => [node.id, node.op, node.formula.pretty]));
  });

  it('the matrix writer follows the same rules: xᵀ·x − (−2)·aᵀ·x is xᵀ·x + 2·aᵀ·x, (−a)ᵀ·x is −aᵀ·x', () => {
    const trace = traceMatrixExpression("x'*x - (-2)*a'*x + (-a)'*x", { x: [1, 2], a: [3, 4] });
    expect(trace.formula.pretty).toBe('xᵀ·x + 2·aᵀ·x − aᵀ·x');
    for (const language of LANGUAGES) {
      const text = renderSolution({ ...trace, title: 't' }, { format: 'text', language });
      expect(text.split('\n').find((line) => DOUBLE_SIGN.test(line)), language).toBeUndefined();
    }
  });
});

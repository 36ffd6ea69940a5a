import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { explain } from '../src/explain/solution.js';
import { loadProblem } from '../src/files/read-problem.js';
import { solvePlan } from '../src/problem/solve.js';
import { checkMatrixAnswers } from '../src/problem/check-matrix-answers.js';
import { traceMatrixExpression } from '../src/record/matrix-expression.js';
import { auditSolution } from './support/equation-audit.js';
import { renderSolution } from '../src/explain/render.js';
import { summarizeMatrix } from '../src/explain/matrix-solution.js';
import { FORMATS, LANGUAGES } from './worked-solutions.js';

/**
 * The matrix-derivative sheet (examples/book/matrix-*.yaml): every answer given in the file is
 * right, every displayed equation with numbers is true, and the solution renders in every
 * format and language.
 */
const folder = new URL('../examples/book/', import.meta.url);
const files = readdirSync(folder).filter((name) => name.startsWith('matrix-') && name.endsWith('.yaml')).sort();

describe('examples/book/matrix-*.yaml', () => {
  it('hold the problems of the sheet it can express (docs/matrix-calculus.md lists them): 20 files', () => {
    expect(files).toHaveLength(20);
  });

  it("carry the book's published answers in the files where the book gives one: 13 files", () => {
    const answered = files.filter((file) => solvePlan(loadProblem(new URL(file, folder).pathname)).answers !== undefined);
    expect(answered).toHaveLength(13);
  });

  it("show the book's errata as notes in both languages (1г's statement, 3г's dL and H, 7's transposed gradient)", () => {
    for (const file of ['matrix-1d-matrix-in-the-middle.yaml', 'matrix-3d-ridge.yaml', 'matrix-7-matrix-lagrangian.yaml']) {
      const trace = solvePlan(loadProblem(new URL(file, folder).pathname));
      const note = (trace as { note?: { en: string; ru: string } }).note;
      expect(note?.en, file).toMatch(/The book/);
      expect(note?.ru, file).toMatch(/задачник/);
      expect(renderSolution(trace, { format: 'text', language: 'en' })).toContain(note!.en);
      expect(renderSolution(trace, { format: 'text', language: 'ru' })).toContain(note!.ru);
    }
  });

  it("give the book's second derivatives: A + A' for 1б, 2*X'*X for 3а–в, 2*X'*X + 2*lambda*I for 3г", () => {
    const hessian = (file: string) => {
      const trace = solvePlan(loadProblem(new URL(file, folder).pathname));
      return trace.kind === 'matrix' ? Object.values(trace.hessian ?? {}).map((h) => h.formula?.ascii) : [];
    };
    expect(hessian('matrix-1b-quadratic-form.yaml')).toContain("A + A'");
    expect(hessian('matrix-3-least-squares.yaml')).toContain("2*X'*X");
    expect(hessian('matrix-3d-ridge.yaml')).toContain("2*X'*X + 2*lambda*I");
  });

  it('a Jacobian diag(f′(·))·A is worked in every format and language, and its numeric lines are true', () => {
    const trace = { ...traceMatrixExpression('sigmoid(A*x)', { x: [1, 2], A: [[1, 2], [3, 4], [0, 1]] }), title: 'σ(A·x)' };
    for (const language of LANGUAGES) {
      const result = auditSolution(explain(trace, { language }));
      expect(result.false).toEqual([]);
      expect(result.checked).toBeGreaterThan(0);
      for (const format of FORMATS) expect(renderSolution(trace, { format, language })).toContain('diag');
    }
  });

  for (const file of files) {
    describe(file, () => {
      const trace = solvePlan(loadProblem(new URL(file, folder).pathname));

      it('every printed derivative parses back and is the engine\'s gradient (or Jacobian) at the point and at random points', () => {
        if (trace.kind !== 'matrix') throw new Error(`${file} is not a matrix problem`);
        const printed = { ...trace.derivatives };
        // A matrix by a matrix has its derivative as Kronecker products (checked against the engine) instead.
        if (Object.keys(printed).length === 0) {
          expect(Object.values(trace.kronecker ?? {}).map((kronecker) => kronecker.agrees)).toContain(true);
          return;
        }
        const report = checkMatrixAnswers(trace, { derivatives: printed });
        expect(report.checks.map((check) => `${check.path}: ${check.verdict}`)).toEqual(Object.keys(printed).map((name) => `derivatives.${name}: right`));
      });

      it("the file's answers are right", () => {
        expect(trace.answers?.checks.filter((check) => check.verdict !== 'right') ?? []).toEqual([]);
      });

      for (const language of LANGUAGES) {
        it(`every numeric equation is true (${language})`, () => {
          const result = auditSolution(explain(trace, { language }));
          expect(result.false).toEqual([]);
          // A purely symbolic problem has no numbers to check.
          if (trace.kind === 'matrix' && trace.value !== null) expect(result.checked).toBeGreaterThan(0);
        });
        it(`renders in ${FORMATS.join(', ')} (${language})`, () => {
          for (const format of FORMATS) expect(renderSolution(trace, { format, language }).length).toBeGreaterThan(100);
        });
      }
    });
  }
});

/**
 * Matrix formulas off the beaten path, each a class a random audit of 20,960 generated formulas
 * found: a number spread over a matrix taken for the number, a row's diag, a difference that
 * cancels, kron of a number, a negative number written in unbracketed, ∞ and NaN from both sides
 * called a difference, and a formula printed equal to the backward pass's numbers it differs from.
 */
describe('matrix formulas off the beaten path: every line true, in the summary and the worked solution', () => {
  const CASES: readonly [string, Record<string, unknown>][] = [
    ["sum(2*(x*x'))", { x: [2, -1] }], ['c*ones(2,2)*x', { c: 2, x: [1, 3] }], ['sum(A*(2*ones(2,1)))', { A: [[1, 2], [3, 4]] }],
    ['sum(c*ones(2,2)) + sum(x)', { c: 2, x: [1, 2] }], ['tr(c*ones(2,2)) + sum(x)', { c: 2, x: [1, 2] }],
    ["sum(diag(w)*w')", { w: [[1, 3]] }], ['log(det(diag(x.*x)))', { x: [[2, -1]] }],
    ["x'*(A - A)*x", { x: [1, 3], A: [[1, 2], [3, 4]] }], ["x'*kron(2, A)*x", { x: [1, 3], A: [[1, 2], [3, 4]] }],
    ['c^2 + sum(x)', { c: -2, x: [1, 2] }], ['sum(x) - c', { c: -2, x: [1, 2] }], ['sum(x - c*x)', { c: -2, x: [1, 2] }], ['sum(x)/c', { c: 2e-8, x: [1, 2] }],
    ['tr(c) + det(c) + sum(x)', { c: 2, x: [1, 3] }], ['sum(exp(x - x)) + sum(x)', { x: [1, 2] }],
    // A denominator or a negated quotient that starts with a minus is bracketed: /(−2·3), −(−1/…).
    ['sum(x/y)', { x: [1, 2], y: -2 }], ['sum(x/(y*z))', { x: [1, 2], y: -2, z: 3 }], ['sum(x)/(y*y)', { x: [1, 2], y: -2 }],
    ["-y/(1+x'*x)", { y: -1, x: [1, 2] }], ['sum(x./y)', { x: [1, 2], y: [-2, 1] }],
    // A matrix exponent is bracketed, (2, 3)ᵀ^((1, 2)ᵀ), so its ᵀ is not the power's.
    ['sum(z.^y)', { z: [2, 3], y: [1, 2] }],
    // A number that is a matrix product times a matrix is bracketed: ((Bᵀᵀ·A·Bᵀ)·A·Bᵀ), not one undefined chain.
    ["(B.*B)''*((B''*A*B')*(A*B'))", { B: [[1, 2]], A: [[1, 0], [0, 2]] }], ["2*(x'*A*x)*x", { x: [1, 2], A: [[1, 0], [0, 2]] }],
    // An exponent that is a power, an inverse or a negative number is bracketed: z^(y^y), A^(B⁻¹), x^(−1).
    ['sum(z.^(y.^y))', { z: [1.1, 1.5], y: [3, 0.5] }], ['sum(A.^inv(B))', { A: [[2, 3], [1, 2]], B: [[2, 0], [0, 4]] }], ['sum(x.^c)', { x: [1, 2], c: -1 }],
  ];
  /** Where the chain rule meets 0·∞ or 0/0, the backward pass's NaN is no error: a warning says so. */
  // (sum(x.^-2) at x = (0, 1): the gradient (−∞, −2)ᵀ agrees, its check no longer says otherwise; the
  // second backward pass meets 0·∞ off the diagonal, where the Hessian formula has 0.)
  const UNDEFINED: readonly [string, Record<string, unknown>][] = [
    ['sqrt(sum((x - x).^2))', { x: [1, 2] }], ['c/(c - c) + sum(x)', { c: 2, x: [1, 2] }], ['sum(x.^-2)', { x: [0, 1] }],
    // A Jacobian of 0 beside the backward pass's NaN (sinh overflows): 0 = [[0, 0], [0, 0]], not 0 = [[NaN, …]].
    ['sinh(x)*0', { x: [3e5, 1e8] }],
  ];
  const notes = (solution: ReturnType<typeof explain>, tone: string) => solution.blocks.filter((block) => block.kind === 'note' && block.tone === tone);

  for (const [source, at] of [...CASES, ...UNDEFINED]) {
    it(`${source} at ${JSON.stringify(at)}`, () => {
      const trace = { ...traceMatrixExpression(source, at, { hessian: true }), title: source };
      for (const language of LANGUAGES) {
        for (const solution of [explain(trace, { language }), summarizeMatrix(trace, { language })]) {
          const result = auditSolution(solution);
          expect(result.false, language).toEqual([]);
          expect(notes(solution, 'wrong'), language).toEqual([]);
          // A negative number after + or − is bracketed: x + (−2), never x − −2.
          const parts = solution.blocks.flatMap((block) => (block.kind === 'equation' ? block.parts.map((part) => part.pretty) : []));
          expect(parts.filter((part) => /[+−] −|\/−|−−/.test(part)), language).toEqual([]);
          const undefinedHere = notes(solution, 'warning').filter((note) => JSON.stringify(note).includes(language === 'en' ? 'the simplified formula holds' : 'упрощённая формула верна'));
          expect(undefinedHere.length > 0, language).toBe(UNDEFINED.some(([other]) => other === source));
        }
      }
    });
  }

  it('a factor with ⊙ is bracketed under its shape: ones(1,2) [1×2] · (z^c ⊙ log(z)) [2×1]', () => {
    const text = renderSolution({ ...traceMatrixExpression('sum(z.^c)', { z: [2, 3], c: 2 }), title: 't' }, { format: 'text', language: 'en' });
    expect(text).toContain('ones(1,2) [1×2] · (z^c ⊙ log(z)) [2×1]');
  });

  it('the diagonal of I is written ones(n,1), whose size it says: ∇ tr(diag(x)) = ones(2,1), not diag(I)', () => {
    expect(traceMatrixExpression('tr(diag(x))', { x: [1, 2] }).derivativeFormulas['x']!.pretty).toBe('ones(2,1)');
  });

  it("a common factor is taken out only of terms whose rest has one shape: (b'·b + A·b)ᵀ·b has no (A + bᵀ)·b", () => {
    const trace = traceMatrixExpression("(b'*b + A*b)'*b", { b: [1, 2], A: [[1, 2], [3, 4]] });
    expect(trace.derivativeFormulas['b']!.pretty).not.toContain('A + bᵀ');
    expect(trace.worked['b']!.formulaValue).toEqual(trace.gradient['b']);
  });

  it('the audit reads lines with I, so ∇ = c·I = [[2, 2], [2, 2]] would be caught', () => {
    const solution = summarizeMatrix(traceMatrixExpression('c*ones(2,2)*x', { c: 2, x: [1, 3] }), { language: 'en' });
    const line = solution.blocks.find((block) => block.kind === 'equation' && block.parts[0]!.pretty === '∂f/∂x');
    if (line?.kind !== 'equation') throw new Error('no ∂f/∂x line');
    const planted = { ...solution, blocks: [{ ...line, parts: [line.parts[0]!, { pretty: 'c·I', latex: 'c I' }, line.parts[line.parts.length - 1]!] }] };
    expect(auditSolution({ ...planted, blocks: [{ kind: 'paragraph', content: [{ kind: 'math', math: { pretty: 'c = 2', latex: 'c = 2' } }] }, ...planted.blocks] }).false).toHaveLength(1);
  });
});

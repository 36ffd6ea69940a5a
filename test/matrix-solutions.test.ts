import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { explain } from '../src/explain/solution.js';
import { loadProblem } from '../src/files/read-problem.js';
import { solvePlan } from '../src/problem/solve.js';
import { checkMatrixAnswers } from '../src/problem/check-matrix-answers.js';
import { traceMatrixExpression } from '../src/record/matrix-expression.js';
import { auditSolution } from './support/equation-audit.js';
import { renderSolution } from '../src/explain/render.js';
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

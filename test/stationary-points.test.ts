import { describe, expect, it } from 'vitest';
import { byName } from '../src/by-name.js';
import { explain } from '../src/explain/solution.js';
import { renderSolution } from '../src/explain/render.js';
import { parseProblem } from '../src/files/load-problem.js';
import { loadProblem } from '../src/files/read-problem.js';
import { differential } from '../src/matrix/differential.js';
import { matrixOp } from '../src/matrix/symbolic.js';
import { evaluateMatrix, leafOf } from '../src/matrix/evaluate.js';
import { parseMatrixFormula } from '../src/matrix/parse.js';
import { resolveMatrixFormula } from '../src/matrix/resolve.js';
import { solvePlan } from '../src/problem/solve.js';
import { hessianIsConstant } from '../src/record/hessian-check.js';
import { traceMatrixExpression, traceMatrixSymbolic } from '../src/record/matrix-expression.js';
import { Random } from '../src/tensor/random.js';
import type { MatrixStationary, MatrixTrace } from '../src/trace/types.js';
import { auditSolution } from './support/equation-audit.js';
import { documentProse, FORMATS, LANGUAGES } from './worked-solutions.js';

/**
 * `stationary: [w]` (docs/matrix-calculus.md, "Stationary points"): ∇ = 0 solved. Each formula
 * the solver prints is compared as a function with the numeric solution (LU on the vec'd system)
 * at random values, and with the book's closed form; singular and nonlinear cases say so.
 */
type Value = number | number[] | number[][];
const flat = (v: unknown): number[] => (typeof v === 'number' ? [v] : (v as unknown[]).flatMap(flat));
const random = new Random(18);
const matrix = (rows: number, columns: number): number[][] => Array.from({ length: rows }, () => Array.from({ length: columns }, () => random.uniform(-2, 2)));
const vector = (n: number): number[] => Array.from({ length: n }, () => random.uniform(-2, 2));

/** A formula in the matrix grammar computed at the trace's values. */
function evaluate(trace: MatrixTrace, formula: string): number[] {
  const shapes = byName(trace.variables.map((v) => [v, trace.shapes[v]!] as const));
  const leaves = new Map(trace.variables.map((v) => [v, leafOf(trace.shapes[v]!, Float64Array.from(flat(trace.at[v])))]));
  return Array.from(evaluateMatrix(resolveMatrixFormula(formula, parseMatrixFormula(formula), shapes), leaves).data);
}

const point = (trace: MatrixTrace): MatrixStationary => trace.stationaryPoint!;
const expectClose = (p: readonly number[], q: readonly number[]) => {
  expect(p).toHaveLength(q.length);
  p.forEach((v, i) => expect(Math.abs(v - q[i]!)).toBeLessThan(1e-8 * (1 + Math.abs(q[i]!))));
};

/** At random values: the printed formula (parsed back), the book's, and the LU solution agree, and the gradient is zero there. */
function solvedAtRandom(expression: string, at: () => Record<string, Value>, name: string, expected: { formula: string; book: string }): void {
  for (let trial = 0; trial < 4; trial++) {
    const trace = traceMatrixExpression(expression, at(), { stationary: [name] });
    const solved = point(trace);
    expect(solved.outcome).toBe('solved');
    expect(solved.formula?.[name]?.ascii).toBe(expected.formula);
    const numbers = flat(solved.value![name]);
    expectClose(evaluate(trace, solved.formula![name]!.ascii), numbers);
    expectClose(evaluate(trace, expected.book), numbers);
    expect(solved.residual).toBeLessThan(1e-9 * Math.max(1, ...numbers.map(Math.abs)) * 100);
  }
}

describe('stationary: [w] — linear stationarity derived and solved', () => {
  it("least squares: 2X'X·w = 2X'y, then X'X·w = X'y, w = inv(X'*X)*X'*y — the minimum (Cholesky of 2X'X succeeds)", () => {
    solvedAtRandom("(y - X*w)'*(y - X*w)", () => ({ y: vector(5), X: matrix(5, 3), w: vector(3) }), 'w', { formula: "inv(X'*X)*X'*y", book: "inv(X'*X)*X'*y" });
    const solved = point(traceMatrixExpression("(y - X*w)'*(y - X*w)", { y: [1, 2, 2], X: [[1, 0], [1, 1], [1, 2]], w: [0.5, 0.5] }, { stationary: ['w'] }));
    expect([solved.equation?.lhs.ascii, solved.equation?.rhs.ascii, solved.reduced?.lhs.ascii, solved.reduced?.rhs.ascii]).toEqual(["2*X'*X*w", "2*X'*y", "X'*X*w", "X'*y"]);
    expect(solved.hessian?.kind).toBe('minimum');
    expect(solved.hessian?.formula?.ascii).toBe("2*X'*X");
    // The regression line through (0, 1), (1, 2), (2, 2): intercept 7/6, slope 1/2.
    expectClose(flat(solved.value!.w), [7 / 6, 0.5]);
  });

  it("ridge: (X'X + λI)·w = X'y, w = inv(X'*X + lambda*I)*X'*y, also without values", () => {
    solvedAtRandom("(y - X*w)'*(y - X*w) + lambda*w'*w", () => ({ y: vector(4), X: matrix(4, 2), w: vector(2), lambda: random.uniform(0.1, 2) }), 'w', { formula: "inv(X'*X + lambda*I)*X'*y", book: "inv(X'*X + lambda*I)*X'*y" });
    const symbolic = point(traceMatrixSymbolic("(y - X*w)'*(y - X*w) + lambda*w'*w", { y: 'vector m', X: 'matrix m×n', w: 'vector n', lambda: 'number' }, { stationary: ['w'] }));
    expect(symbolic.formula?.w?.ascii).toBe("inv(X'*X + lambda*I)*X'*y");
    expect(symbolic.value).toBeUndefined();
  });

  it("a quadratic form: (A + A')·x = −b, x = -inv(A + A')*b; a maximum or a saddle when A + A' is not positive definite", () => {
    solvedAtRandom("x'*A*x + b'*x", () => ({ x: vector(3), A: matrix(3, 3), b: vector(3) }), 'x', { formula: "-inv(A + A')*b", book: "-inv(A + A')*b" });
    const kind = (a: number[][]) => point(traceMatrixExpression("x'*A*x + b'*x", { x: [1, 1], A: a, b: [1, 2] }, { stationary: ['x'] })).hessian?.kind;
    expect([kind([[2, 0], [0, 1]]), kind([[-2, 0], [0, -1]]), kind([[2, 0], [0, -1]])]).toEqual(['minimum', 'maximum', 'saddle']);
  });

  it("a matrix with its factor on the right: X·(B + B') = 2C, X = 2*C*inv(B + B')", () => {
    solvedAtRandom("tr(X'*X*B) - 2*tr(C'*X)", () => ({ X: matrix(2, 3), B: matrix(3, 3), C: matrix(2, 3) }), 'X', { formula: "2*C*inv(B + B')", book: "2*C*inv(B + B')" });
  });

  it("a row vector with one right factor: 2·ŵ·X·Xᵀ = 2·t·Xᵀ (the number in front, not ŵ·2·X·Xᵀ), ŵ = t*X'*inv(X*X')", () => {
    solvedAtRandom("(t - w*X)*(t - w*X)'", () => ({ t: [vector(4)], X: matrix(2, 4), w: [vector(2)] }), 'w', { formula: "t*X'*inv(X*X')", book: "t*X'*inv(X*X')" });
    const solved = point(traceMatrixExpression("(t - w*X)*(t - w*X)'", { t: [[1, 2, 0]], X: [[1, 0, 1], [1, 1, 0]], w: [[0, 0]] }, { stationary: ['w'] }));
    expect([solved.equation?.lhs.pretty, solved.equation?.rhs.pretty]).toEqual(['2·w\u0302·X·Xᵀ', '2·t·Xᵀ']);
  });

  it('an intercept: w and the number c of y − X·w − c·1 solved jointly (the change dc is spread over the vector, not a number in a matrix product)', () => {
    const trace = { ...traceMatrixExpression("(y - X*w - c*ones(3,1))'*(y - X*w - c*ones(3,1))", { y: [1, 2, 4], X: [[1, 0], [0, 1], [1, 1]], w: [0, 0], c: 0 }, { stationary: ['w', 'c'] }), title: 'intercept' };
    const solved = point(trace);
    expect([solved.outcome, solved.hessian?.kind]).toEqual(['solved', 'minimum']);
    expectClose([...flat(solved.value!.w), ...flat(solved.value!.c)], [2, 3, -1]);
    for (const language of LANGUAGES) expect(auditSolution(explain(trace, { language })).false).toEqual([]);
  });

  it('a number: 2λ·ĉ = 4λ, λ divided out, ĉ = 2; jointly with w as well', () => {
    const at = { y: [1, 2], X: [[1, 0], [0, 1]], w: [0, 0], c: 5, lambda: 3 };
    const solved = point(traceMatrixExpression("(y - X*w)'*(y - X*w) + (c - 2)*(c - 2)*lambda", at, { stationary: ['c'] }));
    expect([solved.equation?.lhs.ascii, solved.equation?.rhs.ascii, solved.reduced?.cancelled.map((c) => c.factor.ascii), solved.formula?.c?.ascii, solved.value?.c, solved.hessian?.kind]).toEqual(['2*lambda*c', '4*lambda', ['lambda'], '2', 2, 'minimum']);
    const both = point(traceMatrixExpression("(y - X*w)'*(y - X*w) + (c - 2)*(c - 2)*lambda", at, { stationary: ['c', 'w'] }));
    expect([both.value?.c, both.value?.w]).toEqual([2, [1, 2]]);
  });

  it("factors on both sides (Sylvester-like): no formula, the vec'd system Σ c·Rᵀ⊗L solved with numbers, its matrix the engine's Hessian", () => {
    const trace = traceMatrixExpression("tr(X'*A*X*B) - 2*tr(C'*X)", { X: [[1, 0], [0, 1]], A: [[2, 1], [1, 3]], B: [[1, 0.5], [0.5, 2]], C: [[1, 2], [3, 4]] }, { stationary: ['X'] });
    const solved = point(trace);
    expect([solved.side, solved.formula, solved.kronecker?.ascii]).toEqual(['both', undefined, "kron(B', A) + kron(B, A')"]);
    expect(solved.residual).toBeLessThan(1e-12);
    // The gradient A'XB' + AXB − 2C at the point, computed independently of the solver.
    const X = solved.value!.X as number[][];
    const at = { X, A: [[2, 1], [1, 3]], B: [[1, 0.5], [0.5, 2]], C: [[1, 2], [3, 4]] };
    const again = traceMatrixExpression("tr(X'*A*X*B) - 2*tr(C'*X)", at);
    flat(again.gradient.X).forEach((g) => expect(Math.abs(g)).toBeLessThan(1e-12));
    expect(solved.hessian?.kind).toBe('minimum');
  });

  it("a singular system is said so, naming the matrix and its numbers, and is not an error: X'X of a repeated column", () => {
    const trace = traceMatrixExpression("(y - X*w)'*(y - X*w)", { y: [1, 2, 2], X: [[1, 2], [1, 2], [1, 2]], w: [0.5, 0.5] }, { stationary: ['w'] });
    const solved = point(trace);
    expect(solved.outcome).toBe('singular');
    expect(solved.singular?.matrix.ascii).toBe("X'*X");
    expect(solved.singular?.value).toEqual([[3, 6], [6, 12]]);
    expect(renderSolution({ ...trace, title: 'singular' }, { format: 'text', language: 'en' })).toContain("No unique stationary point: Xᵀ·X is singular");
    expect(renderSolution({ ...trace, title: 'singular' }, { format: 'text', language: 'ru' })).toContain('Единственной стационарной точки нет: матрица Xᵀ·X вырождена');
    // A gradient that does not depend on the variable: a'x.
    expect(point(traceMatrixExpression("a'*x", { a: [1, 2], x: [0, 0] }, { stationary: ['x'] })).outcome).toBe('singular');
  });

  it('not linear (the logistic loss, Σ of the normal likelihood): one honest line, en and ru', () => {
    const trace = { ...traceMatrixExpression("ln(1 + exp(-y*w'*x))", { y: 1, x: [1, 2], w: [0.5, 0.5] }, { stationary: ['w'] }), title: 'logistic' };
    expect(point(trace).outcome).toBe('nonlinear');
    expect(renderSolution(trace, { format: 'text', language: 'en' })).toContain('∇_w f = 0 is not linear in w here: no closed form this way.');
    expect(renderSolution(trace, { format: 'text', language: 'ru' })).toContain('Уравнение ∇_w f = 0 здесь нелинейно по w');
  });

  it("a Lagrangian (problem 7) by transpose-and-add: X = (A + A')/2 at random A, Λ the minimum-norm (A − A')/2, fixed only up to a symmetric part", () => {
    for (let trial = 0; trial < 3; trial++) {
      const A = matrix(3, 3);
      const trace = traceMatrixExpression("tr((X - A)'*(X - A)) + tr(L'*(X - X'))", { X: matrix(3, 3), A, L: matrix(3, 3) }, { stationary: ['X', 'L'] });
      const solved = point(trace);
      expect(solved.formula?.X?.ascii).toBe("(A + A')/2");
      expect(solved.transposeAndAdd?.sum.ascii).toBe("2*(X - A) + 2*(X' - A')");
      expectClose(flat(solved.value!.X), flat(A.map((row, i) => row.map((v, j) => (v + A[j]![i]!) / 2))));
      expectClose(flat(solved.value!.L), flat(A.map((row, i) => row.map((v, j) => (v - A[j]![i]!) / 2))));
      expect([solved.notFixed, solved.rank, solved.unknowns, solved.hessian?.kind]).toEqual([['L'], 12, 18, 'saddle']);
    }
  });

  it('refuses a name that is not a variable, a formula that is not a number, and too many unknowns, in one line each', () => {
    expect(() => traceMatrixExpression("x'*x", { x: [1, 2] }, { stationary: ['z'] })).toThrow(/^stationary: z is not a variable of x'\*x; its variables are x$/);
    expect(() => traceMatrixExpression('A*x', { A: [[1, 0], [0, 1]], x: [1, 2] }, { stationary: ['x'] })).toThrow(/is not a number, so it has no gradient/);
    expect(() => traceMatrixExpression("x'*x", { x: Array.from({ length: 401 }, () => 1) }, { stationary: ['x'] })).toThrow(/401 numbers.*more than the 400 unknowns/);
    expect(() => parseProblem('expression: "x\'*x"\nat: { x: [1, 2] }\nstationary: w\n')).toThrow(/stationary/);
  });

  it('a problem file: stationary: [w] beside answers: stationary, which stays the student\'s claim and is checked on its own', () => {
    const trace = solvePlan(parseProblem([
      'expression: "(y - X*w)\'*(y - X*w)"',
      'at: { y: [1, 2, 2], X: [[1, 0], [1, 1], [1, 2]], w: [0.5, 0.5] }',
      'stationary: [w]',
      'answers: { stationary: { w: "X\'*y/3" } }',
    ].join('\n')));
    if (trace.kind !== 'matrix') throw new Error('not a matrix trace');
    expect(trace.stationaryPoint?.formula?.w?.ascii).toBe("inv(X'*X)*X'*y");
    expect(trace.answers?.checks.map((check) => check.verdict)).toEqual(['wrong']);
  });
});

describe("the book's problems 3, 3г, 6, 7 derive their stationary points", () => {
  const book = (file: string) => {
    const trace = solvePlan(loadProblem(new URL(`../examples/book/${file}`, import.meta.url).pathname));
    if (trace.kind !== 'matrix') throw new Error(`${file} is not a matrix problem`);
    return trace;
  };
  const files = ['matrix-3-least-squares.yaml', 'matrix-3d-ridge.yaml', 'matrix-6-normal-likelihood.yaml', 'matrix-7-matrix-lagrangian.yaml'];

  it("the formulas are the book's: (XᵀX)⁻¹Xᵀy, (XᵀX + λI)⁻¹Xᵀy, μ̂ = x̄ (Σ not linear), X = (A + Aᵀ)/2 — and equal the file's answers: stationary", () => {
    expect(point(book(files[0]!)).formula?.w?.ascii).toBe("inv(X'*X)*X'*y");
    expect(point(book(files[1]!)).formula?.w?.ascii).toBe("inv(X'*X + lambda*I)*X'*y");
    const six = book(files[2]!);
    const [mu, sigma] = point(six).separately!;
    expect([mu!.formula?.mu?.ascii, mu!.mean, mu!.hessian?.kind, sigma!.outcome]).toEqual(["X'*ones(4,1)/4", 'X', 'maximum', 'nonlinear']);
    expectClose(flat(mu!.value!.mu), evaluate(six, "X'*ones(4,1)/4"));
    const seven = book(files[3]!);
    expect(point(seven).formula?.X?.ascii).toBe("(A + A')/2");
    // The file's answers: stationary (the book's point, and our Λ) at the point the solver found.
    expectClose(flat(point(seven).value!.X), evaluate(seven, "(A + A')/2"));
    expectClose(flat(point(seven).value!.L), evaluate(seven, "(A - A')/2"));
  });

  for (const file of files) {
    for (const language of LANGUAGES) {
      it(`${file} (${language}): every stationary line with numbers is recomputed by the audit and true; every format renders it`, () => {
        const trace = book(file);
        const solution = explain(trace, { language });
        const heading = solution.blocks.findIndex((block) => block.kind === 'heading' && JSON.stringify(block.content).includes(language === 'en' ? 'Stationary point' : 'Стационарная точка'));
        expect(heading).toBeGreaterThan(0);
        const section = { ...solution, blocks: solution.blocks.slice(heading) };
        const whole = auditSolution(solution);
        expect(whole.false).toEqual([]);
        if (trace.value !== null) expect(whole.checked - auditSolution({ ...solution, blocks: solution.blocks.slice(0, heading) }).checked).toBeGreaterThanOrEqual(2);
        for (const format of FORMATS) expect(renderSolution(trace, { format, language })).toMatch(language === 'en' ? /Stationary point/ : /Стационарная точка/);
        if (language === 'ru') {
          const english = documentProse(section).filter(({ where }) => where !== 'title').flatMap(({ text }) => (text.match(/[A-Za-z]{2,}/g) ?? []).map((word) => `${word} in “${text}”`));
          expect(english).toEqual([]);
        }
      });
    }
  }

  it('names the solver it used: LU for a unique point (least squares), the least-norm solve where the point is not unique (the Lagrangian)', () => {
    const text = (file: string, language: 'en' | 'ru') => renderSolution(book(file), { format: 'text', language });
    expect(text(files[0]!, 'en')).toContain('partial pivoting');
    expect(text(files[0]!, 'en')).not.toContain('least norm (the rows');
    expect(text(files[3]!, 'en')).toContain('the one of least norm');
    expect(text(files[3]!, 'en')).not.toContain('partial pivoting');
    expect(text(files[3]!, 'ru')).toContain('наименьшей нормой (ортогонализуя');
    expect(text(files[3]!, 'ru')).not.toContain('ведущего элемента');
  });

  it("problem 6's mu is written one way in its solution, by the scalar formulas' rule: μ̂ beside ∇_μ f (review: μ̂ beside ∇_mu), in every format and language", () => {
    const six = book(files[2]!);
    for (const language of LANGUAGES) {
      const text = renderSolution(six, { format: 'text', language });
      expect(text, language).toContain('μ\u0302 = Xᵀ·ones(4,1)/4');
      expect(text, language).toContain('∇_μ f(μ\u0302)');
      for (const format of FORMATS) {
        const whole = renderSolution(six, { format, language });
        // The problem's own description quotes the book (μ̂ = x̄); the solution starts after it.
        const rendered = whole.slice(whole.indexOf(language === 'en' ? 'Stationary point' : 'Стационарная точка'));
        expect(rendered.length, `${format} ${language}`).toBeLessThan(whole.length);
        // The Greek letter everywhere: never the typed name beside it, and no hat on its last letter.
        expect(rendered, `${format} ${language}`).not.toMatch(/hat\(mu\)|mû|∇_mu|\\mathit\{mu\}|\\nabla_\{mu\}/);
        if (format === 'tex' || format === 'md') {
          expect(rendered, `${format} ${language}`).toContain('\\hat{\\mu}');
          expect(rendered, `${format} ${language}`).toContain('\\nabla_{\\mu} f');
        }
      }
    }
  });

  it('--json carries the formula and the numbers', () => {
    const json = JSON.parse(JSON.stringify(book(files[0]!))) as { stationaryPoint: MatrixStationary };
    expect(json.stationaryPoint.formula?.w?.ascii).toBe("inv(X'*X)*X'*y");
    expectClose(flat(json.stationaryPoint.value?.w), [7 / 6, 0.5]);
  });
});

describe('the differential behind "affine" and "does not depend" (issue #18)', () => {
  const shapes = byName([['a', [2, 1]], ['w', [2, 1]], ['dw', [2, 1]], ['c', []]] as const);
  const formula = (text: string) => resolveMatrixFormula(text, parseMatrixFormula(text), shapes);
  const leaves = (w: number[], dw: number[], a: number[]) => new Map([['a', leafOf([2, 1], Float64Array.from(a))], ['w', leafOf([2, 1], Float64Array.from(w))], ['dw', leafOf([2, 1], Float64Array.from(dw))], ['c', leafOf([], Float64Array.of(3))]]);

  it('pow (a constant or a variable exponent) and div by a formula of the variable follow the power and quotient rules: dF matches central differences', () => {
    for (const text of ["(a'*w)^2", "(a'*w)^4 + w'*w", "(a'*w)^c", "c^(a'*w)", "1/(a'*w)", "(w'*w)/(a'*w)", "w/(a'*w)"]) {
      const { expr, unknown } = differential(formula(text), 'w');
      expect(unknown).toBe(false);
      expect(expr).not.toBeNull();
      const [w, dw, a] = [vector(2), vector(2), vector(2)];
      const change = Array.from(evaluateMatrix(expr!, leaves(w, dw, a)).data);
      const h = 1e-6;
      const at = (s: number) => Array.from(evaluateMatrix(formula(text), leaves(w.map((v, i) => v + s * h * dw[i]!), dw, a)).data);
      const numeric = at(1).map((v, i) => (v - at(-1)[i]!) / (2 * h));
      change.forEach((v, i) => expect(Math.abs(v - numeric[i]!)).toBeLessThan(1e-5 * (1 + Math.abs(numeric[i]!))));
    }
  });

  it('a part with no rule (a comparison, [a\'w = 0]) is "unknown", distinct from "does not depend"', () => {
    const product = formula("a'*w");
    expect(differential(matrixOp('eq', [product, { kind: 'const', value: 0, shape: [] }], {}), 'w')).toMatchObject({ expr: null, unknown: true });
    expect(differential(formula("a'*a"), 'w')).toMatchObject({ expr: null, unknown: false });
  });

  it("(a'w)² is not called constant, (a'w)⁴ + w'w not affine; the gradient section writes no false df; joint [u, w] is not affine together", () => {
    const n2 = traceMatrixExpression("(a'*w)^2", { a: [1, 2], w: [0.5, 0.5] }, { stationary: ['w'] });
    // Affine (H = 2aaᵀ, singular) though the collector cannot write it: the numbers, no formula, no false "constant".
    expect(point(n2)).toMatchObject({ outcome: 'solved', noClosedForm: true });
    for (const language of LANGUAGES) expect(renderSolution({ ...n2, title: 'n2' }, { format: 'text', language })).not.toMatch(/does not depend|не зависит/);
    const p3 = traceMatrixExpression("(a'*w)^4 + w'*w", { a: [1, 1], w: [1, 2] }, { stationary: ['w'] });
    expect(point(p3).outcome).toBe('nonlinear');
    const t2 = renderSolution({ ...traceMatrixExpression("(a'*w)^2 - 2*a'*w", { a: [1, 2], w: [0.5, 0.5] }, { stationary: ['w'] }), title: 't2' }, { format: 'text', language: 'en' });
    expect(t2).not.toContain('df = −2·aᵀ·dw');
    const p2 = traceMatrixExpression("(a'*w)^4 + (u - w)'*(u - w) + u'*u - 2*c'*u", { a: [1, 1], w: [1, 2], u: [0, 1], c: [1, 1] }, { stationary: ['u', 'w'] });
    expect(point(p2).outcome).toBe('nonlinear');
  });
});

describe('the numeric guard behind "affine" and "the Hessian is constant"', () => {
  const shapes = byName([['a', [2, 1]], ['w', [2, 1]], ['u', [2, 1]]] as const);
  const formula = (text: string) => resolveMatrixFormula(text, parseMatrixFormula(text), shapes);
  it("the engine's Hessian at two random points agrees for a quadratic and differs for (a'w)⁴ + w'w, alone and jointly", () => {
    expect(hessianIsConstant(formula("w'*w - 2*a'*w"), ['w'], shapes, null)).toBe(true);
    expect(hessianIsConstant(formula("(u - w)'*(u - w) + u'*u"), ['u', 'w'], shapes, null)).toBe(true);
    expect(hessianIsConstant(formula("(a'*w)^4 + w'*w"), ['w'], shapes, null)).toBe(false);
    expect(hessianIsConstant(formula("(a'*w)^4 + (u - w)'*(u - w)"), ['u', 'w'], shapes, null)).toBe(false);
    // Held at the random values, u's own Hessian is constant even though the joint one is not.
    expect(hessianIsConstant(formula("(a'*w)^4 + (u - w)'*(u - w)"), ['u'], shapes, null)).toBe(true);
  });
});

describe('the check line at the point follows the residual (issue #18)', () => {
  it('a residual above 1e-9 of the sizes around is a warning with the number, en and ru, and the point is not called the minimum', () => {
    const trace = { ...traceMatrixExpression("w'*w - 2*a'*w", { a: [1, 2], w: [0, 0] }, { stationary: ['w'] }), title: 'residual' };
    const solved = point(trace);
    expect(solved.residual!).toBeLessThanOrEqual(solved.residualBound!);
    // Exactly 0 here; half the bound is rounding.
    expect(renderSolution(trace, { format: 'text', language: 'en' })).toContain('is exactly zero');
    expect(renderSolution({ ...trace, stationaryPoint: { ...solved, residual: solved.residualBound! / 2 } }, { format: 'text', language: 'en' })).toContain('is zero up to rounding');
    const off = { ...trace, stationaryPoint: { ...solved, residual: 1000 * solved.residualBound! } };
    const en = renderSolution(off, { format: 'text', language: 'en' });
    expect(en).toContain('is not zero');
    expect(en).not.toContain('zero up to rounding');
    expect(en).not.toContain('the point is the minimum');
    expect(renderSolution(off, { format: 'text', language: 'ru' })).toContain('Считать эту точку стационарной нельзя');
  });
});

describe('rounding noise at the point is printed as 0, with the bound said; --json keeps the exact numbers', () => {
  // y is twice X's first column, so ŵ = (2, 0) exactly; LU leaves about 5e-16 in the second element.
  const at = { y: [1, 0.2, 2], X: [[0.5, 0], [0.1, 0.6], [1, 0.8]], w: [0, 0] };
  const solve = (values: typeof at) => ({ ...traceMatrixExpression("(y - X*w)'*(y - X*w)", values, { stationary: ['w'] }), title: 'noise' });

  it('ŵ = (2, 0)ᵀ and ∇_w f(ŵ) = (0, 0)ᵀ, each with its bound in a sentence (en, ru); the audit finds every line true', () => {
    const trace = solve(at);
    const [, noise] = flat(point(trace).value!.w);
    expect(noise).not.toBe(0);
    expect(Math.abs(noise!)).toBeLessThanOrEqual(point(trace).pointBound!);
    const en = renderSolution(trace, { format: 'text', language: 'en' });
    expect(en).toContain('ŵ = (Xᵀ·X)⁻¹·Xᵀ·y = (2, 0)ᵀ');
    expect(en).toContain('The formula gives the same numbers: (2, 0)ᵀ.');
    expect(en).toContain('∇_w f(ŵ) = −2·Xᵀ·(y − X·ŵ) = (0, 0)ᵀ');
    // The bound is 16·n·ε·max|ŵ| = 16·2·2.2e-16·2 ≈ 1.4e-14 (floating point's own level, not 1e-9).
    expect(point(trace).pointBound! / (16 * 2 * Number.EPSILON * 2)).toBeCloseTo(1, 12);
    expect(en).toMatch(/Elements of ŵ at most 1\.4·10⁻¹⁴ in absolute value .* are zero up to rounding and are printed as 0/);
    expect(en).toMatch(/is zero up to rounding: its largest element in absolute value is [\d.]+·10⁻¹[⁰-⁹], at most ([\d.]+·)?10⁻⁹/);
    expect(en.split('\n').filter((line) => line.startsWith('  ') && /·10⁻¹[⁰-⁹]/.test(line))).toEqual([]);
    const ru = renderSolution(trace, { format: 'text', language: 'ru' });
    expect(ru).toContain('Элементы ŵ, не превосходящие по модулю 1.4·10⁻¹⁴');
    expect(ru).toContain('такие малые элементы записаны как 0');
    for (const language of LANGUAGES) expect(auditSolution(explain(trace, { language })).false).toEqual([]);
  });

  it('the bound is relative to the point: the same problem in units of 1e-12 keeps ŵ₁ = 2e-12 and zeroes only the noise', () => {
    const trace = solve({ ...at, y: at.y.map((v) => v * 1e-12) });
    expect(renderSolution(trace, { format: 'text', language: 'en' })).toContain('ŵ = (Xᵀ·X)⁻¹·Xᵀ·y = (2·10⁻¹², 0)ᵀ');
  });

  it('a true small element beside a large one is printed as it is, not as 0 (review: the bound was 1e-9 of the largest)', () => {
    const identity = (y: number[]) => ({ ...traceMatrixExpression("(y - X*w)'*(y - X*w)", { y, X: [[1, 0], [0, 1]], w: [0, 0] }, { stationary: ['w'] }), title: 'small' });
    for (const [y, printed] of [[[0.0005, 1000000], '(0.0005, 1000000)ᵀ'], [[1e-12, 1], '(10⁻¹², 1)ᵀ']] as const) {
      const trace = identity([...y]);
      for (const language of LANGUAGES) {
        const text = renderSolution(trace, { format: 'text', language });
        expect(text).toContain(`ŵ = X⁻¹·y = ${printed}`);
        expect(text).not.toMatch(/Elements of ŵ at most|Элементы ŵ, не превосходящие/);
        expect(auditSolution(explain(trace, { language })).false).toEqual([]);
      }
    }
  });

  it("the book's least squares and Lagrangian print no rounding noise at the point", () => {
    for (const file of ['matrix-3-least-squares.yaml', 'matrix-7-matrix-lagrangian.yaml']) {
      const trace = solvePlan(loadProblem(new URL(`../examples/book/${file}`, import.meta.url).pathname));
      const text = renderSolution(trace, { format: 'text', language: 'en' });
      const section = text.slice(text.indexOf('Stationary point'));
      expect(section.split('\n').filter((line) => line.startsWith('  ') && /·10⁻¹[⁰-⁹]/.test(line)), file).toEqual([]);
    }
  });
});

describe('a number where a matrix would stand is said as a number (en/ru)', () => {
  it("the best scale ĉ of a: 'If aᵀ·a ≠ 0' (not 'invertible'), ĉ = bᵀ·a/(aᵀ·a), and a gradient exactly 0 is 'exactly zero'", () => {
    const trace = { ...traceMatrixExpression("c*c*a'*a - 2*c*a'*b", { a: [1, 2, 2], b: [3, 0, 1], c: 1 }, { stationary: ['c'] }), title: 'c' };
    expect(point(trace).matrixIsNumber).toBe(true);
    expect(point(trace).residual).toBe(0);
    const en = renderSolution(trace, { format: 'text', language: 'en' });
    expect(en).toContain('If aᵀ·a ≠ 0, the stationary point is c\u0302 = bᵀ·a/(aᵀ·a).');
    expect(en).toContain('is exactly zero.');
    const ru = renderSolution(trace, { format: 'text', language: 'ru' });
    expect(ru).toContain('Если aᵀ·a ≠ 0, стационарная точка равна c\u0302 = bᵀ·a/(aᵀ·a).');
    expect(ru).toContain('в точности равен нулю.');
    for (const language of LANGUAGES) expect(auditSolution(explain(trace, { language })).false).toEqual([]);
  });
});

describe('a variable declared symmetric (issue #18)', () => {
  it("is refused with the Lagrangian way in one line where the solve would run; that way gives (A + A')/2", () => {
    const A = [[1, 2], [3, 5]];
    const trace = () => traceMatrixExpression('tr(S*S) - 2*tr(S*A)', { S: [[1, 2], [2, 1]], A }, { stationary: ['S'], symmetric: ['S'] });
    expect(trace).toThrow(/S is declared symmetric, and ∇ = 0 over symmetric matrices is not solved here; declare S a general matrix/);
    const lagrangian = point(traceMatrixExpression("tr(S*S) - 2*tr(S*A) + tr(L'*(S - S'))", { S: [[1, 2], [2, 1]], A, L: [[0, 0], [0, 0]] }, { stationary: ['S', 'L'] }));
    expectClose(flat(lagrangian.value!.S), [1, 2.5, 2.5, 5]);
  });
});

describe('an affine gradient the collector cannot write (issue #18)', () => {
  it("tr(X*X) - 2*tr(A*X) and w'aa'w - 2a'w + w'w: not called 'not linear'; with values solved from the Hessian, the gradient zero there", () => {
    const t1 = { ...traceMatrixExpression('tr(X*X) - 2*tr(A*X)', { X: [[1, 2], [0, 1]], A: [[2, 1], [3, 0]] }, { stationary: ['X'] }), title: 't1' };
    expect(point(t1)).toMatchObject({ outcome: 'solved', noClosedForm: true });
    expectClose(flat(point(t1).value!.X), [2, 1, 3, 0]);
    const t6 = { ...traceMatrixExpression("w'*a*a'*w - 2*a'*w + w'*w", { a: [1, 2], w: [0.5, 0.5] }, { stationary: ['w'] }), title: 't6' };
    expectClose(flat(point(t6).value!.w), [1 / 6, 1 / 3]);
    for (const trace of [t1, t6]) {
      const en = renderSolution(trace, { format: 'text', language: 'en' });
      expect(en).toContain('no closed form found this way');
      expect(en).not.toContain('is not linear in');
      expect(renderSolution(trace, { format: 'text', language: 'ru' })).not.toContain('нелинейно');
    }
  });
});

describe('a factor is cancelled only where it is invertible (issue #18)', () => {
  it('λ = 0 and a singular A: the full system stands and its singularity is reported; without values the condition is written (en/ru)', () => {
    const c2 = point(traceMatrixExpression("lambda*c*c - 4*lambda*c + w'*w", { lambda: 0, c: 1, w: [1, 2] }, { stationary: ['c'] }));
    expect(c2.outcome).toBe('singular');
    expect(c2.reduced?.cancelled ?? []).toEqual([]);
    expect(c2.singular?.matrix.ascii).not.toBe('1');
    const t5 = point(traceMatrixExpression("(A*w - b)'*(A*w - b)", { A: [[1, 2], [2, 4]], b: [1, 3], w: [0.5, 0.5] }, { stationary: ['w'] }));
    expect([t5.outcome, t5.singular?.matrix.ascii, t5.reduced?.cancelled.map((c) => c.factor.ascii)]).toEqual(['singular', "A'*A", []]);
    const withValues = point(traceMatrixExpression("lambda*c*c - 4*lambda*c", { lambda: 3, c: 1 }, { stationary: ['c'] }));
    expect([withValues.reduced?.cancelled.map((c) => c.factor.ascii), withValues.reduced?.ifInvertible]).toEqual([['lambda'], undefined]);
    const symbolic = { ...traceMatrixSymbolic("lambda*c*c - 4*lambda*c", { lambda: 'number', c: 'number' }, { stationary: ['c'] }), title: 'c' };
    expect(point(symbolic).reduced?.ifInvertible).toBe(true);
    // λ is a number: the condition is λ ≠ 0, not "invertible".
    expect(renderSolution(symbolic, { format: 'text', language: 'en' })).toContain('This holds if λ ≠ 0;');
    expect(renderSolution(symbolic, { format: 'text', language: 'ru' })).toContain('Так можно, если λ ≠ 0;');
    const matrixFactor = { ...traceMatrixSymbolic("w'*A'*A*w - 2*b'*A*w", { A: 'matrix', b: 'vector', w: 'vector' }, { stationary: ['w'] }), title: 'A' };
    expect(renderSolution(matrixFactor, { format: 'text', language: 'en' })).toMatch(/This holds if .*A.* is invertible/);
  });

  it('a zero number is said to be zero, not singular; a singular matrix is singular (en/ru)', () => {
    const render = (trace: MatrixTrace, language: 'en' | 'ru') => renderSolution({ ...trace, title: 't' }, { format: 'text', language });
    const c2 = traceMatrixExpression("lambda*c*c - 4*lambda*c + w'*w", { lambda: 0, c: 1, w: [1, 2] }, { stationary: ['c'] });
    expect(render(c2, 'en')).toContain('No unique stationary point: λ is zero, so the equation holds either for every c or for none');
    expect(render(c2, 'en')).not.toContain('singular');
    expect(render(c2, 'ru')).toContain('Единственной стационарной точки нет: λ равно нулю');
    expect(render(c2, 'ru')).not.toContain('вырожден');
    const t5 = traceMatrixExpression("(A*w - b)'*(A*w - b)", { A: [[1, 2], [2, 4]], b: [1, 3], w: [0.5, 0.5] }, { stationary: ['w'] });
    expect(render(t5, 'en')).toContain('Aᵀ·A is singular');
    expect(render(t5, 'ru')).toContain('матрица Aᵀ·A вырождена');
  });
});

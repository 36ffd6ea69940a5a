import { describe, expect, it } from 'vitest';
import { byName } from '../by-name.js';
import { InputError } from '../errors.js';
import { FormulaError } from '../formula/formula-error.js';
import { checkMatrixAnswers } from '../problem/check-matrix-answers.js';
import { traceMatrixExpression, traceMatrixSymbolic } from '../record/matrix-expression.js';
import { parseMatrixFormula } from './parse.js';
import { hatted, matrixText } from './write.js';
import { resolveMatrixFormula } from './resolve.js';
import { parseMatrixAssignments } from './values.js';

const resolve = (source: string, shapes: Record<string, readonly number[]>) => resolveMatrixFormula(source, parseMatrixFormula(source), byName(Object.entries(shapes)));
const errorOf = (run: () => unknown): Error => {
  try {
    run();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected an error');
};

describe('the matrix grammar', () => {
  it("reads x'*A*x as matmul(matmul(transpose(x), A), x) and 2*A as a number times a matrix", () => {
    const quadratic = resolve("x'*A*x", { x: [2, 1], A: [2, 2] });
    expect(quadratic.kind === 'op' && quadratic.op).toBe('matmul');
    expect(quadratic.shape).toEqual([1, 1]);
    const scaled = resolve('2*A', { A: [2, 3] });
    expect(scaled.kind === 'op' && scaled.op).toBe('mul');
    expect(scaled.shape).toEqual([2, 3]);
  });

  it(".* ./ .^ are elementwise, 2.*x is 2 .* x, x'' is x, tr/det/inv/sum and exp/ln/sigmoid/relu apply", () => {
    expect(resolve('A .* B ./ B', { A: [2, 2], B: [2, 2] }).shape).toEqual([2, 2]);
    expect(resolve('2.*x', { x: [3, 1] }).shape).toEqual([3, 1]);
    expect(resolve("x''", { x: [3, 1] }).shape).toEqual([3, 1]);
    expect(resolve('x.^2', { x: [3, 1] }).shape).toEqual([3, 1]);
    expect(resolve('tr(A) + det(A) + sum(inv(A)) + sum(exp(A)) + sum(ln(A)) + sum(sigmoid(A)) + sum(relu(A))', { A: [2, 2] }).shape).toEqual([]);
  });

  it('names both shapes and points at the operator when a product does not fit', () => {
    const error = errorOf(() => resolve('A*y + 1', { A: [2, 2], y: [3, 1] }));
    expect(error).toBeInstanceOf(FormulaError);
    expect(error.message).toContain('A is 2×2 and y is 3×1');
    expect((error as FormulaError).column).toBe(2);
  });

  it('refuses a sum of different shapes, det of a non-square matrix, a matrix power and division by a matrix, each by name', () => {
    expect(errorOf(() => resolve('A + x', { A: [2, 2], x: [2, 1] })).message).toMatch(/cannot add: A is 2×2 and x is 2×1/);
    expect(errorOf(() => resolve('det(M)', { M: [3, 2] })).message).toMatch(/det needs a square matrix, but M is 3×2 \(column 1\)/);
    expect(errorOf(() => resolve('A^2', { A: [2, 2] })).message).toMatch(/write A\*A for the matrix power or \.\^ elementwise/);
    expect(errorOf(() => resolve('x/A', { A: [2, 2], x: [2, 1] })).message).toMatch(/cannot divide by a matrix/);
    expect(errorOf(() => resolve('foo(A)', { A: [2, 2] })).message).toMatch(/unknown function 'foo'/);
    expect(errorOf(() => resolve('A*z', { A: [2, 2] })).message).toMatch(/z has no value/);
  });
});

describe('I, ones(r,c) and diag(v): what the derivatives print parses back', () => {
  it("I takes its size from what it meets: x'*x*I + 2*x*x' is 2×2, I*x and A + I too", () => {
    expect(resolve("x'*x*I + 2*x*x'", { x: [2, 1] }).shape).toEqual([2, 2]);
    expect(resolve('I*x', { x: [3, 1] }).shape).toEqual([3, 1]);
    expect(resolve("x'*I", { x: [3, 1] }).shape).toEqual([1, 3]);
    expect(resolve('-(2*I) + A', { A: [2, 2] }).shape).toEqual([2, 2]);
  });

  it('a variable named I is that variable, not the identity', () => {
    expect(resolve('I*x', { I: [2, 2], x: [2, 1] }).kind).toBe('op');
    expect(resolve('I', { I: [2, 3] }).shape).toEqual([2, 3]);
  });

  it('I whose size cannot be told, I beside a non-square matrix, diag of a matrix and ones of no size are refused by name', () => {
    expect(errorOf(() => resolve('2*I', {})).message).toMatch(/the size of I is not known here/);
    // The caret is under the I, not under the whole formula.
    expect([(errorOf(() => resolve("x'*x + 2*I", { x: [2, 1] })) as FormulaError).index, (errorOf(() => resolve("x'*x + 2*I", { x: [2, 1] })) as FormulaError).length]).toEqual([9, 1]);
    expect(errorOf(() => resolve('tr(I) + x', { x: [2, 1] })).message).toMatch(/the size of I is not known here/);
    expect(errorOf(() => resolve('A + I', { A: [2, 3] })).message).toMatch(/I is square, but A is 2×3/);
    expect(errorOf(() => resolve('diag(A)', { A: [2, 3] })).message).toMatch(/diag needs a vector \(for its diagonal matrix\) or a square matrix \(for its diagonal\), but A is 2×3/);
    expect(errorOf(() => resolve('ones(0,2)', {})).message).toMatch(/two whole numbers of at least 1, but found '0'/);
    expect(errorOf(() => resolve('ones(2)', {})).message).toMatch(/two sizes separated by ','/);
    expect(errorOf(() => resolve('ones(200,200)', {})).message).toMatch(/ones\(200, 200\) has more than 10,000 numbers/);
  });

  it('ones(2,3) is a 2×3 matrix of ones and diag(x) the diagonal matrix of x, as the engine computes them', () => {
    const trace = traceMatrixExpression("sum(ones(2,3)) + x'*diag(x)*x", { x: [1, 2] });
    // 6 ones, and x'·diag(x)·x = Σ xᵢ³ = 1 + 8
    expect(trace.value).toBe(15);
    expect(trace.gradient.x).toEqual([3, 12]);
  });
});

/** Jacobians of elementwise functions as diag(f′(·)), checked as functions against the engine's Jacobian at random points. */
const DIAGONAL_JACOBIANS: readonly { formula: string; at: Record<string, unknown>; expected: string; wrong: string }[] = [
  { formula: 'exp(x)', at: { x: [1, 2] }, expected: 'diag(exp(x))', wrong: 'exp(x)*ones(1,2)' },
  { formula: 'sigmoid(A*x)', at: { x: [1, 2], A: [[1, 2], [3, 4], [0, 1]] }, expected: 'diag(sigmoid(A*x).*(1 - sigmoid(A*x)))*A', wrong: 'diag(sigmoid(A*x))*A' },
  { formula: 'A*tanh(x)', at: { x: [0.5, -1], A: [[1, 2], [3, 4]] }, expected: 'A*diag(1 - tanh(x).*tanh(x))', wrong: 'diag(1 - tanh(x).*tanh(x))*A' },
  { formula: 'relu(x) + 3*x', at: { x: [1, -2] }, expected: 'diag(step(x)) + 3*I', wrong: 'diag(step(x))' },
  { formula: 'x ./ (A*x)', at: { x: [1, 2], A: [[1, 2], [3, 4]] }, expected: "diag(1./(A*x)) - diag(x./(A*x.*(A*x)))*A", wrong: 'diag(1./(A*x))' },
];

describe('the Jacobian of an elementwise function: diag(f′(x))', () => {
  for (const { formula, at, expected, wrong } of DIAGONAL_JACOBIANS) {
    it(`∂(${formula})/∂x = ${expected}, the engine's Jacobian at the point and at random points; ${wrong} is wrong`, () => {
      const trace = traceMatrixExpression(formula, at);
      expect(trace.derivatives.x).toBe(expected);
      expect(checkMatrixAnswers(trace, { derivatives: { x: expected } }).checks[0]?.verdict).toBe('right');
      expect(checkMatrixAnswers(trace, { derivatives: { x: wrong } }).checks[0]?.verdict).toBe('wrong');
      // The worked derivation reads J off df = J·dx, and its numbers are the engine's Jacobian.
      expect(trace.worked.x?.linearForm?.ascii).toMatch(/\*dx$/);
      expect(trace.worked.x?.formulaValue).toEqual(trace.jacobian.x);
    });
  }

  it('the derivation names the diagonal rule: d exp(x) = exp(x) ⊙ dx = diag(exp(x))·dx', () => {
    const worked = traceMatrixExpression('exp(x)', { x: [1, 2] }).worked.x!;
    expect(worked.rules).toEqual(['elementwise', 'diagonal']);
    expect(worked.differential?.pretty).toBe('exp(x) ⊙ dx');
    expect(worked.linearForm?.pretty).toBe('diag(exp(x))·dx');
  });

  it('the Hessian of sum(exp(x)) is diag(exp(x))', () => {
    const trace = traceMatrixExpression('sum(exp(x))', { x: [0, 1] }, { hessian: true });
    expect(trace.hessian?.x?.formula?.ascii).toBe('diag(exp(x))');
  });

  it('with declared variables: diag(sigmoid(A*x).*(1 - sigmoid(A*x)))*A for A of m×n', () => {
    const trace = traceMatrixSymbolic('sigmoid(A*x)', { A: 'matrix m×n', x: 'vector n' });
    expect(trace.derivatives.x).toBe('diag(sigmoid(A*x).*(1 - sigmoid(A*x)))*A');
    expect(checkMatrixAnswers(trace, { derivatives: { x: trace.derivatives.x } }).checks[0]?.verdict).toBe('right');
  });
});

describe('values of vectors and matrices', () => {
  it("reads --at 'x=[1,2]; A=[[1,2],[3,4]]; c=-0.5'", () => {
    const at = parseMatrixAssignments(['x=[1,2]; A=[[1,2],[3,4]]', 'c=-0.5']);
    expect({ ...at }).toEqual({ x: [1, 2], A: [[1, 2], [3, 4]], c: -0.5 });
  });

  it('names what is wrong in a value: a missing bracket, a ragged matrix, a name given twice', () => {
    expect(() => parseMatrixAssignments(['x=[1,2'])).toThrow(/--at: the value of x, '\[1,2', has 'nothing' where ',' or '\]' should be/);
    expect(() => traceMatrixExpression('sum(A)', { A: [[1, 2], [3]] })).toThrow(/the value of A\[1\]: has 1 numbers but the first row has 2/);
    expect(() => parseMatrixAssignments(['x=1; x=2'])).toThrow(/x is given twice/);
    expect(() => parseMatrixAssignments(['x=[[[1]]]'])).toThrow(/nested deeper than a matrix/);
  });
});

/** The derivative formulas the issue names, each also checked as a function against the engine's gradient at random matrices. */
const FORMULAS: readonly { formula: string; at: Record<string, unknown>; variable: string; expected: string }[] = [
  { formula: "x'*A*x", at: { x: [1, 2], A: [[1, 2], [3, 4]] }, variable: 'x', expected: "(A + A')*x" },
  { formula: "x'*A*x", at: { x: [1, 2], A: [[1, 2], [3, 4]] }, variable: 'A', expected: "x*x'" },
  { formula: "a'*x", at: { a: [1, -2, 3], x: [0.5, 1, 2] }, variable: 'x', expected: 'a' },
  { formula: 'tr(A*X)', at: { A: [[1, 2], [3, 4]], X: [[1, 0], [2, 1]] }, variable: 'X', expected: "A'" },
  { formula: "tr(X'*A*X)", at: { A: [[1, 2], [3, 4]], X: [[1, 0], [2, 1]] }, variable: 'X', expected: "(A + A')*X" },
  { formula: 'det(X)', at: { X: [[2, 1], [1, 3]] }, variable: 'X', expected: "det(X)*inv(X)'" },
  { formula: 'ln(det(X))', at: { X: [[2, 1], [1, 3]] }, variable: 'X', expected: "inv(X)'" },
  { formula: "(y - M*w)'*(y - M*w)", at: { y: [1, 2, 2], M: [[1, 0], [1, 1], [1, 2]], w: [0.5, 0.5] }, variable: 'w', expected: "-2*M'*(y - M*w)" },
  // The power rule's c·Uᶜ⁻¹ for c = 2 is U, not U^1.
  { formula: "(a'*w)^2", at: { a: [1, 2], w: [3, 4] }, variable: 'a', expected: "(2*a'*w)*w" },
  { formula: 'sum(w.^2)', at: { w: [3, -4] }, variable: 'w', expected: '2*w' },
  // Σ u ⊙ v of rows (the vjp of the number c in c·aᵀ) is u·vᵀ: aᵀ·a, not sum(aᵀ ⊙ aᵀ).
  { formula: "c*c*a'*a - 2*c*a'*b", at: { a: [1, 2, 2], b: [3, 0, 1], c: 1 }, variable: 'c', expected: "2*a'*a*c - 2*b'*a" },
];

describe('derivatives in matrix notation', () => {
  for (const { formula, at, variable, expected } of FORMULAS) {
    it(`∂(${formula})/∂${variable} = ${expected}, the same function as the engine's gradient at random matrices`, () => {
      const trace = traceMatrixExpression(formula, at);
      expect(trace.derivatives[variable]).toBe(expected);
      const report = checkMatrixAnswers(trace, { derivatives: { [variable]: expected } });
      expect(report.checks.map((check) => check.verdict)).toEqual(['right']);
    });
  }

  it("x*x'*x has the Jacobian (x'*x)*I + 2*x*x' (numbers: row i is ∂fᵢ/∂x)", () => {
    const trace = traceMatrixExpression("x*x'*x", { x: [1, 2] });
    expect(trace.derivatives.x).toBe("(x'*x)*I + 2*x*x'");
    // ‖x‖² = 5: 5·I + 2·[[1, 2], [2, 4]]
    expect(trace.jacobian.x).toEqual([[7, 4], [4, 13]]);
    // Without the x'x·I term the Jacobian is a different function: the check compares every element.
    expect(checkMatrixAnswers(trace, { derivatives: { x: "2*x*x'" } }).checks[0]?.verdict).toBe('wrong');
    // The printed formula, I included, parses back and is the same function.
    expect(checkMatrixAnswers(trace, { derivatives: { x: trace.derivatives.x } }).checks[0]?.verdict).toBe('right');
  });

  it("--hessian of least squares is 2*M'*M, in numbers 2·MᵀM", () => {
    const M = [[1, 0], [1, 1], [1, 2]];
    const trace = traceMatrixExpression("(y - M*w)'*(y - M*w)", { y: [1, 2, 2], M, w: [0.5, 0.5] }, { hessian: true });
    expect(trace.hessian?.w?.formula?.ascii).toBe("2*M'*M");
    const mtm = [0, 1].map((i) => [0, 1].map((j) => 2 * M.reduce((total, row) => total + row[i]! * row[j]!, 0)));
    expect(trace.hessian?.w?.value).toEqual(mtm);
  });

  it('a wrong formula is wrong: A*x for the gradient of xᵀAx with A not symmetric', () => {
    const trace = traceMatrixExpression("x'*A*x", { x: [1, 2], A: [[1, 2], [3, 4]] });
    expect(checkMatrixAnswers(trace, { derivatives: { x: '2*A*x' } }).checks[0]?.verdict).toBe('wrong');
    expect(checkMatrixAnswers(trace, { derivatives: { x: "A*x + A'*x" } }).checks[0]?.verdict).toBe('right');
  });
});

describe('singular and ill-conditioned matrices', () => {
  it('inv of a singular matrix is an input error that shows the matrix', () => {
    const error = errorOf(() => traceMatrixExpression('sum(inv(X))', { X: [[1, 2], [2, 4]] }));
    expect(error).toBeInstanceOf(InputError);
    expect(error.message).toContain('in inv(X) the matrix [[1, 2], [2, 4]] is singular (its determinant is 0), so it has no inverse');
  });

  it('det of a singular matrix is refused too: its derivative det(X)*inv(X) needs the inverse', () => {
    expect(() => traceMatrixExpression('det(X)', { X: [[1, 2], [2, 4]] })).toThrow(/needs the inverse/);
  });

  it('a Hilbert matrix of size 8 (condition number ‖H‖₁·‖H⁻¹‖₁ about 3.4e10) gets a warning with its condition number', () => {
    const hilbert = Array.from({ length: 8 }, (_, i) => Array.from({ length: 8 }, (_, j) => 1 / (i + j + 1)));
    const trace = traceMatrixExpression('sum(inv(H))', { H: hilbert });
    expect(trace.diagnostics.map((d) => d.code)).toEqual(['illConditioned']);
    expect(trace.diagnostics[0]!.params.condition).toBe('3.4·10¹⁰');
  });
});

describe('variables declared without values', () => {
  it("x: vector, A: matrix gives (A + A')*x and x*x' with no numbers; M: \"matrix m×n\" keeps m and n apart", () => {
    const trace = traceMatrixSymbolic("x'*A*x + w'*M'*M*w", { x: 'vector', A: 'matrix', w: 'vector n', M: 'matrix m×n' });
    expect(trace.value).toBeNull();
    expect({ ...trace.derivatives }).toEqual({ x: "(A + A')*x", A: "x*x'", w: "2*M'*M*w", M: "2*M*w*w'" });
    expect(trace.symbolic?.sizes).toEqual({ n: 3, m: 4 });
    expect(checkMatrixAnswers(trace, { derivatives: { x: "A*x + A'*x" } }).checks[0]?.verdict).toBe('right');
    expect(() => checkMatrixAnswers(trace, { value: 1 })).toThrow(/need values of the variables/);
  });

  it("with hessian: the least-squares Hessian 2*M'*M as a formula, for M of m×n", () => {
    const trace = traceMatrixSymbolic("(y - M*w)'*(y - M*w)", { y: 'vector m', M: 'matrix m×n', w: 'vector n' }, { hessian: true });
    expect(trace.hessian?.w?.formula?.ascii).toBe("2*M'*M");
    expect(trace.hessian?.w?.value).toBeUndefined();
  });

  it('a product whose declared shapes do not fit is refused, and so is a declaration it cannot read', () => {
    expect(() => traceMatrixSymbolic('M*M', { M: 'matrix m×n' })).toThrow(/cannot multiply: M is m×n and M is m×n; .* \(n ≠ m\)/);
    expect(() => traceMatrixSymbolic('x', { x: 'tensor' })).toThrow(/variables: x: expected number, vector, matrix/);
  });
});

describe('limits', () => {
  it('a formula of matrices with more than 64 operations is refused at the operation past the limit', () => {
    const product = Array.from({ length: 66 }, () => 'A').join('*');
    expect(() => parseMatrixFormula(product)).toThrow(/more than 64 operations.*\(column 130\)/s);
  });

  it('a number past the largest double is refused where it stands, as in the grammar of numbers', () => {
    expect(() => parseMatrixFormula('x + 1e309*y')).toThrow(/the number 1e309 is too large.*\(column 5\)/s);
  });

  it('a Jacobian of more than 1,000,000 numbers is refused before its backward passes', () => {
    const x = Array.from({ length: 1001 }, (_, i) => i / 1000);
    expect(() => traceMatrixExpression('exp(x)', { x })).toThrow(/the Jacobian of exp\(x\) by x would have 1,001 × 1,001 numbers, more than 1,000,000/);
  });

  it('a part of more than 1,000,000 numbers (an outer product, kron, K) is refused where it stands, before it is computed', () => {
    const x = Array.from({ length: 1001 }, (_, i) => i);
    expect(() => traceMatrixExpression("sum(x*x')", { x })).toThrow(/x\*x' would be 1001×1001, more than 1,000,000 numbers.*\(column 5\)/s);
    const A = Array.from({ length: 32 }, () => Array.from({ length: 32 }, () => 1));
    expect(() => traceMatrixExpression('sum(kron(A, A))', { A })).toThrow(/kron\(A, A\) would be 1024×1024/);
    expect(() => traceMatrixExpression('commutation(A)', { A })).toThrow(/commutation\(A\) would be 1024×1024/);
    expect(traceMatrixExpression('sum(x*x\')', { x: x.slice(0, 1000) }).value).toBe(499500 ** 2);
  });
});

describe('diag inside the formula (the registry op, MATLAB-like)', () => {
  it('diag of a vector is its diagonal matrix, diag of a square matrix its diagonal as a column', () => {
    expect(traceMatrixExpression('diag(x)', { x: [1, 2] }).value).toEqual([[1, 0], [0, 2]]);
    expect(traceMatrixExpression('diag(A)', { A: [[1, 2], [3, 4]] }).value).toEqual([1, 4]);
    expect(traceMatrixExpression("diag(x')", { x: [1, 2] }).value).toEqual([[1, 0], [0, 2]]);
  });

  // Each formula is compared with the engine's backward pass as a function (at random points too),
  // and a plausible wrong formula must be told apart.
  const cases: [string, Record<string, unknown>, string, string, string][] = [
    ["x'*diag(x)*x", { x: [1, 2] }, 'x', '2*diag(x)*x + x.*x', '3*diag(x)*x + x.*x'],
    ['sum(diag(exp(x)))', { x: [1, 2] }, 'x', 'exp(x)', 'diag(exp(x))*x'],
    ['sum(diag(A*A))', { A: [[1, 2], [3, 4]] }, 'A', "2*A'", '2*A'],
    ["diag(A)'*x", { A: [[1, 2], [3, 4]], x: [1, 2] }, 'A', 'diag(x)', "x*ones(2,1)'"],
    ['diag(x)*A*x', { A: [[1, 2], [3, 4]], x: [1, 2] }, 'x', 'diag(A*x) + diag(x)*A', 'diag(x)*A'],
  ];
  for (const [formula, at, name, expected, wrong] of cases) {
    it(`${formula} by ${name} is ${expected}, a formula (no longer numbers only)`, () => {
      const trace = traceMatrixExpression(formula, at);
      expect(trace.derivatives[name]).toBe(expected);
      const verdict = (answer: string) => checkMatrixAnswers(trace, { derivatives: { [name]: answer } }).checks[0]?.verdict;
      expect(verdict(expected)).toBe('right');
      expect(verdict(wrong)).toBe('wrong');
    });
  }

  it('the derivation of diag(x)*A*x names d diag(U) = diag(dU) through its differential', () => {
    const worked = traceMatrixExpression('diag(x)*A*x', { A: [[1, 2], [3, 4]], x: [1, 2] }).worked.x!;
    expect(worked.differential?.ascii).toBe('diag(dx)*A*x + diag(x)*A*dx');
  });
});

describe('the hat on the point solved for', () => {
  it('sits on one written letter: ŵ, X̂, μ̂ (mu is μ, as the formulas of numbers write it); a longer name is hat(name), never mû', () => {
    expect(hatted('w')).toEqual({ ascii: 'w', pretty: 'w\u0302', latex: '\\hat{w}' });
    expect(hatted('mu')).toEqual({ ascii: 'mu', pretty: 'μ\u0302', latex: '\\hat{\\mu}' });
    expect([hatted('lambda').pretty, hatted('Sigma').pretty, hatted('epsilon').latex]).toEqual(['λ\u0302', 'hat(Sigma)', '\\widehat{\\mathit{epsilon}}']);
    expect(hatted('w_new')).toEqual({ ascii: 'w_new', pretty: 'hat(w_new)', latex: '\\widehat{\\mathit{w\\_new}}' });
    expect(hatted('mux').pretty).toBe('hat(mux)');
    // The name under the hat is the one the formulas print.
    for (const name of ['theta', 'w_new']) expect(hatted(name).latex).toBe(`\\widehat{${matrixText({ kind: 'var', name, shape: [2, 1] }).latex}}`);
  });
});

describe("an elementwise power's derivative in matrix notation is written as a textbook writes it, except where the base has a 0", () => {
  const derivatives = (at: Record<string, unknown>) => traceMatrixExpression('sum(x.^y) + sum(x.*y)', at).derivativeFormulas;

  it('at x = (2, 3), y = (3, 1): y ⊙ x^(y − 1) + y and x^y ⊙ log(x) + x, and those formulas give the backward pass\'s numbers', () => {
    const trace = traceMatrixExpression('sum(x.^y) + sum(x.*y)', { x: [[2, 3]], y: [[3, 1]] });
    expect(trace.derivativeFormulas['x']!.pretty).toBe('y ⊙ x^(y − 1) + y');
    expect(trace.derivativeFormulas['y']!.pretty).toBe('x^y ⊙ log(x) + x');
    expect(trace.worked['x']!.formulaValue).toEqual([[15, 2]]);
    expect(trace.worked['y']!.formulaValue).toEqual(trace.gradient['y']);
  });

  it('a base with an element 0 keeps [x = 0] where it changes a number, and only in that derivative', () => {
    // x = (0, 3), y = (0, 1): 0⁰'s derivative by x is PyTorch's limit 0, not 0·0⁻¹.
    const atZero = derivatives({ x: [[0, 3]], y: [[0, 1]] });
    expect(atZero['x']!.pretty).toBe('y ⊙ (x + [x = 0] ⊙ [y = 0])^(y − 1) + y');
    expect(atZero['y']!.pretty).toBe('x^y ⊙ log(x + [x = 0] ⊙ [y ≥ 0]) + x');
    // Its ascii form parses back, as every printed derivative's does: the masks as steps.
    const pasted = traceMatrixExpression(`sum(${atZero['x']!.ascii}) + sum(0*y)`, { x: [[0, 3]], y: [[0, 1]] });
    expect(pasted.value).toBe(0 + 1 + 0 + 1);
    // y = (2, 1): y·x^(y − 1) is 0 at x = 0 either way, while 0^2·log(0) would be NaN.
    const squared = derivatives({ x: [[0, 3]], y: [[2, 1]] });
    expect(squared['x']!.pretty).toBe('y ⊙ x^(y − 1) + y');
    expect(squared['y']!.pretty).toBe('x^y ⊙ log(x + [x = 0] ⊙ [y ≥ 0]) + x');
  });

  it('the Hessian is the derivative of the gradient printed, and true at the point: x = (0, 3), y = (1, 1)', () => {
    const trace = traceMatrixExpression('sum(x.^y)', { x: [[0], [3]], y: [[1], [1]] }, { hessian: true });
    expect(trace.derivativeFormulas['x']!.pretty).toBe('y ⊙ x^(y − 1)');
    // y ⊙ (y − 1) ⊙ x^(y − 2) would be 1·0·0⁻¹ (NaN) at x = 0; the full rule of that gradient gives 0.
    expect(trace.hessian?.['x']?.formula?.pretty).toBe('diag(y ⊙ (y − 1) ⊙ (x + [x = 0] ⊙ [y − 1 = 0])^(y − 2))');
    expect(trace.hessian?.['x']?.value).toEqual([[0, 0], [0, 0]]);
  });

  it('where the full rules are needed, the derivation leaves out the differential, whose textbook power rule would be 0·0⁻¹ there', () => {
    const atZero = traceMatrixExpression('sum(x.^y)', { x: [[0, 3]], y: [[0, 1]] });
    expect(atZero.worked['x']!.differential).toBeUndefined();
    expect(atZero.worked['x']!.linearForm?.pretty).toContain('[x = 0]');
    const away = traceMatrixExpression('sum(x.^y)', { x: [[2, 3]], y: [[0, 1]] });
    expect(away.worked['x']!.differential?.pretty).toBe('sum(y ⊙ x^(y − 1) ⊙ dx)');
    // By the exponent too: d(x^y) = x^y ⊙ log(x) ⊙ dy (it had no differential line).
    expect(away.worked['y']!.differential?.pretty).toBe('sum(x^y ⊙ log(x) ⊙ dy)');
  });

  it('with declared variables (no point) the derivative and the Hessian are the textbook\'s', () => {
    const trace = traceMatrixSymbolic('sum(x.^y)', { x: 'vector', y: 'vector' }, { hessian: true });
    expect(trace.derivativeFormulas['x']!.pretty).toBe('y ⊙ x^(y − 1)');
    expect(trace.derivativeFormulas['y']!.pretty).toBe('x^y ⊙ log(x)');
    expect(trace.hessian?.['x']?.formula?.pretty).toBe('diag(y ⊙ (y − 1) ⊙ x^(y − 2))');
  });
});

import { jacobianRows } from '../autograd/functional.js';
import { noGrad } from '../autograd/grad-mode.js';
import { byName, getByName, hasName } from '../by-name.js';
import { InputError } from '../errors.js';
import { evaluateMatrix, leafOf } from '../matrix/evaluate.js';
import { isScalarShape, shapeText } from '../matrix/expr.js';
import { parseMatrixFormula } from '../matrix/parse.js';
import { resolveMatrixFormula, type IdentitySizes } from '../matrix/resolve.js';
import { valuesOf } from '../matrix/values.js';
import { vecJacobian } from '../matrix/vec.js';
import { Random } from '../tensor/random.js';
import { sizeOf } from '../tensor/shape.js';
import type { AnswerCheck, AnswerDifference, AnswerReport, MatrixTrace } from '../trace/types.js';
import { checkStationary } from './check-stationary.js';
import { agrees, asValues, record, report, valuesAgree } from './check-answers.js';

/** Random points where a student's derivative formula is compared with the engine's gradient. */
const SAMPLE_POINTS = 4;

/**
 * Check the answers of a matrix problem: the value, each gradient as numbers, and each
 * derivative as a formula in the matrix grammar, compared as a function: at the problem's point
 * and at random matrices of the same shapes, the student's formula must give the engine's
 * gradient (or Jacobian) at every element.
 */
export function checkMatrixAnswers(trace: MatrixTrace, answers: unknown): AnswerReport {
  const given = record(answers, 'answers', ['value', 'gradient', 'derivatives', 'kronecker', 'stationary']);
  const checks: AnswerCheck[] = [];
  if (trace.value === null && (hasName(given, 'value') || hasName(given, 'gradient'))) {
    throw new InputError('answers: value and gradient need values of the variables (at:); without them only derivatives can be checked');
  }
  if (hasName(given, 'value') && trace.value !== null) {
    const value = asValues(given.value, 'value');
    checks.push({ path: 'value', label: { pretty: 'f', latex: 'f' }, given: value, expected: trace.value, verdict: valuesAgree(value, trace.value) ? 'right' : 'wrong' });
  }
  const gradient = record(given.gradient, 'gradient', trace.variables);
  const derivatives = record(given.derivatives, 'derivatives', trace.variables);
  const kronecker = record(given.kronecker, 'kronecker', trace.variables);
  const points = Object.keys(derivatives).length + Object.keys(kronecker).length > 0 ? samplePoints(trace) : [];
  for (const name of trace.variables) {
    const label = { pretty: `∂f/∂${name}`, latex: `\\frac{\\partial f}{\\partial ${name}}` };
    if (hasName(derivatives, name)) {
      const formula = String(derivatives[name]);
      const expected = trace.derivatives[name] ?? '';
      const differsAt = whereDerivativeDiffers(trace, name, formula, points, 'derivatives');
      checks.push({ path: `derivatives.${name}`, label, given: formula, expected, verdict: differsAt === null ? 'right' : 'wrong', ...(differsAt === undefined || differsAt === null ? {} : { differsAt }) });
    }
    if (hasName(kronecker, name)) checks.push(kroneckerCheck(trace, name, String(kronecker[name]), points));
    if (hasName(gradient, name)) {
      const value = asValues(gradient[name], `gradient.${name}`);
      const expected = getByName(isScalarShape(trace.shape) ? trace.gradient : trace.jacobian, name)!;
      checks.push({ path: `gradient.${name}`, label, given: value, expected, verdict: valuesAgree(value, expected) ? 'right' : 'wrong' });
    }
  }
  checks.push(...checkStationary(trace, record(given.stationary, 'stationary', trace.variables)));
  return report(checks);
}

type Point = Map<string, Float64Array>;

function samplePoints(trace: MatrixTrace): Point[] {
  const random = new Random(11);
  const at: Point = new Map(trace.variables.map((name) => [name, Float64Array.from([getByName(trace.at, name)!].flat(2) as number[])]));
  const symmetric = new Set(trace.symmetric ?? []);
  const uniform = (name: string) => Float64Array.from({ length: Math.max(1, sizeOf(getByName(trace.shapes, name)!)) }, () => random.uniform(-2, 2));
  const randomPoint = (_: unknown, index: number): Point => new Map(trace.variables.map((name) => [name, symmetric.has(name) ? randomSymmetric(getByName(trace.shapes, name)![0]!, index % 2 === 1, () => random.uniform(-2, 2)) : uniform(name)]));
  return [...(trace.value === null ? [] : [at]), ...Array.from({ length: SAMPLE_POINTS }, randomPoint)];
}

/**
 * A random symmetric n×n matrix: (B + Bᵀ)/2, or, at every other point, B·Bᵀ/n + I/2, positive
 * definite, so that a formula defined only there (ln det Σ of a covariance) is compared too.
 */
function randomSymmetric(n: number, positiveDefinite: boolean, uniform: () => number): Float64Array {
  const b = Float64Array.from({ length: n * n }, uniform);
  return Float64Array.from({ length: n * n }, (_, k) => {
    const [i, j] = [Math.floor(k / n), k % n];
    if (!positiveDefinite) return (b[i * n + j]! + b[j * n + i]!) / 2;
    let dot = 0;
    for (let t = 0; t < n; t++) dot += b[i * n + t]! * b[j * n + t]!;
    return dot / n + (i === j ? 0.5 : 0);
  });
}

/**
 * ∂vec F/∂vec X as a formula (`answers: kronecker`, usually of kron: -kron(inv(X)', inv(X))),
 * compared with the engine's Jacobian reordered to column-major vec at every point; the
 * expected formula is the tool's Kronecker form, or the Jacobian's numbers where it has none.
 */
function kroneckerCheck(trace: MatrixTrace, name: string, formula: string, points: readonly Point[]): AnswerCheck {
  const shape = getByName(trace.shapes, name)!;
  if (isScalarShape(trace.shape) || shape.length !== 2 || shape[1] === 1) {
    throw new InputError(`answers: kronecker.${name}: ∂vec f/∂vec ${name} is written for a matrix (or vector) formula by a matrix variable, but f is ${shapeText(trace.shape)} and ${name} is ${shapeText(shape)}; use derivatives.${name}`);
  }
  const form = trace.kronecker?.[name];
  const engine = getByName(trace.jacobian, name);
  const expected = form?.formula.ascii ?? (engine === undefined ? '' : vecJacobian(engine as number[][], trace.shape, shape));
  const label = { pretty: `∂vec f/∂vec ${name}`, latex: `\\frac{\\partial \\operatorname{vec} f}{\\partial \\operatorname{vec} ${name}}` };
  const differsAt = whereDerivativeDiffers(trace, name, formula, points, 'kronecker');
  return { path: `kronecker.${name}`, label, given: formula, expected, verdict: differsAt === null ? 'right' : 'wrong', ...(differsAt === undefined || differsAt === null ? {} : { differsAt }) };
}

/**
 * The student's formula against the engine's derivative of the problem's formula, elementwise,
 * at every point: null where it agrees everywhere, else the first entry that differs (undefined
 * when no point could be compared, or the shapes differ). `derivatives` compares with the
 * gradient (or the Jacobian row by row), `kronecker` with ∂vec F/∂vec X.
 */
function whereDerivativeDiffers(trace: MatrixTrace, name: string, formula: string, points: readonly Point[], kind: 'derivatives' | 'kronecker'): AnswerDifference | null | undefined {
  const shapes = byName(trace.variables.map((v) => [v, getByName(trace.shapes, v)!] as const));
  const variableShape = getByName(shapes, name)!;
  const [outRows = 1, outColumns = 1] = trace.shape;
  // I alone (the gradient of tr X, the Jacobian of x) is as large as the derivative it stands for;
  // inside kron(Rᵀ, L) it is q×q as Rᵀ, p×p as L, for f p×q.
  const sizes: IdentitySizes = kind === 'kronecker' ? { alone: outRows * outColumns, inKron: [outColumns, outRows] } : { alone: isScalarShape(trace.shape) ? variableShape[0] : trace.shape[0] };
  let student;
  try {
    student = resolveMatrixFormula(formula, parseMatrixFormula(formula), shapes, trace.symbolic?.sizes, sizes);
  } catch (error) {
    if (error instanceof InputError) throw new InputError(`answers: ${kind}.${name}: ${error.message}`);
    throw error;
  }
  const problem = resolveMatrixFormula(trace.expression, parseMatrixFormula(trace.expression), shapes);
  const variables = trace.variables;
  let compared = 0;
  for (const point of points) {
    const leaves = new Map(variables.map((v) => [v, leafOf(getByName(shapes, v)!, point.get(v)!)]));
    const output = evaluateMatrix(problem, leaves);
    const leaf = leaves.get(name)!;
    const rows = jacobianRows(output, [leaf])[0]!;
    const expected = (kind === 'kronecker' ? vecJacobian(rows, trace.shape, variableShape) : rows).flat();
    // Where the function is not defined (ln of a negative number at a random point) there is nothing to compare.
    if (!expected.every(Number.isFinite)) continue;
    compared++;
    const answer = noGrad(() => evaluateMatrix(student, leaves));
    // A number answer stands for that number in every element (a constant gradient).
    const values = answer.size === 1 ? expected.map(() => answer.data[0]!) : Array.from(answer.data);
    // A Jacobian's rows are the output's elements; a gradient is in the variable's shape.
    if (values.length !== expected.length) return undefined;
    const at = values.findIndex((value, i) => !(agrees(value, expected[i]!) || Math.abs(value - expected[i]!) <= 1e-9 * (1 + Math.abs(expected[i]!))));
    if (at >= 0) {
      // A Jacobian's columns are the variable's elements; a gradient has the variable's own columns.
      const columns = kind === 'kronecker' || !isScalarShape(trace.shape) ? Math.max(1, sizeOf(variableShape)) : (variableShape[1] ?? 1);
      const point = byName(variables.map((v) => [v, valuesOf(getByName(shapes, v)!, leaves.get(v)!.data)] as const));
      return { row: Math.floor(at / columns) + 1, column: (at % columns) + 1, given: values[at]!, expected: expected[at]!, point };
    }
  }
  return compared > 0 ? null : undefined;
}

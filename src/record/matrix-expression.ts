import { gradients, jacobianRows } from '../autograd/functional.js';
import { noGrad } from '../autograd/grad-mode.js';
import type { Tensor } from '../autograd/tensor.js';
import { byName, getByName, type ByName } from '../by-name.js';
import { InputError } from '../errors.js';
import type { FormulaText } from '../formula/formula-text.js';
import { formatNumber } from '../formula/numbers.js';
import { checkWrittenApart } from '../formula/graph.js';
import { formatValues, latexValues, type Values } from '../formula/values-text.js';
import { declaredShapes } from '../matrix/declared.js';
import { differential } from '../matrix/differential.js';
import { evaluateMatrix, leafOf } from '../matrix/evaluate.js';
import { diagonalOf, isScalarShape, matrixVariables, type MatrixExpr } from '../matrix/expr.js';
import { hessianOfGradient, matrixDerivative, matrixHessian } from '../matrix/jacobian.js';
import { parseMatrixFormula } from '../matrix/parse.js';
import { resolveMatrixFormula } from '../matrix/resolve.js';
import { simplifyMatrix } from '../matrix/simplify.js';
import { kroneckerOf } from './matrix-kronecker.js';
import { stationaryPointOf } from './matrix-stationary.js';
import { checkSymmetricValue, usesSymmetry, useSymmetry } from '../matrix/symmetric.js';
import { matrixAlgebra, matrixOp, textbookMatrixAlgebra } from '../matrix/symbolic.js';
import { matrixValue, valuesOf, type MatrixValue } from '../matrix/values.js';
import { matrixText, type MatrixSubstitute } from '../matrix/write.js';
import type { Algebra } from '../ops/algebra.js';
import { determinant, inverse } from '../ops/lu.js';
import { diagnostic } from '../trace/diagnostic.js';
import { sameNumbers } from './same-numbers.js';
import type { Diagnostic, MatrixKronecker, MatrixTrace, MatrixWorked } from '../trace/types.js';

/**
 * The most numbers a Jacobian or Hessian may have: one backward pass per row, so a 10,000-element
 * value by a 10,000-element variable would be 10⁸ numbers (docs/limits.md).
 */
export const MAX_DERIVATIVE_NUMBERS = 1_000_000;

function checkDerivativeSize(what: string, rows: number, columns: number): void {
  if (rows * columns > MAX_DERIVATIVE_NUMBERS) {
    throw new InputError(`${what} would have ${rows.toLocaleString('en-US')} × ${columns.toLocaleString('en-US')} numbers, more than ${MAX_DERIVATIVE_NUMBERS.toLocaleString('en-US')}; this tool works derivatives a person can follow`);
  }
}

export interface MatrixOptions {
  /** Also the Hessian of a number by each vector (or number) variable. */
  readonly hessian?: boolean;
  /** Variables declared "symmetric matrix": their values must be symmetric, and derivatives use Sᵀ = S. */
  readonly symmetric?: readonly string[];
  /** Solve ∇ = 0 for these variables (`stationary: [w]`; record/matrix-stationary.ts). */
  readonly stationary?: readonly string[];
}

/** A derivative formula as printed, and whether it is by the rules as a textbook writes them. */
interface Written {
  readonly formula: MatrixExpr;
  readonly textbook: boolean;
}

/** Which of the registry's rule sets writes a derivative formula: given the formula by each, the one printed. */
type WrittenBy = (formulaBy: (algebra: Algebra<MatrixExpr>) => MatrixExpr | null) => Written | null;

/**
 * At a point: the rules as a textbook writes them (y ⊙ x^(y − 1), not y ⊙ (x + eq(x, 0) ⊙
 * eq(y, 0))^(y − 1)) where that formula has the full rules' numbers there, else the full rules,
 * so every printed line stays true at the point (a base with an element 0: PyTorch's limits).
 */
function textbookWhereSame(leaves: ReadonlyMap<string, Tensor>): WrittenBy {
  const valueOf = (formula: MatrixExpr): Tensor | undefined => {
    try {
      return noGrad(() => evaluateMatrix(formula, leaves));
    } catch (error) {
      // A size the evaluator refuses (a Hessian of many numbers): keep the full rules.
      if (error instanceof InputError) return undefined;
      throw error;
    }
  };
  return (formulaBy) => {
    const full = formulaBy(matrixAlgebra);
    if (full === null) return null;
    const textbook = formulaBy(textbookMatrixAlgebra);
    if (textbook === null) return { formula: full, textbook: false };
    // Most formulas have no power of a variable: the same formula either way, nothing to evaluate.
    if (matrixText(full).ascii === matrixText(textbook).ascii) return { formula: textbook, textbook: true };
    const [a, b] = [valueOf(full), valueOf(textbook)];
    return a !== undefined && b !== undefined && sameNumbers(a.data, b.data) ? { formula: textbook, textbook: true } : { formula: full, textbook: false };
  };
}

/** Without a point (declared variables), the textbook's rules: an identity as books state it, where the power is differentiable. */
const textbookRules: WrittenBy = (formulaBy) => {
  const formula = formulaBy(textbookMatrixAlgebra);
  return formula === null ? null : { formula, textbook: true };
};

/**
 * The differential writes the power rule as a textbook does (matrix/differential.ts); where the
 * derivative needed the full rules (a base with a 0 there), it would not be true at the point
 * (0 ⊙ 0^(−1) ⊙ dx), so the derivation goes on without it.
 */
function withoutFalseDifferential(steps: MatrixWorked | undefined, textbook: boolean): MatrixWorked | undefined {
  if (steps === undefined || textbook || steps.differential === undefined) return steps;
  const { differential: _left, ...rest } = steps;
  return rest;
}

/**
 * Each variable's derivative as a formula (ascii and every style) and, where `workedOf` gives
 * one, its worked derivation; a variable the formula does not depend on has none. A symmetric
 * variable's Sᵀ is written S (matrix/symmetric.ts), and the derivation then names that rule.
 */
function derivativesOf(expr: MatrixExpr, variables: readonly string[], shapes: ByName<readonly number[]>, symmetric: ReadonlySet<string>, writtenBy: WrittenBy, workedOf: (name: string, formula: MatrixExpr) => MatrixWorked | undefined) {
  const derivatives = byName<string>();
  const derivativeFormulas = byName<FormulaText>();
  const worked = byName<MatrixWorked>();
  const written = new Map<string, Written>();
  for (const name of variables) {
    const chosen = writtenBy((algebra) => matrixDerivative(expr, name, getByName(shapes, name)!, algebra));
    if (chosen === null) continue;
    written.set(name, chosen);
    const unconstrained = chosen.formula;
    const formula = useSymmetry(unconstrained, symmetric);
    derivativeFormulas[name] = matrixText(formula);
    derivatives[name] = derivativeFormulas[name].ascii;
    const steps = withoutFalseDifferential(workedOf(name, formula), chosen.textbook);
    if (steps !== undefined) worked[name] = usesSymmetry(unconstrained, symmetric) ? { ...steps, rules: [...steps.rules, 'symmetric'] } : steps;
  }
  // The gradients as chosen, before Sᵀ = S: the Hessian differentiates these (hessianOf).
  return { derivatives, derivativeFormulas, worked, written };
}

/** A condition number above this loses more than 10 of the 16 significant digits: worth a warning. */
const ILL_CONDITIONED = 1e10;

/** ‖X‖₁·‖X⁻¹‖₁ (columns' largest absolute sum): how many digits an inverse can lose. */
function conditionNumber(x: Float64Array, n: number): number {
  const inv = new Float64Array(n * n);
  inverse(x, n, inv);
  const norm = (m: Float64Array) => Math.max(...Array.from({ length: n }, (_, j) => Array.from({ length: n }, (_, i) => Math.abs(m[i * n + j]!)).reduce((p, q) => p + q, 0)));
  return norm(x) * norm(inv);
}

/**
 * A formula of vectors and matrices at a point: its value, and each variable's derivative as
 * numbers (the engine's backward, in the variable's shape) and as a formula in matrix notation
 * (the registry's vjps run on formulas, simplified). A singular matrix under inv, or under det
 * when its gradient is wanted, is an InputError naming it.
 */
export function traceMatrixExpression(source: string, at: Readonly<Record<string, unknown>>, options: MatrixOptions = {}): MatrixTrace {
  const values = byName<MatrixValue>();
  for (const [name, value] of Object.entries(at)) values[name] = matrixValue(value, `the value of ${name}`);
  const symmetric = new Set(options.symmetric ?? []);
  for (const name of symmetric) {
    const value = getByName(values, name);
    if (value === undefined) throw new InputError(`variables: ${name} is declared a symmetric matrix but has no value in at:; give it one`);
    checkSymmetricValue(name, value);
  }
  const shapes = byName<readonly number[]>(Object.entries(values).map(([name, value]) => [name, value.shape]));
  const expr = resolveMatrixFormula(source, parseMatrixFormula(source), shapes);
  const variables = matrixVariables(expr);
  // The matrix writer names variables by the scalar rule (matrixName): x1 and x_1 would both print x₁.
  checkWrittenApart(variables);
  const leaves = new Map<string, Tensor>(variables.map((name) => [name, leafOf(getByName(values, name)!.shape, getByName(values, name)!.data)]));
  const nodes = new Map<MatrixExpr, Tensor>();
  const output = evaluateMatrix(expr, leaves, nodes);
  const tensorOf = (x: MatrixExpr): Tensor | undefined => (x.kind === 'var' ? leaves.get(x.name) : nodes.get(x));
  const diagnostics = checkSquareMatrices(source, expr, tensorOf);
  const leafList = variables.map((name) => leaves.get(name)!);
  const scalarOutput = isScalarShape(output.shape);

  const gradient = byName<Values>();
  const jacobian = byName<Values>();
  if (scalarOutput) {
    const grads = gradients(output, leafList);
    variables.forEach((name, i) => (gradient[name] = valuesOf(leafList[i]!.shape, grads[i]!.data)));
  } else {
    leafList.forEach((leaf, i) => checkDerivativeSize(`the Jacobian of ${source} by ${variables[i]!}`, output.size, leaf.size));
    const rows = jacobianRows(output, leafList);
    variables.forEach((name, i) => (jacobian[name] = rows[i]!));
  }

  const substitutes = substitutesOf(variables, values);
  const writtenBy = textbookWhereSame(leaves);
  const { derivatives, derivativeFormulas, worked, written } = derivativesOf(expr, variables, shapes, symmetric, writtenBy, (name, formula) =>
    scalarOutput ? workedDerivative(expr, name, formula, leaves, substitutes, symmetric)
      : isColumnShape(getByName(shapes, name)!) ? workedJacobian(expr, name, formula, leaves, substitutes) : undefined);

  const hessian = options.hessian === true ? hessianOf(output, variables, leafList, shapes, written, writtenBy) : undefined;
  const kronecker = scalarOutput ? {} : kroneckersOf(expr, variables, shapes, leaves, jacobian);
  return {
    kind: 'matrix',
    expression: source,
    formula: matrixText(expr),
    substituted: matrixText(expr, substitutes),
    variables,
    shapes: byName(variables.map((name) => [name, getByName(shapes, name)!])),
    at: byName(variables.map((name) => [name, valuesOf(getByName(values, name)!.shape, getByName(values, name)!.data)])),
    shape: output.shape,
    value: valuesOf(output.shape, output.data),
    gradient,
    jacobian,
    derivatives,
    derivativeFormulas,
    worked,
    ...(hessian === undefined ? {} : { hessian }),
    ...symmetricOf(variables, symmetric),
    ...(Object.keys(kronecker).length === 0 ? {} : { kronecker }),
    ...(options.stationary === undefined ? {} : { stationaryPoint: stationaryPointOf({ source, expr, names: options.stationary, shapes, leaves, symmetric }) }),
    diagnostics,
  };
}

/** inv of a singular matrix has no value, det's gradient det X·X⁻ᵀ none: refused by name; nearly singular ones get a warning. */
function checkSquareMatrices(source: string, expr: MatrixExpr, tensorOf: (x: MatrixExpr) => Tensor | undefined): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  const visit = (x: MatrixExpr): void => {
    if (x.kind !== 'op') return;
    x.args.forEach(visit);
    if (x.op !== 'inv' && x.op !== 'det') return;
    const argument = x.args[0]!;
    const input = tensorOf(argument);
    if (input === undefined) return;
    const data = Float64Array.from(input.data);
    const n = argument.shape[0] ?? 1;
    const text = `${x.op}(${matrixText(argument).ascii})`;
    const shown = formatValues(valuesOf(argument.shape, data));
    if (determinant(data, n) === 0 || !Number.isFinite(conditionNumber(data, n))) {
      const why = x.op === 'inv' ? 'it has no inverse' : "the derivative of det, det(X)*inv(X)', needs the inverse";
      throw new InputError(`${source}: in ${text} the matrix ${shown} is singular (its determinant is 0), so ${why}; choose an invertible matrix`);
    }
    const condition = conditionNumber(data, n);
    if (condition > ILL_CONDITIONED) {
      diagnostics.push(diagnostic('warning', 'illConditioned', { formula: text, matrix: shown, condition: formatNumber(condition, { digits: 2 }), digits: Math.min(16, Math.round(Math.log10(condition))) }));
    }
  };
  visit(expr);
  return diagnostics;
}

function hessianOf(output: Tensor, variables: readonly string[], leaves: readonly Tensor[], shapes: ByName<readonly number[]>, printed: ReadonlyMap<string, Written>, writtenBy: WrittenBy): MatrixTrace['hessian'] {
  const result = byName<{ value: Values; formula?: FormulaText; formulaValue?: Values }>();
  const named = new Map(variables.map((name, i) => [name, leaves[i]!] as const));
  if (!isScalarShape(output.shape) || !output.requiresGrad) return result;
  variables.forEach((name, i) => {
    const leaf = leaves[i]!;
    const shape = getByName(shapes, name)!;
    if (!(shape.length === 0 || shape[1] === 1)) return;
    checkDerivativeSize(`the Hessian by ${name}`, leaf.size, leaf.size);
    const [first] = gradients(output, [leaf], { createGraph: true });
    const rows = jacobianRows(first!, [leaf])[0]!;
    // The Jacobian of the gradient printed (textbook or full rules), so the two formulas agree.
    const gradient = printed.get(name);
    const formula = gradient === undefined ? null : writtenBy((algebra) => hessianOfGradient(gradient.formula, name, shape, algebra))?.formula ?? null;
    const formulaValue = formula === null ? undefined : hessianFormulaValue(formula, named, leaf.size);
    result[name] = { value: leaf.size === 1 ? rows[0]![0]! : rows, ...(formula === null ? {} : { formula: matrixText(formula) }), ...(formulaValue === undefined ? {} : { formulaValue }) };
  });
  return result;
}

/**
 * The Hessian formula's own numbers at the point (n×n; 0 is the zero matrix), to print beside it
 * and compare with the backward pass's; undefined where its size is not n×n (c·I written as a number).
 */
function hessianFormulaValue(formula: MatrixExpr, leaves: ReadonlyMap<string, Tensor>, n: number): Values | undefined {
  const value = noGrad(() => evaluateMatrix(formula, leaves));
  if (n === 1) return value.size === 1 ? value.data[0]! : undefined;
  return matrixNumbers(value, n, n);
}

/**
 * A Jacobian's or Hessian's formula's numbers as the rows × columns matrix they stand for: a
 * formula that is one number c (f = 3·x, with I dropped) stands for c·I, 0 for the zero matrix;
 * undefined where the formula has another size.
 */
function matrixNumbers(value: Tensor, rows: number, columns: number): Values | undefined {
  if (value.size === rows * columns) return valuesOf([rows, columns], value.data);
  if (value.size !== 1 || (value.data[0] !== 0 && rows !== columns)) return undefined;
  const data = new Float64Array(rows * columns);
  for (let i = 0; i < Math.min(rows, columns); i++) data[i * columns + i] = value.data[0]!;
  return valuesOf([rows, columns], data);
}

/** Each variable's value as it is written into a formula: a column vector as (1, 2)ᵀ, its transpose as (1, 2). */
function substitutesOf(variables: readonly string[], values: ByName<MatrixValue>): Map<string, MatrixSubstitute> {
  return new Map(variables.map((name) => {
    const { shape, data } = getByName(values, name)!;
    const shown = valuesOf(shape, data);
    const column = shape.length === 2 && shape[1] === 1 && shape[0]! > 1;
    const row = { ascii: formatValues(shown), pretty: formatValues(shown), latex: latexValues(shown) };

    const plain = { ascii: formatValues(shown), pretty: formatValues(shown), latex: latexValues(shown) };
    const transposedMatrix = { ascii: `${plain.ascii}'`, pretty: `${plain.pretty}ᵀ`, latex: `${plain.latex}^{T}` };
    return [name, column ? { ascii: `${row.ascii}'`, pretty: `${row.pretty}ᵀ`, latex: latexValues((shown as number[]).map((v) => [v])), transposed: row } : { ...plain, transposed: shape.length === 2 ? transposedMatrix : plain }];
  }));
}

/** A formula's matrix factors, left to right (numbers and scalar factors left out). */
function matrixFactors(x: MatrixExpr): MatrixExpr[] {
  if (x.kind === 'op' && x.op === 'matmul') return [...matrixFactors(x.args[0]!), ...matrixFactors(x.args[1]!)];
  if (x.kind === 'op' && x.op === 'neg') return matrixFactors(x.args[0]!);
  if (x.kind === 'op' && x.op === 'mul' && x.args.some((arg) => isScalarShape(arg.shape))) {
    return x.args.filter((arg) => !isScalarShape(arg.shape)).flatMap(matrixFactors);
  }
  return isScalarShape(x.shape) ? [] : [x];
}

function workedDerivative(expr: MatrixExpr, name: string, formula: MatrixExpr, leaves: ReadonlyMap<string, Tensor>, substitutes: ReadonlyMap<string, MatrixSubstitute>, symmetric: ReadonlySet<string>): MatrixWorked {
  const leaf = leaves.get(name)!;
  const value = noGrad(() => evaluateMatrix(formula, leaves));
  // A formula of another size than the variable is a simplifier's error: never printed as its numbers.
  if (value.size !== 1 && value.size !== leaf.size) throw new Error(`the gradient formula ${matrixText(formula).pretty} has ${value.size} numbers for ${name}'s ${leaf.size}`);
  const formulaValue = value.size === 1 && leaf.size > 1 ? valuesOf(leaf.shape, new Float64Array(leaf.size).fill(value.data[0]!)) : valuesOf(leaf.shape, value.data);
  return { ...derivation(expr, name, formula, leaf.shape, symmetric), substituted: matrixText(formula, substitutes), formulaValue };
}

/** The derivation without numbers: the differential, the rules, the linear form, the factors and their shapes. */
function derivation(expr: MatrixExpr, name: string, formula: MatrixExpr, shape: readonly number[], symmetric: ReadonlySet<string>): MatrixWorked {
  const leaf = { shape };
  const dv: MatrixExpr = { kind: 'var', name: `d${name}`, shape: leaf.shape, differentialOf: name };
  const { expr: raw, rules } = differential(expr, name);
  const vector = leaf.shape.length === 2 && leaf.shape[1] === 1;
  const gradientShaped: MatrixExpr = { ...formula, shape: leaf.shape.length === 0 ? [] : leaf.shape };
  // A number's derivative needs no transpose (and a number has no axes to swap).
  const transposed = leaf.shape.length === 0 ? gradientShaped : useSymmetry(simplifyMatrix(matrixOp('transpose', [gradientShaped], { perm: [1, 0] })), symmetric);
  // df = Gᵀ·dv for a vector, tr(Gᵀ·dX) for a matrix, G·dv for a number.
  const linear = leaf.shape.length === 0 ? matrixOp('mul', [formula, dv], {})
    : vector ? matrixOp('matmul', [{ ...transposed, shape: [1, leaf.shape[0]!] }, dv], {})
      : matrixOp('trace', [matrixOp('matmul', [{ ...transposed, shape: [leaf.shape[1]!, leaf.shape[0]!] }, dv], {})], {});
  return {
    ...(raw === null ? {} : { differential: matrixText(raw) }),
    linearForm: matrixText(linear),
    rules,
    factors: matrixFactors(formula).map((factor) => ({ formula: matrixText(factor), shape: factor.shape })),
  };
}

const isColumnShape = (shape: readonly number[]): boolean => shape.length === 2 && shape[1] === 1;

/**
 * The Jacobian of a vector by a vector, worked as the gradient is: the differential, the rules,
 * df = J·dx from which J is read (an elementwise f gives f′(x) ⊙ dx = diag(f′(x))·dx), and J
 * with the values written in and its numbers, a row per element of f.
 */
function workedJacobian(expr: MatrixExpr, name: string, formula: MatrixExpr, leaves: ReadonlyMap<string, Tensor>, substitutes: ReadonlyMap<string, MatrixSubstitute>): MatrixWorked {
  const leaf = leaves.get(name)!;
  const value = noGrad(() => evaluateMatrix(formula, leaves));
  const rows = expr.shape[0] ?? 1;
  const columns = leaf.shape[0]!;
  const formulaValue = matrixNumbers(value, rows, columns);
  return { ...jacobianDerivation(expr, name, formula, leaf.shape), substituted: matrixText(formula, substitutes), ...(formulaValue === undefined ? {} : { formulaValue }) };
}

function jacobianDerivation(expr: MatrixExpr, name: string, formula: MatrixExpr, shape: readonly number[]): MatrixWorked {
  const dv: MatrixExpr = { kind: 'var', name: `d${name}`, shape, differentialOf: name };
  const { expr: raw, rules } = differential(expr, name);
  const jacobian: MatrixExpr = { ...formula, shape: [expr.shape[0] ?? 1, shape[0]!] };
  const linear = isScalarShape(formula.shape) ? matrixOp('mul', [formula, dv], {}) : matrixOp('matmul', [jacobian, dv], {});
  return {
    ...(raw === null ? {} : { differential: matrixText(raw) }),
    linearForm: matrixText(linear),
    rules: hasDiagonal(formula) ? [...rules, 'diagonal'] : rules,
    factors: [],
  };
}

const hasDiagonal = (x: MatrixExpr): boolean => diagonalOf(x) !== null || (x.kind === 'op' && x.args.some(hasDiagonal));

/**
 * A formula whose variables are declared without values (`x: vector`, `A: "matrix m×n"`): its
 * derivatives as formulas and the derivation, no numbers. The shapes use a stand-in size per
 * dimension letter (matrix/declared.ts), and shape errors name those letters' sizes.
 */
export function traceMatrixSymbolic(source: string, declarations: Readonly<Record<string, unknown>>, options: MatrixOptions = {}): MatrixTrace {
  const { shapes, sizes, symmetric } = declaredShapes(declarations);
  const expr = resolveMatrixFormula(source, parseMatrixFormula(source), shapes, sizes);
  const variables = matrixVariables(expr);
  checkWrittenApart(variables);
  const { derivatives, derivativeFormulas, worked } = derivativesOf(expr, variables, shapes, new Set(symmetric), textbookRules, (name, formula) =>
    isScalarShape(expr.shape) ? derivation(expr, name, formula, getByName(shapes, name)!, new Set(symmetric))
      : isColumnShape(getByName(shapes, name)!) && isColumnShape(expr.shape) ? jacobianDerivation(expr, name, formula, getByName(shapes, name)!) : undefined);
  const hessian = byName<{ formula: FormulaText }>();
  for (const name of options.hessian === true ? variables : []) {
    const formula = textbookRules((algebra) => matrixHessian(expr, name, getByName(shapes, name)!, algebra))?.formula ?? null;
    if (formula !== null) hessian[name] = { formula: matrixText(formula) };
  }
  return {
    kind: 'matrix',
    expression: source,
    formula: matrixText(expr),
    variables,
    shapes: byName(variables.map((name) => [name, getByName(shapes, name)!])),
    at: byName(),
    shape: expr.shape,
    value: null,
    symbolic: { sizes },
    ...(options.hessian === true ? { hessian } : {}),
    ...symmetricOf(variables, new Set(symmetric)),
    ...(() => {
      const kronecker = isScalarShape(expr.shape) ? {} : kroneckersOf(expr, variables, shapes, null, byName());
      return Object.keys(kronecker).length === 0 ? {} : { kronecker };
    })(),
    gradient: byName(),
    jacobian: byName(),
    derivatives,
    derivativeFormulas,
    worked,
    ...(options.stationary === undefined ? {} : { stationaryPoint: stationaryPointOf({ source, expr, names: options.stationary, shapes, leaves: null, symmetric: new Set(symmetric) }) }),
    diagnostics: [],
  };
}

/** The symmetric variables the formula uses (absent when none): check-my-answer samples them symmetric. */
function symmetricOf(variables: readonly string[], symmetric: ReadonlySet<string>): { symmetric?: readonly string[] } {
  const used = variables.filter((name) => symmetric.has(name));
  return used.length === 0 ? {} : { symmetric: used };
}

/** A matrix (or vector) by a matrix variable: the Kronecker form of each, where the differential has one (record/matrix-kronecker.ts). */
function kroneckersOf(expr: MatrixExpr, variables: readonly string[], shapes: ByName<readonly number[]>, leaves: ReadonlyMap<string, Tensor> | null, jacobian: ByName<Values>) {
  const result = byName<MatrixKronecker>();
  for (const name of variables) {
    const shape = getByName(shapes, name)!;
    if (shape.length !== 2 || shape[1] === 1) continue;
    const found = kroneckerOf(expr, name, shape, leaves, getByName(jacobian, name) as number[][] | undefined);
    if (found !== null) result[name] = found;
  }
  return result;
}

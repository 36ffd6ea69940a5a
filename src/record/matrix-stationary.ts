import { gradients } from '../autograd/functional.js';
import { noGrad } from '../autograd/grad-mode.js';
import type { Tensor } from '../autograd/tensor.js';
import { getByName, type ByName } from '../by-name.js';
import { InputError } from '../errors.js';
import type { FormulaText } from '../formula/formula-text.js';
import type { Values } from '../formula/values-text.js';
import { differential } from '../matrix/differential.js';
import { evaluateMatrix, leafOf } from '../matrix/evaluate.js';
import { isScalarShape, matrixVariables, type MatrixExpr } from '../matrix/expr.js';
import { matrixDerivative, matrixHessian } from '../matrix/jacobian.js';
import { affineGradient, dependsOn, solveAffine, transposeAndAdd, type AffineGradient, type LinearSolution } from '../matrix/linear-stationary.js';
import { simplifyMatrix } from '../matrix/simplify.js';
import { matrixOp } from '../matrix/symbolic.js';
import { useSymmetry } from '../matrix/symmetric.js';
import { valuesOf } from '../matrix/values.js';
import { hattedSubstitutes, matrixText } from '../matrix/write.js';
import { engineHessian, hessianIsConstant } from './hessian-check.js';
import { isPositiveDefinite, largest, minimumNormSolve, solveLinear } from '../ops/linear-solve.js';
import type { MatrixEquation, MatrixStationary } from '../trace/types.js';

/**
 * `stationary: [w]` in a problem file: ∇_w f = 0 solved for w (docs/matrix-calculus.md,
 * "Stationary points"). The symbolic part (the affine gradient, the equation, the formula) is
 * matrix/linear-stationary.ts; here are the numbers: the system Σ c·Rᵀ ⊗ L·vec w = −vec G₀
 * solved by LU, the gradient at the point from the engine, and the constant Hessian's kind.
 * Several variables (a Lagrangian) are solved jointly with the engine's Hessian.
 */

/** The most unknowns solved for: an N×N system a person can follow (docs/limits.md). */
export const MAX_STATIONARY_UNKNOWNS = 400;

const TOLERANCE = 1e-9;

/** Per unknown, the point's rounding relative to its largest element: 16 machine epsilons (2.2e-16 each). */
export const POINT_ROUNDING = 16 * Number.EPSILON;

export interface StationaryInput {
  readonly source: string;
  readonly expr: MatrixExpr;
  readonly names: readonly string[];
  readonly shapes: ByName<readonly number[]>;
  /** The values (null: variables declared without values, formulas only). */
  readonly leaves: ReadonlyMap<string, Tensor> | null;
  readonly symmetric: ReadonlySet<string>;
}

export function stationaryPointOf(input: StationaryInput): MatrixStationary {
  const { source, expr, names, shapes } = input;
  const variables = matrixVariables(expr);
  if (!isScalarShape(expr.shape)) throw new InputError(`stationary: ${source} is not a number, so it has no gradient to set to zero; give a formula whose value is a number`);
  if (names.length === 0) throw new InputError('stationary: name the variables to solve ∇ = 0 for, e.g. stationary: [w]');
  for (const [i, name] of names.entries()) {
    if (!variables.includes(name)) throw new InputError(`stationary: ${name} is not a variable of ${source}; its variables are ${variables.join(', ')}`);
    if (names.indexOf(name) !== i) throw new InputError(`stationary: ${name} is listed twice`);
  }
  const unknowns = names.reduce((total, name) => total + Math.max(1, getByName(shapes, name)!.reduce((p, q) => p * q, 1)), 0);
  if (unknowns > MAX_STATIONARY_UNKNOWNS) throw new InputError(`stationary: ${names.join(', ')} ${names.length === 1 ? 'has' : 'have'} ${unknowns} numbers; ∇ = 0 is then a ${unknowns}×${unknowns} linear system, more than the ${MAX_STATIONARY_UNKNOWNS} unknowns worked here`);
  const gradientsByName = new Map(names.map((name) => {
    const found = matrixDerivative(expr, name, getByName(shapes, name)!);
    return [name, found === null ? null : useSymmetry(found, input.symmetric)] as const;
  }));
  return names.length === 1 ? oneVariable(input, names[0]!, gradientsByName.get(names[0]!) ?? null) : jointly(input, gradientsByName);
}

/**
 * The linear solve runs over all n² entries, so for a variable declared symmetric it would give a
 * point that need not be symmetric (tr(S·S) − 2·tr(S·A) gives Aᵀ, not (A + Aᵀ)/2): refused, with
 * the way that works (docs/matrix-calculus.md). A nonlinear gradient (problem 6's Σ) is only said so.
 */
function refuseSymmetric(input: StationaryInput, names: readonly string[]): void {
  const name = names.find((n) => input.symmetric.has(n));
  if (name === undefined) return;
  throw new InputError(`stationary: ${name} is declared symmetric, and ∇ = 0 over symmetric matrices is not solved here; declare ${name} a general matrix and add + tr(L'*(${name} - ${name}')), stationary: [${name}, L] (problem 7)`);
}

/** No listed variable left in any gradient's differential (and every differential written). */
function isAffineIn(gradients: MatrixExpr | readonly MatrixExpr[], names: readonly string[]): boolean {
  return ([] as MatrixExpr[]).concat(gradients).every((g) => names.every((name) => {
    const { expr: d, unknown } = differential({ ...g, shape: g.shape }, name);
    return !unknown && (d === null || !names.some((other) => dependsOn(simplifyMatrix(d), other)));
  }));
}

/** An equation in the unknowns, which are written with a hat (ŵ): it holds at the point solved for, not at the given values. */
const equationText = (equation: { lhs: MatrixExpr; rhs: MatrixExpr }, names: readonly string[]): MatrixEquation => ({ lhs: matrixText(equation.lhs, hattedSubstitutes(names)), rhs: matrixText(equation.rhs, hattedSubstitutes(names)) });

function symbolicPart(affine: AffineGradient, solved: LinearSolution | null, name: string): Omit<MatrixStationary, 'outcome'> {
  return {
    variables: [name],
    differential: matrixText(affine.differential),
    side: affine.side,
    ...(solved === null ? {} : {
      equation: equationText(solved.equation, [name]),
      ...(solved.reduced === undefined ? {} : { reduced: { ...equationText(solved.reduced, [name]), cancelled: solved.reduced.cancelled.map((factor) => ({ factor: matrixText(factor), inverse: matrixText(inverseOf(factor)), ...(isScalarShape(factor.shape) ? { number: true as const } : {}) })), ...(solved.reduced.ifInvertible ? { ifInvertible: true } : {}) } }),
      matrix: matrixText(solved.matrix),
      ...(isScalarShape(solved.matrix.shape) ? { matrixIsNumber: true as const } : {}),
      formula: { [name]: matrixText(solved.solution) },
      ...meanOf(solved.solution),
    }),
    ...(affine.side === 'both' ? { kronecker: kroneckerText(affine) } : {}),
  };
}

/** A factor at the values: a number not 0, a square matrix that LU finds nonsingular. */
const invertibleAt = (leaves: ReadonlyMap<string, Tensor>) => (factor: MatrixExpr): boolean => noGrad(() => {
  const value = evaluateMatrix(factor, leaves);
  if (value.size === 1) return value.data[0] !== 0 && Number.isFinite(value.data[0]);
  const n = value.shape[0]!;
  return value.shape.length === 2 && value.shape[1] === n && solveLinear(value.data, n, new Float64Array(n)) !== null;
});

/** F⁻¹ as a student writes it: S for S⁻¹, 1/λ for a number. */
const inverseOf = (factor: MatrixExpr): MatrixExpr => (factor.kind === 'op' && factor.op === 'inv' ? factor.args[0]! : isScalarShape(factor.shape) ? matrixOp('div', [{ kind: 'const', value: 1, shape: [] }, factor], {}) : matrixOp('inv', [factor], {}));

/** Xᵀ·1/n with X of n rows (what μ̂ of a normal sample solves to) is the mean of X's rows. */
function meanOf(solution: MatrixExpr): { mean?: string } {
  const [, data, ones, n] = /^([A-Za-z]\w*)'\*ones\((\d+),1\)\/(\d+)$/.exec(matrixText(solution).ascii) ?? [];
  return data !== undefined && ones === n ? { mean: data } : {};
}

function oneVariable(input: StationaryInput, name: string, gradient: MatrixExpr | null): MatrixStationary {
  const shape = getByName(input.shapes, name)!;
  if (gradient === null) return { variables: [name], outcome: 'nonlinear' };
  const affine = affineGradient(gradient, name, shape);
  const constantHessian = hessianIsConstant(input.expr, [name], input.shapes, input.leaves);
  // Affine, but not in a form the collector writes as Σ c·L·v·R (dXᵀ in it): the engine's numbers, no formula.
  if (affine === 'nonlinear' && constantHessian && isAffineIn(gradient, [name])) {
    return input.leaves === null ? { variables: [name], outcome: 'nonlinear', noClosedForm: true } : { ...jointly(input, new Map([[name, gradient]])), noClosedForm: true };
  }
  if (affine === 'nonlinear' || !constantHessian) return { variables: [name], outcome: 'nonlinear' };
  refuseSymmetric(input, [name]);
  if (affine === 'constant') return { variables: [name], outcome: 'singular' };
  const solved = solveAffine(affine, name, shape, input.leaves === null ? undefined : invertibleAt(input.leaves));
  const symbolic = symbolicPart(affine, solved, name);
  const { leaves } = input;
  if (leaves === null) return { ...symbolic, outcome: 'solved' };

  const [rows = 1, columns = 1] = shape;
  const n = rows * columns;
  const system = noGrad(() => kroneckerNumbers(affine, leaves, rows, columns));
  const g0 = noGrad(() => evaluateMatrix(affine.constant, leaves));
  const b = Array.from({ length: n }, (_, k) => -(g0.size === 1 ? g0.data[0]! : g0.data[(k % rows) * columns + Math.floor(k / rows)]!));
  const x = solveLinear(system.flat(), n, b);
  if (x === null) {
    const matrix = solved === null ? symbolic.kronecker! : matrixText(solved.matrix);
    const value = solved === null ? system : noGrad(() => { const m = evaluateMatrix(solved.matrix, leaves); return valuesOf(m.shape, m.data); });
    return { ...symbolic, outcome: 'singular', singular: { matrix, value: value } };
  }
  // vec stacks columns: back to rows.
  const data = Float64Array.from({ length: n }, (_, k) => x[(k % columns) * rows + Math.floor(k / columns)]!);
  const point = new Map(leaves);
  point.set(name, leafOf(shape, data));
  const formulaValue = solved === null ? undefined : noGrad(() => { const v = evaluateMatrix(solved.solution, leaves); return valuesOf(shape, v.size === 1 && n > 1 ? new Float64Array(n).fill(v.data[0]!) : v.data); });
  const hessianFormula = matrixHessian(input.expr, name, shape);
  return {
    ...symbolic,
    outcome: 'solved',
    value: { [name]: valuesOf(shape, data) },
    ...(formulaValue === undefined ? {} : { formulaValue: { [name]: formulaValue } }),
    ...checkAt(input.expr, point, [name], new Map([[name, gradient]]), system),
    hessian: { ...(hessianFormula === null ? {} : { formula: matrixText(useSymmetry(hessianFormula, input.symmetric)) }), value: (n === 1 ? system[0]![0]! : system) as Values, kind: kindOf(system) },
  };
}

/** Σ c·s·(Rᵀ ⊗ L) as numbers: the Jacobian of vec G by vec v (columns stacked), the Hessian of f. */
function kroneckerNumbers(affine: AffineGradient, leaves: ReadonlyMap<string, Tensor>, rows: number, columns: number): number[][] {
  const n = rows * columns;
  const total = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  const numbers = (chain: readonly MatrixExpr[], size: number) => {
    if (chain.length === 0) return Float64Array.from({ length: size * size }, (_, k) => (Math.floor(k / size) === k % size ? 1 : 0));
    const product = evaluateMatrix(chain.slice(1).reduce((p, q) => ({ kind: 'op', op: 'matmul', args: [p, q], attrs: {}, shape: [p.shape[0]!, q.shape[1]!] }), chain[0]!), leaves);
    return Float64Array.from(product.data);
  };
  for (const part of affine.parts) {
    const scale = part.coef * part.scalars.reduce((product, s) => product * evaluateMatrix(s, leaves).data[0]!, 1);
    const l = numbers(part.left, rows);
    const r = numbers(part.right, columns);
    for (let i = 0; i < columns; i++) for (let j = 0; j < columns; j++) for (let p = 0; p < rows; p++) for (let q = 0; q < rows; q++) {
      total[i * rows + p]![j * rows + q]! += scale * r[j * columns + i]! * l[p * rows + q]!;
    }
  }
  return total;
}

/** Σ c·Rᵀ ⊗ L written out (kron(Rᵀ, L) in ascii, as record/matrix-kronecker.ts writes it). */
function kroneckerText(affine: AffineGradient) {
  const chain = (factors: readonly MatrixExpr[], transposed: boolean) => {
    if (factors.length === 0) return null;
    const product = factors.slice(1).reduce((p, q) => ({ kind: 'op', op: 'matmul', args: [p, q], attrs: {}, shape: [p.shape[0]!, q.shape[1]!] }), factors[0]!);
    return simplifyMatrix(transposed ? { kind: 'op', op: 'transpose', args: [product], attrs: { perm: [1, 0] }, shape: [product.shape[1]!, product.shape[0]!] } : product);
  };
  const styles = ['ascii', 'pretty', 'latex'] as const;
  const written = Object.fromEntries(styles.map((style) => [style, affine.parts.map((part, i) => {
    const factor = (x: MatrixExpr | null) => { const t = x === null ? 'I' : matrixText(x)[style]; return /[ ·*+]|\\cdot/.test(t) ? (style === 'latex' ? `\\left(${t}\\right)` : `(${t})`) : t; };
    const [r, l] = [factor(chain(part.right, true)), factor(chain(part.left, false))];
    const kron = style === 'ascii' ? `kron(${r}, ${l})` : `${r} ${style === 'latex' ? '\\otimes' : '⊗'} ${l}`;
    const scalars = part.scalars.map((s) => matrixText(s)[style]);
    const magnitude = Math.abs(part.coef) === 1 ? [] : [String(Math.abs(part.coef))];
    const times = style === 'ascii' ? '*' : '·';
    const body = [...magnitude, ...scalars].length === 0 ? kron : `${[...magnitude, ...scalars].join(times)}${times}(${kron})`;
    const minus = style === 'pretty' ? '−' : '-';
    return i === 0 ? `${part.coef < 0 ? minus : ''}${body}` : ` ${part.coef < 0 ? minus : '+'} ${body}`;
  }).join('')]));
  return written as { ascii: string; pretty: string; latex: string };
}

/**
 * The gradients by `names` at the point (the engine's backward pass), each beside its formula with
 * the unknowns hatted, and the largest |element|: zero up to rounding at a stationary point.
 */
function checkAt(expr: MatrixExpr, point: ReadonlyMap<string, Tensor>, names: readonly string[], formulas: ReadonlyMap<string, MatrixExpr | null>, hessian: readonly (readonly number[])[]): Pick<MatrixStationary, 'residual' | 'residualBound' | 'pointBound' | 'gradientAt'> {
  const output = evaluateMatrix(expr, point);
  const grads = gradients(output, names.map((name) => point.get(name)!));
  const gradientAt: Record<string, { formula?: FormulaText; value: Values }> = {};
  names.forEach((name, i) => {
    const formula = formulas.get(name) ?? null;
    gradientAt[name] = { ...(formula === null ? {} : { formula: matrixText(formula, hattedSubstitutes(names)) }), value: valuesOf(grads[i]!.shape, grads[i]!.data) };
  });
  // The gradient's terms are as large as the numbers and H·point: rounding is relative to them (as problem/check-stationary.ts).
  const numbers = Math.max(1, ...[...point.values()].map((leaf) => largest(leaf.data)));
  const scale = Math.max(numbers, largest(hessian.flat()) * numbers);
  // A linear solve's error is relative to the solution's own size (about cond·ε·‖z‖), not to the data's,
  // so the bound is floating point's own: POINT_ROUNDING·n of the point's largest element (n unknowns).
  // Wider (1e-9) would print a true 0.0005 beside 1e6 as 0; the data's size would zero a point in small units.
  const unknowns = Math.max(1, hessian.length);
  const pointBound = POINT_ROUNDING * unknowns * Math.max(0, ...names.map((name) => largest(point.get(name)!.data)));
  return { residual: grads.reduce((worst, g) => Math.max(worst, largest(g.data)), 0), residualBound: TOLERANCE * scale, pointBound, gradientAt };
}

/** Positive definite (Cholesky succeeds): a minimum; negative definite: a maximum; semidefinite: degenerate; else a saddle. */
function kindOf(hessian: readonly (readonly number[])[]): NonNullable<MatrixStationary['hessian']>['kind'] {
  const n = hessian.length;
  const symmetric = (sign: number, shift: number) => Float64Array.from({ length: n * n }, (_, k) => {
    const [i, j] = [Math.floor(k / n), k % n];
    return sign * (hessian[i]![j]! + hessian[j]![i]!) / 2 + (i === j ? shift : 0);
  });
  const scale = Math.max(1, largest(hessian.flat()));
  if (isPositiveDefinite(symmetric(1, 0), n)) return 'minimum';
  if (isPositiveDefinite(symmetric(-1, 0), n)) return 'maximum';
  if (isPositiveDefinite(symmetric(1, TOLERANCE * scale), n) || isPositiveDefinite(symmetric(-1, TOLERANCE * scale), n)) return 'degenerate';
  return 'saddle';
}

/**
 * Several variables (a Lagrangian's X and Λ): affine in all of them when no gradient's
 * differential has a listed variable left in it. The formula by transpose-and-add where it
 * applies (matrix/linear-stationary.ts); the numbers from the engine's Hessian H of the stacked
 * variables: H·z = H·z₁ − g(z₁), solved for the point z of least norm when H is singular.
 */
function jointly(input: StationaryInput, gradientsByName: ReadonlyMap<string, MatrixExpr | null>): MatrixStationary {
  const { names, shapes, expr } = input;
  const known = [...gradientsByName].every(([, g]) => g !== null);
  const affine = known && isAffineIn([...gradientsByName.values()] as MatrixExpr[], names) && hessianIsConstant(expr, names, shapes, input.leaves);
  // Not linear together (problem 6's μ and Σ): each variable alone, the others held at their values.
  if (!affine) return { variables: names, outcome: 'nonlinear', separately: names.map((name) => oneVariable(input, name, gradientsByName.get(name) ?? null)) };
  refuseSymmetric(input, names);
  const shapeMap = new Map(names.map((name) => [name, getByName(shapes, name)!]));
  const found = transposeAndAdd(gradientsByName as ReadonlyMap<string, MatrixExpr>, shapeMap);
  const symbolic: Omit<MatrixStationary, 'outcome'> = {
    variables: names,
    ...(found === null ? {} : {
      transposeAndAdd: {
        multiplier: found.multiplier,
        variable: found.variable,
        constraint: matrixText(gradientsByName.get(found.multiplier)!, hattedSubstitutes(names)),
        gradient: matrixText(gradientsByName.get(found.variable)!, hattedSubstitutes(names)),
        sum: matrixText(found.sum, hattedSubstitutes(names)),
        symmetric: matrixText(found.symmetric, hattedSubstitutes(names)),
        equation: equationText(found.solved.equation, names),
      },
      formula: { [found.variable]: matrixText(found.solved.solution) },
    }),
  };
  const { leaves } = input;
  if (leaves === null) return { ...symbolic, outcome: 'solved' };

  const leafList = names.map((name) => leaves.get(name)!);
  const sizes = leafList.map((leaf) => leaf.size);
  const n = sizes.reduce((p, q) => p + q, 0);
  const hessian = engineHessian(expr, leaves, names);
  const z1 = leafList.flatMap((leaf) => Array.from(leaf.data));
  const g1 = gradients(evaluateMatrix(expr, leaves), leafList).flatMap((g) => Array.from(g.data));
  const b = hessian.map((row, i) => row.reduce((sum, h, j) => sum + h * z1[j]!, 0) - g1[i]!);
  const solvedExactly = solveLinear(hessian.flat(), n, b);
  const { x, rank, fixed } = solvedExactly === null ? minimumNormSolve(hessian.flat(), n, n, b) : { x: solvedExactly, rank: n, fixed: new Array<boolean>(n).fill(true) };
  const scale = Math.max(1, largest(b), largest(hessian.flat()));
  const left = hessian.map((row, i) => Math.abs(row.reduce((sum, h, j) => sum + h * x[j]!, 0) - b[i]!));
  if (left.some((r) => r > TOLERANCE * scale * n)) return { ...symbolic, outcome: 'inconsistent', rank, unknowns: n };

  const point = new Map(leaves);
  const value: Record<string, Values> = {};
  let offset = 0;
  const notFixed: string[] = [];
  names.forEach((name, i) => {
    const data = Float64Array.from(x.subarray(offset, offset + sizes[i]!));
    if (fixed.slice(offset, offset + sizes[i]!).some((f) => !f)) notFixed.push(name);
    offset += sizes[i]!;
    point.set(name, leafOf(getByName(shapes, name)!, data));
    value[name] = valuesOf(getByName(shapes, name)!, data);
  });
  const formulaValue = found === null ? undefined : { [found.variable]: noGrad(() => { const v = evaluateMatrix(found.solved.solution, leaves); return valuesOf(getByName(shapes, found.variable)!, v.data); }) };
  return {
    ...symbolic,
    outcome: 'solved',
    value,
    ...(formulaValue === undefined ? {} : { formulaValue }),
    ...checkAt(expr, point, names, gradientsByName, hessian),
    hessian: { value: hessian as Values, kind: kindOf(hessian) },
    ...(rank < n ? { rank, unknowns: n, notFixed } : {}),
  };
}

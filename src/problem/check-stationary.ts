import { gradients } from '../autograd/functional.js';
import { noGrad } from '../autograd/grad-mode.js';
import { byName, getByName } from '../by-name.js';
import { InputError } from '../errors.js';
import { evaluateMatrix, leafOf } from '../matrix/evaluate.js';
import { isScalarShape } from '../matrix/expr.js';
import { parseMatrixFormula } from '../matrix/parse.js';
import { resolveMatrixFormula } from '../matrix/resolve.js';
import { valuesOf } from '../matrix/values.js';
import type { AnswerCheck, MatrixTrace } from '../trace/types.js';

/** A gradient element this small (relative to the numbers around) is zero. */
const TOLERANCE = 1e-9;

/**
 * `answers: { stationary: { X: "(A + A')/2" } }`: a stationary point given as formulas of the
 * other variables (docs/matrix-calculus.md, "Stationary points"). Each listed variable is given
 * its formula's value at the problem's point (all formulas read the problem's values), and then
 * the gradient by every listed variable must be zero there. One check per variable.
 */
export function checkStationary(trace: MatrixTrace, given: Record<string, unknown>): AnswerCheck[] {
  const names = Object.keys(given);
  if (names.length === 0) return [];
  if (trace.value === null || !isScalarShape(trace.shape)) throw new InputError('answers: stationary needs values of the variables (at:) and a formula whose value is a number');
  const shapes = byName(trace.variables.map((v) => [v, getByName(trace.shapes, v)!] as const));
  const at = new Map(trace.variables.map((v) => [v, leafOf(getByName(shapes, v)!, Float64Array.from([getByName(trace.at, v)!].flat(2) as number[]))]));
  const point = new Map(at);
  for (const name of names) {
    const formula = String(given[name]);
    let resolved;
    try {
      resolved = resolveMatrixFormula(formula, parseMatrixFormula(formula), shapes);
    } catch (error) {
      if (error instanceof InputError) throw new InputError(`answers: stationary.${name}: ${error.message}`);
      throw error;
    }
    if (resolved.shape.join() !== getByName(shapes, name)!.join() && !(isScalarShape(resolved.shape) && isScalarShape(getByName(shapes, name)!))) {
      throw new InputError(`answers: stationary.${name}: ${formula} has the shape ${resolved.shape.join('×')}, but ${name} is ${getByName(shapes, name)!.join('×')}`);
    }
    const value = noGrad(() => evaluateMatrix(resolved, at));
    point.set(name, leafOf(getByName(shapes, name)!, Float64Array.from(value.data)));
  }
  const problem = resolveMatrixFormula(trace.expression, parseMatrixFormula(trace.expression), shapes);
  const output = evaluateMatrix(problem, point);
  const leaves = names.map((name) => point.get(name)!);
  const grads = gradients(output, leaves);
  const scale = Math.max(1, ...[...point.values()].flatMap((leaf) => Array.from(leaf.data, Math.abs)));
  return names.map((name, i) => {
    const g = grads[i]!;
    const zero = Array.from(g.data).every((v) => Math.abs(v) <= TOLERANCE * scale);
    return {
      path: `stationary.${name}`,
      label: { pretty: `∇_${name} f = 0`, latex: `\\nabla_{${name}} f = 0` },
      given: String(given[name]),
      expected: valuesOf(g.shape, g.data),
      verdict: zero ? 'right' : 'wrong',
    };
  });
}

import { gradients, jacobianRows } from '../autograd/functional.js';
import type { Tensor } from '../autograd/tensor.js';
import { getByName, type ByName } from '../by-name.js';
import { evaluateMatrix, leafOf } from '../matrix/evaluate.js';
import { matrixVariables, type MatrixExpr } from '../matrix/expr.js';
import { largest } from '../ops/linear-solve.js';
import { Random } from '../tensor/random.js';

/** How far apart two Hessians of an affine gradient may be: rounding, relative to their largest entry. */
const AGREEMENT = 1e-7;

/** The engine's Hessian of f by the stacked variables `names` (second backward pass), at `leaves`. */
export function engineHessian(expr: MatrixExpr, leaves: ReadonlyMap<string, Tensor>, names: readonly string[]): number[][] {
  const leafList = names.map((name) => leaves.get(name)!);
  const first = gradients(evaluateMatrix(expr, leaves), leafList, { createGraph: true });
  return first.flatMap((g) => {
    const rows = jacobianRows(g, leafList);
    return Array.from({ length: g.size }, (_, k) => rows.flatMap((perInput) => perInput[k]!));
  });
}

/**
 * A numeric guard behind "the gradient is affine, the Hessian constant": the engine's Hessian at
 * two different random points of `names` (the other variables at their values, or at the same
 * random ones) must agree. False when they differ; true when they agree or cannot be compared
 * (a function undefined at a random point), so the symbolic claim then stands alone.
 */
export function hessianIsConstant(expr: MatrixExpr, names: readonly string[], shapes: ByName<readonly number[]>, given: ReadonlyMap<string, Tensor> | null): boolean {
  const random = new Random(18);
  // Positive numbers keep ln and √ of a variable defined at the random points.
  const draw = (name: string) => {
    const shape = getByName(shapes, name)!;
    return leafOf(shape, Float64Array.from({ length: shape.reduce((p, q) => p * q, 1) }, () => random.uniform(0.5, 2)));
  };
  const base = new Map(matrixVariables(expr).map((name) => [name, given?.get(name) ?? draw(name)] as const));
  const at = () => engineHessian(expr, new Map([...base, ...names.map((name) => [name, draw(name)] as const)]), names);
  const [first, second] = [at(), at()];
  const all = [...first.flat(), ...second.flat()];
  if (!all.every(Number.isFinite)) return true;
  const scale = Math.max(1, largest(all));
  return first.every((row, i) => row.every((h, j) => Math.abs(h - second[i]![j]!) <= AGREEMENT * scale));
}

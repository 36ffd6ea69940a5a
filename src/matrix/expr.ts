import type { OpAttrs, OpName } from '../ops/types.js';

/**
 * A matrix formula with its shapes known: registry ops on variables and numbers. Shapes are the
 * registry's: [rows, cols] for a matrix, [n, 1] for a (column) vector, [] or [1, 1] for a number.
 * The same type is what the symbolic derivatives build (matrix/symbolic.ts).
 */
export type MatrixExpr =
  /** `differentialOf`: the differential dX of the variable X (written d in upright type in LaTeX). */
  | { readonly kind: 'var'; readonly name: string; readonly shape: readonly number[]; readonly differentialOf?: string }
  | { readonly kind: 'const'; readonly value: number; readonly shape: readonly number[] }
  | { readonly kind: 'op'; readonly op: OpName; readonly args: readonly MatrixExpr[]; readonly attrs: OpAttrs[OpName]; readonly shape: readonly number[] };

/** A number (0-d or 1×1): what commutes with every factor of a product. */
export const isScalarShape = (shape: readonly number[]): boolean => shape.every((extent) => extent === 1);

export const isScalar = (x: MatrixExpr): boolean => isScalarShape(x.shape);

/** rows×cols as a teacher writes it under a factor: [n×1] is written 2×1 for n = 2. */
export function shapeText(shape: readonly number[]): string {
  if (shape.length === 0) return '1×1';
  if (shape.length === 1) return `${shape[0]!}×1`;
  return `${shape[0]!}×${shape[1]!}`;
}

/** The variables of a formula in order of first appearance. */
export function matrixVariables(expr: MatrixExpr): string[] {
  const seen: string[] = [];
  const visit = (x: MatrixExpr): void => {
    if (x.kind === 'var') {
      if (!seen.includes(x.name)) seen.push(x.name);
    } else if (x.kind === 'op') x.args.forEach(visit);
  };
  visit(expr);
  return seen;
}

/** diag(v) of a column vector v, a diagonal (so symmetric) matrix: v, or null (diag of a matrix is its diagonal, a vector). */
export function diagonalOf(x: MatrixExpr): MatrixExpr | null {
  if (x.kind !== 'op' || x.op !== 'diag') return null;
  const [v] = x.args;
  return v!.shape.length === 2 && v!.shape[1] === 1 && v!.shape[0]! > 1 ? v! : null;
}

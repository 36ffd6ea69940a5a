import { eliminateBelow, largestBelow, swapRows } from './lu.js';

/**
 * Linear systems on plain numbers for the stationary points of docs/matrix-calculus.md: A·x = b
 * by LU with partial pivoting, the Cholesky test of definiteness, and the minimum-norm solution
 * of a consistent rank-deficient system. Matrices are stored row by row, in float64.
 */

/** A pivot this small relative to the largest entry counts as zero: the matrix is singular to working precision. */
const SINGULAR = 1e-12;

/** The largest |element|, by a loop (spreading 160,000 numbers into Math.max overflows the stack). */
export const largest = (a: ArrayLike<number>): number => Array.from(a).reduce((m, v) => Math.max(m, Math.abs(v)), 0);

/** x with A·x = b for the n×n A (LU with partial pivoting), or null when A is singular. */
export function solveLinear(a: ArrayLike<number>, n: number, b: ArrayLike<number>): Float64Array | null {
  const lu = Float64Array.from(a);
  const x = Float64Array.from(b);
  const tiny = SINGULAR * Math.max(largest(lu), Number.MIN_VALUE);
  for (let col = 0; col < n; col++) {
    const pivotRow = largestBelow(lu, n, col);
    if (!(Math.abs(lu[pivotRow * n + col]!) > tiny)) return null;
    swapRows(lu, n, pivotRow, col);
    [x[col], x[pivotRow]] = [x[pivotRow]!, x[col]!];
    eliminateBelow(lu, n, col, x);
  }
  for (let row = n - 1; row >= 0; row--) {
    let sum = x[row]!;
    for (let k = row + 1; k < n; k++) sum -= lu[row * n + k]! * x[k]!;
    x[row] = sum / lu[row * n + row]!;
  }
  return x;
}

/** Whether the symmetric n×n A is positive definite: its Cholesky factorisation A = L·Lᵀ exists (every pivot positive). */
export function isPositiveDefinite(a: ArrayLike<number>, n: number): boolean {
  const l = new Float64Array(n * n);
  const tiny = SINGULAR * Math.max(largest(a), Number.MIN_VALUE);
  for (let j = 0; j < n; j++) {
    let diagonal = a[j * n + j]!;
    for (let k = 0; k < j; k++) diagonal -= l[j * n + k]! ** 2;
    if (!(diagonal > tiny)) return false;
    l[j * n + j] = Math.sqrt(diagonal);
    for (let i = j + 1; i < n; i++) {
      let sum = a[i * n + j]!;
      for (let k = 0; k < j; k++) sum -= l[i * n + k]! * l[j * n + k]!;
      l[i * n + j] = sum / l[j * n + j]!;
    }
  }
  return true;
}

/**
 * The x of least norm with A·x = b for a rows×columns A of any rank: the independent rows B of A
 * (Gram–Schmidt, in order) give x = Bᵀ·(B·Bᵀ)⁻¹·b_B, which lies in A's row space and so has
 * no part A cannot see. `rank` is the number of independent rows; `fixed` says which unknowns
 * every solution shares (the rest move along the null space). The caller checks A·x = b:
 * an inconsistent system has no solution, and this x then leaves a residual.
 */
export function minimumNormSolve(a: ArrayLike<number>, rows: number, columns: number, b: ArrayLike<number>): { readonly x: Float64Array; readonly rank: number; readonly fixed: readonly boolean[] } {
  const tiny = SINGULAR * Math.max(largest(a), Number.MIN_VALUE) * Math.sqrt(columns);
  const basis: Float64Array[] = [];
  const kept: number[] = [];
  for (let i = 0; i < rows; i++) {
    const row = Float64Array.from({ length: columns }, (_, j) => a[i * columns + j]!);
    const rest = Float64Array.from(row);
    for (const q of basis) {
      const dot = rest.reduce((s, v, j) => s + v * q[j]!, 0);
      for (let j = 0; j < columns; j++) rest[j] = rest[j]! - dot * q[j]!;
    }
    const norm = Math.sqrt(rest.reduce((sum, v) => sum + v * v, 0));
    if (!(norm > tiny)) continue;
    basis.push(rest.map((v) => v / norm));
    kept.push(i);
  }
  const r = kept.length;
  const gram = new Float64Array(r * r);
  for (let p = 0; p < r; p++) for (let q = 0; q < r; q++) {
    let dot = 0;
    for (let j = 0; j < columns; j++) dot += a[kept[p]! * columns + j]! * a[kept[q]! * columns + j]!;
    gram[p * r + q] = dot;
  }
  const y = r === 0 ? new Float64Array(0) : solveLinear(gram, r, kept.map((i) => b[i]!)) ?? new Float64Array(r);
  const x = new Float64Array(columns);
  kept.forEach((i, p) => {
    for (let j = 0; j < columns; j++) x[j] = x[j]! + a[i * columns + j]! * y[p]!;
  });
  // An unknown is fixed when its unit vector lies in the row space: its squared projection on the basis is 1.
  const fixed = Array.from({ length: columns }, (_, j) => basis.reduce((sum, q) => sum + q[j]! ** 2, 0) > 1 - 1e-9);
  return { x, rank: r, fixed };
}

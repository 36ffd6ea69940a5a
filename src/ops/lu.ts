import type { Storage } from '../tensor/dtype.js';

/**
 * Square-matrix routines on plain numbers for det and inv: Gaussian elimination with partial
 * pivoting (the row with the largest pivot goes up), in float64 whatever the storage.
 */

/** det A of the n×n matrix stored row by row in `a`: ± the product of the LU pivots. */
export function determinant(a: Storage, n: number): number {
  const lu = Float64Array.from(a);
  let det = 1;
  for (let col = 0; col < n; col++) {
    const pivotRow = largestBelow(lu, n, col);
    if (lu[pivotRow * n + col] === 0) return 0;
    if (pivotRow !== col) {
      swapRows(lu, n, pivotRow, col);
      det = -det;
    }
    det *= lu[col * n + col]!;
    eliminateBelow(lu, n, col);
  }
  return det;
}

/**
 * One step of the elimination: subtract multiples of row `col` from the rows below it, so that
 * column `col` is zero under its pivot; `rhs`, if given, takes the same row operations.
 */
export function eliminateBelow(lu: Float64Array, n: number, col: number, rhs?: Float64Array): void {
  const pivot = lu[col * n + col]!;
  for (let row = col + 1; row < n; row++) {
    const factor = lu[row * n + col]! / pivot;
    if (factor === 0) continue;
    for (let k = col; k < n; k++) lu[row * n + k] = lu[row * n + k]! - factor * lu[col * n + k]!;
    if (rhs !== undefined) rhs[row] = rhs[row]! - factor * rhs[col]!;
  }
}

/**
 * A⁻¹ into `out` by Gauss–Jordan elimination; a singular A (a zero pivot) gives NaN in every
 * element, as 0/0 does for numbers: the recorder names the singular matrix before anyone sees it.
 */
export function inverse(a: Storage, n: number, out: Storage): void {
  const work = Float64Array.from(a);
  const inv = new Float64Array(n * n);
  for (let i = 0; i < n; i++) inv[i * n + i] = 1;
  for (let col = 0; col < n; col++) {
    const pivotRow = largestBelow(work, n, col);
    if (work[pivotRow * n + col] === 0) {
      out.fill(NaN);
      return;
    }
    swapRows(work, n, pivotRow, col);
    swapRows(inv, n, pivotRow, col);
    const pivot = work[col * n + col]!;
    for (let k = 0; k < n; k++) {
      work[col * n + k] = work[col * n + k]! / pivot;
      inv[col * n + k] = inv[col * n + k]! / pivot;
    }
    for (let row = 0; row < n; row++) {
      const factor = work[row * n + col]!;
      if (row === col || factor === 0) continue;
      for (let k = 0; k < n; k++) {
        work[row * n + k] = work[row * n + k]! - factor * work[col * n + k]!;
        inv[row * n + k] = inv[row * n + k]! - factor * inv[col * n + k]!;
      }
    }
  }
  out.set(inv);
}

export function largestBelow(m: Float64Array, n: number, col: number): number {
  let best = col;
  for (let row = col + 1; row < n; row++) if (Math.abs(m[row * n + col]!) > Math.abs(m[best * n + col]!)) best = row;
  return best;
}

export function swapRows(m: Float64Array, n: number, p: number, q: number): void {
  if (p === q) return;
  for (let k = 0; k < n; k++) {
    const held = m[p * n + k]!;
    m[p * n + k] = m[q * n + k]!;
    m[q * n + k] = held;
  }
}

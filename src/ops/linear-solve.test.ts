import { describe, expect, it } from 'vitest';
import { Random } from '../tensor/random.js';
import { isPositiveDefinite, minimumNormSolve, solveLinear } from './linear-solve.js';

const times = (a: readonly number[], rows: number, columns: number, x: ArrayLike<number>) =>
  Array.from({ length: rows }, (_, i) => Array.from({ length: columns }, (__, j) => a[i * columns + j]! * x[j]!).reduce((p, q) => p + q, 0));

describe('linear systems for stationary points (ops/linear-solve.ts)', () => {
  it('solveLinear gives A·x = b for random A, and needs pivoting for a zero in the corner', () => {
    const random = new Random(3);
    for (const n of [1, 2, 5, 9]) {
      const a = Array.from({ length: n * n }, () => random.uniform(-2, 2));
      const b = Array.from({ length: n }, () => random.uniform(-2, 2));
      const x = solveLinear(a, n, b)!;
      times(a, n, n, x).forEach((v, i) => expect(v).toBeCloseTo(b[i]!, 10));
    }
    expect(Array.from(solveLinear([0, 1, 1, 0], 2, [2, 3])!)).toEqual([3, 2]);
  });

  it('solveLinear says a singular matrix is singular (null), also when rounding leaves a tiny pivot', () => {
    expect(solveLinear([1, 2, 2, 4], 2, [1, 1])).toBeNull();
    expect(solveLinear([0.1, 0.2, 0.3, 0.6], 2, [1, 1])).toBeNull();
    expect(solveLinear([0], 1, [1])).toBeNull();
  });

  it('isPositiveDefinite: Cholesky succeeds for B·Bᵀ + I, fails for an indefinite or a semidefinite matrix', () => {
    expect(isPositiveDefinite([2, 1, 1, 2], 2)).toBe(true);
    expect(isPositiveDefinite([1, 2, 2, 1], 2)).toBe(false);
    expect(isPositiveDefinite([1, 1, 1, 1], 2)).toBe(false);
    expect(isPositiveDefinite([-2, 0, 0, -1], 2)).toBe(false);
  });

  it('minimumNormSolve: a consistent rank-deficient system gets its solution of least norm, and the unknowns it does not fix are named', () => {
    // x + y = 2 (twice) and z = 1: the least-norm solution is (1, 1, 1); x and y move along (1, −1, 0).
    const { x, rank, fixed } = minimumNormSolve([1, 1, 0, 1, 1, 0, 0, 0, 1], 3, 3, [2, 2, 1]);
    expect(rank).toBe(2);
    Array.from(x).forEach((v) => expect(v).toBeCloseTo(1, 12));
    expect(fixed).toEqual([false, false, true]);
    // A full-rank system: the one solution.
    const full = minimumNormSolve([2, 0, 0, 4], 2, 2, [2, 2]);
    expect(Array.from(full.x)).toEqual([1, 0.5]);
    expect(full.fixed).toEqual([true, true]);
  });
});

import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { scalar, tensor, zeros } from './create.js';

describe('a tensor printed', () => {
  it('shows its values row by row, its shape, dtype and gradient, as PyTorch lays them out', () => {
    const x = tensor([[1, 2], [3, 4]]).requireGrad();
    expect(String(x)).toBe('tensor([[1, 2],\n        [3, 4]], shape=[2, 2], dtype=float64, requiresGrad=true)');
    // d(Σ x²)/dx = 2x.
    x.mul(x).sum().backward();
    expect(String(x)).toBe(
      'tensor([[1, 2],\n        [3, 4]], shape=[2, 2], dtype=float64, requiresGrad=true,\n       grad=[[2, 4],\n             [6, 8]])',
    );
  });

  it('a scalar result says which op made it, and its leaf the number the gradient is', () => {
    const s = scalar(3).requireGrad();
    const y = s.mul(s);
    y.backward();
    expect(String(y)).toBe('tensor(9, shape=[], dtype=float64, op=mul)');
    // d(s²)/ds = 2s = 6: a number, not a tensor's internals.
    expect(String(s)).toBe('tensor(3, shape=[], dtype=float64, requiresGrad=true, grad=6)');
  });

  it('writes every number of a tensor in one format, right-aligned, and names NaN and infinities', () => {
    expect(String(tensor([3.5, -1, 2]))).toBe('tensor([ 3.5000, -1.0000,  2.0000], shape=[3], dtype=float64)');
    expect(String(tensor([1e-5, 1, NaN, -Infinity], { dtype: 'float32' }))).toBe('tensor([1.0000e-05, 1.0000e+00,        nan,       -inf], shape=[4], dtype=float32)');
  });

  it('summarises past 1000 elements: the first and last three along each axis', () => {
    const big = tensor(Array.from({ length: 2000 }, (_, i) => i));
    expect(String(big)).toBe('tensor([   0,    1,    2, ..., 1997, 1998, 1999], shape=[2000], dtype=float64)');
    const lines = String(zeros([40, 40])).split('\n');
    expect(lines).toHaveLength(7);
    expect(lines[3]).toBe('        ...,');
    expect(lines[0]).toBe('tensor([[0, 0, 0, ..., 0, 0, 0],');
  });

  it('leaves a blank line between the blocks of a 3-d tensor', () => {
    expect(String(zeros([2, 1, 2]))).toBe('tensor([[[0, 0]],\n\n        [[0, 0]]], shape=[2, 1, 2], dtype=float64)');
  });

  it('console.log and util.inspect print the same text, never the fields', () => {
    const y = scalar(2).mul(scalar(5));
    expect(inspect(y)).toBe(String(y));
    expect(inspect({ loss: y })).toContain('tensor(10, shape=[], dtype=float64');
    expect(inspect(y)).not.toMatch(/storage|slot|Float64Array/);
  });
});

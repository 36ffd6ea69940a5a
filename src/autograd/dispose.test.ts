import { describe, expect, it } from 'vitest';
import { AutogradError } from '../errors.js';
import { MIN_POOLED_BYTES, pooledStorageBytes } from '../tensor/storage-pool.js';
import { add, matmul, mul, reshape, sum } from './api.js';
import { full, tensor } from './create.js';
import { Tensor } from './tensor.js';

/** Tensor.dispose(): the memory goes to the next result of its dtype and size, and the tensor is unusable after. */

const N = 64; // a 64×64 float64 result is 32 KiB: big enough to be pooled
const BYTES = N * N * 8;

/** A 64×64 matrix of 0, 1, …, 4095: every element different, so a stale value would show. */
function counting(): ReturnType<typeof tensor> {
  return tensor(Float64Array.from({ length: N * N }, (_, i) => i), { shape: [N, N] });
}

function disposedError(run: () => unknown): AutogradError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(AutogradError);
    expect((error as Error).message).toContain('was disposed');
    return error as AutogradError;
  }
  throw new Error('expected an AutogradError, but nothing was thrown');
}

describe('dispose()', () => {
  it('hands a disposed result\'s memory to the next result of its size, zeroed and computed afresh', () => {
    expect(BYTES).toBeGreaterThanOrEqual(MIN_POOLED_BYTES);
    const x = counting();
    const doubled = mul(x, 2);
    const before = pooledStorageBytes();
    doubled.dispose();
    expect(pooledStorageBytes()).toBe(before + BYTES);
    const plusOne = add(x, 1);
    expect(pooledStorageBytes()).toBe(before);
    expect(Array.from(plusOne.data.subarray(0, 3))).toEqual([1, 2, 3]);
    expect(plusOne.data[N * N - 1]).toBe(N * N);
  });

  it('gives matmul the memory of the product disposed before it, with the right values', () => {
    const a = full([N, N], 2, 'float32');
    const b = full([N, N], 3, 'float32');
    matmul(a, b).dispose();
    const before = pooledStorageBytes();
    const product = matmul(a, b);
    expect(pooledStorageBytes()).toBe(before - N * N * 4);
    expect(product.data.every((value) => value === 2 * 3 * N)).toBe(true);
  });

  it('empties an array taken from data before, so it cannot show the next tensor\'s values', () => {
    const y = mul(counting(), 2);
    const taken = y.data;
    y.dispose();
    expect(taken.length).toBe(0);
  });

  it('makes every later use of the tensor throw, naming its shape and, when recorded, its op', () => {
    const y = mul(counting(), 2);
    y.dispose();
    expect(disposedError(() => y.data).message).toBe('data: tensor of shape [64, 64] was disposed: use it before dispose(), or dispose it only once nothing needs it');
    const recorded = mul(counting().requireGrad(), 2);
    recorded.dispose();
    expect(disposedError(() => recorded.data).message).toContain('tensor of shape [64, 64] made by mul was disposed');
    disposedError(() => add(y, 1));
    disposedError(() => y.detach());
    const scalarResult = sum(counting());
    scalarResult.dispose();
    disposedError(() => scalarResult.item());
    expect(String(y)).toBe('tensor(disposed, shape=[64, 64], dtype=float64)');
    expect(y.isDisposed).toBe(true);
  });

  it('fails a backward pass that needs a tensor disposed after the forward pass', () => {
    const w = counting().requireGrad();
    const c = mul(counting(), 0.5);
    const loss = sum(mul(w, c));
    c.dispose();
    disposedError(() => loss.backward());
  });

  it('keeps the values of a reshape or a detach() that shares the memory, and does not reuse it', () => {
    const y = mul(counting(), 2);
    const flat = reshape(y, [N * N]);
    const copy = y.detach();
    const before = pooledStorageBytes();
    y.dispose();
    expect(pooledStorageBytes()).toBe(before);
    mul(counting(), 3); // would take y's memory, were it pooled
    expect(flat.data[5]).toBe(10);
    expect(copy.data[N * N - 1]).toBe(2 * (N * N - 1));
    const alone = mul(counting(), 2);
    const view = reshape(alone, [N * N]);
    view.dispose();
    expect(pooledStorageBytes()).toBe(before);
    expect(alone.data[7]).toBe(14);
  });

  it('keeps small arrays out of the pool, and only a few of one size', () => {
    const before = pooledStorageBytes();
    tensor([1, 2, 3]).dispose();
    expect(pooledStorageBytes()).toBe(before);
    const many = Array.from({ length: 10 }, () => mul(counting(), 1));
    for (const t of many) t.dispose();
    expect(pooledStorageBytes() - before).toBeLessThanOrEqual(4 * BYTES);
    expect(pooledStorageBytes() - before).toBeGreaterThan(0);
  });

  it('does nothing the second time', () => {
    const y = mul(counting(), 2);
    y.dispose();
    const before = pooledStorageBytes();
    y.dispose();
    expect(pooledStorageBytes()).toBe(before);
  });

  it('a disposed shared constant is not handed out again', () => {
    Tensor.constant(2).dispose();
    expect(Array.from(mul(tensor([1, 2, 3]), 2).data)).toEqual([2, 4, 6]);
    expect(Tensor.constant(2).isDisposed).toBe(false);
  });
});

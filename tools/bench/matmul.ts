import * as tf from '@tensorflow/tfjs';
import { matmul } from '../../src/autograd/api.js';
import { tensor } from '../../src/autograd/create.js';
import type { DType } from '../../src/tensor/dtype.js';
import { setBackend } from '../../src/kernels/active.js';
import type { Backend } from '../../src/kernels/backend.js';
import type { Contender } from './measure.js';

/** (c) C = A·B of two n×n matrices, no gradients; work is counted as 2n³ floating-point operations. */

function randomMatrix(n: number, seed: number): Float32Array {
  let state = seed >>> 0;
  return Float32Array.from({ length: n * n }, () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32 - 0.5;
  });
}

export function flopsOf(n: number): number {
  return 2 * n ** 3;
}

interface Inputs {
  readonly n: number;
  readonly a: Float32Array;
  readonly b: Float32Array;
}

export function matmulInputs(n: number): Inputs {
  return { n, a: randomMatrix(n, 1), b: randomMatrix(n, 2) };
}

/**
 * mashagrad's matmul on one backend (made active before every run, so contenders can alternate);
 * `label` tells apart two of one name. Each product is disposed once made, as TF.js's contender
 * disposes its own and NumPy's reference count frees its result: the next product then reuses
 * the memory while it is in cache, instead of memory new to the process (docs/performance.md).
 */
export function mashagradMatmul({ n, a, b }: Inputs, dtype: DType, on: Backend, label: string = on.name): Contender & { product(): Float32Array | Float64Array } {
  const left = tensor(a, { shape: [n, n], dtype });
  const right = tensor(b, { shape: [n, n], dtype });
  return {
    name: `mashagrad ${label} ${dtype} ${n}`,
    run: () => {
      setBackend(on);
      matmul(left, right).dispose();
      return flopsOf(n);
    },
    product: () => {
      setBackend(on);
      return matmul(left, right).data;
    },
  };
}

/**
 * The backend's kernel alone: one result array, reused by every run (the tensor API allocates a
 * fresh one per product). Shows what the kernel does apart from the allocation.
 */
export function reusedResultMatmul({ n, a, b }: Inputs, dtype: DType, on: Backend): Contender {
  const left = dtype === 'float32' ? a : Float64Array.from(a);
  const right = dtype === 'float32' ? b : Float64Array.from(b);
  const out = dtype === 'float32' ? new Float32Array(n * n) : new Float64Array(n * n);
  const dims = { batch: 1, m: n, k: n, n, aBatchStride: 0, bBatchStride: 0 };
  return {
    name: `mashagrad ${on.name} ${dtype} ${n}, result reused`,
    run: () => {
      on.matmul(left, right, out, dims);
      return flopsOf(n);
    },
  };
}

export type TfBackendName = 'cpu' | 'wasm';

/**
 * Make a TF.js backend active. tf.setBackend is async, but for a backend that has finished
 * initialising (main.ts awaits each once) it switches before its first await, so this is synchronous.
 */
export function useTfBackend(name: TfBackendName): void {
  void tf.setBackend(name);
  if (tf.getBackend() !== name) throw new Error(`TF.js backend ${name} is not initialised`);
}

export function tfjsMatmul({ n, a, b }: Inputs, on: TfBackendName): Contender & { product(): Float32Array; dispose(): void } {
  useTfBackend(on);
  const left = tf.tensor2d(a, [n, n], 'float32');
  const right = tf.tensor2d(b, [n, n], 'float32');
  return {
    name: `TF.js ${on} float32 ${n}`,
    run: () => {
      useTfBackend(on);
      const product = tf.matMul(left, right);
      product.dataSync();
      product.dispose();
      return flopsOf(n);
    },
    product: () => {
      useTfBackend(on);
      const product = tf.matMul(left, right);
      const values = product.dataSync() as Float32Array;
      product.dispose();
      return values;
    },
    dispose: () => {
      useTfBackend(on);
      left.dispose();
      right.dispose();
    },
  };
}

/** The products must agree up to float32 rounding of n-term sums. */
export function checkProducts(n: number, ours: ArrayLike<number>, theirs: ArrayLike<number>): void {
  let worst = 0;
  for (let i = 0; i < ours.length; i++) worst = Math.max(worst, Math.abs(ours[i]! - theirs[i]!));
  if (!(worst <= 1e-5 * n)) throw new Error(`matmul ${n}: mashagrad and TF.js differ by up to ${worst}`);
}

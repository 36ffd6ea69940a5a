import * as tf from '@tensorflow/tfjs';
import { matmul } from '../../src/autograd/api.js';
import { tensor } from '../../src/autograd/create.js';
import type { DType } from '../../src/tensor/dtype.js';
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

export function mashagradMatmul({ n, a, b }: Inputs, dtype: DType): Contender & { product(): Float32Array | Float64Array } {
  const left = tensor(a, { shape: [n, n], dtype });
  const right = tensor(b, { shape: [n, n], dtype });
  return {
    name: `mashagrad ${dtype} ${n}`,
    run: () => {
      matmul(left, right);
      return flopsOf(n);
    },
    product: () => matmul(left, right).data,
  };
}

export function tfjsMatmul({ n, a, b }: Inputs): Contender & { product(): Float32Array; dispose(): void } {
  const left = tf.tensor2d(a, [n, n], 'float32');
  const right = tf.tensor2d(b, [n, n], 'float32');
  return {
    name: `TF.js float32 ${n}`,
    run: () => {
      const product = tf.matMul(left, right);
      product.dataSync();
      product.dispose();
      return flopsOf(n);
    },
    product: () => {
      const product = tf.matMul(left, right);
      const values = product.dataSync() as Float32Array;
      product.dispose();
      return values;
    },
    dispose: () => {
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

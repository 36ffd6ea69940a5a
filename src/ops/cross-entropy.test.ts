import { describe, expect, it } from 'vitest';
import * as api from '../autograd/api.js';
import { tensor } from '../autograd/create.js';
import { gradients } from '../autograd/functional.js';
import { ShapeError } from '../errors.js';
import { symbolicGradients } from '../formula/symbolic-gradients.js';
import { matrixVar, symbolicAlgebra } from '../formula/symbolic.js';
import { writeSym } from '../formula/write.js';
import { crossEntropyWithLogits } from '../nn/losses.js';
import { Random } from '../tensor/random.js';

/**
 * softmaxCrossEntropy beyond the registry's gradient checks and the PyTorch fixtures: values
 * against an independent float64 computation, the rows of ±∞ and NaN, float32, the shape
 * error, and the gradient formula a student sees.
 */

/** −Σ yⱼ·ln pⱼ with pⱼ = 1/Σₖ exp(zₖ − zⱼ): no logsumexp, no shift by the maximum. */
function independent(z: readonly number[], y: readonly number[]): number {
  return -z.reduce((loss, zj, j) => loss + y[j]! * Math.log(1 / z.reduce((sum, zk) => sum + Math.exp(zk - zj), 0)), 0);
}

describe('softmaxCrossEntropy', () => {
  it('equals −Σ y·ln softmax(z) computed independently, row by row, for one-hot and probability targets', () => {
    const random = new Random(11);
    for (const classes of [1, 3, 17]) {
      const rows = 5;
      const z = Array.from({ length: rows * classes }, () => random.normal(0, 4));
      const y = Array.from({ length: rows }, (_, r) => {
        const weights = Array.from({ length: classes }, () => (r % 2 === 0 ? 0 : random.uniform(0, 1)));
        if (r % 2 === 0) weights[r % classes] = 1;
        const total = weights.reduce((a, b) => a + b, 0);
        return weights.map((w) => w / total);
      }).flat();
      const got = api.softmaxCrossEntropy(tensor(z, { shape: [rows, classes] }), tensor(y, { shape: [rows, classes] }));
      expect(got.shape).toEqual([rows]);
      for (let r = 0; r < rows; r++) {
        const want = independent(z.slice(r * classes, (r + 1) * classes), y.slice(r * classes, (r + 1) * classes));
        expect(Math.abs(got.data[r]! - want), `${classes} classes, row ${r}`).toBeLessThan(1e-13 * (1 + Math.abs(want)));
      }
    }
  });

  it('rows of ±∞ and NaN: −∞ everywhere gives NaN, as 0·(−∞) does where a target is 0, as in PyTorch with probability targets', () => {
    const z = [[-Infinity, -Infinity, -Infinity], [0, -Infinity, 1], [Infinity, 0, 0], [NaN, 0, 1], [1e308, 1e308, 0], [-1000, -1000, -Infinity], [1000, 0, -1000]];
    const y = [[1, 0, 0], [1, 0, 0], [0, 1, 0], [0, 1, 0], [1, 0, 0], [0.5, 0.5, 0], [1, 0, 0]];
    const got = Array.from(api.softmaxCrossEntropy(tensor(z), tensor(y)).data);
    expect(got.slice(0, 4)).toEqual([NaN, NaN, NaN, NaN]);
    // Not 0: m and Σ y·z cancel before ln Σ is added.
    expect(got[4]).toBe(Math.LN2);
    // The target 0 meets −∞ again.
    expect(got[5]).toBeNaN();
    // No −∞: ln(1 + e⁻¹⁰⁰⁰ + e⁻²⁰⁰⁰) = 0.
    expect(got[6]).toBe(0);
  });

  it('a row of equal logits has loss ln C whatever its (normalised) target; in float32, ln C rounded to float32', () => {
    const z = tensor([[2, 2, 2, 2], [-7, -7, -7, -7]], { dtype: 'float32' });
    const y = tensor([[0, 0, 1, 0], [0.25, 0.25, 0.25, 0.25]], { dtype: 'float32' });
    const got = api.softmaxCrossEntropy(z, y);
    expect(got.dtype).toBe('float32');
    expect(Array.from(got.data)).toEqual([Math.fround(Math.log(4)), Math.fround(Math.log(4))]);
  });

  it('its gradients: g·(softmax(z) − y) by the logits, −g·z by the targets', () => {
    const z = tensor([[0, 2]], { requiresGrad: true });
    const y = tensor([[1, 0]], { requiresGrad: true });
    const [gz, gy] = gradients(api.mul(api.softmaxCrossEntropy(z, y), 3), [z, y]);
    const p = 1 / (1 + Math.exp(2));
    expect(gz!.data[0]).toBeCloseTo(3 * (p - 1), 15);
    expect(gz!.data[1]).toBeCloseTo(3 * (1 - p), 15);
    expect(Array.from(gy!.data)).toEqual([-0, -6]);
  });

  it('the mean cross-entropy from logits has the textbook gradient (1/n)(softmax(z) − y) as a formula', () => {
    const z = matrixVar('z', [4, 3]);
    const loss = crossEntropyWithLogits(symbolicAlgebra, z, matrixVar('y', [4, 3]));
    const gradient = symbolicGradients(loss, symbolicAlgebra.constant(1, loss)).get('z')!;
    expect(writeSym(gradient, 'pretty')).toBe('0.25(softmax(z) − y)');
  });

  it('a ShapeError names both shapes when they differ, or when the logits are a number', () => {
    expect(() => api.softmaxCrossEntropy(tensor([[1, 2, 3]]), tensor([[1, 0]]))).toThrow(ShapeError);
    expect(() => api.softmaxCrossEntropy(tensor([[1, 2, 3]]), tensor([[1, 0]]))).toThrow(/softmaxCrossEntropy: the logits \[1, 3\] and the targets \[1, 2\]/);
    expect(() => api.softmaxCrossEntropy(tensor(1), tensor(1))).toThrow(/softmaxCrossEntropy: the logits \[\] and the targets \[\]/);
  });
});

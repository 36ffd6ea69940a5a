import type { Storage } from '../../tensor/dtype.js';
import type { AdamStep } from '../backend.js';

/**
 * Adam's update, in PyTorch's order of operations: m ← β₁m + (1 − β₁)g, v ← β₂v + (1 − β₂)g²,
 * w ← w − (γ/c₁)·m/(√v·(1/√c₂) + ε), in double, the weight rounded once when stored. A kernel,
 * not a loop in the optimizer, because it runs over every weight at every step: the native
 * backend does the same operations in C (bit for bit, tested).
 */
export function adamUpdate(weights: Storage, gradient: Storage, m: Float64Array, v: Float64Array, step: AdamStep): void {
  const { beta1, beta2, stepSize, inverseRoot2, eps, decay } = step;
  for (let i = 0; i < weights.length; i++) {
    const g = decay === 0 ? gradient[i]! : gradient[i]! + decay * weights[i]!;
    const mi = beta1 * m[i]! + (1 - beta1) * g;
    const vi = beta2 * v[i]! + (1 - beta2) * g * g;
    m[i] = mi;
    v[i] = vi;
    weights[i] = weights[i]! - stepSize * (mi / (Math.sqrt(vi) * inverseRoot2 + eps));
  }
}

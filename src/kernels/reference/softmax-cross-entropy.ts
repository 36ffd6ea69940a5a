import type { Storage } from '../../tensor/dtype.js';

/**
 * out[r] = logsumexp(z_r) − Σⱼ y_rj·z_rj for each of `rows` rows of `cols` logits z and targets
 * y: the cross-entropy of softmax(z_r) against y_r (TF's softmax_cross_entropy_with_logits,
 * PyTorch's cross_entropy with probability targets). logsumexp is m + ln Σ exp(z − m) with m the
 * row's maximum, so exp never overflows; a row whose maximum is ±∞ or NaN is shifted by 0, as
 * softmax and logsumexp do (a row of −∞ has logsumexp −∞; NaN anywhere gives NaN, and so does
 * an −∞ logit where its target is 0, 0·(−∞), as in PyTorch with probability targets). Sums run
 * in double in storage order, a float32 result is rounded once. The result is summed as
 * ln Σ exp(z − m) + (m − Σ y·z): for large logits m and Σ y·z cancel first, so a one-hot row
 * keeps the small ln Σ exact (logits (10³⁰⁸, 10³⁰⁸, 0) give ln 2, not 0).
 */
export function softmaxCrossEntropy(logits: Storage, targets: Storage, rows: number, cols: number, out: Storage): void {
  for (let r = 0; r < rows; r++) {
    const from = r * cols;
    const to = from + cols;
    let max = -Infinity;
    for (let i = from; i < to; i++) {
      const z = logits[i]!;
      // NaN wins, as in the max reduction: once max is NaN no comparison replaces it.
      if (z > max || z !== z) max = z;
    }
    const shift = Number.isFinite(max) ? max : 0;
    let sum = 0;
    let dot = 0;
    for (let i = from; i < to; i++) {
      const z = logits[i]!;
      sum += Math.exp(z - shift);
      dot += targets[i]! * z;
    }
    out[r] = Math.log(sum) + (shift - dot);
  }
}

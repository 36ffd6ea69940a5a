import { matrixVar, symbolicAlgebra as m, type Sym } from '../formula/symbolic.js';

/**
 * The gradient a normalization passes down, as a teacher writes it from x̂ and the statistics:
 *   batch norm:  ∂L/∂X = γ ⊙ (d − colmean(d) − x̂ ⊙ colmean(d ⊙ x̂)) / √(σ² + ε)
 *   layer norm:  ∂L/∂X = (g − rowmean(g) − x̂ ⊙ rowmean(g ⊙ x̂)) / √(σ² + ε),  g = d ⊙ γ
 * (the mean and the variance depend on every input of the column, or of the row, hence the two
 * means). The engine's own reverse pass computes the numbers; the worked solution prints this
 * form, and the equation audit checks the two agree.
 */
export function normalizationGradInput(
  kind: 'batchnorm1d' | 'layernorm', names: { readonly gamma: string; readonly xhat: string; readonly variance: string }, shape: readonly number[], eps: number,
): Sym {
  const features = shape[shape.length - 1]!;
  const d = matrixVar('d', shape);
  const xhat = matrixVar(names.xhat, shape);
  const gamma = matrixVar(names.gamma, [features]);
  const axis = kind === 'batchnorm1d' ? 0 : shape.length - 1;
  const variance = matrixVar(names.variance, kind === 'batchnorm1d' ? [1, features] : [...shape.slice(0, -1), 1]);
  const g = kind === 'layernorm' ? m.mul(d, gamma) : d;
  const centred = m.sub(m.sub(g, m.mean(g, [axis], true)), m.mul(xhat, m.mean(m.mul(g, xhat), [axis], true)));
  const scaled = m.div(centred, m.sqrt(m.add(variance, m.constant(eps, variance))));
  return kind === 'batchnorm1d' ? m.mul(gamma, scaled) : scaled;
}

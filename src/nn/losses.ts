import { tensorAlgebra } from '../autograd/apply.js';
import type { Tensor } from '../autograd/tensor.js';
import { ShapeError } from '../errors.js';
import type { Algebra } from '../ops/algebra.js';
import { formatShape, sameShape } from '../tensor/shape.js';

/**
 * Losses over all elements of the prediction ŷ against the targets y, written once over any
 * algebra: on tensors they are compositions of registry ops (so their gradients come from the
 * registry), on symbols they give the formulas of the general algorithm (exercise 5).
 * n is the number of rows (observations) where a formula divides by it.
 */
export type LossName = 'sse' | 'half_sse' | 'mse' | 'half_mse' | 'logloss' | 'logloss_sum' | 'logistic' | 'logistic_sum' | 'cross_entropy';
export const LOSS_NAMES: readonly LossName[] = ['sse', 'half_sse', 'mse', 'half_mse', 'logloss', 'logloss_sum', 'logistic', 'logistic_sum', 'cross_entropy'];

/** PyTorch's BCELoss clamps log at −100 so that p = 0 or 1 gives a finite loss. */
export const LOG_CLAMP = -100;

/** exact: write ln p as it is (formulas for people); otherwise clamp it at −100 as PyTorch. */
export interface LossOptions {
  readonly exact?: boolean;
}

type LossFunction = <T>(m: Algebra<T>, prediction: T, target: T, options?: LossOptions) => T;

const allAxes = <T>(m: Algebra<T>, x: T) => [...m.shapeOf(x).keys()];
const total = <T>(m: Algebra<T>, x: T) => m.sum(x, allAxes(m, x), false);
const average = <T>(m: Algebra<T>, x: T) => m.mean(x, allAxes(m, x), false);
const squaredError = <T>(m: Algebra<T>, p: T, y: T) => m.pow(m.sub(p, y), m.constant(2, p));
const clampedLog = <T>(m: Algebra<T>, p: T, options: LossOptions = {}) => (options.exact === true ? m.log(p) : m.maximum(m.log(p), m.constant(LOG_CLAMP, p)));
const rowsOf = <T>(m: Algebra<T>, x: T) => m.shapeOf(x)[0] ?? 1;

/** Σ(ŷ − y)² */
export const sse: LossFunction = (m, p, y) => total(m, squaredError(m, p, y));
/** ½Σ(ŷ − y)² */
export const halfSse: LossFunction = (m, p, y) => m.scale(total(m, squaredError(m, p, y)), 0.5);
/** mean (ŷ − y)² over all elements (PyTorch's MSELoss) */
export const mse: LossFunction = (m, p, y) => average(m, squaredError(m, p, y));
/** ½·mean (ŷ − y)² over all elements: the book's 1/(2n)·Σ(ŷ − y)² when ŷ has one column */
export const halfMse: LossFunction = (m, p, y) => m.scale(average(m, squaredError(m, p, y)), 0.5);

/** −mean[y·ln p + (1 − y)·ln(1 − p)] on probabilities, log clamped at −100 (PyTorch's BCELoss). */
export const logloss: LossFunction = (m, p, y, options) => {
  const one = m.constant(1, p);
  const perElement = m.add(m.mul(y, clampedLog(m, p, options)), m.mul(m.sub(one, y), clampedLog(m, m.sub(one, p), options)));
  return m.neg(average(m, perElement));
};

/** logloss of σ(z) from z: mean[ln(1 + eᶻ) − y·z]; its gradient is (σ(z) − y)/count, exactly. */
export const loglossWithLogits: LossFunction = (m, z, y) => average(m, m.sub(m.softplus(z), m.mul(y, z)));

/** The book's logloss as a sum, not a mean: −Σ[y·ln p + (1 − y)·ln(1 − p)]. */
export const loglossSum: LossFunction = (m, p, y, options) => {
  const one = m.constant(1, p);
  return m.neg(total(m, m.add(m.mul(y, clampedLog(m, p, options)), m.mul(m.sub(one, y), clampedLog(m, m.sub(one, p), options)))));
};

/** logloss_sum of σ(z) from z: Σ[ln(1 + eᶻ) − y·z]; its gradient is σ(z) − y, exactly. */
export const loglossSumWithLogits: LossFunction = (m, z, y) => total(m, m.sub(m.softplus(z), m.mul(y, z)));

/**
 * ln(1 + e^(−y·z)) for each element, labels y ∈ {−1, +1} and scores z (no sigmoid before it).
 * Written out for people; on numbers softplus(−y·z), which does not overflow for a large −y·z.
 */
const logisticTerms = <T>(m: Algebra<T>, z: T, y: T, options: LossOptions = {}) => {
  const margin = m.neg(m.mul(y, z));
  return options.exact === true ? m.log(m.add(m.constant(1, z), m.exp(margin))) : m.softplus(margin);
};

/** ∂/∂z of ln(1 + e^(−y·z)): −y·σ(−y·z). */
const logisticDerivative: LossFunction = (m, z, y) => m.neg(m.mul(y, m.sigmoid(m.neg(m.mul(y, z)))));

/** The logistic loss with labels ±1: mean ln(1 + e^(−y·z)) (PyTorch's SoftMarginLoss). */
export const logistic: LossFunction = (m, z, y, options) => average(m, logisticTerms(m, z, y, options));
/** The logistic loss with labels ±1 as a sum: Σ ln(1 + e^(−y·z)). */
export const logisticSum: LossFunction = (m, z, y, options) => total(m, logisticTerms(m, z, y, options));

/** −(1/n)Σ y·ln p on probabilities after softmax, y one-hot, log clamped at −100. */
export const crossEntropy: LossFunction = (m, p, y, options) => m.scale(total(m, m.mul(y, clampedLog(m, p, options))), -1 / rowsOf(m, p));

/** cross_entropy of softmax(z) from z: (1/n)Σ[logsumexp(z) − Σ y·z], one registry op per row; gradient (softmax(z) − y)/n. */
export const crossEntropyWithLogits: LossFunction = (m, z, y) => m.scale(total(m, m.softmaxCrossEntropy(z, y)), 1 / rowsOf(m, z));

export interface LossSpec {
  readonly name: LossName;
  readonly formula: LossFunction;
  /** Whether the loss of a batch sums over its rows or averages them (per-epoch means need to know). */
  readonly reduction: 'sum' | 'mean';
  /** The activation whose output this loss expects (its probabilities), if any. */
  readonly after?: 'sigmoid' | 'softmax';
  /** The only targets the loss is defined for, where it declares them: −1 and +1 (the logistic loss). */
  readonly labels?: readonly number[];
  /** The same loss computed from that activation's input, numerically stable. */
  readonly fromLogits?: LossFunction;
  /**
   * ∂L/∂ŷ of the loss's sum over the elements, as a teacher writes it, where the simplifier's
   * form of the registry's rules reads worse (−y·σ(−y·z), not y·e^(−y·z)/(−1 − e^(−y·z))). A mean
   * loss's derivative is this over n. test/book-conventions.test.ts holds it to the registry's gradient.
   */
  readonly derivative?: LossFunction;
}

export const LOSSES: Readonly<Record<LossName, LossSpec>> = {
  sse: { name: 'sse', formula: sse, reduction: 'sum' },
  half_sse: { name: 'half_sse', formula: halfSse, reduction: 'sum' },
  mse: { name: 'mse', formula: mse, reduction: 'mean' },
  half_mse: { name: 'half_mse', formula: halfMse, reduction: 'mean' },
  logloss: { name: 'logloss', formula: logloss, reduction: 'mean', after: 'sigmoid', fromLogits: loglossWithLogits },
  logloss_sum: { name: 'logloss_sum', formula: loglossSum, reduction: 'sum', after: 'sigmoid', fromLogits: loglossSumWithLogits },
  logistic: { name: 'logistic', formula: logistic, reduction: 'mean', labels: [-1, 1], derivative: logisticDerivative },
  logistic_sum: { name: 'logistic_sum', formula: logisticSum, reduction: 'sum', labels: [-1, 1], derivative: logisticDerivative },
  cross_entropy: { name: 'cross_entropy', formula: crossEntropy, reduction: 'mean', after: 'softmax', fromLogits: crossEntropyWithLogits },
};

/**
 * Whether a model whose last layer is `lastKind` has that layer folded into the loss: the
 * activation the loss expects (sigmoid before logloss, softmax before cross-entropy), computed
 * from its input instead — numerically stable, with gradient exactly (p − y)/n.
 */
export function foldsLastLayer(loss: LossName, lastKind: string | undefined): boolean {
  const spec = LOSSES[loss];
  return spec.fromLogits !== undefined && lastKind === spec.after;
}

/** A loss on tensors, after checking that prediction and targets have the same shape. */
export function computeLoss(name: LossName, prediction: Tensor, target: Tensor, fromLogits = false): Tensor {
  if (!sameShape(prediction.shape, target.shape)) {
    throw new ShapeError(`${name}: the prediction has shape ${formatShape(prediction.shape)} but the targets have ${formatShape(target.shape)}`);
  }
  const spec = LOSSES[name];
  const formula = fromLogits && spec.fromLogits !== undefined ? spec.fromLogits : spec.formula;
  return formula(tensorAlgebra, prediction, target);
}

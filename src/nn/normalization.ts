import { ones, zeros } from '../autograd/create.js';
import { Tensor } from '../autograd/tensor.js';
import { ShapeError } from '../errors.js';
import type { Algebra } from '../ops/algebra.js';
import { formatShape } from '../tensor/shape.js';
import { asObservations } from './conv.js';
import { Layer } from './layer.js';

function checkVector(kind: string, name: string, vector: Tensor, features: number): void {
  if (vector.rank !== 1 || vector.shape[0] !== features) {
    throw new ShapeError(`${kind}: ${name} must have ${features} numbers (one per feature), got shape ${formatShape(vector.shape)}`);
  }
}

/** x̂ = (x − mean) / √(variance + ε), then x̂·γ + β: the step both normalizations share. */
function normalise<T>(m: Algebra<T>, x: T, mean: T, variance: T, eps: number, gamma: T, beta: T): { normalised: T; output: T } {
  const centred = m.sub(x, mean);
  const normalised = m.div(centred, m.sqrt(m.add(variance, m.constant(eps, variance))));
  return { normalised, output: m.add(m.mul(normalised, gamma), beta) };
}

/**
 * Layer normalization as PyTorch's nn.LayerNorm(features): each row (observation) is
 * normalised over its last axis by its own mean and biased variance, then scaled by γ
 * (`weight`) and shifted by β (`bias`). Training and evaluation do the same.
 */
export class LayerNorm extends Layer {
  readonly kind = 'layernorm';
  readonly weight: Tensor;
  readonly bias: Tensor;

  constructor(readonly features: number, options: { weight?: Tensor; bias?: Tensor; eps?: number } = {}) {
    super();
    this.weight = options.weight ?? ones([features]);
    this.bias = options.bias ?? zeros([features], this.weight.dtype);
    checkVector('layernorm', 'weight (γ)', this.weight, features);
    checkVector('layernorm', 'bias (β)', this.bias, features);
    this.weight.requiresGrad = true;
    this.bias.requiresGrad = true;
    this.eps = options.eps ?? 1e-5;
  }

  readonly eps: number;

  override namedParameters(): [string, Tensor][] {
    return [['weight', this.weight], ['bias', this.bias]];
  }

  override forward(x: Tensor): Tensor {
    if (x.shape[x.rank - 1] !== this.features) {
      throw new ShapeError(`layernorm: the input has ${x.shape[x.rank - 1]} columns, but the layer normalises ${this.features}`);
    }
    return super.forward(x);
  }

  compute<T>(m: Algebra<T>, x: T, [weight, bias]: readonly T[]): T {
    const last = [m.shapeOf(x).length - 1];
    const mean = m.mean(x, last, true);
    const centred = m.sub(x, mean);
    const variance = m.mean(m.mul(centred, centred), last, true);
    const { normalised, output } = normalise(m, x, mean, variance, this.eps, weight!, bias!);
    this.named = [['mu', mean], ['sigmasq', variance], ['xhat', normalised]];
    return output;
  }
}

export interface BatchNormOptions {
  readonly weight?: Tensor;
  readonly bias?: Tensor;
  readonly runningMean?: Tensor;
  readonly runningVar?: Tensor;
  readonly eps?: number;
  readonly momentum?: number;
}

/**
 * Batch normalization as PyTorch's nn.BatchNorm1d(features) on [N, features]: while training,
 * each column is normalised by the batch's mean and biased variance, and the running
 * statistics move towards the batch's by `momentum` (the running variance towards the
 * unbiased one, N/(N − 1) times the biased); in evaluation the running statistics are used.
 */
export class BatchNorm1d extends Layer {
  readonly kind: string = 'batchnorm1d';
  readonly weight: Tensor;
  readonly bias: Tensor;
  readonly runningMean: Tensor;
  readonly runningVar: Tensor;
  readonly eps: number;
  readonly momentum: number;
  /** Training batches seen (PyTorch's num_batches_tracked). */
  batchesTracked = 0;
  /** The last training pass's batch statistics and how many numbers each averaged, by batch size (a compiled step per size). */
  readonly #batchStatistics = new Map<number, { mean: Tensor; variance: Tensor; count: number }>();

  constructor(readonly features: number, options: BatchNormOptions = {}) {
    super();
    this.weight = options.weight ?? ones([features]);
    const dtype = this.weight.dtype;
    this.bias = options.bias ?? zeros([features], dtype);
    this.runningMean = options.runningMean ?? zeros([features], dtype);
    this.runningVar = options.runningVar ?? ones([features], dtype);
    checkVector('batchnorm1d', 'weight (γ)', this.weight, features);
    checkVector('batchnorm1d', 'bias (β)', this.bias, features);
    checkVector('batchnorm1d', 'running_mean', this.runningMean, features);
    checkVector('batchnorm1d', 'running_var', this.runningVar, features);
    this.weight.requiresGrad = true;
    this.bias.requiresGrad = true;
    this.eps = options.eps ?? 1e-5;
    this.momentum = options.momentum ?? 0.1;
    if (!(this.momentum >= 0 && this.momentum <= 1)) throw new ShapeError(`batchnorm1d: momentum must be in [0, 1], got ${this.momentum}`);
  }

  override namedParameters(): [string, Tensor][] {
    return [['weight', this.weight], ['bias', this.bias]];
  }

  override namedBuffers(): [string, Tensor][] {
    return [['running_mean', this.runningMean], ['running_var', this.runningVar]];
  }

  override forward(x: Tensor): Tensor {
    if (x.rank !== 2 || x.shape[1] !== this.features) {
      throw new ShapeError(`batchnorm1d: expects [observations, ${this.features}], got ${formatShape(x.shape)}`);
    }
    return this.forwardChecked(x);
  }

  /** The forward pass once the shape is checked; in training it moves the running statistics. */
  protected forwardChecked(x: Tensor): Tensor {
    const output = super.forward(x);
    if (this.training) this.afterStep(x.shape[0]!);
    return output;
  }

  override afterStep(rows: number): void {
    const statistics = this.#batchStatistics.get(rows);
    if (!this.training || statistics === undefined) return;
    const { momentum } = this;
    const unbiased = statistics.count / (statistics.count - 1);
    const [mean, variance] = [statistics.mean.data, statistics.variance.data];
    const [runningMean, runningVar] = [this.runningMean.data, this.runningVar.data];
    for (let j = 0; j < this.features; j++) {
      runningMean[j] = (1 - momentum) * runningMean[j]! + momentum * mean[j]!;
      runningVar[j] = (1 - momentum) * runningVar[j]! + momentum * variance[j]! * unbiased;
    }
    this.batchesTracked++;
  }

  /** The input as the layer normalises it (BatchNorm2d reads rows as images). */
  protected asImages<T>(_m: Algebra<T>, x: T): T {
    return x;
  }

  /** The axes a statistic averages over: the observations (and, in 2-D, the positions of each channel). */
  protected statisticAxes(rank: number): number[] {
    return rank === 2 ? [0] : [0, ...Array.from({ length: rank - 2 }, (_, i) => i + 2)];
  }

  /** A per-feature vector shaped to broadcast against the input: [C] as is for [N, C], [C, 1, 1] for [N, C, H, W]. */
  protected perFeature<T>(m: Algebra<T>, vector: T, rank: number): T {
    return rank === 2 ? vector : m.reshape(vector, [this.features, ...Array.from({ length: rank - 2 }, () => 1)]);
  }

  compute<T>(m: Algebra<T>, input: T, [weight, bias, runningMean, runningVar]: readonly T[]): T {
    const x = this.asImages(m, input);
    const shape = m.shapeOf(x);
    const rank = shape.length;
    const [gamma, beta] = [this.perFeature(m, weight!, rank), this.perFeature(m, bias!, rank)];
    if (!this.training) {
      const { normalised, output } = normalise(m, x, this.perFeature(m, runningMean!, rank), this.perFeature(m, runningVar!, rank), this.eps, gamma, beta);
      this.named = [['xhat', normalised]];
      return output;
    }
    const axes = this.statisticAxes(rank);
    const rows = shape[0]!;
    const count = axes.reduce((product, axis) => product * shape[axis]!, 1);
    if (count === 1) throw new ShapeError(`${this.kind}: training needs more than one number per feature in a batch to estimate a variance, got ${rows} observation${rows === 1 ? '' : 's'}`);
    const mean = m.mean(x, axes, true);
    const centred = m.sub(x, mean);
    const variance = m.mean(m.mul(centred, centred), axes, true);
    if (mean instanceof Tensor && variance instanceof Tensor) this.#batchStatistics.set(rows, { mean, variance, count });
    const { normalised, output } = normalise(m, x, mean, variance, this.eps, gamma, beta);
    this.named = [['mu', mean], ['sigmasq', variance], ['xhat', normalised]];
    return output;
  }
}

/**
 * Batch normalization of images as PyTorch's nn.BatchNorm2d(channels) on [N, channels, H, W]: the
 * statistics of each channel over the batch and every position, otherwise as BatchNorm1d.
 */
export class BatchNorm2d extends BatchNorm1d {
  override readonly kind: string = 'batchnorm2d';
  /** One observation's shape [C, H, W]: the layer then also reads rows of C·H·W numbers as images (a file's first layer). */
  readonly observationShape: readonly number[] | undefined;

  constructor(features: number, options: BatchNormOptions & { readonly observationShape?: readonly number[] } = {}) {
    super(features, options);
    this.observationShape = options.observationShape;
  }

  protected override asImages<T>(m: Algebra<T>, x: T): T {
    return asObservations(m, x, this.observationShape);
  }

  override forward(x: Tensor): Tensor {
    const rows = x.rank === 2 && this.observationShape !== undefined && x.shape[1] === this.observationShape.reduce((product, extent) => product * extent, 1);
    if (rows) return this.forwardChecked(x);
    if (x.rank !== 4 || x.shape[1] !== this.features) {
      throw new ShapeError(`batchnorm2d: expects [observations, ${this.features}, height, width], got ${formatShape(x.shape)}`);
    }
    return this.forwardChecked(x);
  }
}

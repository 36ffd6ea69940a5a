import type { Tensor } from '../autograd/tensor.js';
import { backend } from '../kernels/active.js';
import { Optimizer, type UpdateHyperparameters, type UpdateRule } from './optimizer.js';
import { updateRule } from './update-rule.js';

export interface AdamOptions {
  lr: number;
  betas?: readonly [number, number];
  eps?: number;
  weightDecay?: number;
}

/** Adam with bias correction: PyTorch's torch.optim.Adam (defaults β = (0.9, 0.999), ε = 1e-8). */
export class Adam extends Optimizer {
  readonly name = 'adam';
  readonly rule: UpdateRule;
  /** The learning rate γ; a schedule may change it between steps (PyTorch: param_groups[0]["lr"]). */
  lr: number;
  readonly betas: readonly [number, number];
  readonly eps: number;
  #m: (Float64Array | undefined)[] = [];
  #v: (Float64Array | undefined)[] = [];

  constructor(parameters: readonly Tensor[], options: AdamOptions) {
    super(parameters, options.weightDecay ?? 0);
    this.lr = options.lr;
    this.betas = options.betas ?? [0.9, 0.999];
    this.eps = options.eps ?? 1e-8;
    this.rule = updateRule('adam', this.weightDecay !== 0);
  }

  hyperparameters(): UpdateHyperparameters {
    return { gamma: this.lr, beta1: this.betas[0], beta2: this.betas[1], eps: this.eps, lambda: this.weightDecay };
  }

  protected override stateBuffers(): ReadonlyMap<string, (Float64Array | undefined)[]> {
    return new Map([['m', this.#m], ['v', this.#v]]);
  }

  protected update(weights: Float64Array | Float32Array, gradient: Float64Array | Float32Array, index: number): void {
    const [beta1, beta2] = this.betas;
    const m = this.stateFor(this.#m, index, weights.length);
    const v = this.stateFor(this.#v, index, weights.length);
    const correction1 = 1 - beta1 ** this.stepCount;
    const correction2 = 1 - beta2 ** this.stepCount;
    // √v/√c₂ as √v·(1/√c₂): one division fewer per weight, a last-bit difference from PyTorch.
    backend().adamUpdate(weights, gradient, m, v, {
      beta1, beta2, stepSize: this.lr / correction1, inverseRoot2: 1 / Math.sqrt(correction2), eps: this.eps, decay: this.weightDecay,
    });
  }
}

export interface RmspropOptions {
  lr: number;
  alpha?: number;
  eps?: number;
  weightDecay?: number;
}

/** RMSprop: PyTorch's torch.optim.RMSprop (α = 0.99, ε = 1e-8, no momentum, not centered). */
export class RMSprop extends Optimizer {
  readonly name = 'rmsprop';
  readonly rule: UpdateRule;
  /** The learning rate γ; a schedule may change it between steps (PyTorch: param_groups[0]["lr"]). */
  lr: number;
  readonly alpha: number;
  readonly eps: number;
  #v: (Float64Array | undefined)[] = [];

  constructor(parameters: readonly Tensor[], options: RmspropOptions) {
    super(parameters, options.weightDecay ?? 0);
    this.lr = options.lr;
    this.alpha = options.alpha ?? 0.99;
    this.eps = options.eps ?? 1e-8;
    this.rule = updateRule('rmsprop', this.weightDecay !== 0);
  }

  hyperparameters(): UpdateHyperparameters {
    return { gamma: this.lr, alpha: this.alpha, eps: this.eps, lambda: this.weightDecay };
  }

  protected override stateBuffers(): ReadonlyMap<string, (Float64Array | undefined)[]> {
    return new Map([['v', this.#v]]);
  }

  protected update(weights: Float64Array | Float32Array, gradient: Float64Array | Float32Array, index: number): void {
    const v = this.stateFor(this.#v, index, weights.length);
    const { alpha, lr, eps, weightDecay: decay } = this;
    for (let i = 0; i < weights.length; i++) {
      const g = decay === 0 ? gradient[i]! : gradient[i]! + decay * weights[i]!;
      const vi = alpha * v[i]! + (1 - alpha) * g * g;
      v[i] = vi;
      weights[i] = weights[i]! - (lr * g) / (Math.sqrt(vi) + eps);
    }
  }
}

export interface AdagradOptions {
  lr: number;
  eps?: number;
  weightDecay?: number;
}

/** Adagrad: PyTorch's torch.optim.Adagrad (ε = 1e-10, no learning-rate decay). */
export class Adagrad extends Optimizer {
  readonly name = 'adagrad';
  readonly rule: UpdateRule;
  /** The learning rate γ; a schedule may change it between steps (PyTorch: param_groups[0]["lr"]). */
  lr: number;
  readonly eps: number;
  #sum: (Float64Array | undefined)[] = [];

  constructor(parameters: readonly Tensor[], options: AdagradOptions) {
    super(parameters, options.weightDecay ?? 0);
    this.lr = options.lr;
    this.eps = options.eps ?? 1e-10;
    this.rule = updateRule('adagrad', this.weightDecay !== 0);
  }

  hyperparameters(): UpdateHyperparameters {
    return { gamma: this.lr, eps: this.eps, lambda: this.weightDecay };
  }

  protected override stateBuffers(): ReadonlyMap<string, (Float64Array | undefined)[]> {
    return new Map([['s', this.#sum]]);
  }

  protected update(weights: Float64Array | Float32Array, gradient: Float64Array | Float32Array, index: number): void {
    const sum = this.stateFor(this.#sum, index, weights.length);
    const { lr, eps, weightDecay: decay } = this;
    for (let i = 0; i < weights.length; i++) {
      const g = decay === 0 ? gradient[i]! : gradient[i]! + decay * weights[i]!;
      const si = sum[i]! + g * g;
      sum[i] = si;
      weights[i] = weights[i]! - (lr * g) / (Math.sqrt(si) + eps);
    }
  }
}

import type { Tensor } from '../autograd/tensor.js';
import { Optimizer, type UpdateHyperparameters, type UpdateRule } from './optimizer.js';
import { updateRule } from './update-rule.js';

export interface SgdOptions {
  lr: number;
  /** μ: v ← μv + g (PyTorch's SGD momentum, no dampening). */
  momentum?: number;
  /** Nesterov: step along g + μv instead of v. */
  nesterov?: boolean;
  weightDecay?: number;
}

/** Gradient descent, with optional (Nesterov) momentum: PyTorch's torch.optim.SGD. */
export class SGD extends Optimizer {
  readonly name: 'sgd' | 'momentum' | 'nesterov';
  readonly rule: UpdateRule;
  /** The learning rate γ; a schedule may change it between steps (PyTorch: param_groups[0]["lr"]). */
  lr: number;
  readonly momentum: number;
  readonly nesterov: boolean;
  #velocity: (Float64Array | undefined)[] = [];

  constructor(parameters: readonly Tensor[], options: SgdOptions) {
    super(parameters, options.weightDecay ?? 0);
    this.lr = options.lr;
    this.momentum = options.momentum ?? 0;
    this.nesterov = options.nesterov ?? false;
    this.name = this.momentum === 0 ? 'sgd' : this.nesterov ? 'nesterov' : 'momentum';
    this.rule = updateRule(this.name, this.weightDecay !== 0);
  }

  hyperparameters(): UpdateHyperparameters {
    return { gamma: this.lr, mu: this.momentum, lambda: this.weightDecay };
  }

  protected override stateBuffers(): ReadonlyMap<string, (Float64Array | undefined)[]> {
    return new Map([['v', this.#velocity]]);
  }

  protected update(weights: Float64Array | Float32Array, gradient: Float64Array | Float32Array, index: number): void {
    const { lr, momentum, nesterov, weightDecay: decay } = this;
    if (momentum === 0) {
      for (let i = 0; i < weights.length; i++) weights[i] = weights[i]! - lr * (decay === 0 ? gradient[i]! : gradient[i]! + decay * weights[i]!);
      return;
    }
    // PyTorch starts the velocity at the first gradient (v₁ = g₁), which μ·0 + g gives too.
    const velocity = this.stateFor(this.#velocity, index, weights.length);
    for (let i = 0; i < weights.length; i++) {
      const g = decay === 0 ? gradient[i]! : gradient[i]! + decay * weights[i]!;
      const v = momentum * velocity[i]! + g;
      velocity[i] = v;
      weights[i] = weights[i]! - lr * (nesterov ? g + momentum * v : v);
    }
  }
}

import type { Tensor } from '../autograd/tensor.js';
import type { UpdateHyperparameters, UpdateRule } from './update-rule.js';

export type { UpdateRule, UpdateHyperparameters };

/**
 * Optimizers update parameters in place, with PyTorch's semantics so results can be
 * compared number for number. State (velocities, moments) lives in typed arrays per parameter.
 */
export abstract class Optimizer {
  protected stepCount = 0;

  /** λ of PyTorch's L2 penalty: each update uses g + λw for the gradient g. */
  constructor(readonly parameters: readonly Tensor[], readonly weightDecay = 0) {}

  abstract readonly name: string;
  /** The learning rate γ; a schedule may change it between steps. */
  abstract lr: number;
  /** The update as formulas over the optimizer's state (update-rule.ts); update() is its fast form. */
  abstract readonly rule: UpdateRule;
  /** The numbers the rule's formulas read (γ, μ, β₁, β₂, α, ε, λ). */
  abstract hyperparameters(): UpdateHyperparameters;

  /** Update every parameter that has a gradient, then count the step. */
  step(): void {
    this.stepWith(this.parameters.map((parameter) => (parameter.grad === null ? null : parameter.grad.data)));
  }

  /**
   * step() with the gradients given as raw buffers, one per parameter in order (null: skip).
   * A compiled training loop keeps its gradients in reused buffers, not in `.grad` tensors.
   */
  stepWith(gradients: readonly (Float64Array | Float32Array | null)[]): void {
    this.stepCount++;
    this.parameters.forEach((parameter, index) => {
      const gradient = gradients[index];
      if (gradient === null || gradient === undefined) return;
      this.update(parameter.data, gradient, index);
    });
  }

  zeroGrad(): void {
    for (const parameter of this.parameters) parameter.grad = null;
  }

  protected abstract update(weights: Float64Array | Float32Array, gradient: Float64Array | Float32Array, index: number): void;

  /** A zeroed state buffer per parameter, created on first use. */
  protected stateFor(states: (Float64Array | undefined)[], index: number, size: number): Float64Array {
    return (states[index] ??= new Float64Array(size));
  }
}

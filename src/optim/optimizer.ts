import type { Tensor } from '../autograd/tensor.js';
import type { UpdateHyperparameters, UpdateRule } from './update-rule.js';

export type { UpdateRule, UpdateHyperparameters };

/**
 * What an optimizer remembers between steps: how many updates it has made (Adam's t) and, per
 * state its rule names (v, m, s), one buffer per parameter (undefined: not used yet, zero).
 * A worked solution of a step in the middle of training starts from it (docs/problem-format.md).
 */
export interface OptimizerState {
  readonly steps: number;
  readonly buffers: ReadonlyMap<string, readonly (Float64Array | undefined)[]>;
}

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

  /** A copy of the optimizer's memory: the steps taken and every state buffer of the rule. */
  saveState(): OptimizerState {
    const own = this.stateBuffers();
    const buffers = new Map(this.rule.state.map((name) => [name, (own.get(name) ?? []).map((buffer) => (buffer === undefined ? undefined : Float64Array.from(buffer)))] as const));
    return { steps: this.stepCount, buffers };
  }

  /** Continue from a saved memory: the next update is step `steps + 1`, from these buffers. */
  loadState(state: OptimizerState): void {
    const own = this.stateBuffers();
    for (const [name, buffers] of state.buffers) {
      const target = own.get(name);
      if (target === undefined) throw new Error(`${this.name} keeps no state named ${name}`);
      buffers.forEach((buffer, index) => (target[index] = buffer === undefined ? undefined : Float64Array.from(buffer)));
    }
    this.stepCount = state.steps;
  }

  /** The optimizer's own buffers by the rule's state names (live: loadState writes into them). */
  protected stateBuffers(): ReadonlyMap<string, (Float64Array | undefined)[]> {
    return new Map();
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

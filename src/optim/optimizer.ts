import type { Tensor } from '../autograd/tensor.js';

/** An update rule written for people (the explanations print it beside the numbers). */
export interface UpdateRule {
  readonly pretty: string;
  readonly latex: string;
}

/**
 * Optimizers update parameters in place, with PyTorch's semantics so results can be
 * compared number for number. State (velocities, moments) lives in typed arrays per parameter.
 */
export abstract class Optimizer {
  protected stepCount = 0;

  constructor(readonly parameters: readonly Tensor[], readonly weightDecay = 0) {}

  abstract readonly name: string;
  abstract readonly rule: UpdateRule;

  /** Update every parameter that has a gradient, then count the step. */
  step(): void {
    this.stepCount++;
    this.parameters.forEach((parameter, index) => {
      if (parameter.grad === null) return;
      this.update(parameter.data, parameter.grad.data, index);
    });
  }

  zeroGrad(): void {
    for (const parameter of this.parameters) parameter.grad = null;
  }

  /** g with weight decay added, as PyTorch's L2 penalty: g + λw. */
  protected decayed(weights: ArrayLike<number>, gradient: ArrayLike<number>, i: number): number {
    return this.weightDecay === 0 ? gradient[i]! : gradient[i]! + this.weightDecay * weights[i]!;
  }

  protected abstract update(weights: Float64Array | Float32Array, gradient: Float64Array | Float32Array, index: number): void;

  /** A zeroed state buffer per parameter, created on first use. */
  protected stateFor(states: (Float64Array | undefined)[], index: number, size: number): Float64Array {
    return (states[index] ??= new Float64Array(size));
  }
}

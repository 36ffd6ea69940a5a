import { add, identity } from '../autograd/api.js';
import { tensorAlgebra } from '../autograd/apply.js';
import { gradients } from '../autograd/functional.js';
import type { Tensor } from '../autograd/tensor.js';
import { AutogradError } from '../errors.js';
import type { Algebra } from '../ops/algebra.js';

/**
 * A layer in the sheet's terms: forward(X) returns the output; backward(d) takes the
 * accumulated gradient arriving from above, returns the gradient it passes down and adds its
 * parameters' gradients into `.grad`. Both run on the engine: backward is reverse mode over
 * the part of the graph this layer recorded, not a second set of derivative formulas.
 */
export abstract class Layer {
  /** The input of the last forward pass (a node of its own, so its gradient can be read). */
  input: Tensor | null = null;
  /** The output of the last forward pass. */
  output: Tensor | null = null;

  /** A short name for messages and explanations: linear, relu, sigmoid… */
  abstract readonly kind: string;

  /**
   * Training or evaluation (PyTorch's module.train()/eval()): dropout drops only while training,
   * batch norm uses the batch's statistics while training and its running ones in evaluation.
   */
  training = true;

  /**
   * Quantities the last compute() named, for worked solutions: batch norm's mean (mu) and
   * variance (sigmasq), an RNN's inputs and states per step (x1, h1…). Run on tensors they hold
   * numbers, on symbols formulas; a name without a final digit gets the layer's number.
   */
  named: readonly (readonly [string, unknown])[] = [];

  /**
   * The computation itself, written once over any algebra: on tensors for training, on
   * symbols for the general algorithm in matrix form. `parameters` follow namedParameters().
   */
  abstract compute<T>(m: Algebra<T>, x: T, parameters: readonly T[]): T;

  /** Trainable tensors with their names (weight, bias). */
  namedParameters(): [string, Tensor][] {
    return [];
  }

  parameters(): Tensor[] {
    return this.namedParameters().map(([, parameter]) => parameter);
  }

  /**
   * Tensors compute() reads after the parameters but never trains (batch norm's running
   * statistics, an RNN's initial state): PyTorch's buffers. Updated in place, so a compiled
   * step reads their current values at every run.
   */
  namedBuffers(): [string, Tensor][] {
    return [];
  }

  /** What compute() takes after x: the parameters, then the buffers. */
  computeInputs(): Tensor[] {
    return [...this.parameters(), ...this.namedBuffers().map(([, buffer]) => buffer)];
  }

  /** Switch training (true) or evaluation (false) mode; layers that hold layers pass it on. */
  setTraining(training: boolean): void {
    this.training = training;
  }

  /**
   * Called before a compiled training step of `rows` observations runs: a layer with randomness
   * of its own (dropout) draws it here, into the buffers the step reads.
   */
  beforeStep(_rows: number): void {}

  /** Called after that step ran: a layer with running statistics (batch norm) updates them here. */
  afterStep(_rows: number): void {}

  forward(x: Tensor): Tensor {
    // identity() gives the layer an input node of its own even when x is data without a
    // gradient, so backward(d) can always say what it passes down.
    const input = x.requiresGrad ? identity(x) : x.detach().requireGrad();
    this.input = input;
    this.output = this.compute(tensorAlgebra, input, this.computeInputs());
    return this.output;
  }

  backward(d: Tensor): Tensor {
    if (this.input === null || this.output === null) {
      throw new AutogradError(`${this.kind}.backward()`, 'call forward() first: backward(d) differentiates what the last forward pass recorded');
    }
    const parameters = this.parameters();
    const [gradInput, ...parameterGrads] = gradients(this.output, [this.input, ...parameters], { gradOutput: d });
    parameters.forEach((parameter, i) => {
      const gradient = parameterGrads[i]!;
      parameter.grad = parameter.grad === null ? gradient : add(parameter.grad, gradient);
    });
    return gradInput!;
  }

  /** Forget accumulated parameter gradients (PyTorch's zero_grad, setting them to None). */
  zeroGrad(): void {
    for (const parameter of this.parameters()) parameter.grad = null;
  }
}

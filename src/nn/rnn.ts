import { zeros } from '../autograd/create.js';
import type { Tensor } from '../autograd/tensor.js';
import { ShapeError } from '../errors.js';
import type { Algebra } from '../ops/algebra.js';
import { formatShape } from '../tensor/shape.js';
import { Layer } from './layer.js';
import { checkSequence, sequenceOutput, stepInputs, stepsIn, type RecurrentOutput } from './sequence.js';

export type RnnOutput = RecurrentOutput;

/** The activation of the cell, as PyTorch's nn.RNN(nonlinearity=…). */
export type RnnNonlinearity = 'tanh' | 'relu';

export interface RnnWeights {
  /** [hidden, inputs], as PyTorch's weight_ih_l0. */
  readonly weightIh: Tensor;
  /** [hidden, hidden], as PyTorch's weight_hh_l0. */
  readonly weightHh: Tensor;
  readonly biasIh?: Tensor | null;
  readonly biasHh?: Tensor | null;
}

/**
 * A recurrent cell with tanh (or ReLU), as PyTorch's nn.RNN(inputs, hidden, batch_first=True) with one
 * layer: hₜ = tanh(xₜ·W_ihᵀ + b_ih + hₜ₋₁·W_hhᵀ + b_hh), from the initial state h0 (zeros
 * unless given, one row for every observation). The input is [N, T, inputs], or [N, T·inputs]
 * (a problem file's rows: each row a sequence of T steps). Backward is backpropagation through
 * time: the engine walks the unrolled steps back, adding each step's share into the weights.
 */
export class RNN extends Layer {
  readonly kind = 'rnn';
  readonly weightIh: Tensor;
  readonly weightHh: Tensor;
  readonly biasIh: Tensor | null;
  readonly biasHh: Tensor | null;
  /** The initial hidden state [hidden] (PyTorch's h0 of one row, the same for every observation). */
  readonly h0: Tensor;

  constructor(weights: RnnWeights, options: { h0?: Tensor; output?: RnnOutput; nonlinearity?: RnnNonlinearity } = {}) {
    super();
    const { weightIh, weightHh } = weights;
    if (weightIh.rank !== 2) throw new ShapeError(`rnn: weight_ih must be a matrix [hidden, inputs], got ${formatShape(weightIh.shape)}`);
    const hidden = weightIh.shape[0]!;
    if (weightHh.rank !== 2 || weightHh.shape[0] !== hidden || weightHh.shape[1] !== hidden) {
      throw new ShapeError(`rnn: weight_hh must be [${hidden}, ${hidden}] (hidden × hidden), got ${formatShape(weightHh.shape)}`);
    }
    this.weightIh = weightIh;
    this.weightHh = weightHh;
    this.biasIh = weights.biasIh ?? null;
    this.biasHh = weights.biasHh ?? null;
    for (const [name, bias] of [['bias_ih', this.biasIh], ['bias_hh', this.biasHh]] as const) {
      if (bias !== null && (bias.rank !== 1 || bias.shape[0] !== hidden)) throw new ShapeError(`rnn: ${name} must have ${hidden} numbers (one per hidden unit), got ${formatShape(bias.shape)}`);
    }
    this.h0 = options.h0 ?? zeros([hidden], weightIh.dtype);
    if (this.h0.rank !== 1 || this.h0.shape[0] !== hidden) throw new ShapeError(`rnn: h0 must have ${hidden} numbers, got ${formatShape(this.h0.shape)}`);
    this.returns = options.output ?? 'last';
    this.nonlinearity = options.nonlinearity ?? 'tanh';
    for (const [, parameter] of this.namedParameters()) parameter.requiresGrad = true;
  }

  /** 'last' (the final hidden state), 'all' or 'steps' (every step's). */
  readonly returns: RnnOutput;
  readonly nonlinearity: RnnNonlinearity;

  get hidden(): number {
    return this.weightIh.shape[0]!;
  }
  get inputs(): number {
    return this.weightIh.shape[1]!;
  }

  override namedParameters(): [string, Tensor][] {
    const named: [string, Tensor][] = [['weight_ih', this.weightIh], ['weight_hh', this.weightHh]];
    if (this.biasIh !== null) named.push(['bias_ih', this.biasIh]);
    if (this.biasHh !== null) named.push(['bias_hh', this.biasHh]);
    return named;
  }

  override namedBuffers(): [string, Tensor][] {
    return [['h0', this.h0]];
  }

  override forward(x: Tensor): Tensor {
    checkSequence('rnn', x, this.inputs);
    return super.forward(x);
  }

  /** The number of time steps of an input. */
  stepsOf(shape: readonly number[]): number {
    return stepsIn(shape, this.inputs);
  }

  compute<T>(m: Algebra<T>, x: T, inputs: readonly T[]): T {
    const [weightIh, weightHh] = inputs;
    let next = 2;
    const biasIh = this.biasIh === null ? undefined : inputs[next++];
    const biasHh = this.biasHh === null ? undefined : inputs[next++];
    const h0 = inputs[next]!;
    const shape = m.shapeOf(x);
    const [inputWeights, hiddenWeights] = [m.mT(weightIh!), m.mT(weightHh!)];
    let h = m.broadcastTo(h0, [shape[0]!, this.hidden]);
    const states: T[] = [];
    const named: [string, T][] = [];
    stepInputs(m, x, this.inputs).forEach((xt, t) => {
      named.push([`x${t + 1}`, xt]);
      let z = m.matmul(xt, inputWeights);
      if (biasIh !== undefined) z = m.add(z, biasIh);
      z = m.add(z, m.matmul(h, hiddenWeights));
      if (biasHh !== undefined) z = m.add(z, biasHh);
      h = this.nonlinearity === 'relu' ? m.relu(z) : m.tanh(z);
      states.push(h);
      named.push([`h${t + 1}`, h]);
    });
    this.named = named;
    return sequenceOutput(m, states, this.returns, shape, this.hidden);
  }
}


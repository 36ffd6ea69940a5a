import { zeros } from '../autograd/create.js';
import type { Tensor } from '../autograd/tensor.js';
import { ShapeError } from '../errors.js';
import type { Algebra } from '../ops/algebra.js';
import { formatShape } from '../tensor/shape.js';
import { Layer } from './layer.js';
import { checkSequence, sequenceOutput, stepInputs, stepsIn, type RecurrentOutput } from './sequence.js';

/*
 * The gated recurrent cells, one layer each, with PyTorch's semantics and parameter names
 * (nn.GRU / nn.LSTM, batch_first=True): weight_ih [gates·hidden, inputs], weight_hh
 * [gates·hidden, hidden], bias_ih and bias_hh [gates·hidden], the gates stacked in PyTorch's
 * order (GRU: r, z, n; LSTM: i, f, g, o). Each step is registry ops (matmul, slice, sigmoid,
 * tanh, mul, add), so backpropagation through time is the engine's reverse mode.
 */

export interface GatedWeights {
  readonly weightIh: Tensor;
  readonly weightHh: Tensor;
  readonly biasIh?: Tensor | null;
  readonly biasHh?: Tensor | null;
}

export interface GatedOptions {
  /** The initial hidden state [hidden], the same for every observation (zeros unless given). */
  readonly h0?: Tensor;
  /** The LSTM's initial cell state [hidden] (zeros unless given). */
  readonly c0?: Tensor;
  readonly output?: RecurrentOutput;
}

/** What GRU and LSTM share: the weights' checks, the input, the parameters and the gates' slices. */
abstract class GatedRecurrent extends Layer {
  abstract override readonly kind: 'gru' | 'lstm';
  readonly weightIh: Tensor;
  readonly weightHh: Tensor;
  readonly biasIh: Tensor | null;
  readonly biasHh: Tensor | null;
  readonly h0: Tensor;
  readonly returns: RecurrentOutput;

  constructor(kind: 'gru' | 'lstm', gates: number, weights: GatedWeights, options: GatedOptions) {
    super();
    const { weightIh, weightHh } = weights;
    const stacked = weightIh.shape[0]!;
    if (weightIh.rank !== 2 || stacked % gates !== 0) {
      throw new ShapeError(`${kind}: weight_ih must be [${gates}·hidden, inputs] (${gates} gates stacked), got ${formatShape(weightIh.shape)}`);
    }
    const hidden = stacked / gates;
    if (weightHh.rank !== 2 || weightHh.shape[0] !== stacked || weightHh.shape[1] !== hidden) {
      throw new ShapeError(`${kind}: weight_hh must be [${stacked}, ${hidden}] (${gates}·hidden × hidden), got ${formatShape(weightHh.shape)}`);
    }
    this.weightIh = weightIh;
    this.weightHh = weightHh;
    this.biasIh = weights.biasIh ?? null;
    this.biasHh = weights.biasHh ?? null;
    for (const [name, bias] of [['bias_ih', this.biasIh], ['bias_hh', this.biasHh]] as const) {
      if (bias !== null && (bias.rank !== 1 || bias.shape[0] !== stacked)) throw new ShapeError(`${kind}: ${name} must have ${stacked} numbers (${gates}·hidden), got ${formatShape(bias.shape)}`);
    }
    this.h0 = this.state(kind, 'h0', options.h0, hidden);
    this.returns = options.output ?? 'last';
    for (const [, parameter] of this.namedParameters()) parameter.requiresGrad = true;
  }

  /** An initial state: the one given (checked) or zeros. */
  protected state(kind: string, name: string, given: Tensor | undefined, hidden: number): Tensor {
    const state = given ?? zeros([hidden], this.weightIh.dtype);
    if (state.rank !== 1 || state.shape[0] !== hidden) throw new ShapeError(`${kind}: ${name} must have ${hidden} numbers, got ${formatShape(state.shape)}`);
    return state;
  }

  get inputs(): number {
    return this.weightIh.shape[1]!;
  }
  abstract get hidden(): number;

  override namedParameters(): [string, Tensor][] {
    const named: [string, Tensor][] = [['weight_ih', this.weightIh], ['weight_hh', this.weightHh]];
    if (this.biasIh !== null) named.push(['bias_ih', this.biasIh]);
    if (this.biasHh !== null) named.push(['bias_hh', this.biasHh]);
    return named;
  }

  override forward(x: Tensor): Tensor {
    checkSequence(this.kind, x, this.inputs);
    return super.forward(x);
  }

  stepsOf(shape: readonly number[]): number {
    return stepsIn(shape, this.inputs);
  }

  /** The parameters and buffers compute() receives, by name. */
  protected unpack<T>(inputs: readonly T[]): { weightIh: T; weightHh: T; biasIh?: T; biasHh?: T; states: T[] } {
    let next = 2;
    const biasIh = this.biasIh === null ? undefined : inputs[next++];
    const biasHh = this.biasHh === null ? undefined : inputs[next++];
    return { weightIh: inputs[0]!, weightHh: inputs[1]!, ...(biasIh === undefined ? {} : { biasIh }), ...(biasHh === undefined ? {} : { biasHh }), states: inputs.slice(next) };
  }

  /** x·Wᵀ + b, [N, gates·hidden]. */
  protected affine<T>(m: Algebra<T>, x: T, weightT: T, bias: T | undefined): T {
    const product = m.matmul(x, weightT);
    return bias === undefined ? product : m.add(product, bias);
  }

  /** Gate k's columns of a stacked [N, gates·hidden]. */
  protected gate<T>(m: Algebra<T>, stacked: T, k: number): T {
    const rows = m.shapeOf(stacked)[0]!;
    return m.slice(stacked, [0, k * this.hidden], [rows, (k + 1) * this.hidden]);
  }
}

/**
 * PyTorch's nn.GRU: r = σ(xWᵢᵣᵀ + bᵢᵣ + hWₕᵣᵀ + bₕᵣ), z = σ(… z …),
 * n = tanh(xWᵢₙᵀ + bᵢₙ + r ⊙ (hWₕₙᵀ + bₕₙ)), h′ = (1 − z) ⊙ n + z ⊙ h. The reset gate multiplies
 * hWₕₙᵀ + bₕₙ after the product (ONNX's linear_before_reset = 1).
 */
export class GRU extends GatedRecurrent {
  readonly kind = 'gru';

  constructor(weights: GatedWeights, options: GatedOptions = {}) {
    super('gru', 3, weights, options);
  }

  get hidden(): number {
    return this.weightIh.shape[0]! / 3;
  }

  override namedBuffers(): [string, Tensor][] {
    return [['h0', this.h0]];
  }

  compute<T>(m: Algebra<T>, x: T, inputs: readonly T[]): T {
    const { weightIh, weightHh, biasIh, biasHh, states: [h0] } = this.unpack(inputs);
    const shape = m.shapeOf(x);
    const [inputWeights, hiddenWeights] = [m.mT(weightIh), m.mT(weightHh)];
    let h = m.broadcastTo(h0!, [shape[0]!, this.hidden]);
    const states: T[] = [];
    const named: [string, T][] = [];
    const one = m.constant(1, h);
    stepInputs(m, x, this.inputs).forEach((xt, t) => {
      const fromInput = this.affine(m, xt, inputWeights, biasIh);
      const fromState = this.affine(m, h, hiddenWeights, biasHh);
      const r = m.sigmoid(m.add(this.gate(m, fromInput, 0), this.gate(m, fromState, 0)));
      const z = m.sigmoid(m.add(this.gate(m, fromInput, 1), this.gate(m, fromState, 1)));
      const n = m.tanh(m.add(this.gate(m, fromInput, 2), m.mul(r, this.gate(m, fromState, 2))));
      h = m.add(m.mul(m.sub(one, z), n), m.mul(z, h));
      states.push(h);
      named.push([`x${t + 1}`, xt], [`r${t + 1}`, r], [`z${t + 1}`, z], [`n${t + 1}`, n], [`h${t + 1}`, h]);
    });
    this.named = named;
    return sequenceOutput(m, states, this.returns, shape, this.hidden);
  }
}

/**
 * PyTorch's nn.LSTM: i, f, o = σ(xWᵀ + b + hWₕᵀ + bₕ) of their gates, g = tanh(… g …),
 * c′ = f ⊙ c + i ⊙ g, h′ = o ⊙ tanh(c′); the initial cell state c0 is a buffer as h0 is.
 */
export class LSTM extends GatedRecurrent {
  readonly kind = 'lstm';
  readonly c0: Tensor;

  constructor(weights: GatedWeights, options: GatedOptions = {}) {
    super('lstm', 4, weights, options);
    this.c0 = this.state('lstm', 'c0', options.c0, this.hidden);
  }

  get hidden(): number {
    return this.weightIh.shape[0]! / 4;
  }

  override namedBuffers(): [string, Tensor][] {
    return [['h0', this.h0], ['c0', this.c0]];
  }

  compute<T>(m: Algebra<T>, x: T, inputs: readonly T[]): T {
    const { weightIh, weightHh, biasIh, biasHh, states: [h0, c0] } = this.unpack(inputs);
    const shape = m.shapeOf(x);
    const [inputWeights, hiddenWeights] = [m.mT(weightIh), m.mT(weightHh)];
    let h = m.broadcastTo(h0!, [shape[0]!, this.hidden]);
    let c = m.broadcastTo(c0!, [shape[0]!, this.hidden]);
    const states: T[] = [];
    const named: [string, T][] = [];
    stepInputs(m, x, this.inputs).forEach((xt, t) => {
      const stacked = m.add(this.affine(m, xt, inputWeights, biasIh), this.affine(m, h, hiddenWeights, biasHh));
      const [i, f, g, o] = [m.sigmoid(this.gate(m, stacked, 0)), m.sigmoid(this.gate(m, stacked, 1)), m.tanh(this.gate(m, stacked, 2)), m.sigmoid(this.gate(m, stacked, 3))];
      c = m.add(m.mul(f, c), m.mul(i, g));
      h = m.mul(o, m.tanh(c));
      states.push(h);
      named.push([`x${t + 1}`, xt], [`i${t + 1}`, i], [`f${t + 1}`, f], [`g${t + 1}`, g], [`o${t + 1}`, o], [`c${t + 1}`, c], [`h${t + 1}`, h]);
    });
    this.named = named;
    return sequenceOutput(m, states, this.returns, shape, this.hidden);
  }
}

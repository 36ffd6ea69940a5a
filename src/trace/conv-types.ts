import type { Values } from '../formula/values-text.js';
import type { LossName } from '../nn/losses.js';
import type { NetworkTrace, Titles, UpdateWorked } from './types.js';

/*
 * The trace of a network with convolution or pooling layers (record/conv-network.ts): one forward
 * and backward pass over the data with every number, and, for the first observation, the sliding
 * windows as sums of products, the same as a matrix product (im2col), and where pooling sent the
 * gradient. Numbers only; the words are chosen when it is explained (explain/conv-solution.ts).
 */

/** One product of a sum: an input number (or arriving gradient) times a weight. */
export type Term = readonly [number, number];

/** One output of a convolution for the first observation: output channel, row, column (0-based). */
export interface ConvOutputSum {
  readonly at: readonly [number, number, number];
  readonly terms: readonly Term[];
  readonly bias: number | null;
  readonly value: number;
}

/** One pooling window of the first observation: its inputs in order, and which of them won (max; ties share), none for mean. */
export interface PoolWindow {
  readonly at: readonly [number, number, number];
  readonly inputs: readonly number[];
  /** 0-based positions in `inputs` of the largest value (several on a tie); empty for average pooling. */
  readonly winners: readonly number[];
  readonly value: number;
  /** The gradient arriving at this output. */
  readonly gradient: number;
}

export interface ConvDetails {
  readonly windows: readonly ConvOutputSum[];
  /** The weights as a matrix [Cout, C·kH·kW] and the first observation's columns [C·kH·kW, oH·oW]; null with groups. */
  readonly matrix: { readonly weights: Values; readonly columns: Values; readonly product: Values; readonly gradient: Values; readonly gradWeights: Values } | null;
  /**
   * With the matrix form and a small batch (at most 4 observations, docs/layers.md): each
   * observation's d·im2col(X)ᵀ, whose sum is ∂L/∂W; null otherwise.
   */
  readonly observations: {
    readonly each: readonly { readonly columns: Values; readonly gradient: Values; readonly gradWeights: Values }[];
    /** ∂L/∂W as the matrix [Cout, C·kH·kW]: the engine's, which the sum of the above gives. */
    readonly total: Values;
  } | null;
  /**
   * ∂L/∂b per output channel as a sum: of every arriving gradient of every observation
   * (`positions`, a small batch), or of each observation's total (`observations`).
   */
  readonly biasTerms: readonly (readonly number[])[] | null;
  readonly biasBy: 'positions' | 'observations';
  /** ∂L/∂x for each input position (channel, row, column) of the first observation: Σ d·w over the windows that read it. */
  readonly inputGradient: readonly { readonly at: readonly [number, number, number]; readonly terms: readonly Term[]; readonly value: number }[];
}

/**
 * Batch normalization of images, one channel: its numbers over the whole batch (a row per
 * observation, the positions along it), the statistics, x̂, and the three gradients.
 */
export interface ChannelNorm {
  readonly values: Values;
  readonly mean: number;
  readonly variance: number;
  readonly xhat: Values;
  readonly gamma: number;
  readonly beta: number;
  readonly output: Values;
  /** The gradient arriving at the channel's outputs, and its mean and the mean of gradient ⊙ x̂. */
  readonly gradient: Values;
  readonly meanGradient: number;
  readonly meanGradientXhat: number;
  readonly gradGamma: number;
  readonly gradBeta: number;
  readonly gradInput: Values;
}

export interface NormDetails {
  readonly eps: number;
  /** How many numbers each statistic averages: observations × positions. */
  readonly count: number;
  readonly channels: readonly ChannelNorm[];
}

export interface ConvLayerRecord {
  readonly index: number;
  readonly kind: string;
  /** One observation's shape before and after the layer. */
  readonly inputShape: readonly number[];
  readonly outputShape: readonly number[];
  readonly input: Values;
  readonly output: Values;
  readonly gradOutput: Values;
  readonly gradInput: Values;
  /** Parameters and their gradients, keyed INDEX.weight / INDEX.bias. */
  readonly params: Readonly<Record<string, Values>>;
  readonly grads: Readonly<Record<string, Values>>;
  readonly conv?: ConvDetails;
  readonly pool?: readonly PoolWindow[];
  readonly norm?: NormDetails;
  /** Per parameter (INDEX.weight), the optimizer's step line by line; a convolution's kernel as the matrix [Cout, C·kH·kW]. */
  readonly updates?: Readonly<Record<string, readonly UpdateWorked[]>>;
}

export interface ConvTrace {
  readonly kind: 'conv';
  readonly title: string;
  readonly titles?: Titles;
  readonly loss: LossName;
  readonly observations: number;
  readonly y: Values;
  readonly prediction: Values;
  readonly lossValue: number;
  readonly gradPrediction: Values;
  readonly layers: readonly ConvLayerRecord[];
  readonly optimizer: NetworkTrace['optimizer'];
  /** The problem file's own remark (where the book errs), as a network trace's. */
  readonly note?: NetworkTrace['note'];
}

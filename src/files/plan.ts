import type { LossName } from '../nn/losses.js';
import type { ActivationName, LinearSpec, TrainSpec } from './schema.js';
import type { SpatialPlan } from './conv-layers.js';

/** A validated linear layer: numbers (or a seeded initialiser), or names in a symbolic problem. */
export interface LinearPlan {
  readonly kind: 'linear';
  readonly inputs: number;
  readonly outputs: number;
  readonly weights: number[][] | string | null;
  /** null: no bias; numbers; { init: true } to initialise it; a name in a symbolic problem. */
  readonly bias: number[] | string | { readonly init: true } | null;
  readonly init: Pick<LinearSpec, 'init' | 'value' | 'seed'>;
}

export interface ActivationPlan {
  readonly kind: ActivationName;
  readonly slope?: number;
  /**
   * `- activation: f`: a function known only by its name (a symbolic problem writes f(H₁) and
   * f′(H₁)). `kind` is then only a stand-in for building the layer objects and is never run.
   */
  readonly generic?: string;
}

/** Dropout: drop probability p, its generator's seed, or a fixed keep (1) / drop (0) mask per element. */
export interface DropoutPlan {
  readonly kind: 'dropout';
  readonly p: number;
  readonly seed: number | undefined;
  readonly mask: number[][] | null;
}

/** layernorm or batchnorm1d over `features` columns; numbers not given take PyTorch's defaults (γ = 1, β = 0…). */
export interface NormalizationPlan {
  readonly kind: 'layernorm' | 'batchnorm1d';
  readonly features: number;
  readonly weight: number[] | null;
  readonly bias: number[] | null;
  readonly runningMean: number[] | null;
  readonly runningVar: number[] | null;
  readonly eps: number;
  readonly momentum: number;
}

/** batchnorm2d over the `features` channels of images [C, H, W]: each channel's statistics over the batch and every position. */
export interface BatchNorm2dPlan extends Omit<NormalizationPlan, 'kind'> {
  readonly kind: 'batchnorm2d';
  /** One observation's shape [C, H, W], before and after (a first layer reads rows of C·H·W numbers as it). */
  readonly inputShape: readonly number[];
  readonly outputShape: readonly number[];
}

/** y = x + f(x), f the layers of `body`. */
export interface ResidualPlan {
  readonly kind: 'residual';
  readonly body: readonly LayerPlan[];
}

/** A recurrent layer (tanh or ReLU RNN, GRU, LSTM) over each row read as steps × inputs numbers (weights in PyTorch's shapes). */
export interface RnnPlan {
  readonly kind: 'rnn' | 'gru' | 'lstm';
  /** Gates stacked in the weights: 1 (rnn), 3 (gru: r, z, n), 4 (lstm: i, f, g, o). */
  readonly gates: number;
  readonly inputs: number;
  readonly hidden: number;
  readonly weightIh: number[][] | null;
  readonly weightHh: number[][] | null;
  /** Numbers, or true for PyTorch's initialisation, false for none. */
  readonly biasIh: number[] | boolean;
  readonly biasHh: number[] | boolean;
  readonly h0: number[] | null;
  /** The LSTM's initial cell state. */
  readonly c0: number[] | null;
  readonly output: 'last' | 'all' | 'steps';
  readonly nonlinearity: 'tanh' | 'relu';
  /** Time steps in a row of the data, where the data's width is known (output: steps: targets have steps × outputs numbers per row). */
  readonly steps: number | null;
  readonly seed: number | undefined;
}

/** Spatial layers (conv2d, conv1d, pooling, flatten): files/conv-layers.ts. */
export type LayerPlan = LinearPlan | ActivationPlan | SpatialPlan | DropoutPlan | NormalizationPlan | BatchNorm2dPlan | ResidualPlan | RnnPlan;

/** A remark as text, or per language. */
export type Note = string | { readonly en: string; readonly ru?: string | undefined };

export interface Titles {
  readonly en: string;
  readonly ru?: string;
}

export interface ExpressionProblem {
  readonly kind: 'expression';
  readonly title: string;
  /** The title per language, where the file gives one. */
  readonly titles?: Titles;
  /** The problem's statement (the file's description:), as text or per language. */
  readonly description?: Note;
  readonly expression: string;
  readonly at: Readonly<Record<string, number>>;
  readonly answers?: unknown;
}

export interface NetworkProblem {
  readonly kind: 'network';
  readonly title: string;
  /** The title per language, where the file gives one. */
  readonly titles?: Titles;
  /** The problem's statement (the file's description:), as text or per language. */
  readonly description?: Note;
  readonly layers: readonly LayerPlan[];
  readonly loss: LossName;
  /** λ of the L2 term λ·Σ‖W‖² added to the loss, if any. */
  readonly l2?: number;
  readonly data: { readonly x: number[][]; readonly y: number[][] };
  readonly train: TrainSpec;
  /** A teacher's remark shown in the worked solution, as text or per language. */
  readonly note?: Note;
  readonly answers?: unknown;
}

/** Weights given as names: the general algorithm, in formulas (exercise 5). */
export interface SymbolicProblem {
  readonly kind: 'symbolic';
  readonly title: string;
  /** The title per language, where the file gives one. */
  readonly titles?: Titles;
  /** The problem's statement (the file's description:), as text or per language. */
  readonly description?: Note;
  readonly layers: readonly LayerPlan[];
  readonly loss: LossName;
  /** λ of the L2 term λ·Σ‖W‖² added to the loss, if any. */
  readonly l2?: number;
  /** A teacher's remark shown in the worked solution, as text or per language. */
  readonly note?: Note;
}

/**
 * One layer of a network asked about on its own (exercise 4's layer questions): its input and the
 * accumulated gradient arriving at its output from above are given.
 */
export interface LayerProblem {
  readonly kind: 'layer';
  readonly title: string;
  /** The title per language, where the file gives one. */
  readonly titles?: Titles;
  /** The problem's statement (the file's description:), as text or per language. */
  readonly description?: Note;
  /** The whole network, so the layer keeps the sheet's names (O₁, W₂) and number. */
  readonly layers: readonly LayerPlan[];
  /** 0-based position of the layer asked about in `layers`. */
  readonly layer: number;
  /** The layer's input, one row per observation. */
  readonly x: number[][];
  /** ∂L/∂(output): the accumulated gradient arriving from above, shaped like the output. */
  readonly gradient: number[][];
  readonly answers?: unknown;
}

/** A formula of vectors and matrices (docs/matrix-calculus.md): `at` holds numbers, lists (vectors) and lists of rows (matrices). */
export interface MatrixProblem {
  readonly kind: 'matrix';
  readonly title: string;
  readonly titles?: Titles;
  /** The problem's statement (the file's description:), as text or per language. */
  readonly description?: Note;
  readonly expression: string;
  readonly at: Readonly<Record<string, unknown>>;
  /** Variables declared without values (x: vector, A: "matrix m×n"), for a purely symbolic answer; then `at` is empty. */
  readonly variables?: Readonly<Record<string, unknown>>;
  /** With values: the variables declared "symmetric matrix" (their values must be symmetric). */
  readonly symmetric?: readonly string[];
  /** Also the Hessian (hessian: true). */
  readonly hessian: boolean;
  /** Solve ∇ = 0 for these variables (stationary: [w]). */
  readonly stationary?: readonly string[];
  readonly note?: Note;
  readonly answers?: unknown;
}

export type ProblemPlan = ExpressionProblem | MatrixProblem | NetworkProblem | SymbolicProblem | LayerProblem;

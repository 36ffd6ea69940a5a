import type { LossName } from '../nn/losses.js';
import type { ActivationName, LinearSpec, TrainSpec } from './schema.js';

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
}

export type LayerPlan = LinearPlan | ActivationPlan;

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
  readonly expression: string;
  readonly at: Readonly<Record<string, number>>;
  readonly answers?: unknown;
}

export interface NetworkProblem {
  readonly kind: 'network';
  readonly title: string;
  /** The title per language, where the file gives one. */
  readonly titles?: Titles;
  readonly layers: readonly LayerPlan[];
  readonly loss: LossName;
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
  readonly layers: readonly LayerPlan[];
  readonly loss: LossName;
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
  readonly expression: string;
  readonly at: Readonly<Record<string, unknown>>;
  /** Variables declared without values (x: vector, A: "matrix m×n"), for a purely symbolic answer; then `at` is empty. */
  readonly variables?: Readonly<Record<string, unknown>>;
  /** Also the Hessian (hessian: true). */
  readonly hessian: boolean;
  readonly answers?: unknown;
}

export type ProblemPlan = ExpressionProblem | MatrixProblem | NetworkProblem | SymbolicProblem | LayerProblem;

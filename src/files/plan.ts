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

export type ProblemPlan = ExpressionProblem | NetworkProblem | SymbolicProblem;

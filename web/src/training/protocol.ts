import type { LayerWeights, TrainingReport, TrainingSettings } from './trainer.js';

/** Messages between the page and the training worker. */
export type ToWorker =
  | { readonly kind: 'reset'; readonly settings: TrainingSettings; readonly gridSize: number }
  | { readonly kind: 'run'; readonly steps: number };

export interface FromWorker {
  readonly kind: 'state';
  readonly report: TrainingReport;
  /** P(label 1) on the grid, row by row from the top. */
  readonly grid: Float64Array;
  /** The linear layers' current weights (absent when training could not start). */
  readonly weights?: readonly LayerWeights[];
  /** The dataset, sent after a reset. */
  readonly points?: Float64Array;
  readonly labels?: Float64Array;
}

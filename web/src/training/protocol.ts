import type { PortableLayer } from '../../../src/interop/index.js';
import type { PartChoice, StepPart } from './step-part.js';
import type { LayerWeights, TrainingReport, TrainingSettings } from './trainer.js';

/** Messages between the page and the training worker. */
export type ToWorker =
  | { readonly kind: 'reset'; readonly settings: TrainingSettings; readonly gridSize: number }
  /** Train in slices until paused, sending a picture whenever the page has drawn the last one. */
  | { readonly kind: 'play' }
  | { readonly kind: 'pause' }
  | { readonly kind: 'step' }
  /** The page has drawn the last state: the next may come. */
  | { readonly kind: 'drawn' }
  /** Set a weight (to: the output it feeds) or, with to null, the bias of neuron `from`. */
  | { readonly kind: 'set-weight'; readonly layer: number; readonly from: number; readonly to: number | null; readonly value: number }
  /** The next step as a problem file: opened in Problem mode, or saved as a file. */
  | { readonly kind: 'explain'; readonly title: string; readonly purpose: ExplainPurpose; readonly stateNote: string }
  /**
   * The next step solved here, in the worker, and cut to a clicked neuron's or weight's part: solving
   * takes 0.1–1.3 s, which the page's main thread must not spend (it would not answer input meanwhile).
   */
  | { readonly kind: 'explain-part'; readonly title: string; readonly stateNote: string; readonly choice: PartChoice }
  /** The trained network's layers as plain data, to be saved as safetensors or ONNX. */
  | { readonly kind: 'model'; readonly format: ModelFormat };

/** The formats the trained network downloads in, besides the problem file. */
export type ModelFormat = 'safetensors' | 'onnx';

/** The trained network (mashagrad/interop's portable layers: weights as [inputs, outputs] rows, activations by name). */
export interface ModelMessage {
  readonly kind: 'model';
  readonly format: ModelFormat;
  readonly layers: readonly PortableLayer[];
  /** Steps done so far. */
  readonly steps: number;
}

/** What the page does with an explained step: open it whole in Problem mode, or save it as a file. */
export type ExplainPurpose = 'open' | 'download';

/** A neuron's or a weight's part of the next step, solved in the worker (or why it could not be). */
export interface PartMessage {
  readonly kind: 'part';
  readonly choice: PartChoice;
  /** The step's number: steps done so far + 1. */
  readonly step: number;
  readonly result: { readonly part: StepPart } | { readonly failure: string };
}

/** The next training step as a problem file (problem-export.ts). */
export interface ProblemMessage {
  readonly kind: 'problem';
  readonly text: string;
  readonly purpose: ExplainPurpose;
  /** The step's number: steps done so far + 1. */
  readonly step: number;
}

export interface FromWorker {
  readonly kind: 'state';
  readonly report: TrainingReport;
  /** The network's output on the grid, row by row from the top (empty when training could not start). */
  readonly grid: Float64Array;
  /** Each neuron's own output on the small grid: inputs first, then each hidden layer. */
  readonly neurons: readonly Float64Array[];
  readonly weights: readonly LayerWeights[];
  /** Steps per second over the last slices while playing. */
  readonly stepsPerSecond: number;
  /** The points, sent after a reset: x₁, x₂ pairs, their labels or targets, and which are test points. */
  readonly points?: Float64Array;
  readonly labels?: Float64Array;
  readonly isTest?: Uint8Array;
  /** Your CSV's labels in class order (null: the generated sets, classes 0/1 or regression). */
  readonly classNames?: readonly string[] | null;
  /** Why training could not start (an error in the settings that the form did not catch). */
  readonly failure?: string;
}

/** The side of the small per-neuron heat maps' grid. */
export const NEURON_GRID = 20;

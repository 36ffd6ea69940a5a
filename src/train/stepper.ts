import type { Dataset } from '../data/dataset.js';
import { LOSSES, type LossName } from '../nn/losses.js';
import { Linear } from '../nn/linear.js';
import type { Sequential } from '../nn/sequential.js';
import { createOptimizer, type OptimizerSettings } from '../optim/create.js';
import type { Optimizer } from '../optim/optimizer.js';
import type { DType, Storage } from '../tensor/dtype.js';
import { Random } from '../tensor/random.js';
import { countCorrect, epochOrder, fillBatch, modelOutputs } from './batches.js';
import { compileTrainingStep, lossPlan, type TrainingStep } from './training-step.js';

/**
 * A penalty on the linear layers' weights (not their biases, as TensorFlow Playground does):
 * L2 adds rate·w to a weight's gradient (the gradient of rate/2·w²), L1 adds rate·sign(w).
 */
export interface Regularization {
  readonly kind: 'l1' | 'l2';
  readonly rate: number;
}

export interface StepperSettings {
  readonly loss: LossName;
  readonly optimizer: OptimizerSettings;
  /** Rows per step; the last step of an epoch takes what is left (PyTorch's DataLoader default). */
  readonly batch: number;
  /** Shuffle the rows every epoch, from `seed` (the same seed, the same run). */
  readonly shuffle: boolean;
  readonly seed: number;
  readonly dtype: DType;
  readonly regularization?: Regularization | null;
}

/** What one step did: the batch's loss before the update, and where in the epoch it was. */
export interface StepOutcome {
  /** 1-based epoch and step within it. */
  readonly epoch: number;
  readonly step: number;
  readonly stepsPerEpoch: number;
  readonly rows: number;
  /** The batch's loss as computed before the update (mean over rows, or the sum for sse). */
  readonly loss: number;
  /** Rows predicted right before the update (null for regression). */
  readonly correct: number | null;
  /** False when the loss was not a finite number: then no update was made. */
  readonly updated: boolean;
}

/** Compiled steps by batch size: one for full batches, one for an epoch's last partial batch. */
export class StepCache {
  readonly #steps = new Map<number, TrainingStep>();
  constructor(private readonly make: (rows: number) => TrainingStep) {}
  get(rows: number): TrainingStep {
    let step = this.#steps.get(rows);
    if (step === undefined) this.#steps.set(rows, (step = this.make(rows)));
    return step;
  }
}

/** A batch's loss as a sum over its rows: summed losses already are, mean losses times the rows. */
export function batchTotal(loss: LossName, value: number, rows: number): number {
  return LOSSES[loss].reduction === 'sum' ? value : value * rows;
}

/**
 * The one training step of the library: the CLI's `train` (through `fit`) and the page's
 * training mode both advance a model with it. Each call takes the next batch of the epoch's
 * (shuffled) order, runs the compiled forward + backward, adds the regularization's gradient
 * and lets the optimizer update the weights in place.
 */
export class Stepper {
  readonly optimizer: Optimizer;
  readonly stepsPerEpoch: number;
  readonly width: number;
  readonly fromLogits: boolean;
  readonly #steps: StepCache;
  readonly #random: Random | null;
  readonly #order: Int32Array;
  /** Indices (in model.parameters() order) of the linear layers' weights: what a penalty acts on. */
  readonly #penalised: ReadonlySet<number>;
  #epoch = 0;
  #index: number;

  constructor(readonly model: Sequential, readonly data: Dataset, readonly settings: StepperSettings) {
    this.width = modelOutputs(model);
    this.fromLogits = lossPlan(model, settings.loss).fromLogits;
    this.#steps = new StepCache((rows) => compileTrainingStep(model, settings.loss, { batch: rows, features: data.features, outputs: this.width, dtype: settings.dtype }));
    this.optimizer = createOptimizer(model.parameters(), settings.optimizer);
    this.#random = settings.shuffle ? new Random(settings.seed) : null;
    this.#order = new Int32Array(data.count);
    this.stepsPerEpoch = Math.ceil(data.count / settings.batch);
    this.#index = this.stepsPerEpoch;
    const weights = new Set(model.layers.flatMap((layer) => (layer instanceof Linear ? [layer.weight] : [])));
    this.#penalised = new Set(model.parameters().flatMap((parameter, i) => (weights.has(parameter) ? [i] : [])));
  }

  /** The epoch of the next step (1-based), and how many steps of it are done. */
  get epoch(): number {
    return this.#index >= this.stepsPerEpoch ? this.#epoch + 1 : this.#epoch;
  }
  get stepInEpoch(): number {
    return this.#index >= this.stepsPerEpoch ? 0 : this.#index;
  }

  /** The rows (indices into the data) the next step will train on: what a worked solution of that step needs. */
  nextRows(): Int32Array {
    this.startEpochIfDone();
    const start = this.#index * this.settings.batch;
    return this.#order.slice(start, Math.min(start + this.settings.batch, this.data.count));
  }

  private startEpochIfDone(): void {
    if (this.#index < this.stepsPerEpoch) return;
    epochOrder(this.data.count, this.#random, this.#order);
    this.#epoch++;
    this.#index = 0;
  }

  step(): StepOutcome {
    this.startEpochIfDone();
    const { batch } = this.settings;
    const start = this.#index * batch;
    const rows = Math.min(batch, this.data.count - start);
    const step = this.#steps.get(rows);
    fillBatch(this.data, this.#order, start, rows, this.width, step.x, step.y);
    // Dropout draws this step's masks before it, batch norm moves its running statistics after it.
    this.model.beforeStep(rows);
    step.run();
    this.model.afterStep(rows);
    this.#index++;
    const loss = step.loss[0]!;
    const outcome = { epoch: this.#epoch, step: this.#index, stepsPerEpoch: this.stepsPerEpoch, rows, loss };
    if (!Number.isFinite(loss)) return { ...outcome, correct: null, updated: false };
    // Accuracy of the batch as it was predicted, before this step's update (as Keras reports it).
    const correct = this.data.labels === null ? null : countCorrect(step.output, this.width, this.fromLogits, rows, this.data.labels, this.#order, start);
    this.penalise(step.gradients);
    this.optimizer.stepWith(step.gradients);
    return { ...outcome, correct, updated: true };
  }

  private penalise(gradients: readonly Storage[]): void {
    const penalty = this.settings.regularization;
    if (penalty === null || penalty === undefined || penalty.rate === 0) return;
    const parameters = this.model.parameters();
    for (const i of this.#penalised) {
      const [gradient, weight] = [gradients[i]!, parameters[i]!.data];
      for (let k = 0; k < gradient.length; k++) {
        const w = weight[k]!;
        gradient[k]! += penalty.kind === 'l2' ? penalty.rate * w : penalty.rate * Math.sign(w);
      }
    }
  }
}

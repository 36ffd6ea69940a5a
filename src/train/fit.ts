import type { Dataset } from '../data/dataset.js';
import type { LossName } from '../nn/losses.js';
import type { Sequential } from '../nn/sequential.js';
import type { DType } from '../tensor/dtype.js';
import { countCorrect, epochOrder, fillBatch, modelOutputs } from './batches.js';
import { batchTotal, StepCache, Stepper, type StepperSettings } from './stepper.js';
import { compileTrainingStep, lossPlan } from './training-step.js';

/** The step's settings (loss, optimizer, batch, shuffling and seed, dtype, regularization) and the run's. */
export interface FitSettings extends StepperSettings {
  readonly epochs: number;
  /** Multiply the learning rate by this after every epoch (PyTorch's ExponentialLR); default 1. */
  readonly lrDecay?: number;
  /** Rows per evaluation step (any size; only memory depends on it). */
  readonly evaluationBatch?: number;
}

/**
 * The numbers of one epoch; accuracy is null for regression, test numbers null without a test
 * split. Losses are per row: the mean of a mean loss (mse, cross-entropy…), and for the summed
 * ones (sse, half_sse) the batch sums divided by the rows, so batch sizes do not change the scale.
 */
export interface EpochRecord {
  readonly epoch: number;
  /** The learning rate the epoch's steps used. */
  readonly lr: number;
  readonly loss: number;
  readonly accuracy: number | null;
  readonly testLoss: number | null;
  readonly testAccuracy: number | null;
  readonly seconds: number;
  readonly samplesPerSecond: number;
}

export interface Progress {
  readonly epoch: number;
  readonly step: number;
  readonly steps: number;
  readonly loss: number;
  readonly accuracy: number | null;
  readonly samplesPerSecond: number;
}

export interface FitCallbacks {
  /** After every step (keep it cheap: a progress bar throttles itself). */
  readonly onStep?: (progress: Progress) => void;
  readonly onEpoch?: (record: EpochRecord) => void;
}

export interface FitResult {
  readonly epochs: readonly EpochRecord[];
  /** Set when the loss stopped being a finite number: training stops at that step. */
  readonly diverged: { readonly epoch: number; readonly step: number; readonly loss: number } | null;
}

/**
 * Mean loss (per row) and accuracy of `model` on a data set, by compiled forward passes; the
 * returned function re-reads the weights at every call, so fit compiles it once for all epochs.
 */
export function evaluator(model: Sequential, data: Dataset, loss: LossName, dtype: DType, batch = 1000): () => { loss: number; accuracy: number | null } {
  const width = modelOutputs(model);
  const steps = new StepCache((rows) => compileTrainingStep(model, loss, { batch: rows, features: data.features, outputs: width, dtype }, { gradients: false }));
  const { fromLogits } = lossPlan(model, loss);
  const order = epochOrder(data.count, null);
  return () => {
    let total = 0;
    let correct = 0;
    for (let start = 0; start < data.count; start += batch) {
      const rows = Math.min(batch, data.count - start);
      const step = steps.get(rows);
      fillBatch(data, order, start, rows, width, step.x, step.y);
      step.run();
      total += batchTotal(loss, step.loss[0]!, rows);
      if (data.labels !== null) correct += countCorrect(step.output, width, fromLogits, rows, data.labels, order, start);
    }
    return { loss: total / data.count, accuracy: data.labels === null ? null : correct / data.count };
  };
}

/** Mean loss (per row) and accuracy of `model` on a data set. */
export function evaluate(model: Sequential, data: Dataset, loss: LossName, dtype: DType, batch = 1000): { loss: number; accuracy: number | null } {
  return evaluator(model, data, loss, dtype, batch)();
}

/**
 * Train `model` in place on `train` with compiled steps (see compileTrainingStep): per step the
 * batch is copied in, the replay runs and the optimizer updates the weights in place. The loss
 * of a step is the mean over its rows, as every loss here; an epoch's loss is the mean over rows.
 */
export function fit(model: Sequential, train: Dataset, test: Dataset | null, settings: FitSettings, callbacks: FitCallbacks = {}): FitResult {
  const stepper = new Stepper(model, train, settings);
  const { optimizer, stepsPerEpoch } = stepper;
  const testScore = test === null ? null : evaluator(model, test, settings.loss, settings.dtype, settings.evaluationBatch);
  const records: EpochRecord[] = [];
  for (let epoch = 1; epoch <= settings.epochs; epoch++) {
    const started = performance.now();
    let total = 0;
    let correct = 0;
    let seen = 0;
    for (let index = 0; index < stepsPerEpoch; index++) {
      const outcome = stepper.step();
      if (!outcome.updated) return { epochs: records, diverged: { epoch, step: index + 1, loss: outcome.loss } };
      correct += outcome.correct ?? 0;
      total += batchTotal(settings.loss, outcome.loss, outcome.rows);
      seen += outcome.rows;
      callbacks.onStep?.({
        epoch, step: index + 1, steps: stepsPerEpoch, loss: total / seen,
        accuracy: train.labels === null ? null : correct / seen,
        samplesPerSecond: seen / ((performance.now() - started) / 1000),
      });
    }
    const seconds = (performance.now() - started) / 1000;
    const tested = testScore === null ? null : testScore();
    const record: EpochRecord = {
      epoch, lr: optimizer.lr, loss: total / seen, accuracy: train.labels === null ? null : correct / seen,
      testLoss: tested?.loss ?? null, testAccuracy: tested?.accuracy ?? null,
      seconds, samplesPerSecond: seen / seconds,
    };
    records.push(record);
    callbacks.onEpoch?.(record);
    optimizer.lr *= settings.lrDecay ?? 1;
  }
  return { epochs: records, diverged: null };
}

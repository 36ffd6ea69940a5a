import type { Dataset } from '../data/dataset.js';
import { InputError } from '../errors.js';
import { Linear } from '../nn/linear.js';
import type { Sequential } from '../nn/sequential.js';
import type { Storage } from '../tensor/dtype.js';
import { Random } from '../tensor/random.js';

/** How many outputs a model needs for a data set: one per class, or the targets' width. */
export function outputWidth(data: Dataset): number {
  return data.labels !== null ? data.classes : data.targetWidth;
}

/** How many outputs the model gives: its last linear layer's (layers after it keep the width). */
export function modelOutputs(model: Sequential): number {
  const linear = model.layers.filter((layer): layer is Linear => layer instanceof Linear);
  const last = linear[linear.length - 1];
  if (last === undefined) throw new InputError('the model has no linear layer, so nothing to train');
  return last.outputs;
}

/** 0, 1, …, count − 1, shuffled by Fisher–Yates from a seeded generator when `random` is given. */
export function epochOrder(count: number, random: Random | null, into?: Int32Array): Int32Array {
  const order = into ?? new Int32Array(count);
  for (let i = 0; i < count; i++) order[i] = i;
  random?.shuffle(order);
  return order;
}

/**
 * Copy the rows order[start … start + rows) into x, and their targets into y: one-hot rows for
 * classification (the loss is cross-entropy or logloss on class indices), the numbers for regression.
 */
export function fillBatch(data: Dataset, order: Int32Array, start: number, rows: number, width: number, x: Storage, y: Storage): void {
  const { features } = data;
  for (let r = 0; r < rows; r++) {
    const row = order[start + r]!;
    x.set(data.x.subarray(row * features, (row + 1) * features), r * features);
  }
  if (data.labels !== null) {
    y.fill(0, 0, rows * width);
    // A single output (logloss) takes the label itself, 0 or 1; several take a one-hot row.
    for (let r = 0; r < rows; r++) {
      const label = data.labels[order[start + r]!]!;
      if (width === 1) y[r] = label;
      else y[r * width + label] = 1;
    }
  } else {
    const targets = data.targets!;
    for (let r = 0; r < rows; r++) {
      const row = order[start + r]!;
      y.set(targets.subarray(row * width, (row + 1) * width), r * width);
    }
  }
}

/**
 * How many rows of `output` ([rows, width]) predict their label: the largest output, or for one
 * output p ≥ ½ — which is z ≥ 0 when the output is the logit before a folded sigmoid.
 */
export function countCorrect(output: Storage, width: number, logits: boolean, rows: number, labels: Int32Array, order: Int32Array, start: number): number {
  const threshold = logits ? 0 : 0.5;
  let correct = 0;
  for (let r = 0; r < rows; r++) {
    const label = labels[order[start + r]!]!;
    let predicted: number;
    if (width === 1) {
      predicted = output[r]! >= threshold ? 1 : 0;
    } else {
      predicted = 0;
      for (let c = 1; c < width; c++) if (output[r * width + c]! > output[r * width + predicted]!) predicted = c;
    }
    if (predicted === label) correct++;
  }
  return correct;
}

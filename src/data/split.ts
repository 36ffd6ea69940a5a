import { Random } from '../tensor/random.js';
import type { Dataset, DatasetSplits } from './dataset.js';
import { DataError } from './data-error.js';

/** A new data set holding the given rows of `dataset`, in the order given; class names are shared. */
export function takeRows(dataset: Dataset, rows: ArrayLike<number>, source: string): Dataset {
  const { features, targetWidth } = dataset;
  const x = new Float32Array(rows.length * features);
  const labels = dataset.labels === null ? null : new Int32Array(rows.length);
  const targets = dataset.targets === null ? null : new Float32Array(rows.length * targetWidth);
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i] ?? 0;
    x.set(dataset.x.subarray(row * features, (row + 1) * features), i * features);
    if (labels !== null && dataset.labels !== null) labels[i] = dataset.labels[row] ?? 0;
    if (targets !== null && dataset.targets !== null) {
      targets.set(dataset.targets.subarray(row * targetWidth, (row + 1) * targetWidth), i * targetWidth);
    }
  }
  return { ...dataset, source, count: rows.length, x, labels, targets };
}

/**
 * Holds out round(count × testFraction) rows, at least one, chosen by a seeded shuffle
 * (Fisher–Yates over Mulberry32), so the same file, fraction and seed always give the same split.
 * Each part keeps the file's row order, so "row 3 of train" can be found in the file.
 * A fraction of 0 holds nothing out: test is null.
 */
export function splitTrainTest(dataset: Dataset, testFraction: number, seed: number): DatasetSplits {
  if (!(testFraction >= 0 && testFraction < 1)) {
    throw new DataError(`${dataset.source}: test fraction ${testFraction} is not in [0, 1); use for example 0.2 to hold out a fifth of the rows`);
  }
  if (testFraction === 0) return { train: dataset, test: null };
  if (dataset.count < 2) {
    throw new DataError(`${dataset.source}: has ${dataset.count} row(s); holding out a test part needs at least 2`);
  }
  const testCount = Math.min(dataset.count - 1, Math.max(1, Math.round(dataset.count * testFraction)));
  const order = Int32Array.from({ length: dataset.count }, (_, row) => row);
  new Random(seed).shuffle(order);
  const testRows = order.subarray(0, testCount).sort();
  const trainRows = order.subarray(testCount).sort();
  return {
    train: takeRows(dataset, trainRows, `${dataset.source} (train part, seed ${seed})`),
    test: takeRows(dataset, testRows, `${dataset.source} (test part, seed ${seed})`),
  };
}

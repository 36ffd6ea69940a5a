import { loadCsv } from '../data/csv.js';
import { DataError } from '../data/data-error.js';
import type { Dataset, DatasetSplits } from '../data/dataset.js';
import { takeRows } from '../data/split.js';
import { FASHION_MNIST_CLASSES, FASHION_MNIST_DIR, loadMnistFormat } from '../data/mnist.js';
import { loadNpyDataset } from './npy-dataset.js';
import type { DatasetSpec } from './training-file.js';

export interface DatasetOverrides {
  /** Another folder of MNIST-format files (for fashion-mnist or idx data sets). */
  readonly dir?: string;
  /** Keep only the first rows of each split (quick runs, tests). */
  readonly limit?: number;
  /** Seed for a CSV's train/test split. */
  readonly seed?: number;
}

/** The first `rows` rows of a data set. */
function firstRows(data: Dataset, rows: number): Dataset {
  if (rows >= data.count) return data;
  return takeRows(data, Int32Array.from({ length: rows }, (_, row) => row), `${data.source} (first ${rows} rows)`);
}

/** The mean and standard deviation that standardized a data set's features (x ← (x − mean)/std). */
export interface Standardization {
  readonly mean: number;
  readonly std: number;
}

/** One mean and one standard deviation over every feature of the training split, in float64. */
export function standardization(train: Dataset): Standardization {
  let sum = 0;
  for (const value of train.x) sum += value;
  const mean = sum / train.x.length;
  let squares = 0;
  for (const value of train.x) squares += (value - mean) * (value - mean);
  const std = Math.sqrt(squares / train.x.length);
  return { mean, std: std > 0 ? std : 1 };
}

/** x ← (x − mean)/std in place. */
export function standardize(data: Dataset, { mean, std }: Standardization): void {
  const x = data.x;
  for (let i = 0; i < x.length; i++) x[i] = (x[i]! - mean) / std;
}

/**
 * Every feature must be a finite float32: a CSV number beyond ±3.4·10³⁸ becomes Infinity on the
 * way in, and would turn the first loss into NaN with no word of where it came from.
 */
function checkFinite(data: Dataset): void {
  const index = data.x.findIndex((value) => !Number.isFinite(value));
  if (index < 0) return;
  // Rows are not file lines here (a CSV's test rows are drawn at random), so the column is what is named.
  throw new DataError(`${data.source}: feature ${(index % data.features) + 1} has a value that is ${data.x[index]} as a float32 number (beyond ±3.4e38); features must be finite numbers`);
}

/** Read the data set a training file names (DataError with the path when it cannot), standardized if it says so. */
export function loadDataset(spec: DatasetSpec, overrides: DatasetOverrides = {}): DatasetSplits & { standardization: Standardization | null } {
  const splits = readDataset(spec, overrides);
  checkFinite(splits.train);
  if (splits.test !== null) checkFinite(splits.test);
  if (spec === 'fashion-mnist' || spec.standardize !== true) return { ...splits, standardization: null };
  // The test split is scaled by the training split's numbers, as it would be in use.
  const numbers = standardization(splits.train);
  standardize(splits.train, numbers);
  if (splits.test !== null) standardize(splits.test, numbers);
  return { ...splits, standardization: numbers };
}

function readDataset(spec: DatasetSpec, overrides: DatasetOverrides): DatasetSplits {
  const limit = overrides.limit;
  if (spec === 'fashion-mnist' || 'name' in spec || 'idx' in spec) {
    const fashion = spec === 'fashion-mnist' || 'name' in spec;
    const dir = overrides.dir ?? (fashion ? FASHION_MNIST_DIR : spec.idx);
    // MNIST-format labels are the digits 0–9: ten classes, named for Fashion-MNIST.
    return loadMnistFormat(dir, { ...(limit === undefined ? {} : { limit }), ...(fashion ? { classNames: FASHION_MNIST_CLASSES } : {}) });
  }
  const splits = 'npy' in spec
    ? loadNpyDataset(spec.npy.x, spec.npy.y, { ...(spec.task === undefined ? {} : { task: spec.task }), testFraction: spec.test_fraction ?? 0, seed: overrides.seed ?? 0 })
    : loadCsv(spec.csv, {
      ...(spec.target === undefined ? {} : { target: spec.target }),
      ...(spec.task === undefined ? {} : { task: spec.task }),
      testFraction: spec.test_fraction ?? 0,
      seed: overrides.seed ?? 0,
    });
  if (limit === undefined) return splits;
  return { train: firstRows(splits.train, limit), test: splits.test === null ? null : firstRows(splits.test, limit) };
}

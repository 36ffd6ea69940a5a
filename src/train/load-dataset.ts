import { loadCsv } from '../data/csv.js';
import type { Dataset, DatasetSplits } from '../data/dataset.js';
import { FASHION_MNIST_CLASSES, FASHION_MNIST_DIR, loadMnistFormat } from '../data/mnist.js';
import type { DatasetSpec } from '../problem/training-file.js';

export interface DatasetOverrides {
  /** Another folder of MNIST-format files (for fashion-mnist or idx data sets). */
  readonly dir?: string;
  /** Keep only the first rows of each split (quick runs, tests). */
  readonly limit?: number;
  /** Seed for a CSV's train/test split. */
  readonly seed?: number;
}

/** The first `rows` rows of a data set, as views of its arrays (no copy). */
function firstRows(data: Dataset, rows: number): Dataset {
  if (rows >= data.count) return data;
  return {
    ...data,
    count: rows,
    x: data.x.subarray(0, rows * data.features),
    labels: data.labels === null ? null : data.labels.subarray(0, rows),
    targets: data.targets === null ? null : data.targets.subarray(0, rows * data.targetWidth),
  };
}

/** Read the data set a training file names (DataError with the path when it cannot). */
export function loadDataset(spec: DatasetSpec, overrides: DatasetOverrides = {}): DatasetSplits {
  const limit = overrides.limit;
  if (spec === 'fashion-mnist' || 'idx' in spec) {
    const dir = overrides.dir ?? (spec === 'fashion-mnist' ? FASHION_MNIST_DIR : spec.idx);
    // MNIST-format labels are the digits 0–9: ten classes, named for Fashion-MNIST.
    return loadMnistFormat(dir, { ...(limit === undefined ? {} : { limit }), ...(spec === 'fashion-mnist' ? { classNames: FASHION_MNIST_CLASSES } : {}) });
  }
  const splits = loadCsv(spec.csv, {
    ...(spec.target === undefined ? {} : { target: spec.target }),
    ...(spec.task === undefined ? {} : { task: spec.task }),
    testFraction: spec.test_fraction ?? 0,
    seed: overrides.seed ?? 0,
  });
  if (limit === undefined) return splits;
  return { train: firstRows(splits.train, limit), test: splits.test === null ? null : firstRows(splits.test, limit) };
}

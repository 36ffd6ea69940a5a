import type { Dataset, DatasetSplits } from '../data/dataset.js';
import { DataError } from '../data/data-error.js';
import { splitTrainTest } from '../data/split.js';
import { readNpyFile } from '../interop/files.js';

/*
 * A data set from two .npy files (as numpy.save writes them): x with one row per observation
 * (further axes are flattened: [n, 28, 28] images are rows of 784), y with one label or target
 * row per observation. y of whole numbers ≥ 0 in one axis is class labels unless task says
 * regression.
 */

const MAX_CLASSES = 10_000;

export interface NpyDatasetOptions {
  readonly task?: 'classification' | 'regression';
  readonly testFraction?: number;
  readonly seed?: number;
}

export function loadNpyDataset(xFile: string, yFile: string, options: NpyDatasetOptions = {}): DatasetSplits {
  const x = readNpyFile(xFile);
  const y = readNpyFile(yFile);
  const count = x.shape[0] ?? 0;
  if (x.shape.length < 2 || count === 0) throw new DataError(`${xFile}: shape [${x.shape.join(', ')}] is not observations (rows) of features; expected [rows, features]`);
  if (y.shape[0] !== count || y.shape.length > 2) throw new DataError(`${yFile}: shape [${y.shape.join(', ')}] does not give one label or target row for each of the ${count} rows of ${xFile}`);
  const features = x.data.length / count;
  const wholeLabels = y.shape.length === 1 && y.data.every((value) => Number.isInteger(value) && value >= 0);
  const task = options.task ?? (wholeLabels ? 'classification' : 'regression');
  if (task === 'classification' && !wholeLabels) throw new DataError(`${yFile}: class labels must be one whole number ≥ 0 per row (shape [${count}])`);
  const source = `${xFile} and ${yFile}`;
  const common = { source, count, features, x: Float32Array.from(x.data) };
  let dataset: Dataset;
  if (task === 'classification') {
    const labels = Int32Array.from(y.data);
    const classes = labels.reduce((most, label) => Math.max(most, label), 0) + 1;
    // Each class is an output of the model: a stray label of 10⁹ would ask for a billion of them.
    if (classes > MAX_CLASSES || labels.some((label, row) => label !== y.data[row])) {
      let largest = 0;
      for (const label of y.data) largest = Math.max(largest, label);
      throw new DataError(`${yFile}: labels run up to ${largest}; class labels are 0 … ${MAX_CLASSES - 1} (use task: regression for numeric targets)`);
    }
    dataset = { ...common, labels, classes, classNames: null, targets: null, targetWidth: 0 };
  } else {
    dataset = { ...common, labels: null, classes: 0, classNames: null, targets: Float32Array.from(y.data), targetWidth: y.data.length / count };
  }
  return splitTrainTest(dataset, options.testFraction ?? 0, options.seed ?? 0);
}

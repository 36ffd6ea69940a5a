import type { Dataset, DatasetSplits } from './dataset.js';
import { DataError } from './data-error.js';
import { describeColumn, encodeClasses, inferTask, resolveTargetColumn } from './csv-columns.js';
import { parseCsvNumber, readCsvTable, type CsvTable } from './csv-table.js';
import { splitTrainTest } from './split.js';

export interface CsvOptions {
  /** Column name (header) or 0-based index; default: the last column. */
  target: string | number;
  /**
   * Default: classification if the target column has any non-numeric value or at most 20
   * distinct whole-number values, else regression.
   */
  task?: 'classification' | 'regression';
  /** Whether line 1 names the columns; default: detect (see readCsvTable). */
  header?: boolean;
  /** Share of rows held out as the test split, in [0, 1); default 0 (test is null). */
  testFraction?: number;
  /** Seed of the shuffle that chooses the test rows; default 0. */
  seed?: number;
}

/**
 * A CSV table as a data set: one column is the target, every other column is a numeric feature.
 * Classification labels are class indices into `classNames` (sorted, see Dataset); regression
 * targets are one float32 column.
 */
export function loadCsv(path: string, options: Partial<CsvOptions> = {}): DatasetSplits {
  const table = readCsvTable(path, options.header);
  if (table.rows.length === 0) throw new DataError(`${path} has no data rows${table.header === null ? '' : ' below its header line'}`);
  const targetColumn = resolveTargetColumn(table, options.target);
  if (table.width < 2) {
    throw new DataError(`${path}: has only the target column ${describeColumn(table, targetColumn)}; a data set needs at least one feature column too (are the fields separated by commas?)`);
  }
  const task = options.task ?? inferTask(table, targetColumn);
  const dataset: Dataset = {
    source: path,
    count: table.rows.length,
    features: table.width - 1,
    x: readFeatures(table, targetColumn),
    ...(task === 'classification' ? classificationTarget(table, targetColumn) : regressionTarget(table, targetColumn)),
  };
  return splitTrainTest(dataset, options.testFraction ?? 0, options.seed ?? 0);
}

/** Every column but the target, row-major, parsed straight into the Float32Array. */
function readFeatures(table: CsvTable, targetColumn: number): Float32Array {
  const features = table.width - 1;
  const x = new Float32Array(table.rows.length * features);
  table.rows.forEach((row, rowIndex) => {
    let offset = rowIndex * features;
    for (let column = 0; column < table.width; column++) {
      if (column === targetColumn) continue;
      x[offset++] = requireNumber(table, row.fields[column] ?? '', row.line, column, 'features must be numbers');
    }
  });
  return x;
}

function classificationTarget(table: CsvTable, targetColumn: number): Pick<Dataset, 'labels' | 'classes' | 'classNames' | 'targets' | 'targetWidth'> {
  const { labels, classNames } = encodeClasses(table, targetColumn);
  return { labels, classes: classNames.length, classNames, targets: null, targetWidth: 0 };
}

function regressionTarget(table: CsvTable, targetColumn: number): Pick<Dataset, 'labels' | 'classes' | 'classNames' | 'targets' | 'targetWidth'> {
  const targets = Float32Array.from(table.rows, (row) =>
    requireNumber(table, row.fields[targetColumn] ?? '', row.line, targetColumn, 'regression targets must be numbers (or use task classification)'),
  );
  return { labels: null, classes: 0, classNames: null, targets, targetWidth: 1 };
}

function requireNumber(table: CsvTable, text: string, line: number, column: number, rule: string): number {
  const value = parseCsvNumber(text);
  if (Number.isNaN(value)) {
    const shown = text === '' ? 'the value is empty' : `'${text}' is not a number`;
    throw new DataError(`${table.path}: line ${line}, ${describeColumn(table, column)}: ${shown}; ${rule}`);
  }
  return value;
}

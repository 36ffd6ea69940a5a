import { DataError } from './data-error.js';
import { parseCsvNumber, type CsvTable } from './csv-table.js';

/** How messages name a column: by its header name when there is one, always with its 0-based index. */
export function describeColumn(table: CsvTable, column: number): string {
  const name = table.header?.[column];
  return name === undefined ? `column ${column} (0-based)` : `column '${name}' (index ${column})`;
}

/**
 * The 0-based index of the target column: a header name, a 0-based index (a number, or a string
 * of digits as a command line gives it, when no column has that name), or by default the last column.
 */
export function resolveTargetColumn(table: CsvTable, target: string | number | undefined): number {
  const { header, width, path } = table;
  const columnList = header === null
    ? `it has no header row, so pass a 0-based index 0–${width - 1} (or header: true if line 1 names the columns)`
    : `its columns are ${header.map((name, column) => `'${name}' (${column})`).join(', ')}`;
  if (target === undefined) return width - 1;
  if (typeof target === 'string') {
    const matches = header?.flatMap((name, column) => (name === target ? [column] : [])) ?? [];
    if (matches.length > 1) {
      throw new DataError(`${path}: target column '${target}' is ambiguous: ${matches.length} header columns have that name (indices ${matches.join(', ')}); pass an index instead`);
    }
    if (matches[0] !== undefined) return matches[0];
    if (!/^\d+$/.test(target)) throw new DataError(`${path}: no target column named '${target}'; ${columnList}`);
  }
  const index = Number(target);
  if (!Number.isInteger(index) || index < 0 || index >= width) {
    throw new DataError(`${path}: target column index ${target} is outside 0–${width - 1}; ${columnList}`);
  }
  return index;
}

/**
 * Classification when the target column has any value that is not a number, or only whole
 * numbers with at most 20 distinct values (class codes like 0/1 or 1–7); otherwise regression.
 */
export function inferTask(table: CsvTable, targetColumn: number): 'classification' | 'regression' {
  const distinct = new Set<number>();
  let allIntegers = true;
  for (const row of table.rows) {
    const value = parseCsvNumber(row.fields[targetColumn] ?? '');
    if (Number.isNaN(value)) return 'classification';
    if (!Number.isInteger(value)) allIntegers = false;
    distinct.add(value);
  }
  return allIntegers && distinct.size <= MAX_INFERRED_CLASSES ? 'classification' : 'regression';
}
const MAX_INFERRED_CLASSES = 20;

/** Class indices and names for a target column; classes sorted so indices do not depend on row order. */
export function encodeClasses(table: CsvTable, targetColumn: number): { labels: Int32Array; classNames: string[] } {
  const values = table.rows.map((row) => row.fields[targetColumn] ?? '');
  table.rows.forEach((row, index) => {
    if (values[index] === '') {
      throw new DataError(`${table.path}: line ${row.line}, ${describeColumn(table, targetColumn)}: the class label is empty; every row needs one`);
    }
  });
  const numbers = values.map(parseCsvNumber);
  // Numeric labels are compared as numbers, so '1' and '1.0' are one class and 2 sorts before 10.
  const numeric = numbers.every((value) => !Number.isNaN(value));
  const keys = numeric ? numbers.map(String) : values;
  const classNames = [...new Set(keys)].sort(numeric ? (a, b) => Number(a) - Number(b) : compareCodeUnits);
  const indexOf = new Map(classNames.map((name, index) => [name, index]));
  const labels = Int32Array.from(keys, (key) => indexOf.get(key) ?? 0);
  return { labels, classNames };
}

// Not localeCompare: the order must not depend on the machine's locale.
function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

import { byName, hasName, type ByName } from '../by-name.js';
import { InputError } from '../errors.js';
import { NUMBER_TEXT } from '../formula/parse.js';
import type { Values } from '../formula/values-text.js';

/**
 * The values of a matrix formula's variables: a number, a vector as a plain list (a column
 * vector), a matrix as a list of rows. Problem files give them as YAML lists; `grad --at` as
 * `x=[1,2]; A=[[1,2],[3,4]]` (docs/matrix-calculus.md).
 */

/** A variable's numbers, row by row, and its shape: [] a number, [n, 1] a vector, [r, c] a matrix. */
export interface MatrixValue {
  readonly shape: readonly number[];
  readonly data: Float64Array;
}

/** Elements in one value: far above a hand-worked matrix, far below what slows the tool. */
export const MAX_VALUE_ELEMENTS = 10_000;

/**
 * Elements in any matrix a formula builds from its values (x*x', kron(A, B), commutation(X)):
 * two values of 10,000 numbers would otherwise make 10⁸ (800 MB) before anything is shown.
 */
export const MAX_RESULT_ELEMENTS = 1_000_000;

/** Whether a point has any vector or matrix in it (then the formula is a matrix formula). */
export const hasMatrixValues = (at: Readonly<Record<string, unknown>>): boolean => Object.values(at).some(Array.isArray);

/** A number, a list of numbers or a list of equal rows, checked; `where` names it in errors. */
export function matrixValue(value: unknown, where: string): MatrixValue {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new InputError(`${where}: expected a finite number, got ${String(value)}`);
    return { shape: [], data: Float64Array.of(value) };
  }
  if (!Array.isArray(value) || value.length === 0) {
    throw new InputError(`${where}: expected a number, a list of numbers (a vector) or a list of rows (a matrix), got ${JSON.stringify(value) ?? String(value)}`);
  }
  const finite = (x: unknown, at: string): number => {
    if (typeof x !== 'number' || !Number.isFinite(x)) throw new InputError(`${where}${at}: expected a finite number, got ${JSON.stringify(x) ?? String(x)}`);
    return x;
  };
  if (value.length > MAX_VALUE_ELEMENTS) throw new InputError(`${where}: more than ${MAX_VALUE_ELEMENTS.toLocaleString('en-US')} numbers; this tool works matrices a person can follow`);
  if (!Array.isArray(value[0])) return { shape: [value.length, 1], data: Float64Array.from(value, (x, i) => finite(x, `[${i}]`)) };
  const rows = (value as unknown[]).map((row, i): unknown[] => {
    if (!Array.isArray(row)) throw new InputError(`${where}[${i}]: expected a row (a list of numbers), as the first row is; got ${JSON.stringify(row) ?? String(row)}`);
    return row;
  });
  const columns = rows[0]!.length;
  if (columns === 0) throw new InputError(`${where}[0]: a row needs at least one number`);
  if (rows.length * columns > MAX_VALUE_ELEMENTS) throw new InputError(`${where}: more than ${MAX_VALUE_ELEMENTS.toLocaleString('en-US')} numbers; this tool works matrices a person can follow`);
  const data = new Float64Array(rows.length * columns);
  rows.forEach((row, i) => {
    if (row.length !== columns) throw new InputError(`${where}[${i}]: has ${row.length} numbers but the first row has ${columns}; every row of a matrix has the same length`);
    row.forEach((x, j) => (data[i * columns + j] = finite(x, `[${i}][${j}]`)));
  });
  return { shape: [rows.length, columns], data };
}

/** A value back as nested lists: a number, a vector as a list, a matrix as rows. */
export function valuesOf(shape: readonly number[], data: ArrayLike<number>): Values {
  if (shape.length === 0 || (shape.length === 2 && shape[0] === 1 && shape[1] === 1)) return data[0]!;
  const [rows = 1, columns = 1] = shape;
  if (columns === 1 && shape.length === 2) return Array.from({ length: rows }, (_, i) => data[i]!);
  if (shape.length === 1) return Array.from(data);
  return Array.from({ length: rows }, (_, i) => Array.from({ length: columns }, (_, j) => data[i * columns + j]!));
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * `--at` with vectors and matrices: `x=[1,2]; A=[[1,2],[3,4]]; c=3` (assignments separated by
 * semicolons, a value in brackets as in a problem file). Each flag may hold several.
 */
export function parseMatrixAssignments(parts: readonly string[]): ByName<unknown> {
  const values = byName<unknown>();
  for (const item of parts.flatMap((text) => text.split(';')).map((part) => part.trim())) {
    if (item === '') continue;
    const equals = item.indexOf('=');
    if (equals < 0) throw new InputError(`--at: '${item}' is not of the form name=value (for example x=[1,2]; A=[[1,2],[3,4]])`);
    const name = item.slice(0, equals).trim();
    if (!NAME.test(name)) throw new InputError(`--at: '${name}' is not a variable name (letters, digits and _; not starting with a digit)`);
    if (hasName(values, name)) throw new InputError(`--at: ${name} is given twice`);
    values[name] = readBracketed(item.slice(equals + 1).trim(), name);
  }
  return values;
}

/** `[[1, 2], [3, -4.5]]`, `[1, 2]` or `3`, read without eval: brackets, commas and the grammar's numbers. */
function readBracketed(text: string, name: string): unknown {
  const bad = (why: string): never => {
    throw new InputError(`--at: the value of ${name}, '${text}', ${why} (write a number 3, a vector [1,2] or a matrix [[1,2],[3,4]])`);
  };
  let i = 0;
  let depth = 0;
  const skip = () => {
    while (text[i] === ' ') i++;
  };
  const read = (): unknown => {
    skip();
    if (text[i] === '[') {
      if (++depth > 2) bad('is nested deeper than a matrix');
      i++;
      const items: unknown[] = [];
      for (;;) {
        items.push(read());
        skip();
        if (text[i] === ',') i++;
        else if (text[i] === ']') break;
        else bad(`has '${text[i] ?? 'nothing'}' where ',' or ']' should be`);
      }
      i++;
      depth--;
      return items;
    }
    const match = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?/.exec(text.slice(i));
    if (match === null || !NUMBER_TEXT.test(match[0].replace(/^[+-]/, ''))) return bad('is not a number, a vector or a matrix');
    i += match[0].length;
    const value = Number(match[0]);
    if (!Number.isFinite(value)) bad('has a number that is too large');
    return value;
  };
  const value = read();
  skip();
  if (i !== text.length) bad(`has '${text.slice(i)}' after the value`);
  return value;
}

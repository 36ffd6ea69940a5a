import { formatNumber, type NumberStyle } from './numbers.js';

/** Numbers of a tensor as nested arrays: a number, a vector, a matrix. */
export type Values = number | Values[];

/** A vector or matrix on one line, the way the sheet writes it: (1, 2) or [[1, −1], [0.5, 0]]. */
export function formatValues(values: Values, numbers: NumberStyle = {}): string {
  if (typeof values === 'number') return formatNumber(values, numbers);
  const flat = flatten(values);
  if (flat.length === 1) return formatNumber(flat[0]!, numbers);
  // One observation (a single row) reads as a vector: (1, 2).
  if (values.length === 1 && Array.isArray(values[0])) return formatValues(values[0], numbers);
  if (values.every((value) => typeof value === 'number')) return `(${values.map((value) => formatNumber(value, numbers)).join(', ')})`;
  const row = (value: Values): string => (typeof value === 'number' ? formatNumber(value, numbers) : `[${value.map(row).join(', ')}]`);
  return row(values);
}

/** LaTeX: a number, or a pmatrix (a vector is one row, as the sheet's rows are observations). */
export function latexValues(values: Values, numbers: NumberStyle = {}): string {
  const number = (value: number) => formatNumber(value, { ...numbers, fractions: 'latex' }).replace('−', '-').replace('∞', '\\infty');
  if (typeof values === 'number') return number(values);
  const flat = flatten(values);
  if (flat.length === 1) return number(flat[0]!);
  const rows: Values[][] = values.every((value) => typeof value === 'number') ? [values] : (values as Values[][]);
  const body = rows.map((row) => (Array.isArray(row) ? row : [row]).map((cell) => (typeof cell === 'number' ? number(cell) : latexValues(cell, numbers))).join(' & ')).join(' \\\\ ');
  return `\\begin{pmatrix} ${body} \\end{pmatrix}`;
}

/** Values ready to stand in for a variable in a formula (see WriteOptions.substitute). */
export function valuesSubstitution(values: Values, numbers: NumberStyle = {}): { pretty: string; latex: string; ascii: string; negative: boolean } {
  const flat = flatten(values);
  const single = flat.length === 1 ? flat[0]! : null;
  const pretty = formatValues(single ?? values, numbers);
  return {
    pretty,
    latex: latexValues(single ?? values, numbers),
    ascii: single === null ? formatValues(values, numbers) : pretty.startsWith('−') && single === 0 ? '-0' : String(single),
    // Bracketed as a negative number is: (−2.4)/(−0).
    negative: single !== null && pretty.startsWith('−'),
  };
}

function flatten(values: Values): number[] {
  return typeof values === 'number' ? [values] : values.flatMap(flatten);
}

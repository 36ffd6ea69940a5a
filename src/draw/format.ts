import { formatNumber, type NumberStyle } from '../formula/numbers.js';
import type { Values } from '../trace/types.js';

/**
 * Numbers and tensors for pictures (the explanations have their own: pictures must not depend
 * on them, since the explanations embed pictures).
 */

export const number = (value: number, style: NumberStyle = {}): string => formatNumber(value, style);

/** The rows of a matrix (a vector or a number is one row): one line of a label each. */
export function valueRows(values: Values, style: NumberStyle = {}): string[] {
  if (typeof values === 'number') return [formatNumber(values, style)];
  if (values.every((value) => typeof value === 'number')) return [`(${values.map((value) => formatNumber(value, style)).join(', ')})`];
  return values.map((row) => valueRows(row, style).join(', '));
}

/** The shape of nested arrays, as rows × columns. */
export function shapeOf(values: Values): number[] {
  const shape: number[] = [];
  let current: Values = values;
  while (Array.isArray(current)) {
    shape.push(current.length);
    current = current[0] ?? 0;
  }
  return shape;
}

/** values[i][j] of a matrix, values[i] of a vector (j ignored), or the number itself; NaN if absent. */
export function entryOf(values: Values, i: number, j = 0): number {
  if (typeof values === 'number') return values;
  const row = values[i];
  if (row === undefined) return Number.NaN;
  if (typeof row === 'number') return row;
  const value = row[j];
  return typeof value === 'number' ? value : Number.NaN;
}

/** Column j of a matrix whose rows are observations: unit j's value for every observation. */
export function columnOf(values: Values, j: number): number[] {
  if (typeof values === 'number') return [values];
  return values.map((_, i) => entryOf(values, i, j));
}

const SUBSCRIPTS = '₀₁₂₃₄₅₆₇₈₉';

/** 12 → ₁₂ */
export function subscript(value: number): string {
  return [...String(value)].map((digit) => SUBSCRIPTS[Number(digit)] ?? digit).join('');
}

/** Long text cut to `length` characters with an ellipsis (a formula of a 2,000-node graph). */
export function clip(text: string, length: number): string {
  return text.length <= length ? text : `${text.slice(0, length - 1)}…`;
}

/** [[1, −1], [0.5, 0]] for a matrix, (1, 2) for one row, as the terminal rendering writes them. */
export function inline(values: Values, style: NumberStyle): string {
  if (typeof values === 'number') return number(values, style);
  if (values.length === 1 && typeof values[0] === 'number') return number(values[0], style);
  if (values.length === 1 && Array.isArray(values[0])) return inline(values[0], style);
  if (values.every((value) => typeof value === 'number')) return `(${values.map((value) => number(value, style)).join(', ')})`;
  return `[${values.map((row) => (Array.isArray(row) ? `[${row.map((value) => inline(value, style)).join(', ')}]` : inline(row, style))).join(', ')}]`;
}

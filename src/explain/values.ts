import { formatNumber, type NumberStyle } from '../formula/numbers.js';
import type { Values } from '../trace/types.js';

/** A vector or matrix on one line, the way the sheet writes it: (1, 2) or [[1, −1], [0.5, 0]]. */
export function formatValues(values: Values, numbers: NumberStyle = {}): string {
  if (typeof values === 'number') return formatNumber(values, numbers);
  if (values.length === 1 && Array.isArray(values[0])) return formatValues(values[0], numbers);
  return `[${values.map((value) => formatValues(value, numbers)).join(', ')}]`;
}

import { sizeOf, type Shape } from './shape.js';

/*
 * Tensor values as PyTorch prints them: one number format for the whole tensor, columns
 * right-aligned, rows on lines of their own, and past THRESHOLD elements only the first and
 * last EDGE_ITEMS along each axis with "..." between (torch.set_printoptions' defaults).
 */

/** More elements than this are summarised. */
export const THRESHOLD = 1000;
/** Elements kept at each end of an axis in a summary. */
export const EDGE_ITEMS = 3;
const ELLIPSIS = '...';

/** The indices shown along an axis of `length`, with null where "..." stands. */
function shownIndices(length: number, summarise: boolean): (number | null)[] {
  if (!summarise || length <= 2 * EDGE_ITEMS) return Array.from({ length }, (_, i) => i);
  return [...Array.from({ length: EDGE_ITEMS }, (_, i) => i), null, ...Array.from({ length: EDGE_ITEMS }, (_, i) => length - EDGE_ITEMS + i)];
}

/** One way to write every shown number: integers, fixed with 4 decimals, or exponents when the range calls for it. */
function numberFormat(values: readonly number[]): (value: number) => string {
  const finite = values.filter(Number.isFinite);
  const largest = finite.reduce((most, value) => Math.max(most, Math.abs(value)), 0);
  const smallest = finite.reduce((least, value) => (value === 0 ? least : Math.min(least, Math.abs(value))), Infinity);
  const special = (value: number) => (Number.isNaN(value) ? 'nan' : value > 0 ? 'inf' : '-inf');
  let write: (value: number) => string;
  if (finite.every(Number.isInteger) && largest < 1e8) write = (value) => (Object.is(value, -0) ? '-0' : String(value));
  // Two exponent digits, as PyTorch and C print them: 5.0000e-01.
  else if (largest >= 1e8 || smallest < 1e-4 || largest / smallest > 1e3) write = (value) => value.toExponential(4).replace(/e([+-])(\d)$/, 'e$10$2');
  else write = (value) => value.toFixed(4);
  return (value) => (Number.isFinite(value) ? write(value) : special(value));
}

/**
 * The values of a tensor of `shape` (row-major `data`) as nested brackets; continuation lines
 * are indented by `indent` spaces plus one per axis, so they line up under the first bracket.
 */
export function formatValues(shape: Shape, data: ArrayLike<number>, indent: number): string {
  const summarise = sizeOf(shape) > THRESHOLD;
  const axes = shape.map((length) => shownIndices(length, summarise));
  const strides = shape.map((_, axis) => sizeOf(shape.slice(axis + 1)));
  // Collect the shown numbers first: the format and column width are common to all of them.
  const shown: number[] = [];
  const collect = (axis: number, offset: number): void => {
    if (axis === shape.length) return void shown.push(data[offset]!);
    for (const i of axes[axis]!) if (i !== null) collect(axis + 1, offset + i * strides[axis]!);
  };
  collect(0, 0);
  const format = numberFormat(shown);
  const width = shown.reduce((widest, value) => Math.max(widest, format(value).length), 0);
  const write = (axis: number, offset: number): string => {
    if (axis === shape.length) return format(data[offset]!).padStart(width);
    const parts = axes[axis]!.map((i) => (i === null ? ELLIPSIS : write(axis + 1, offset + i * strides[axis]!)));
    const innermost = axis === shape.length - 1;
    // Between blocks of rank ≥ 2 PyTorch leaves a blank line; rows of a matrix go on lines of their own.
    const separator = innermost ? ', ' : `,${'\n'.repeat(shape.length - axis - 1)}${' '.repeat(indent + axis + 1)}`;
    return `[${parts.join(separator)}]`;
  };
  return write(0, 0);
}

import type { Storage } from '../tensor/dtype.js';
import { broadcastStrides, type Shape } from '../tensor/shape.js';

/**
 * How the fast backends (native, wasm) see a tensor operation as one of the few loops their
 * kernels have; undefined means "not one of those", and the backend hands it to the reference.
 *
 * out = a ∘ b seen as a rows × cols loop: operand element [i, j] sits at i·row + j·col, with
 * col 0 (one value along the row) or 1 (contiguous). This is the native binary kernel's whole
 * vocabulary: same shapes, a scalar on either side, a row broadcast ([m, n] ∘ [n], the bias
 * add) and a column broadcast ([m, n] ∘ [m, 1], softmax's division by row sums).
 */
export interface BinaryLayout {
  rows: number;
  cols: number;
  aRow: number;
  aCol: number;
  bRow: number;
  bCol: number;
}

interface Axis {
  extent: number;
  a: number;
  b: number;
}

/**
 * Collapse the broadcast to at most two axes, or undefined when it needs more (say
 * [m, 1, n] ∘ [k, 1]): extent-1 axes go, and an axis merges into the next one when, for both
 * operands, stepping it once equals stepping the next one its whole extent (true of zero
 * strides, so runs of broadcast axes merge too).
 */
export function binaryLayout(aShape: Shape, bShape: Shape, outShape: Shape): BinaryLayout | undefined {
  const aStrides = broadcastStrides(aShape, outShape);
  const bStrides = broadcastStrides(bShape, outShape);
  const merged: Axis[] = [];
  outShape.forEach((extent, axis) => {
    if (extent === 1) return;
    const next: Axis = { extent, a: aStrides[axis]!, b: bStrides[axis]! };
    const last = merged[merged.length - 1];
    if (last !== undefined && last.a === next.a * extent && last.b === next.b * extent) {
      merged[merged.length - 1] = { extent: last.extent * extent, a: next.a, b: next.b };
    } else {
      merged.push(next);
    }
  });
  if (merged.length > 2) return undefined;
  const inner = merged[merged.length - 1] ?? { extent: 1, a: 0, b: 0 };
  const outer = merged.length === 2 ? merged[0]! : { extent: 1, a: 0, b: 0 };
  // The innermost stride of a contiguous operand is 1, or 0 where it is broadcast.
  if (inner.a > 1 || inner.b > 1) return undefined;
  return { rows: outer.extent, cols: inner.extent, aRow: outer.a, aCol: inner.a, bRow: outer.b, bCol: inner.b };
}

/**
 * A broadcast over three axes whose first one alone is in the way: per entry of the first axis,
 * a rows × cols loop (the channel bias of a convolution, [N, C, P] + [1, C, 1]: per sample,
 * [C, P] + [C, 1]). Steps are where each operand's next entry starts (0 where it is broadcast).
 */
export interface LeadingSplit {
  count: number;
  aStep: number;
  bStep: number;
  outStep: number;
  layout: BinaryLayout;
}

export function leadingSplitLayout(aShape: Shape, bShape: Shape, outShape: Shape): LeadingSplit | undefined {
  if (outShape.length < 2) return undefined;
  const padded = (shape: Shape) => [...Array<number>(outShape.length - shape.length).fill(1), ...shape];
  const [a, b] = [padded(aShape), padded(bShape)];
  const layout = binaryLayout(a.slice(1), b.slice(1), outShape.slice(1));
  if (layout === undefined) return undefined;
  const step = (shape: number[]) => (shape[0] === 1 ? 0 : shape.slice(1).reduce((p, extent) => p * extent, 1));
  return { count: outShape[0]!, aStep: step(a), bStep: step(b), outStep: step([...outShape]), layout };
}

/**
 * A reduction over a leading block of axes (x is [outer, inner], summed down the columns)
 * or a trailing block (summed along each row): the two the native and wasm reduce kernels run.
 */
export function reduceLayout(shape: Shape, axes: readonly number[]): { outer: number; inner: number; leading: boolean } | undefined {
  const rank = shape.length;
  if (axes.length === 0) return undefined;
  const leading = axes.every((axis, i) => axis === i);
  const trailing = axes.every((axis, i) => axis === rank - axes.length + i);
  if (!leading && !trailing) return undefined;
  // Leading first when both hold (every axis, or a vector): the reference sums rows then, in
  // the storage precision step by step, and the fast backends must do what it does.
  const split = leading ? axes.length : rank - axes.length;
  const product = (from: number, to: number) => shape.slice(from, to).reduce((p, extent) => p * extent, 1);
  return { outer: product(0, split), inner: product(split, rank), leading };
}

/**
 * A reduction over a leading and a trailing block of axes that keeps the ones between (x is
 * [outer, middle, inner]; a convolution's bias gradient sums [N, C, H, W] over N, H and W):
 * only where the reference takes its general path (neither reduceLayout's leading nor trailing).
 */
export function middleKeptLayout(shape: Shape, axes: readonly number[]): { outer: number; middle: number; inner: number } | undefined {
  const rank = shape.length;
  if (axes.length === 0 || reduceLayout(shape, axes) !== undefined) return undefined;
  let lead = 0;
  while (lead < axes.length && axes[lead] === lead) lead++;
  const trail = axes.length - lead;
  // The rest must be the trailing block, and something must lie between.
  if (lead === 0 || trail === 0 || axes.slice(lead).some((axis, i) => axis !== rank - trail + i) || lead >= rank - trail) return undefined;
  const product = (from: number, to: number) => shape.slice(from, to).reduce((p, extent) => p * extent, 1);
  return { outer: product(0, lead), middle: product(lead, rank - trail), inner: product(rank - trail, rank) };
}

/**
 * Whether every array given (null: none there) has the first one's element type: the fast
 * kernels take one precision per call, and hand mixed ones to the reference.
 */
export function sameStorageType(first: Storage, ...others: (Storage | null)[]): boolean {
  return others.every((array) => array === null || array.constructor === first.constructor);
}

import type { Storage } from '../../tensor/dtype.js';
import { sizeOf, type Shape } from '../../tensor/shape.js';

/**
 * Visit every run of the innermost axis of `shape`, giving the source position of its first
 * element; positions follow `strides` from `offset`. Shared by gather and scatter-add.
 */
export function forEachRun(
  shape: Shape, offset: number, strides: readonly number[],
  visit: (position: number, outStart: number, length: number, step: number) => void,
): void {
  const rank = shape.length;
  const total = sizeOf(shape);
  if (total === 0) return;
  if (rank === 0) return visit(offset, 0, 1, 0);
  const inner = shape[rank - 1]!;
  const step = strides[rank - 1]!;
  const counter = new Array<number>(rank).fill(0);
  let position = offset;
  for (let o = 0; o < total; o += inner) {
    visit(position, o, inner, step);
    for (let axis = rank - 2; axis >= 0; axis--) {
      const extent = shape[axis]!;
      if (++counter[axis]! < extent) {
        position += strides[axis]!;
        break;
      }
      counter[axis] = 0;
      position -= strides[axis]! * (extent - 1);
    }
  }
}

export function stridedCopy(src: Storage, offset: number, strides: readonly number[], shape: Shape, out: Storage): void {
  forEachRun(shape, offset, strides, (position, outStart, length, step) => {
    for (let j = 0; j < length; j++, position += step) out[outStart + j] = src[position]!;
  });
}

export function stridedAdd(src: Storage, shape: Shape, dst: Storage, offset: number, strides: readonly number[]): void {
  forEachRun(shape, offset, strides, (position, srcStart, length, step) => {
    for (let j = 0; j < length; j++, position += step) dst[position] = dst[position]! + src[srcStart + j]!;
  });
}

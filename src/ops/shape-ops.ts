import { ShapeError } from '../errors.js';
import { backend } from '../kernels/active.js';
import { broadcastShapes, broadcastStrides, formatShape, sameShape, sizeOf, stridesOf, type Shape } from '../tensor/shape.js';
import { argAt, transparent, wrap } from './notation.js';
import { Precedence, type AxisAttrs, type NoAttrs, type OpDef, type PermuteAttrs, type PlaceAttrs, type ShapeAttrs, type SliceAttrs } from './types.js';

export const identity: OpDef<NoAttrs> = {
  name: 'identity', summary: 'x unchanged (a fresh node for the same value)', arity: 1, differentiable: true,
  aliasesInput: true,
  outputShape: ([x = []]) => x,
  forward: () => undefined,
  vjp: (_m, { gy }) => [gy],
  notation: transparent,
};

export const reshape: OpDef<ShapeAttrs> = {
  name: 'reshape', summary: 'the same elements in another shape', arity: 1, differentiable: true,
  aliasesInput: true,
  outputShape([x = []], { shape }) {
    if (sizeOf(shape) !== sizeOf(x) || shape.some((extent) => !Number.isInteger(extent) || extent < 0)) {
      throw new ShapeError(`reshape: cannot reshape ${formatShape(x)} (${sizeOf(x)} elements) to ${formatShape(shape)} (${sizeOf(shape)} elements)`);
    }
    return shape;
  },
  forward: () => undefined,
  vjp: (m, { inputs: [x], gy }) => [m.reshape(gy, m.shapeOf(x!))],
  notation: transparent,
};

export const transpose: OpDef<PermuteAttrs> = {
  name: 'transpose', summary: 'permute axes', arity: 1, differentiable: true,
  outputShape([x = []], { perm }) {
    const sorted = [...perm].sort((p, q) => p - q);
    if (perm.length !== x.length || sorted.some((axis, i) => axis !== i)) {
      throw new ShapeError(`transpose: [${perm.join(', ')}] is not a permutation of the axes of ${formatShape(x)}`);
    }
    return perm.map((axis) => x[axis]!);
  },
  forward([x], { perm }, out, outShape) {
    const strides = stridesOf(x!.shape);
    backend().stridedCopy(x!.data, 0, perm.map((axis) => strides[axis]!), outShape, out);
  },
  // A matrix (perm [1, 0]) transposed: the backend's matmul reads it with transA/transB instead.
  readableInPlace: ({ perm }, rank) => rank === 2 && perm[0] === 1,
  vjp: (m, { gy, attrs: { perm } }) => {
    const inverse = new Array<number>(perm.length);
    perm.forEach((axis, i) => (inverse[axis] = i));
    return [m.transpose(gy, inverse)];
  },
  notation: {
    precedence: Precedence.atom,
    write: (args, _attrs, style) => {
      const x = wrap(argAt(args, 0), Precedence.atom, style);
      return style === 'ascii' ? `transpose(${argAt(args, 0).text})` : style === 'pretty' ? `${x}ᵀ` : `${x}^{T}`;
    },
  },
};

export const broadcastTo: OpDef<ShapeAttrs> = {
  name: 'broadcastTo', summary: 'repeat along broadcast axes', arity: 1, differentiable: true,
  outputShape([x = []], { shape }) {
    const result = broadcastShapes(x, shape);
    if (result === null || !sameShape(result, shape)) {
      throw new ShapeError(`broadcastTo: shape ${formatShape(x)} cannot be broadcast to ${formatShape(shape)}`);
    }
    return shape;
  },
  forward: ([x], { shape }, out) => backend().stridedCopy(x!.data, 0, broadcastStrides(x!.shape, shape), shape, out),
  vjp: (m, { inputs: [x], gy }) => [m.sumTo(gy, m.shapeOf(x!))],
  notation: transparent,
};

function checkRange(op: string, shape: Shape, begin: readonly number[], end: readonly number[]): void {
  const fits = begin.length === shape.length && end.length === shape.length &&
    shape.every((extent, axis) => 0 <= begin[axis]! && begin[axis]! <= end[axis]! && end[axis]! <= extent);
  if (!fits) {
    throw new ShapeError(`${op}: range [${begin.join(', ')}] to [${end.join(', ')}] does not fit shape ${formatShape(shape)}`);
  }
}

function offsetOf(shape: Shape, begin: readonly number[]): number {
  const strides = stridesOf(shape);
  return begin.reduce((offset, start, axis) => offset + start * strides[axis]!, 0);
}

export const slice: OpDef<SliceAttrs> = {
  name: 'slice', summary: 'a rectangular part: begin ≤ index < end on every axis', arity: 1, differentiable: true,
  outputShape([x = []], { begin, end }) {
    checkRange('slice', x, begin, end);
    return end.map((stop, axis) => stop - begin[axis]!);
  },
  forward: ([x], { begin }, out, outShape) =>
    backend().stridedCopy(x!.data, offsetOf(x!.shape, begin), stridesOf(x!.shape), outShape, out),
  vjp: (m, { inputs: [x], gy, attrs: { begin } }) => [m.place(gy, m.shapeOf(x!), begin)],
  notation: {
    precedence: Precedence.atom,
    write: (args, { begin, end }, style) => {
      const ranges = begin.map((start, axis) => `${start}:${end[axis]}`).join(', ');
      return style === 'ascii' ? `slice(${argAt(args, 0).text})` : `${wrap(argAt(args, 0), Precedence.atom, style)}[${ranges}]`;
    },
  },
};

/** The adjoint of slice: x written into zeros of `shape` at `begin`. */
export const place: OpDef<PlaceAttrs> = {
  name: 'place', summary: 'x placed into zeros at an offset (the adjoint of slice)', arity: 1, differentiable: true,
  outputShape([x = []], { shape, begin }) {
    checkRange('place', shape, begin, begin.map((start, axis) => start + (x[axis] ?? 0)));
    return shape;
  },
  // Kernels must define all of `out`: a compiled replay hands back last run's buffer, not zeros.
  forward([x], { begin }, out, outShape) {
    out.fill(0);
    backend().stridedAdd(x!.data, x!.shape, out, offsetOf(outShape, begin), stridesOf(outShape));
  },
  vjp: (m, { inputs: [x], gy, attrs: { begin } }) => [m.slice(gy, begin, begin.map((start, axis) => start + m.shapeOf(x!)[axis]!))],
  notation: transparent,
};

export const concat: OpDef<AxisAttrs> = {
  name: 'concat', summary: 'join along an axis', arity: 'variadic', differentiable: true,
  outputShape(shapes, { axis }) {
    const first = shapes[0];
    if (first === undefined) throw new ShapeError('concat: needs at least one tensor');
    if (!Number.isInteger(axis) || axis < 0 || axis >= first.length) {
      throw new ShapeError(`concat: axis ${axis} is out of range for shape ${formatShape(first)}`);
    }
    let total = 0;
    for (const shape of shapes) {
      const fits = shape.length === first.length && shape.every((extent, i) => i === axis || extent === first[i]);
      if (!fits) throw new ShapeError(`concat: shapes ${formatShape(first)} and ${formatShape(shape)} differ outside axis ${axis}`);
      total += shape[axis]!;
    }
    return first.map((extent, i) => (i === axis ? total : extent));
  },
  forward(inputs, { axis }, out, outShape) {
    out.fill(0); // as place: stridedAdd adds, and a replayed buffer is not fresh zeros
    const strides = stridesOf(outShape);
    let start = 0;
    for (const x of inputs) {
      backend().stridedAdd(x.data, x.shape, out, start * strides[axis]!, strides);
      start += x.shape[axis]!;
    }
  },
  vjp: (m, { inputs, gy, attrs: { axis } }) => {
    const outShape = m.shapeOf(gy);
    let start = 0;
    return inputs.map((x) => {
      const extent = m.shapeOf(x)[axis]!;
      const begin = outShape.map((_, i) => (i === axis ? start : 0));
      const end = outShape.map((full, i) => (i === axis ? start + extent : full));
      start += extent;
      return m.slice(gy, begin, end);
    });
  },
  notation: {
    precedence: Precedence.atom,
    write: (args) => `concat(${args.map((arg) => arg.text).join(', ')})`,
  },
};

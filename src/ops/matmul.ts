import { ShapeError } from '../errors.js';
import { backend } from '../kernels/active.js';
import { allocate, dtypeOf } from '../tensor/dtype.js';
import { broadcastShapes, broadcastStrides, formatShape, sizeOf, type Shape } from '../tensor/shape.js';
import { argAt, wrap } from './notation.js';
import { Precedence, type KernelInput, type NoAttrs, type OpDef } from './types.js';

function batchOf(shape: Shape): Shape {
  return shape.slice(0, -2);
}

/** Read `x` as if it had batch shape `batch` (a copy only when broadcasting really expands it). */
function expandBatch(x: KernelInput, batch: Shape): KernelInput {
  const own = batchOf(x.shape);
  if (sizeOf(own) === sizeOf(batch) || sizeOf(own) === 1) return x;
  const target = [...batch, ...x.shape.slice(-2)];
  const data = allocate(dtypeOf(x.data), sizeOf(target));
  backend().stridedCopy(x.data, 0, broadcastStrides(x.shape, target), target, data);
  return { data, shape: target };
}

/**
 * H = X·W over the last two axes, batched over the leading ones (broadcast as in NumPy).
 * 1-D inputs are promoted by the public `matmul` function, so the primitive sees ≥ 2-D.
 */
export const matmul: OpDef<NoAttrs> = {
  name: 'matmul',
  summary: 'matrix product a·b',
  signPassesThrough: true,
  arity: 2,
  differentiable: true,
  outputShape([a = [], b = []]) {
    if (a.length < 2 || b.length < 2) {
      throw new ShapeError(`matmul: needs matrices, got shapes ${formatShape(a)} and ${formatShape(b)}`);
    }
    const k = a[a.length - 1];
    if (k !== b[b.length - 2]) {
      throw new ShapeError(`matmul: shapes ${formatShape(a)} and ${formatShape(b)} do not fit: a has ${k} columns but b has ${b[b.length - 2]} rows`);
    }
    const batch = broadcastShapes(batchOf(a), batchOf(b));
    if (batch === null) {
      throw new ShapeError(`matmul: batch shapes ${formatShape(batchOf(a))} and ${formatShape(batchOf(b))} do not broadcast`);
    }
    return [...batch, a[a.length - 2]!, b[b.length - 1]!];
  },
  forward([aIn, bIn], _attrs, out, outShape) {
    const batch = batchOf(outShape);
    const a = expandBatch(aIn!, batch);
    const b = expandBatch(bIn!, batch);
    const m = a.shape[a.shape.length - 2]!;
    const k = a.shape[a.shape.length - 1]!;
    const n = b.shape[b.shape.length - 1]!;
    const batches = sizeOf(batch);
    backend().matmul(a.data, b.data, out, {
      batch: batches, m, k, n,
      aBatchStride: sizeOf(batchOf(a.shape)) === 1 ? 0 : m * k,
      bBatchStride: sizeOf(batchOf(b.shape)) === 1 ? 0 : k * n,
    });
  },
  forwardTransposed: (a, b, out, dims) => backend().matmul(a, b, out, dims),
  // ∂H/∂X = Wᵀ, used as d·Wᵀ; ∂H/∂W = Xᵀ, used as Xᵀ·d
  vjp: (m, { inputs: [a, b], gy, needsGrad }) => [
    needsGrad[0] ? m.matmul(gy, m.mT(b!)) : null,
    needsGrad[1] ? m.matmul(m.mT(a!), gy) : null,
  ],
  notation: {
    precedence: Precedence.product,
    write: (args, _attrs, style) => {
      const left = wrap(argAt(args, 0), Precedence.product, style);
      const right = wrap(argAt(args, 1), Precedence.power, style);
      return style === 'ascii' ? `matmul(${argAt(args, 0).text}, ${argAt(args, 1).text})` : style === 'pretty' ? `${left}·${right}` : `${left} \\cdot ${right}`;
    },
  },
};

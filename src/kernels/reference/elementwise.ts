import type { Storage } from '../../tensor/dtype.js';
import { broadcastStrides, sizeOf, type Shape } from '../../tensor/shape.js';
import { BinaryCode, type BinaryKernelName } from '../codes.js';

/**
 * An elementwise kernel of two inputs: the operation on two numbers (for 0-d tensors), and one
 * run of `len` elements, out[o..] = a[ai, ai+aStep, ..] ∘ b[bi, bi+bStep, ..]. Each run is a
 * function literal of its own, so it stays a tight, monomorphic loop; test/backends.test.ts
 * checks scalar and run agree.
 */
interface BinaryKernel {
  readonly scalar: (a: number, b: number) => number;
  readonly run: (a: Storage, ai: number, aStep: number, b: Storage, bi: number, bStep: number, out: Storage, o: number, len: number) => void;
}

/** The reference kernel of every binary code, keyed by the op it computes. */
const BINARY: { readonly [N in BinaryKernelName]: BinaryKernel } = {
  add: {
    scalar: (a, b) => a + b,
    run(a, ai, aStep, b, bi, bStep, out, o, len) {
      for (const end = o + len; o < end; o++, ai += aStep, bi += bStep) out[o] = a[ai]! + b[bi]!;
    },
  },
  sub: {
    scalar: (a, b) => a - b,
    run(a, ai, aStep, b, bi, bStep, out, o, len) {
      for (const end = o + len; o < end; o++, ai += aStep, bi += bStep) out[o] = a[ai]! - b[bi]!;
    },
  },
  mul: {
    scalar: (a, b) => a * b,
    run(a, ai, aStep, b, bi, bStep, out, o, len) {
      for (const end = o + len; o < end; o++, ai += aStep, bi += bStep) out[o] = a[ai]! * b[bi]!;
    },
  },
  div: {
    scalar: (a, b) => a / b,
    run(a, ai, aStep, b, bi, bStep, out, o, len) {
      for (const end = o + len; o < end; o++, ai += aStep, bi += bStep) out[o] = a[ai]! / b[bi]!;
    },
  },
  pow: {
    scalar: (a, b) => Math.pow(a, b),
    run(a, ai, aStep, b, bi, bStep, out, o, len) {
      for (const end = o + len; o < end; o++, ai += aStep, bi += bStep) out[o] = Math.pow(a[ai]!, b[bi]!);
    },
  },
  maximum: {
    scalar: (a, b) => Math.max(a, b),
    run(a, ai, aStep, b, bi, bStep, out, o, len) {
      for (const end = o + len; o < end; o++, ai += aStep, bi += bStep) out[o] = Math.max(a[ai]!, b[bi]!);
    },
  },
  minimum: {
    scalar: (a, b) => Math.min(a, b),
    run(a, ai, aStep, b, bi, bStep, out, o, len) {
      for (const end = o + len; o < end; o++, ai += aStep, bi += bStep) out[o] = Math.min(a[ai]!, b[bi]!);
    },
  },
  gt: {
    scalar: (a, b) => a > b ? 1 : 0,
    run(a, ai, aStep, b, bi, bStep, out, o, len) {
      for (const end = o + len; o < end; o++, ai += aStep, bi += bStep) out[o] = a[ai]! > b[bi]! ? 1 : 0;
    },
  },
  ge: {
    scalar: (a, b) => a >= b ? 1 : 0,
    run(a, ai, aStep, b, bi, bStep, out, o, len) {
      for (const end = o + len; o < end; o++, ai += aStep, bi += bStep) out[o] = a[ai]! >= b[bi]! ? 1 : 0;
    },
  },
  lt: {
    scalar: (a, b) => a < b ? 1 : 0,
    run(a, ai, aStep, b, bi, bStep, out, o, len) {
      for (const end = o + len; o < end; o++, ai += aStep, bi += bStep) out[o] = a[ai]! < b[bi]! ? 1 : 0;
    },
  },
  le: {
    scalar: (a, b) => a <= b ? 1 : 0,
    run(a, ai, aStep, b, bi, bStep, out, o, len) {
      for (const end = o + len; o < end; o++, ai += aStep, bi += bStep) out[o] = a[ai]! <= b[bi]! ? 1 : 0;
    },
  },
  eq: {
    scalar: (a, b) => a === b ? 1 : 0,
    run(a, ai, aStep, b, bi, bStep, out, o, len) {
      for (const end = o + len; o < end; o++, ai += aStep, bi += bStep) out[o] = a[ai]! === b[bi]! ? 1 : 0;
    },
  },
  ne: {
    scalar: (a, b) => a !== b ? 1 : 0,
    run(a, ai, aStep, b, bi, bStep, out, o, len) {
      for (const end = o + len; o < end; o++, ai += aStep, bi += bStep) out[o] = a[ai]! !== b[bi]! ? 1 : 0;
    },
  },
};

/** The same kernels indexed by code, as the Backend interface calls them. */
const BY_CODE: readonly BinaryKernel[] = (Object.keys(BINARY) as BinaryKernelName[]).reduce<BinaryKernel[]>((byCode, name) => {
  byCode[BinaryCode[name]] = BINARY[name];
  return byCode;
}, []);

export function binaryScalar(code: BinaryCode, a: number, b: number): number {
  return BY_CODE[code]!.scalar(a, b);
}

export function binary(
  code: BinaryCode, a: Storage, aShape: Shape, b: Storage, bShape: Shape, out: Storage, outShape: Shape,
): void {
  const binaryRun = BY_CODE[code]!.run;
  const total = sizeOf(outShape);
  if (total === 0) return;
  if (a.length === total && b.length === total) return binaryRun(a, 0, 1, b, 0, 1, out, 0, total);
  if (b.length === 1 && a.length === total) return binaryRun(a, 0, 1, b, 0, 0, out, 0, total);
  if (a.length === 1 && b.length === total) return binaryRun(a, 0, 0, b, 0, 1, out, 0, total);
  // General broadcast: walk the outer axes with an odometer, run the innermost axis in one go.
  const rank = outShape.length;
  const aStrides = broadcastStrides(aShape, outShape);
  const bStrides = broadcastStrides(bShape, outShape);
  const inner = outShape[rank - 1] ?? 1;
  const aInner = aStrides[rank - 1] ?? 0;
  const bInner = bStrides[rank - 1] ?? 0;
  const counter = new Array<number>(rank).fill(0);
  let ai = 0;
  let bi = 0;
  for (let o = 0; o < total; o += inner) {
    binaryRun(a, ai, aInner, b, bi, bInner, out, o, inner);
    for (let axis = rank - 2; axis >= 0; axis--) {
      const extent = outShape[axis]!;
      if (++counter[axis]! < extent) {
        ai += aStrides[axis]!;
        bi += bStrides[axis]!;
        break;
      }
      counter[axis] = 0;
      ai -= aStrides[axis]! * (extent - 1);
      bi -= bStrides[axis]! * (extent - 1);
    }
  }
}

import type { Storage } from '../../tensor/dtype.js';
import { broadcastStrides, sizeOf, type Shape } from '../../tensor/shape.js';
import { BinaryCode, UnaryCode } from '../codes.js';

function sigmoid(v: number): number {
  // Two branches keep exp's argument non-positive, so neither overflows.
  if (v >= 0) return 1 / (1 + Math.exp(-v));
  const e = Math.exp(v);
  return e / (1 + e);
}

/**
 * IEEE 754 pow (C's pow, PyTorch): 1^y = 1 and (−1)^±∞ = 1 even for y = ±∞ or NaN, where
 * JavaScript's Math.pow gives NaN; every other case (x^0 = 1, ±0, ±∞) already agrees.
 */
export function ieeePow(a: number, b: number): number {
  if (a === 1 || (a === -1 && (b === Infinity || b === -Infinity))) return 1;
  return Math.pow(a, b);
}

/** ln(1 + eˣ) = max(x, 0) + ln(1 + e^−|x|): never overflows, exact for large |x|. */
function softplus(v: number): number {
  return Math.max(v, 0) + Math.log1p(Math.exp(-Math.abs(v)));
}

/**
 * The same operations on one number, for 0-d tensors (a scalar graph should not pay for a
 * typed array per node). elementwise.test.ts checks these agree with the loops below.
 */
export function unaryScalar(code: UnaryCode, v: number): number {
  switch (code) {
    case UnaryCode.neg: return -v;
    case UnaryCode.exp: return Math.exp(v);
    case UnaryCode.log: return Math.log(v);
    case UnaryCode.sqrt: return Math.sqrt(v);
    case UnaryCode.abs: return Math.abs(v);
    case UnaryCode.sin: return Math.sin(v);
    case UnaryCode.cos: return Math.cos(v);
    case UnaryCode.tanh: return Math.tanh(v);
    case UnaryCode.sigmoid: return sigmoid(v);
    case UnaryCode.relu: return v > 0 ? v : v === v ? 0 : v;
    case UnaryCode.step: return v > 0 ? 1 : v === v ? 0 : v;
    case UnaryCode.sign: return Math.sign(v) + 0;
    case UnaryCode.softplus: return softplus(v);
  }
}

export function binaryScalar(code: BinaryCode, a: number, b: number): number {
  switch (code) {
    case BinaryCode.add: return a + b;
    case BinaryCode.sub: return a - b;
    case BinaryCode.mul: return a * b;
    case BinaryCode.div: return a / b;
    case BinaryCode.pow: return ieeePow(a, b);
    case BinaryCode.max: return Math.max(a, b);
    case BinaryCode.min: return Math.min(a, b);
    case BinaryCode.gt: return a > b ? 1 : 0;
    case BinaryCode.ge: return a >= b ? 1 : 0;
    case BinaryCode.lt: return a < b ? 1 : 0;
    case BinaryCode.le: return a <= b ? 1 : 0;
    case BinaryCode.eq: return a === b ? 1 : 0;
    case BinaryCode.ne: return a !== b ? 1 : 0;
  }
}

export function unary(code: UnaryCode, x: Storage, out: Storage): void {
  const n = x.length;
  switch (code) {
    case UnaryCode.neg: for (let i = 0; i < n; i++) out[i] = -x[i]!; break;
    case UnaryCode.exp: for (let i = 0; i < n; i++) out[i] = Math.exp(x[i]!); break;
    case UnaryCode.log: for (let i = 0; i < n; i++) out[i] = Math.log(x[i]!); break;
    case UnaryCode.sqrt: for (let i = 0; i < n; i++) out[i] = Math.sqrt(x[i]!); break;
    case UnaryCode.abs: for (let i = 0; i < n; i++) out[i] = Math.abs(x[i]!); break;
    case UnaryCode.sin: for (let i = 0; i < n; i++) out[i] = Math.sin(x[i]!); break;
    case UnaryCode.cos: for (let i = 0; i < n; i++) out[i] = Math.cos(x[i]!); break;
    case UnaryCode.tanh: for (let i = 0; i < n; i++) out[i] = Math.tanh(x[i]!); break;
    case UnaryCode.sigmoid: for (let i = 0; i < n; i++) out[i] = sigmoid(x[i]!); break;
    // relu keeps NaN as NaN (as PyTorch) and maps −0 to 0.
    case UnaryCode.relu: for (let i = 0; i < n; i++) { const v = x[i]!; out[i] = v > 0 ? v : v === v ? 0 : v; } break;
    // step(0) = 0, so relu′(0) = 0 as in PyTorch.
    case UnaryCode.step: for (let i = 0; i < n; i++) { const v = x[i]!; out[i] = v > 0 ? 1 : v === v ? 0 : v; } break;
    case UnaryCode.sign: for (let i = 0; i < n; i++) out[i] = Math.sign(x[i]!) + 0; break;
    case UnaryCode.softplus: for (let i = 0; i < n; i++) out[i] = softplus(x[i]!); break;
  }
}

/**
 * One run of `len` elements: out[o..] = a[ai, ai+aStep, ..] ∘ b[bi, bi+bStep, ..]. The switch
 * sits outside the loops so each loop is a tight, monomorphic one.
 */
function binaryRun(
  code: BinaryCode, a: Storage, ai: number, aStep: number, b: Storage, bi: number, bStep: number,
  out: Storage, o: number, len: number,
): void {
  const end = o + len;
  switch (code) {
    case BinaryCode.add: for (; o < end; o++, ai += aStep, bi += bStep) out[o] = a[ai]! + b[bi]!; break;
    case BinaryCode.sub: for (; o < end; o++, ai += aStep, bi += bStep) out[o] = a[ai]! - b[bi]!; break;
    case BinaryCode.mul: for (; o < end; o++, ai += aStep, bi += bStep) out[o] = a[ai]! * b[bi]!; break;
    case BinaryCode.div: for (; o < end; o++, ai += aStep, bi += bStep) out[o] = a[ai]! / b[bi]!; break;
    case BinaryCode.pow: for (; o < end; o++, ai += aStep, bi += bStep) out[o] = ieeePow(a[ai]!, b[bi]!); break;
    case BinaryCode.max: for (; o < end; o++, ai += aStep, bi += bStep) out[o] = Math.max(a[ai]!, b[bi]!); break;
    case BinaryCode.min: for (; o < end; o++, ai += aStep, bi += bStep) out[o] = Math.min(a[ai]!, b[bi]!); break;
    case BinaryCode.gt: for (; o < end; o++, ai += aStep, bi += bStep) out[o] = a[ai]! > b[bi]! ? 1 : 0; break;
    case BinaryCode.ge: for (; o < end; o++, ai += aStep, bi += bStep) out[o] = a[ai]! >= b[bi]! ? 1 : 0; break;
    case BinaryCode.lt: for (; o < end; o++, ai += aStep, bi += bStep) out[o] = a[ai]! < b[bi]! ? 1 : 0; break;
    case BinaryCode.le: for (; o < end; o++, ai += aStep, bi += bStep) out[o] = a[ai]! <= b[bi]! ? 1 : 0; break;
    case BinaryCode.eq: for (; o < end; o++, ai += aStep, bi += bStep) out[o] = a[ai]! === b[bi]! ? 1 : 0; break;
    case BinaryCode.ne: for (; o < end; o++, ai += aStep, bi += bStep) out[o] = a[ai]! !== b[bi]! ? 1 : 0; break;
  }
}

export function binary(
  code: BinaryCode, a: Storage, aShape: Shape, b: Storage, bShape: Shape, out: Storage, outShape: Shape,
): void {
  const total = sizeOf(outShape);
  if (total === 0) return;
  if (a.length === total && b.length === total) return binaryRun(code, a, 0, 1, b, 0, 1, out, 0, total);
  if (b.length === 1 && a.length === total) return binaryRun(code, a, 0, 1, b, 0, 0, out, 0, total);
  if (a.length === 1 && b.length === total) return binaryRun(code, a, 0, 0, b, 0, 1, out, 0, total);
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
    binaryRun(code, a, ai, aInner, b, bi, bInner, out, o, inner);
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

import { describe, expect, it } from 'vitest';
import type { Storage } from '../../src/tensor/dtype.js';
import { backend, setBackend } from '../../src/kernels/active.js';
import type { Backend, MatmulDims } from '../../src/kernels/backend.js';
import { BinaryCode, ReduceCode, UnaryCode } from '../../src/kernels/codes.js';
import { sizeOf, type Shape } from '../../src/tensor/shape.js';
import { referenceBackend } from '../../src/kernels/reference/index.js';

/**
 * What every fast backend's test file checks against the reference backend: seeded inputs,
 * the float32/float64 matmul error bound, bit-for-bit elementwise comparison, and the whole op
 * suite rerun with the backend active.
 */

let seed = 12345;
/** A seeded uniform draw in [−0.5, 0.5). */
export function random(): number {
  seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
  return seed / 2 ** 32 - 0.5;
}

/** Values exactly representable in float32, so f32 and f64 runs start from the same numbers. */
export const values = (length: number) => Float32Array.from({ length }, () => random() * 4);

export const ODD = [1, 3, 5, 17, 33, 127];

/** m × k · k × n shapes: every pair of ODD sizes, and some that cross blocking boundaries. */
export function matmulShapes(): [number, number, number][] {
  const shapes: [number, number, number][] = [];
  for (const m of ODD) for (const n of ODD) shapes.push([m, ODD[(m + n) % ODD.length]!, n]);
  shapes.push([4, 256, 8], [8, 257, 9], [97, 300, 65], [200, 513, 40], [1, 1000, 1], [2, 0, 3]);
  return shapes;
}

/**
 * Where got (a product computed in floating point with machine epsilon ε) misses the exact
 * product by more than the standard bound for k-term sums, |c − exact| ≤ k·(ε/2)·Σₚ|aᵢₚ·bₚⱼ|,
 * doubled for room. `exact` is the float64 reference product of the same (float32-representable)
 * values: exact enough for a float32 result; for a float64 result it carries its own error of
 * the same bound, so together they stay within k·ε·Σ|a·b| (ε = 2⁻²³ or 2⁻⁵²).
 */
export function matmulBoundMisses(got: Storage, exact: Float64Array, a: ArrayLike<number>, b: ArrayLike<number>, m: number, k: number, n: number): string[] {
  const epsilon = got instanceof Float32Array ? 2 ** -23 : 2 ** -52;
  const misses: string[] = [];
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let magnitude = 0;
      for (let p = 0; p < k; p++) magnitude += Math.abs(a[i * k + p]! * b[p * n + j]!);
      const error = Math.abs(got[i * n + j]! - exact[i * n + j]!);
      if (!(error <= k * epsilon * magnitude)) misses.push(`[${i},${j}]: ${got[i * n + j]} vs ${exact[i * n + j]}`);
    }
  }
  return misses;
}

/** The rows × cols matrix x, stored transposed. */
export function transposed(x: Float64Array, rows: number, cols: number): Float64Array {
  const t = new Float64Array(rows * cols);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) t[c * rows + r] = x[r * cols + c]!;
  return t;
}

/**
 * A batched product with each operand also stored transposed: the reference product of the
 * plain operands, and a runner of `on` for each (transA, transB) on the stored transposes.
 */
export function transposedProducts(on: Backend, [batch, m, k, n]: [number, number, number, number]) {
  const a = Float64Array.from(values(batch * m * k));
  const b = Float64Array.from(values(batch * k * n));
  const at = new Float64Array(batch * m * k);
  const bt = new Float64Array(batch * k * n);
  for (let p = 0; p < batch; p++) {
    at.set(transposed(a.subarray(p * m * k, (p + 1) * m * k), m, k), p * m * k);
    bt.set(transposed(b.subarray(p * k * n, (p + 1) * k * n), k, n), p * k * n);
  }
  const dims: MatmulDims = { batch, m, k, n, aBatchStride: m * k, bBatchStride: k * n };
  const want = new Float64Array(batch * m * n);
  referenceBackend.matmul(a, b, want, dims);
  const run = (transA: boolean, transB: boolean) => {
    const got = new Float64Array(batch * m * n).fill(NaN);
    on.matmul(transA ? at : a, transB ? bt : b, got, { ...dims, transA, transB });
    return got;
  };
  return { a, b, want, run };
}

/** Edge values every elementwise kernel must treat as the reference does. */
const SPECIAL = [0, -0, 1, -1, 0.5, -2.5, 3, Infinity, -Infinity, NaN, 1e-300, -1e300];

/** Every third element special, the rest random; `offset` shifts which special lands where. */
export function elementwiseArray(kind: 'f32' | 'f64', length: number, offset: number): Storage {
  // Every third element is the next special value, so 36 elements hold all twelve whatever the offset.
  const source = Float64Array.from({ length }, (_, i) => (i % 3 === 0 ? SPECIAL[(i / 3 + offset) % SPECIAL.length]! : random() * 6));
  return kind === 'f32' ? Float32Array.from(source) : source;
}

export function emptyLike(kind: 'f32' | 'f64', length: number): Storage {
  return kind === 'f32' ? new Float32Array(length) : new Float64Array(length);
}

/** Equal element for element, −0 ≠ 0 and NaN = NaN (Object.is). */
export function sameBits(got: Storage, want: Storage): boolean {
  return got.length === want.length && [...got].every((v, i) => Object.is(v, want[i]));
}

/** Columns for the fused kernels: odd ones around the vector widths, and a layer's 127. */
export const FUSED_COLUMNS = [1, 3, 17, 33, 127];

/**
 * biasActivation of `on` against the reference's, bit for bit: every unary code and none, with
 * and without the pre-activation, f32 and f64, 1, 4 and 70 rows (past the native backend's
 * size threshold) of elementwiseArray's values (±0, ±∞, NaN among them). The outputs start
 * as different garbage, so an element a kernel fails to write shows. Returns the mismatches.
 */
export function biasActivationMismatches(on: Backend): string[] {
  const misses: string[] = [];
  for (const kind of ['f64', 'f32'] as const) {
    for (const cols of FUSED_COLUMNS) {
      for (const rows of [1, 4, 70]) {
        const x = elementwiseArray(kind, rows * cols, cols);
        const bias = elementwiseArray(kind, cols, rows + 1);
        for (const [name, code] of [['none', null] as const, ...Object.entries(UnaryCode)]) {
          for (const keepSum of [false, true]) {
            const [want, got] = [emptyLike(kind, rows * cols).fill(1), emptyLike(kind, rows * cols).fill(NaN)];
            const [wantSum, gotSum] = keepSum ? [emptyLike(kind, rows * cols).fill(1), emptyLike(kind, rows * cols).fill(NaN)] : [null, null];
            referenceBackend.biasActivation(code, x, bias, wantSum, want);
            on.biasActivation(code, x, bias, gotSum, got);
            const where = `${kind} ${name} ${rows}×${cols}${keepSum ? ' keeping the sum' : ''}`;
            if (!sameBits(got, want)) misses.push(`${where}: out`);
            if (wantSum !== null && !sameBits(gotSum, wantSum)) misses.push(`${where}: sum`);
          }
        }
      }
    }
  }
  return misses;
}

/**
 * Every binary code on `on` against the reference over broadcasts: rows, columns, outer
 * products, rows whose length ends inside a SIMD vector, and shapes a fast backend leaves to
 * the reference; the cases that differ bit for bit (empty when they all agree).
 */
export function broadcastMismatches(on: Backend, kind: 'f32' | 'f64'): string[] {
  const cases: [Shape, Shape, Shape][] = [
    [[9, 13], [13], [9, 13]], [[13], [9, 13], [9, 13]], [[9, 13], [9, 1], [9, 13]], [[9, 1], [9, 13], [9, 13]],
    [[1, 13], [9, 1], [9, 13]], [[4, 5, 6], [5, 6], [4, 5, 6]], [[4, 5, 6], [5, 1], [4, 5, 6]], [[4, 5, 6], [4, 5, 1], [4, 5, 6]],
    [[3, 5], [5], [3, 5]], [[3, 5], [3, 1], [3, 5]], [[1, 1], [1], [1, 1]], [[17, 33], [33], [17, 33]], [[64, 10], [64, 1], [64, 10]],
    // A convolution's channel bias and its mirror (native: one rows × cols loop per sample).
    [[3, 8, 12], [1, 8, 1], [3, 8, 12]], [[8, 1], [3, 8, 12], [3, 8, 12]], [[2, 4, 5, 6], [1, 4, 1, 1], [2, 4, 5, 6]],
  ];
  const mismatches: string[] = [];
  for (const [name, code] of Object.entries(BinaryCode)) {
    for (const [aShape, bShape, outShape] of cases) {
      const a = elementwiseArray(kind, sizeOf(aShape), 0);
      const b = elementwiseArray(kind, sizeOf(bShape), 4);
      const want = emptyLike(kind, sizeOf(outShape)).fill(NaN);
      const got = emptyLike(kind, sizeOf(outShape)).fill(NaN);
      referenceBackend.binary(code, a, aShape, b, bShape, want, outShape);
      on.binary(code, a, aShape, b, bShape, got, outShape);
      if (!sameBits(got, want)) mismatches.push(`${name} [${aShape.join()}] ∘ [${bShape.join()}]`);
    }
  }
  return mismatches;
}

/** 1 followed by 63 × 2⁻²⁴: a sum whose float32 value depends on when it is rounded. */
function rounding(kind: 'f32' | 'f64'): Storage {
  const values = Array.from({ length: 64 }, (_, i) => (i === 0 ? 1 : 2 ** -24));
  return kind === 'f32' ? Float32Array.from(values) : Float64Array.from(values);
}

/**
 * Sum and max on `on` against the reference over leading, trailing, all and middle axes of
 * shapes whose rows and columns end inside a SIMD vector (NaN, ±0 and ±∞ among the values);
 * the cases that differ bit for bit (empty when they all agree).
 */
export function reduceMismatches(on: Backend, kind: 'f32' | 'f64'): string[] {
  const sized = (shape: number[]) => elementwiseArray(kind, shape.reduce((p, e) => p * e, 1), 3);
  // −0 before 0 (max keeps the first of equals, unlike IEEE maximum's +0) and NaN after −∞.
  const signedZeros = [-0, 0, -Infinity, 0, -0, NaN, -1, -1, 1];
  const cases: { shape: number[]; axesList: number[][]; x: Storage }[] = [
    { shape: [6, 7, 9], axesList: [[0], [0, 1], [2], [1, 2], [0, 1, 2], [1], [0, 2]], x: sized([6, 7, 9]) },
    // A convolution's bias gradient: [N, C, H, W] over N, H and W (and the kept block wider than one axis).
    { shape: [5, 3, 4, 6], axesList: [[0, 2, 3], [0, 3], [0, 1, 3]], x: sized([5, 3, 4, 6]) },
    ...[[1, 1], [3, 5], [17, 33], [127, 3], [64, 10], [5, 0], [0, 4]].map((shape) => ({ shape, axesList: [[0], [1]], x: sized(shape) })),
    { shape: [3, 3], axesList: [[0], [1]], x: kind === 'f32' ? Float32Array.from(signedZeros) : Float64Array.from(signedZeros) },
    // Every axis, and a vector (a loss's total): 1 then 63 × 2⁻²⁴ sums to 1 when each float32
    // step rounds (the reference's rows), to 1 + 63·2⁻²⁴ when the sum is rounded once.
    { shape: [8, 8], axesList: [[0, 1]], x: rounding(kind) },
    { shape: [64], axesList: [[0]], x: rounding(kind) },
    { shape: [5, 7], axesList: [[0, 1]], x: sized([5, 7]).map((value) => (Number.isFinite(value) ? value : 1)) },
  ];
  const mismatches: string[] = [];
  for (const { shape, axesList, x } of cases) {
    for (const [name, code] of Object.entries(ReduceCode)) {
      for (const axes of axesList) {
        const length = shape.filter((_, axis) => !axes.includes(axis)).reduce((p, e) => p * e, 1);
        const want = emptyLike(kind, length).fill(NaN);
        const got = emptyLike(kind, length).fill(NaN);
        referenceBackend.reduce(code, x, shape, axes, want);
        on.reduce(code, x, shape, axes, got);
        if (!sameBits(got, want)) mismatches.push(`${name} of [${shape.join()}] over [${axes.join()}]`);
      }
    }
  }
  return mismatches;
}

/**
 * Which of `on` and the reference accept a biasActivation whose x is not whole rows of the
 * bias (5 and 129 elements against 2) for relu, tanh and no activation; empty when both refuse.
 */
export function partialRowsAccepted(on: Backend): string[] {
  const accepted: string[] = [];
  for (const [name, backend] of [['reference', referenceBackend], ['tested', on]] as const) {
    for (const code of [UnaryCode.relu, UnaryCode.tanh, null]) {
      for (const length of [5, 129]) {
        try {
          backend.biasActivation(code, new Float32Array(length), new Float32Array(2), null, new Float32Array(length));
          accepted.push(`${name}: code ${code}, ${length} elements`);
        } catch (error) {
          if (!(error instanceof RangeError && /whole rows/.test(error.message))) accepted.push(`${name}: code ${code}, ${length} elements: ${String(error)}`);
        }
      }
    }
  }
  return accepted;
}

/**
 * Three Adam steps on `on` and on the reference, with and without weight decay, at lengths
 * that end inside a SIMD vector and cross the wasm backend's 8192-weight chunks; the
 * differences in weights or moments, bit for bit (empty when they agree).
 */
export function adamMismatches(on: Backend, kind: 'f32' | 'f64'): string[] {
  const mismatches: string[] = [];
  // The last two: split into chunks over a native backend's threads (16,384 weights or more each), evenly and not.
  for (const length of [1, 3, 5, 1001, 8192, 8192 * 2 + 3, 16384 * 4, 16384 * 5 + 7]) {
    for (const decay of [0, 0.01]) {
      const start = elementwiseArray(kind, length, 2).map((value) => (Number.isFinite(value) ? value : 0.5));
      const gradient = elementwiseArray(kind, length, 5).map((value) => (Number.isFinite(value) ? value : -0.25));
      const run = (backend: Backend) => {
        const weights = start.slice();
        const m = new Float64Array(length);
        const v = new Float64Array(length);
        for (let t = 1; t <= 3; t++) {
          backend.adamUpdate(weights, gradient, m, v, { beta1: 0.9, beta2: 0.999, stepSize: 0.001 / (1 - 0.9 ** t), inverseRoot2: 1 / Math.sqrt(1 - 0.999 ** t), eps: 1e-8, decay });
        }
        return { weights, m, v };
      };
      const want = run(referenceBackend);
      const got = run(on);
      const where = `length ${length}, decay ${decay}`;
      if (!sameBits(got.weights, want.weights)) mismatches.push(`weights, ${where}`);
      if (!sameBits(got.m, want.m) || !sameBits(got.v, want.v)) mismatches.push(`moments, ${where}`);
      if (sameBits(got.weights, start)) mismatches.push(`weights unchanged, ${where}`);
    }
  }
  return mismatches;
}

/**
 * The whole op suite again on `on`: the registry's gradient checks and the PyTorch fixtures,
 * imported after the switch so their tests run with it active. Vitest isolates test files, so
 * the switch touches no other file.
 */
export function describeOpSuiteOn(on: Backend): void {
  setBackend(on);
  describe(`op suite on the ${on.name} backend`, async () => {
    it(`runs with the ${on.name} backend active`, () => {
      expect(backend().name).toBe(on.name);
    });
    await import('../../src/ops/registry.test.js');
    await import('../pytorch-ops.test.js');
  });
}

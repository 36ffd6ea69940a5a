import { describe, expect, it } from 'vitest';
import type { Storage } from '../src/tensor/dtype.js';
import type { Backend, ConvWindow, MatmulDims } from '../src/kernels/backend.js';
import { BinaryCode, ReduceCode, UnaryCode } from '../src/kernels/codes.js';
import { loadAddon } from '../src/kernels/native/addon.js';
import { loadNativeBackend } from '../src/kernels/native/index.js';
import { binaryLayout, leadingSplitLayout, middleKeptLayout, reduceLayout } from '../src/kernels/layout.js';
import { slidingExtent } from '../src/kernels/reference/im2col.js';
import { referenceBackend } from '../src/kernels/reference/index.js';
import {
  adamMismatches, biasActivationMismatches, broadcastMismatches, describeOpSuiteOn, elementwiseArray, emptyLike, FUSED_COLUMNS, matmulBoundMisses, matmulShapes, ODD,
  partialRowsAccepted, reduceMismatches, sameBits, transposedProducts, values,
} from './support/backend-checks.js';

/**
 * The native backend (OpenBLAS through N-API): its kernels against the reference backend's,
 * then the whole op suite again with it active. Skipped, saying why, where the addon is not
 * built (no C compiler or libopenblas-dev when npm installed; `npm run build:native` retries).
 *
 * Tolerances: BLAS sums in its own blocked order with fused multiply-adds, so a product is
 * not the reference's bit for bit in either precision; it is within k·ε·Σₚ|aᵢₚ·bₚⱼ| of the
 * float64 reference product (ε = 2⁻²³ for float32, 2⁻⁵² for float64; see matmulBoundMisses).
 * The elementwise kernels and the reductions do the reference's IEEE-exact operations in its
 * order, so they agree bit for bit.
 */

let native: Backend | undefined;
let unavailable = '';
try {
  native = loadNativeBackend();
} catch (error) {
  unavailable = error instanceof Error ? error.message : String(error);
}
const skipped = native === undefined ? ` (skipped: ${unavailable})` : '';
const on = native ?? referenceBackend; // never run when skipped; keeps the types simple

/** Lengths around the native threshold (64) and the vector widths. */
const LENGTHS = [...ODD, 64, 65, 200, 1001];

describe.skipIf(native === undefined)(`native matmul against the reference${skipped}`, () => {
  const cases = (['f64', 'f32'] as const).flatMap((kind) => matmulShapes().map(([m, k, n]) => [kind, m, k, n] as const));
  it.each(cases)('%s %i×%i · %i×· is within k·ε·Σ|a·b| of the exact product', (kind, m, k, n) => {
    const a32 = values(m * k);
    const b32 = values(k * n);
    const dims: MatmulDims = { batch: 1, m, k, n, aBatchStride: 0, bBatchStride: 0 };
    const exact = new Float64Array(m * n);
    referenceBackend.matmul(Float64Array.from(a32), Float64Array.from(b32), exact, dims);
    const got = emptyLike(kind, m * n).fill(NaN);
    if (kind === 'f32') on.matmul(a32, b32, got, dims);
    else on.matmul(Float64Array.from(a32), Float64Array.from(b32), got, dims);
    expect(matmulBoundMisses(got, exact, a32, b32, m, k, n)).toEqual([]);
  });

  it('batches, with a batch stride of 0 reusing one matrix on either side', () => {
    const [m, k, n, batch] = [5, 17, 33, 3];
    for (const [aBatchStride, bBatchStride] of [[m * k, k * n], [0, k * n], [m * k, 0]] as const) {
      const a = values(batch * m * k);
      const b = values(batch * k * n);
      const dims: MatmulDims = { batch, m, k, n, aBatchStride, bBatchStride };
      const exact = new Float64Array(batch * m * n);
      const got = new Float32Array(batch * m * n);
      referenceBackend.matmul(Float64Array.from(a), Float64Array.from(b), exact, dims);
      on.matmul(a, b, got, dims);
      for (let p = 0; p < batch; p++) {
        const slice = (x: Float32Array | Float64Array, start: number, length: number) => x.subarray(start, start + length);
        const misses = matmulBoundMisses(slice(got, p * m * n, m * n), slice(exact, p * m * n, m * n) as Float64Array,
          slice(a, p * aBatchStride, m * k), slice(b, p * bBatchStride, k * n), m, k, n);
        expect(misses, `batch ${p}, strides ${aBatchStride}, ${bBatchStride}`).toEqual([]);
      }
    }
  });

  it('transA / transB read the stored transposes (equal to the plain product within the bound), batched', () => {
    const [batch, m, k, n] = [2, 7, 33, 5];
    const { a, b, want, run } = transposedProducts(on, [batch, m, k, n]);
    for (const [transA, transB] of [[false, false], [true, false], [false, true], [true, true]] as const) {
      const got = run(transA, transB);
      for (let p = 0; p < batch; p++) {
        const misses = matmulBoundMisses(got.subarray(p * m * n, (p + 1) * m * n), want.subarray(p * m * n, (p + 1) * m * n),
          a.subarray(p * m * k), b.subarray(p * k * n), m, k, n);
        expect(misses, `transA=${transA} transB=${transB} batch ${p}`).toEqual([]);
      }
    }
  });

  it('k = 0 gives zeros (an empty sum), and empty products write nothing', () => {
    const out = new Float64Array(6).fill(NaN);
    on.matmul(new Float64Array(0), new Float64Array(0), out, { batch: 1, m: 2, k: 0, n: 3, aBatchStride: 0, bBatchStride: 0 });
    expect([...out]).toEqual([0, 0, 0, 0, 0, 0]);
    const untouched = new Float32Array(2).fill(7);
    on.matmul(new Float32Array(0), new Float32Array(6), untouched, { batch: 1, m: 0, k: 2, n: 3, aBatchStride: 0, bBatchStride: 0 });
    expect([...untouched]).toEqual([7, 7]);
  });

  it('mixed float32/float64 operands go to the reference (the addon takes one element type)', () => {
    const a = values(6);
    const b = Float64Array.from(values(6));
    const want = new Float64Array(4);
    const got = new Float64Array(4);
    const dims: MatmulDims = { batch: 1, m: 2, k: 3, n: 2, aBatchStride: 0, bBatchStride: 0 };
    referenceBackend.matmul(a, b, want, dims);
    on.matmul(a, b, got, dims);
    expect(got).toEqual(want);
  });

  it('the addon throws instead of reading or writing past an array', () => {
    const addon = loadAddon();
    const small = new Float32Array(4);
    expect(() => addon.gemm(small, small, new Float32Array(3), 1, 2, 2, 2, 0, 0, false, false)).toThrow(/out is shorter/);
    expect(() => addon.gemm(small, small, new Float32Array(8), 2, 2, 2, 2, 4, 0, false, false)).toThrow(/a is shorter/);
    expect(() => addon.gemm(small, new Float64Array(4), small, 1, 2, 2, 2, 0, 0, false, false)).toThrow(/one element type/);
    expect(() => addon.binary(BinaryCode.add, small, small, small, 2, 3, 3, 1, 3, 1)).toThrow(/shorter/);
    expect(() => addon.unary(UnaryCode.exp, small, small)).toThrow(/not a native operation/);
    expect(() => addon.reduce(ReduceCode.sum, small, small, 3, 2, true)).toThrow(/too short/);
    expect(() => addon.biasActivation(UnaryCode.relu, small, new Float32Array(2), null, new Float32Array(3))).toThrow(/as long as x/);
    expect(() => addon.biasActivation(UnaryCode.relu, small, new Float32Array(3), null, small)).toThrow(/whole rows/);
    expect(() => addon.biasActivation(UnaryCode.relu, small, new Float32Array(2), new Float32Array(3), small)).toThrow(/as long as x/);
    expect(() => addon.biasActivation(UnaryCode.tanh, small, new Float32Array(2), null, small)).toThrow(/not a native activation/);
    const window = Float64Array.of(1, 3, 3, 2, 2, 1, 1, 0, 0, 1, 1); // one 3×3 image, 2×2 kernel: 4 × 4 columns
    expect(() => addon.im2col(new Float32Array(9), new Float32Array(15), window, 0)).toThrow(/too short/);
    expect(() => addon.im2col(new Float32Array(8), new Float32Array(16), window, 0)).toThrow(/too short/);
    expect(() => addon.col2im(new Float32Array(16), new Float32Array(8), window)).toThrow(/too short/);
    expect(() => addon.col2im(new Float32Array(16), new Float64Array(9), window)).toThrow(/one element type/);
    expect(() => addon.maxPool(new Float32Array(9), new Float32Array(3), window)).toThrow(/too short/);
    expect(() => addon.maxPoolBackward(new Float32Array(9), new Float32Array(3), new Float32Array(9), window)).toThrow(/too short/);
    expect(() => addon.maxPoolBackward(new Float32Array(9), new Float32Array(4), new Float32Array(8), window)).toThrow(/too short/);
    expect(() => addon.im2col(new Float32Array(9), new Float32Array(16), Float64Array.of(1, 3, 3, 0, 2, 1, 1, 0, 0, 1, 1), 0)).toThrow(/geometry/);
    expect(() => addon.im2col(new Float32Array(9), new Float32Array(16), Float64Array.of(1, 3, 3, 2, 2, 1, 1, 0.5, 0, 1, 1), 0)).toThrow(/geometry/);
    // Sizes whose product overflows 64 bits must not wrap around to a small number.
    expect(() => addon.gemm(small, small, small, 2 ** 52, 2 ** 20, 1, 2 ** 20, 0, 0, false, false)).toThrow(/out is shorter/);
    expect(() => addon.binary(BinaryCode.add, small, small, small, 2 ** 40, 2 ** 40, 0, 0, 0, 0)).toThrow(/out is shorter/);
  });
});

describe('native layouts: which broadcasts and reductions the C kernels take', () => {
  it('collapses same shapes, scalars, row and column broadcasts to one rows × cols loop', () => {
    expect(binaryLayout([2, 3, 4], [2, 3, 4], [2, 3, 4])).toEqual({ rows: 1, cols: 24, aRow: 0, aCol: 1, bRow: 0, bCol: 1 });
    expect(binaryLayout([5, 7], [], [5, 7])).toEqual({ rows: 1, cols: 35, aRow: 0, aCol: 1, bRow: 0, bCol: 0 });
    expect(binaryLayout([2, 3, 4], [3, 4], [2, 3, 4])).toEqual({ rows: 2, cols: 12, aRow: 12, aCol: 1, bRow: 0, bCol: 1 });
    expect(binaryLayout([5, 7], [5, 1], [5, 7])).toEqual({ rows: 5, cols: 7, aRow: 7, aCol: 1, bRow: 1, bCol: 0 });
    expect(binaryLayout([1, 7], [5, 1], [5, 7])).toEqual({ rows: 5, cols: 7, aRow: 0, aCol: 1, bRow: 1, bCol: 0 });
  });

  it('takes a reduction over leading and trailing axes that keeps the ones between (a bias gradient over N, H, W) only where the reference takes its general path', () => {
    expect(middleKeptLayout([5, 3, 4, 6], [0, 2, 3])).toEqual({ outer: 5, middle: 3, inner: 24 });
    expect(middleKeptLayout([5, 3, 4, 6], [0, 3])).toEqual({ outer: 5, middle: 12, inner: 6 });
    expect(middleKeptLayout([5, 3, 4], [1])).toBeUndefined();
    expect(middleKeptLayout([5, 3, 4], [0, 1])).toBeUndefined();
    expect(middleKeptLayout([5, 3, 4], [1, 2])).toBeUndefined();
    expect(middleKeptLayout([5, 3, 4, 6], [0, 2])).toBeUndefined();
  });

  it('leaves three-axis broadcasts to the reference, or splits them along the first axis', () => {
    expect(binaryLayout([2, 3, 4], [3, 1], [2, 3, 4])).toBeUndefined();
    expect(leadingSplitLayout([2, 3, 4], [3, 1], [2, 3, 4])).toEqual({ count: 2, aStep: 12, bStep: 0, outStep: 12, layout: { rows: 3, cols: 4, aRow: 4, aCol: 1, bRow: 1, bCol: 0 } });
    expect(leadingSplitLayout([2, 1, 3, 1], [2, 5, 1, 4], [2, 5, 3, 4])).toBeUndefined();
  });

  it('takes reductions over a leading or a trailing block of axes, not a middle one', () => {
    expect(reduceLayout([3, 5, 7], [0])).toEqual({ outer: 3, inner: 35, leading: true });
    expect(reduceLayout([3, 5, 7], [1, 2])).toEqual({ outer: 3, inner: 35, leading: false });
    expect(reduceLayout([3, 5, 7], [0, 1, 2])).toEqual({ outer: 105, inner: 1, leading: true });
    expect(reduceLayout([3, 5, 7], [1])).toBeUndefined();
    expect(reduceLayout([3, 5, 7], [])).toBeUndefined();
  });
});

describe.skipIf(native === undefined)(`native elementwise kernels and reductions against the reference, bit for bit${skipped}`, () => {
  const compare = (label: string, run: (backend: Backend, out: Storage) => void, kind: 'f32' | 'f64', length: number) => {
    const want = emptyLike(kind, length).fill(NaN);
    const got = emptyLike(kind, length).fill(NaN);
    run(referenceBackend, want);
    run(on, got);
    expect(sameBits(got, want), label).toBe(true);
  };

  for (const kind of ['f64', 'f32'] as const) {
    it(`${kind} binary: every code, same shapes and a scalar on either side, lengths ${LENGTHS.join(', ')}`, () => {
      for (const [name, code] of Object.entries(BinaryCode)) {
        for (const length of LENGTHS) {
          const a = elementwiseArray(kind, length, 0);
          const b = elementwiseArray(kind, length, 5);
          const s = elementwiseArray(kind, 1, 2);
          for (const [x, xShape, y, yShape] of [[a, [length], b, [length]], [a, [length], s, []], [s, [], b, [length]]] as const) {
            compare(`${name} length ${length} shapes [${xShape.join()}] [${yShape.join()}]`,
              (backend, out) => backend.binary(code, x, xShape, y, yShape, out, [length]), kind, length);
          }
        }
      }
    });

    it(`${kind} binary broadcasts: rows, columns, outer products, and ones left to the reference`, () => {
      expect(broadcastMismatches(on, kind)).toEqual([]);
    });

    it(`${kind} unary: every code (the native ones and the delegated ones), lengths ${LENGTHS.join(', ')}`, () => {
      for (const [name, code] of Object.entries(UnaryCode)) {
        for (const length of LENGTHS) {
          const x = elementwiseArray(kind, length, 1);
          compare(`${name} length ${length}`, (backend, out) => backend.unary(code, x, out), kind, length);
        }
      }
    });

    it(`${kind} sum and max over leading, trailing, all and middle axes (NaN, ±0 and ±∞ among the values)`, () => {
      expect(reduceMismatches(on, kind)).toEqual([]);
    });
  }

  it.each(['f32', 'f64'] as const)('%s Adam step: weights and moments equal the reference\'s bit for bit, with and without weight decay', (kind) => {
    expect(adamMismatches(on, kind)).toEqual([]);
  });

  it.each(['f32', 'f64'] as const)('%s Adam step split over 1, 2 and 3 threads (native/src/parallel.c): bit for bit the reference\'s', (kind) => {
    for (const threads of [1, 2, 3]) expect(adamMismatches(loadNativeBackend({ threads }), kind), `${threads} threads`).toEqual([]);
  });

  it(`biasActivation: relu and none in C, the others delegated, ${FUSED_COLUMNS.join(', ')} columns, f32 and f64, bit for bit`, () => {
    expect(biasActivationMismatches(on)).toEqual([]);
  });

  it('biasActivation refuses an x that is not whole rows of the bias, as the reference does', () => {
    expect(partialRowsAccepted(on)).toEqual([]);
  });

  it('softmaxCrossEntropy is the reference\'s kernel (it needs exp and ln, which stay in TypeScript); the kernel itself is tested in src/ops/cross-entropy.test.ts', () => {
    expect(on.softmaxCrossEntropy === referenceBackend.softmaxCrossEntropy).toBe(true);
  });

  it('im2col and col2im: strides, paddings, dilations and odd sizes, fill 0 and −∞, f32 and f64, bit for bit', () => {
    const mismatches: string[] = [];
    const pairs: [number, number][] = [[1, 1], [2, 1], [1, 3]];
    for (const [h, w] of [[5, 7], [8, 8], [3, 11]] as const) {
      for (const kernel of [[1, 1], [3, 3], [2, 3]] as [number, number][]) {
        for (const stride of pairs) {
          for (const padding of [[0, 0], [1, 1], [1, 0]] as [number, number][]) {
            for (const dilation of [[1, 1], [2, 1]] as [number, number][]) {
              const window: ConvWindow = { kernel, stride, padding, dilation };
              const oH = slidingExtent(h, kernel[0], stride[0], padding[0], dilation[0]);
              const oW = slidingExtent(w, kernel[1], stride[1], padding[1], dilation[1]);
              if (oH < 1 || oW < 1) continue;
              const shape = [3, 2, h, w];
              const columns = 3 * 2 * kernel[0] * kernel[1] * oH * oW;
              for (const make of [(n: number) => new Float32Array(n), (n: number) => new Float64Array(n)]) {
                const x = make(3 * 2 * h * w);
                x.set(values(x.length));
                for (const fill of [0, -Infinity]) {
                  const [want, got] = [make(columns), make(columns)];
                  referenceBackend.im2col(x, shape, window, fill, want);
                  on.im2col(x, shape, window, fill, got);
                  if (!sameBits(got, want)) mismatches.push(`im2col ${JSON.stringify({ shape, window, fill })}`);
                }
                const cols = make(columns);
                cols.set(values(columns));
                const [want, got] = [make(x.length), make(x.length).fill(7)];
                referenceBackend.col2im(cols, shape, window, want);
                on.col2im(cols, shape, window, got);
                if (!sameBits(got, want)) mismatches.push(`col2im ${JSON.stringify({ shape, window })}`);
              }
            }
          }
        }
      }
    }
    expect(mismatches).toEqual([]);
    expect(on.im2col === referenceBackend.im2col).toBe(false); // the C kernels ran, not the reference's
  });

  it('max pooling and its gradient: ties, −∞, NaN, non-finite gradients, padding, overlap, f32 and f64, bit for bit', () => {
    const mismatches: string[] = [];
    const windows: ConvWindow[] = [
      { kernel: [2, 2], stride: [2, 2], padding: [0, 0], dilation: [1, 1] },
      { kernel: [3, 3], stride: [2, 2], padding: [1, 1], dilation: [1, 1] },
      { kernel: [2, 3], stride: [1, 2], padding: [1, 1], dilation: [2, 1] },
    ];
    const special = [-Infinity, NaN, Infinity];
    // 2×2 windows of stride 2 take a path of their own in C: sizes that window covers exactly and
    // ones with a last row or column left over (its gradient 0), −0 gradients among the others.
    const shapes = [[3, 2, 7, 8], [2, 2, 6, 5], [1, 3, 4, 4]];
    for (const window of windows) for (const shape of shapes) {
      const [n = 0, c = 0, h = 0, w = 0] = shape;
      const oH = slidingExtent(h, window.kernel[0], window.stride[0], window.padding[0], window.dilation[0]);
      const oW = slidingExtent(w, window.kernel[1], window.stride[1], window.padding[1], window.dilation[1]);
      for (const make of [(n: number) => new Float32Array(n), (n: number) => new Float64Array(n)]) {
        const x = make(n * c * h * w);
        // Small whole numbers (ties), and now and then ±∞ or NaN.
        x.set(values(x.length).map((v, i) => (i % 17 === 5 ? special[i % 3]! : Math.round(v * 2))));
        const gy = make(n * c * oH * oW);
        gy.set(values(gy.length).map((v, i) => (i % 23 === 7 ? special[i % 3]! : i % 11 === 3 ? -0 : v)));
        const [want, got] = [make(gy.length), make(gy.length)];
        referenceBackend.maxPool2d(x, shape, window, want);
        on.maxPool2d(x, shape, window, got);
        if (!sameBits(got, want)) mismatches.push(`maxPool2d ${JSON.stringify(window)} on ${shape.join('×')}`);
        const [wantGrad, gotGrad] = [make(x.length), make(x.length).fill(7)];
        referenceBackend.maxPool2dBackward(x, shape, window, gy, wantGrad);
        on.maxPool2dBackward(x, shape, window, gy, gotGrad);
        if (!sameBits(gotGrad, wantGrad)) mismatches.push(`maxPool2dBackward ${JSON.stringify(window)} on ${shape.join('×')}`);
      }
    }
    expect(mismatches).toEqual([]);
    expect(on.maxPool2d === referenceBackend.maxPool2d).toBe(false); // the C kernels ran
  });

  it('binary in place (out is a), as softmax divides by row sums', () => {
    const a = Float64Array.from(values(9 * 13));
    const sums = Float64Array.from(values(9));
    const want = new Float64Array(9 * 13);
    referenceBackend.binary(BinaryCode.div, a, [9, 13], sums, [9, 1], want, [9, 13]);
    on.binary(BinaryCode.div, a, [9, 13], sums, [9, 1], a, [9, 13]);
    expect(a).toEqual(want);
  });
});

describe('loading the native backend', () => {
  it('says what is missing when the addon file is not there', () => {
    expect(() => loadNativeBackend({ path: '/nonexistent/mashagrad_native.node' })).toThrow(/is not built.*npm run build:native/);
  });

  it.skipIf(native === undefined)(`backends of different thread counts share one OpenBLAS, each running its products on its own count${skipped}`, () => {
    const addon = loadAddon();
    const one = loadNativeBackend({ threads: 1 });
    const two = loadNativeBackend({ threads: 2 });
    const a = values(6);
    const dims: MatmulDims = { batch: 1, m: 2, k: 3, n: 2, aBatchStride: 0, bBatchStride: 0 };
    const seen: number[] = [];
    for (const backend of [one, two, two, one, two]) {
      backend.matmul(a, a, new Float32Array(4), dims);
      seen.push(addon.threads());
    }
    expect(seen).toEqual([1, 2, 2, 1, 2]);
  });
});

if (native !== undefined) describeOpSuiteOn(native);
else describe.skip(`op suite on the native backend${skipped}`, () => undefined);

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Backend, MatmulDims } from '../src/kernels/backend.js';
import { BinaryCode, UnaryCode } from '../src/kernels/codes.js';
import { referenceBackend } from '../src/kernels/reference/index.js';
import { compileKernels, modulePath, moduleSource } from '../src/kernels/wasm/build.js';
import { bestWasmVariant, loadWasmBackend } from '../src/kernels/wasm/index.js';
import {
  adamMismatches, biasActivationMismatches, broadcastMismatches, describeOpSuiteOn, elementwiseArray, emptyLike, FUSED_COLUMNS, matmulBoundMisses, matmulShapes, ODD,
  partialRowsAccepted, reduceMismatches, sameBits, transposedProducts, values,
} from './support/backend-checks.js';

/**
 * The WebAssembly SIMD backend: its kernels against the reference backend's, then the whole op
 * suite (registry gradient checks and PyTorch fixtures) again with it active.
 *
 * Tolerances: float64 matmul and every elementwise kernel are bit-identical to the reference
 * (the same operations in the same order, IEEE-exact; a float32 reference result is the double
 * result rounded once, which for + − × ÷ √ equals the float32 operation). A float32 matmul
 * sums in float32: |c₃₂ − c₆₄| ≤ k·2⁻²³·Σₚ|aᵢₚ·bₚⱼ| (the standard bound for k-term sums, with
 * room for the final rounding); the relaxed-SIMD build's fused multiply-add is within it too.
 */

const wasm = await loadWasmBackend();
/** The relaxed-SIMD build where this runtime has it (Node 20 only with --experimental-wasm-relaxed-simd). */
const relaxed = bestWasmVariant() === 'relaxed' ? await loadWasmBackend('relaxed') : undefined;
const simd = await loadWasmBackend('simd');

describe('wasm kernels module', () => {
  it('module.ts is what build.ts makes from the .as files now (rebuild: npx tsx src/kernels/wasm/build.ts)', async () => {
    const committed = readFileSync(modulePath, 'utf8');
    // Every build: baseline and relaxed SIMD, each unshared and on shared memory.
    expect(committed === moduleSource(await compileKernels()), 'module.ts is stale').toBe(true);
  });
});

describe('wasm matmul against the reference', () => {
  const shapes = matmulShapes();

  it.each(shapes)('float64 %i×%i · %i×· is bit-identical', (m, k, n) => {
    const a = Float64Array.from(values(m * k));
    const b = Float64Array.from(values(k * n));
    const dims: MatmulDims = { batch: 1, m, k, n, aBatchStride: 0, bBatchStride: 0 };
    const want = new Float64Array(m * n).fill(NaN);
    const got = new Float64Array(m * n).fill(NaN);
    referenceBackend.matmul(a, b, want, dims);
    for (const on of [simd, ...(relaxed === undefined ? [] : [relaxed])]) {
      got.fill(NaN);
      on.matmul(a, b, got, dims);
      expect(got).toEqual(want);
    }
  });

  const builds: [string, Backend][] = [['baseline SIMD', simd], ...(relaxed === undefined ? [] : [['relaxed SIMD', relaxed] as [string, Backend]])];
  it.each(builds.flatMap(([build, on]) => shapes.map(([m, k, n]) => [build, m, k, n, on] as const)))('%s: float32 %i×%i · %i×· agrees with float64 within k·2⁻²³·Σ|a·b|', (_build, m, k, n, on) => {
    const a = values(m * k);
    const b = values(k * n);
    const dims: MatmulDims = { batch: 1, m, k, n, aBatchStride: 0, bBatchStride: 0 };
    const exact = new Float64Array(m * n);
    const got = new Float32Array(m * n).fill(NaN);
    referenceBackend.matmul(Float64Array.from(a), Float64Array.from(b), exact, dims);
    on.matmul(a, b, got, dims);
    expect(matmulBoundMisses(got, exact, a, b, m, k, n)).toEqual([]);
  });

  it('batches, with a batch stride of 0 reusing one matrix on either side', () => {
    const [m, k, n, batch] = [5, 17, 33, 3];
    for (const [aBatchStride, bBatchStride] of [[m * k, k * n], [0, k * n], [m * k, 0]] as const) {
      const a = Float64Array.from(values(batch * m * k));
      const b = Float64Array.from(values(batch * k * n));
      const dims: MatmulDims = { batch, m, k, n, aBatchStride, bBatchStride };
      const want = new Float64Array(batch * m * n);
      const got = new Float64Array(batch * m * n);
      referenceBackend.matmul(a, b, want, dims);
      wasm.matmul(a, b, got, dims);
      expect(got).toEqual(want);
    }
  });
});

describe('matmul with transposed operands (transA / transB)', () => {
  const backends: [string, Backend][] = [['reference', referenceBackend], ['wasm', wasm]];
  it.each(backends)('%s: equals the product of the explicit transposes, bit for bit in float64, batched', (_name, on) => {
    const { want, run } = transposedProducts(on, [2, 7, 33, 5]);
    for (const [transA, transB] of [[true, false], [false, true], [true, true]] as const) {
      expect(run(transA, transB), `transA=${transA} transB=${transB}`).toEqual(want);
    }
  });
});

describe('wasm elementwise kernels against the reference, bit for bit', () => {
  const binaryCodes = Object.entries(BinaryCode);
  const unaryCodes = Object.entries(UnaryCode);

  for (const kind of ['f64', 'f32'] as const) {
    it(`${kind} binary: every code, same shapes and a scalar on either side, lengths ${ODD.join(', ')}`, () => {
      for (const [name, code] of binaryCodes) {
        for (const length of ODD) {
          const a = elementwiseArray(kind, length, 0);
          const b = elementwiseArray(kind, length, 5);
          const s = elementwiseArray(kind, 1, 2);
          for (const [x, xShape, y, yShape] of [[a, [length], b, [length]], [a, [length], s, []], [s, [], b, [length]]] as const) {
            const want = emptyLike(kind, length);
            const got = emptyLike(kind, length);
            referenceBackend.binary(code, x, xShape, y, yShape, want, [length]);
            wasm.binary(code, x, xShape, y, yShape, got, [length]);
            expect(sameBits(got, want), `${name} length ${length} shapes [${xShape.join()}] [${yShape.join()}]`).toBe(true);
          }
        }
      }
    });

    it(`${kind} unary: every code (the SIMD ones and the delegated ones), lengths ${ODD.join(', ')}`, () => {
      for (const [name, code] of unaryCodes) {
        for (const length of ODD) {
          const x = elementwiseArray(kind, length, 1);
          const want = emptyLike(kind, length);
          const got = emptyLike(kind, length);
          referenceBackend.unary(code, x, want);
          wasm.unary(code, x, got);
          expect(sameBits(got, want), `${name} length ${length}`).toBe(true);
        }
      }
    });
  }

  it.each(['f32', 'f64'] as const)('%s binary broadcasts: rows, columns, outer products, and ones left to the reference', (kind) => {
    expect(broadcastMismatches(wasm, kind)).toEqual([]);
  });

  it('unary from float64 into float32 rounds once, as the reference (found in review: wasm rounded the input first)', () => {
    const x = Float64Array.of(1.0000246931415928, 2.0000000001, -0.30000000000000004, 7);
    for (const code of [UnaryCode.sqrt, UnaryCode.neg, UnaryCode.relu]) {
      const want = new Float32Array(4);
      const got = new Float32Array(4);
      referenceBackend.unary(code, x, want);
      wasm.unary(code, x, got);
      expect(sameBits(got, want), `code ${code}`).toBe(true);
    }
  });

  it('binary in place (out is a), as softmax divides', () => {
    const a = Float64Array.from(values(33));
    const b = Float64Array.from(values(33));
    const want = new Float64Array(33);
    referenceBackend.binary(BinaryCode.div, a, [33], b, [33], want, [33]);
    wasm.binary(BinaryCode.div, a, [33], b, [33], a, [33]);
    expect(a).toEqual(want);
  });
});

describe('wasm reductions against the reference, bit for bit', () => {
  it.each(['f32', 'f64'] as const)('%s sum and max over leading, trailing, all and middle axes (NaN, ±0 and ±∞ among the values)', (kind) => {
    expect(reduceMismatches(wasm, kind)).toEqual([]);
  });
});

describe('wasm Adam against the reference', () => {
  it.each(['f32', 'f64'] as const)('%s: weights and moments bit for bit, with and without weight decay, over chunk boundaries', (kind) => {
    expect(adamMismatches(wasm, kind)).toEqual([]);
  });
});

describe('wasm fused kernels against the reference, bit for bit', () => {
  it(`biasActivation: every activation (relu in SIMD, the others delegated) and none, ${FUSED_COLUMNS.join(', ')} columns, f32 and f64`, () => {
    expect(biasActivationMismatches(wasm)).toEqual([]);
  });

  it('biasActivation refuses an x that is not whole rows of the bias, as the reference does (found in review: wasm left stale memory there)', () => {
    expect(partialRowsAccepted(wasm)).toEqual([]);
  });

  it('softmaxCrossEntropy is the reference\'s kernel (it needs exp and ln: see fused.ts); the kernel itself is tested in src/ops/cross-entropy.test.ts', () => {
    expect(wasm.softmaxCrossEntropy === referenceBackend.softmaxCrossEntropy).toBe(true);
  });
});

describeOpSuiteOn(wasm);

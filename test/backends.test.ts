import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Storage } from '../src/tensor/dtype.js';
import { backend, setBackend } from '../src/tensor/kernels/active.js';
import type { Backend, MatmulDims } from '../src/tensor/kernels/backend.js';
import { BinaryCode, UnaryCode } from '../src/tensor/kernels/codes.js';
import { referenceBackend } from '../src/tensor/kernels/reference/index.js';
import { compileKernels, modulePath, moduleSource } from '../src/tensor/kernels/wasm/build.js';
import { bestWasmVariant, loadWasmBackend } from '../src/tensor/kernels/wasm/index.js';

/**
 * The WebAssembly SIMD backend: its kernels against the reference backend's, then the whole op
 * suite (registry gradient checks and PyTorch fixtures) again with it active. This file's
 * module graph is its own (vitest isolates test files), so setBackend here touches no other file.
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

let seed = 12345;
function random(): number {
  seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
  return seed / 2 ** 32 - 0.5;
}
/** Values exactly representable in float32, so f32 and f64 runs start from the same numbers. */
const values = (length: number) => Float32Array.from({ length }, () => random() * 4);

const ODD = [1, 3, 5, 17, 33, 127];

describe('wasm kernels module', () => {
  it('module.ts is what build.ts makes from kernels.as now (rebuild: npx tsx src/tensor/kernels/wasm/build.ts)', async () => {
    const committed = readFileSync(modulePath, 'utf8');
    // Both builds, baseline and relaxed SIMD.
    expect(committed === moduleSource(await compileKernels()), 'module.ts is stale').toBe(true);
  });
});

describe('wasm matmul against the reference', () => {
  const shapes: [number, number, number][] = [];
  for (const m of ODD) for (const n of ODD) shapes.push([m, ODD[(m + n) % ODD.length]!, n]);
  shapes.push([4, 256, 8], [8, 257, 9], [97, 300, 65], [200, 513, 40], [1, 1000, 1], [2, 0, 3]);

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
    const worst: string[] = [];
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let magnitude = 0;
        for (let p = 0; p < k; p++) magnitude += Math.abs(a[i * k + p]! * b[p * n + j]!);
        const error = Math.abs(got[i * n + j]! - exact[i * n + j]!);
        if (!(error <= k * 2 ** -23 * magnitude)) worst.push(`[${i},${j}]: ${got[i * n + j]} vs ${exact[i * n + j]}`);
      }
    }
    expect(worst).toEqual([]);
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
  /** The rows × cols matrix x, stored transposed. */
  const transposed = (x: Float64Array, rows: number, cols: number) => {
    const t = new Float64Array(rows * cols);
    for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) t[c * rows + r] = x[r * cols + c]!;
    return t;
  };
  const backends: [string, Backend][] = [['reference', referenceBackend], ['wasm', wasm]];
  it.each(backends)('%s: equals the product of the explicit transposes, bit for bit in float64, batched', (_name, on) => {
    const [batch, m, k, n] = [2, 7, 33, 5];
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
    for (const [transA, transB] of [[true, false], [false, true], [true, true]] as const) {
      const got = new Float64Array(batch * m * n).fill(NaN);
      on.matmul(transA ? at : a, transB ? bt : b, got, { ...dims, transA, transB });
      expect(got, `transA=${transA} transB=${transB}`).toEqual(want);
    }
  });
});

describe('wasm elementwise kernels against the reference, bit for bit', () => {
  const special = [0, -0, 1, -1, 0.5, -2.5, 3, Infinity, -Infinity, NaN, 1e-300, -1e300];
  const arrayOf = (kind: 'f32' | 'f64', length: number, offset: number): Storage => {
    const source = Float64Array.from({ length }, (_, i) => (i % 3 === 0 ? special[(i + offset) % special.length]! : random() * 6));
    return kind === 'f32' ? Float32Array.from(source) : source;
  };
  const same = (got: Storage, want: Storage) => [...got].every((v, i) => Object.is(v, want[i]));
  const binaryCodes = Object.entries(BinaryCode);
  const unaryCodes = Object.entries(UnaryCode);

  for (const kind of ['f64', 'f32'] as const) {
    it(`${kind} binary: every code, same shapes and a scalar on either side, lengths ${ODD.join(', ')}`, () => {
      for (const [name, code] of binaryCodes) {
        for (const length of ODD) {
          const a = arrayOf(kind, length, 0);
          const b = arrayOf(kind, length, 5);
          const s = arrayOf(kind, 1, 2);
          for (const [x, xShape, y, yShape] of [[a, [length], b, [length]], [a, [length], s, []], [s, [], b, [length]]] as const) {
            const want = kind === 'f32' ? new Float32Array(length) : new Float64Array(length);
            const got = kind === 'f32' ? new Float32Array(length) : new Float64Array(length);
            referenceBackend.binary(code, x, xShape, y, yShape, want, [length]);
            wasm.binary(code, x, xShape, y, yShape, got, [length]);
            expect(same(got, want), `${name} length ${length} shapes [${xShape.join()}] [${yShape.join()}]`).toBe(true);
          }
        }
      }
    });

    it(`${kind} unary: every code (the SIMD ones and the delegated ones), lengths ${ODD.join(', ')}`, () => {
      for (const [name, code] of unaryCodes) {
        for (const length of ODD) {
          const x = arrayOf(kind, length, 1);
          const want = kind === 'f32' ? new Float32Array(length) : new Float64Array(length);
          const got = kind === 'f32' ? new Float32Array(length) : new Float64Array(length);
          referenceBackend.unary(code, x, want);
          wasm.unary(code, x, got);
          expect(same(got, want), `${name} length ${length}`).toBe(true);
        }
      }
    });
  }

  it('binary in place (out is a), as softmax divides', () => {
    const a = Float64Array.from(values(33));
    const b = Float64Array.from(values(33));
    const want = new Float64Array(33);
    referenceBackend.binary(BinaryCode.div, a, [33], b, [33], want, [33]);
    wasm.binary(BinaryCode.div, a, [33], b, [33], a, [33]);
    expect(a).toEqual(want);
  });
});

// The whole op suite again, on the wasm backend: the registry's gradient checks and the
// PyTorch fixtures, imported after the switch so their tests run with it active.
setBackend(wasm);
describe('op suite on the wasm backend', async () => {
  it('runs with the wasm backend active', () => {
    expect(backend().name).toBe('wasm');
  });
  await import('../src/ops/registry.test.js');
  await import('./pytorch-ops.test.js');
});

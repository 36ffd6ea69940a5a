import type { Storage } from '../../dtype.js';
import type { Shape } from '../../shape.js';
import type { AdamStep, Backend, MatmulDims } from '../backend.js';
import { BinaryCode, UnaryCode, type ReduceCode } from '../codes.js';
import { binaryLayout, reduceLayout } from '../layout.js';
import { referenceBackend } from '../reference/index.js';
import { FUSED_EXPORTS, wasmBiasActivation, type FusedKernels } from './fused.js';
import { kernelsRelaxedBase64, kernelsSimdBase64 } from './module.js';

/**
 * The WebAssembly SIMD backend: matmul and the cheap elementwise kernels run in kernels.as,
 * leading/trailing sums and maxima in reduce.as, Adam's update in adam.as (all compiled into
 * module.ts); everything else is the reference backend's. Measured (float32, load 3): summing the
 * 64 rows of a 64×256 bias gradient takes 5.2 µs against the reference's 29.6 µs; Adam over
 * 235,146 weights 0.76 ms against 1.2 ms (wasm has no wider SIMD than f64x2 for the division and
 * square root; the native backend's C takes 0.25 ms). Tensor storage stays in
 * JavaScript typed arrays, so each call copies its inputs into one growable WebAssembly.Memory
 * (a scratch arena reset on every call) and copies the result out: O(mk + kn + mn) against the
 * O(mnk) of a matmul. Measured (Node 20, 2-core EPYC): the copies are 0.6–3% of a float32 matmul
 * from n = 128 to 1024, but half or more of an elementwise kernel — float32 add of 10⁵ elements
 * takes 41 µs (26 µs of it copying) against the reference's 330 µs; float64 add of 10⁶ (memory
 * bound) 3.2 ms against 2.7 ms, the one case measured where the copies make wasm slower.
 */

/** Exports of the .as files (fused.as's: fused.ts); addresses and sizes are in bytes. */
interface Kernels extends FusedKernels {
  readonly heapBase: () => number;
  readonly matmulF32: (a: number, b: number, c: number, m: number, k: number, n: number, packA: number, packB: number, tile: number) => void;
  readonly matmulF64: (a: number, b: number, c: number, m: number, k: number, n: number, packA: number, packB: number, tile: number) => void;
  readonly binaryF64: BinaryKernel;
  readonly binaryF32: BinaryKernel;
  readonly unaryF64: (code: number, x: number, out: number, bytes: number) => void;
  readonly unaryF32: (code: number, x: number, out: number, bytes: number) => void;
  readonly reduceRowsF32: ReduceKernel;
  readonly reduceRowsF64: ReduceKernel;
  readonly reduceColumnsF32: ReduceKernel;
  readonly reduceColumnsF64: ReduceKernel;
  readonly adamF32: AdamKernel;
  readonly adamF64: AdamKernel;
}

type BinaryKernel = (code: number, a: number, aRow: number, aStep: number, b: number, bRow: number, bStep: number, out: number, rows: number, cols: number) => void;

type ReduceKernel = (code: number, x: number, rows: number, columns: number, out: number) => void;

type AdamKernel = (w: number, g: number, m: number, v: number, count: number,
  beta1: number, beta2: number, stepSize: number, inverseRoot2: number, eps: number, decay: number) => void;

/**
 * Adam runs over the weights in chunks of this many, so the copies in and out of wasm memory
 * stay in the L2 cache (8192 × (4 + 4 + 8 + 8) bytes = 192 KiB for float32 weights).
 */
const ADAM_CHUNK = 8192;

// Blocking of kernels.as (KC, MC, and the micro-tile MR × NR), for sizing the packing buffers.
const KC = 256;
const MC = 96;
const MR = { 4: 2, 8: 4 } as const;
const NR = { 4: 16, 8: 4 } as const;
/** kernels.as packs A with every value splatted over a whole v128: 16 bytes per element. */
const PACKED_A_ELEMENT = 16;
const PAGE = 65536;

const SIMD_UNARY: ReadonlySet<UnaryCode> = new Set([UnaryCode.neg, UnaryCode.sqrt, UnaryCode.abs, UnaryCode.relu, UnaryCode.step]);

function decodeBase64(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** The two builds of kernels.as: baseline SIMD, and relaxed SIMD (fused multiply-add for f32 matmul). */
export type WasmVariant = 'simd' | 'relaxed';

export function kernelsWasm(variant: WasmVariant): Uint8Array<ArrayBuffer> {
  return decodeBase64(variant === 'relaxed' ? kernelsRelaxedBase64 : kernelsSimdBase64);
}

/** The best build this runtime validates (relaxed SIMD: Chrome ≥ 114, Node ≥ 22; baseline SIMD: Node ≥ 16.4). */
export function bestWasmVariant(): WasmVariant {
  return WebAssembly.validate(kernelsWasm('relaxed')) ? 'relaxed' : 'simd';
}

const align = (bytes: number) => Math.ceil(bytes / 16) * 16;

/** One scratch arena in the module's memory: bump allocation, reset by every kernel call. */
class Arena {
  private top: number;
  constructor(readonly memory: WebAssembly.Memory, private readonly base: number) {
    this.top = base;
  }
  reset(): void {
    this.top = this.base;
  }
  /** Reserve `bytes` (16-aligned), growing the memory if needed; returns the address. */
  take(bytes: number): number {
    const at = this.top;
    this.top = align(at + bytes);
    const missing = this.top - this.memory.buffer.byteLength;
    if (missing > 0) this.memory.grow(Math.ceil(missing / PAGE));
    return at;
  }
  /** A view of `length` elements at `at` of the same element type as `like`; make views after every take. */
  view(like: Storage, at: number, length: number): Storage {
    return like instanceof Float32Array ? new Float32Array(this.memory.buffer, at, length) : new Float64Array(this.memory.buffer, at, length);
  }
}

/** Write the rows × cols matrix at src[offset…] transposed into dst (cols × rows), in 32×32 tiles for the cache. */
function copyTransposed(src: Storage, offset: number, rows: number, cols: number, dst: Storage): void {
  const TILE = 32;
  for (let r0 = 0; r0 < rows; r0 += TILE) {
    const rEnd = Math.min(rows, r0 + TILE);
    for (let c0 = 0; c0 < cols; c0 += TILE) {
      const cEnd = Math.min(cols, c0 + TILE);
      for (let r = r0; r < rEnd; r++) {
        const from = offset + r * cols;
        for (let c = c0; c < cEnd; c++) dst[c * rows + r] = src[from + c]!;
      }
    }
  }
}

/** Strided copies and the scalar paths are the reference backend's. */
class WasmBackend {
  constructor(private readonly kernels: Kernels, private readonly arena: Arena) {}

  matmul(a: Storage, b: Storage, out: Storage, dims: MatmulDims): void {
    const { batch, m, k, n, aBatchStride, bBatchStride } = dims;
    if (batch * m * n === 0) return;
    if (k === 0) {
      out.fill(0, 0, batch * m * n);
      return;
    }
    const size = out instanceof Float32Array ? 4 : 8;
    const arena = this.arena;
    arena.reset();
    const aAt = arena.take(m * k * size);
    const bAt = arena.take(k * n * size);
    const cAt = arena.take(m * n * size);
    const packAAt = arena.take(MC * KC * PACKED_A_ELEMENT);
    const nr = NR[size];
    const packBAt = arena.take(Math.min(k, KC) * Math.ceil(n / nr) * nr * size);
    const tileAt = arena.take(MR[size] * nr * size);
    const aView = arena.view(out, aAt, m * k);
    const bView = arena.view(out, bAt, k * n);
    const cView = arena.view(out, cAt, m * n);
    const multiply = size === 4 ? this.kernels.matmulF32 : this.kernels.matmulF64;
    let copiedB = -1;
    for (let p = 0; p < batch; p++) {
      // The copy into wasm memory is needed anyway; a transposed operand is transposed on the way.
      if (dims.transA === true) copyTransposed(a, p * aBatchStride, k, m, aView);
      else aView.set(a.subarray(p * aBatchStride, p * aBatchStride + m * k));
      if (p * bBatchStride !== copiedB) {
        copiedB = p * bBatchStride;
        if (dims.transB === true) copyTransposed(b, copiedB, n, k, bView);
        else bView.set(b.subarray(copiedB, copiedB + k * n));
      }
      multiply(aAt, bAt, cAt, m, k, n, packAAt, packBAt, tileAt);
      out.set(cView, p * m * n);
    }
  }

  binary(code: BinaryCode, a: Storage, aShape: Shape, b: Storage, bShape: Shape, out: Storage, outShape: Shape): void {
    // Anything binaryLayout sees as rows × cols (same shapes, a scalar, a row or column
    // broadcast); pow and other broadcasts stay in the reference.
    const sameType = a.constructor === out.constructor && b.constructor === out.constructor;
    const layout = code === BinaryCode.pow || out.length === 0 || !sameType ? undefined : binaryLayout(aShape, bShape, outShape);
    if (layout === undefined) {
      referenceBackend.binary(code, a, aShape, b, bShape, out, outShape);
      return;
    }
    const { rows, cols } = layout;
    const size = out instanceof Float32Array ? 4 : 8;
    const arena = this.arena;
    arena.reset();
    const x = this.place(a, layout.aRow, layout.aCol, rows, size);
    const y = this.place(b, layout.bRow, layout.bCol, rows, size);
    const outAt = arena.take(out.length * size);
    (size === 4 ? this.kernels.binaryF32 : this.kernels.binaryF64)(code, x.at, x.row, x.step, y.at, y.row, y.step, outAt, rows, cols);
    out.set(arena.view(out, outAt, out.length));
  }

  /**
   * Copy a binary operand into the arena as binaryF32/F64 read it: as stored when it is
   * contiguous along a row (column stride 1), else one value per row splatted over 16 bytes.
   * Returns its address, bytes per row and bytes per element.
   */
  private place(data: Storage, rowStride: number, colStride: number, rows: number, size: number): { at: number; row: number; step: number } {
    const arena = this.arena;
    if (colStride === 1) {
      const at = arena.take(data.length * size);
      arena.view(data, at, data.length).set(data);
      return { at, row: rowStride * size, step: size };
    }
    const perRow = rowStride === 0 ? 1 : rows;
    const lanes = 16 / size;
    const at = arena.take(perRow * 16);
    const view = arena.view(data, at, perRow * lanes);
    for (let i = 0; i < perRow; i++) view.fill(data[i * rowStride]!, i * lanes, (i + 1) * lanes);
    return { at, row: rowStride === 0 ? 0 : 16, step: 0 };
  }

  /**
   * Sum or max over the leading axes (rows) or the trailing axes (columns) of x in reduce.as;
   * over other axes, the reference's strided loop.
   */
  reduce(code: ReduceCode, x: Storage, shape: Shape, axes: readonly number[], out: Storage): void {
    const layout = out.length === 0 || x.constructor !== out.constructor ? undefined : reduceLayout(shape, axes);
    if (layout === undefined) {
      referenceBackend.reduce(code, x, shape, axes, out);
      return;
    }
    const { outer: rows, inner: columns, leading } = layout;
    const size = out instanceof Float32Array ? 4 : 8;
    const arena = this.arena;
    arena.reset();
    // 16 bytes of slack: the last row's final v128 may read past the end of x.
    const xAt = arena.take(x.length * size + 16);
    const outAt = arena.take(out.length * size + 16);
    arena.view(out, xAt, x.length).set(x);
    const kernels = this.kernels;
    const run = leading ? (size === 4 ? kernels.reduceRowsF32 : kernels.reduceRowsF64) : size === 4 ? kernels.reduceColumnsF32 : kernels.reduceColumnsF64;
    run(code, xAt, rows, columns, outAt);
    out.set(arena.view(out, outAt, out.length));
  }

  /** Adam's update chunk by chunk: copy weights, gradient and moments in, update, copy weights and moments back. */
  adamUpdate(weights: Storage, gradient: Storage, m: Float64Array, v: Float64Array, step: AdamStep): void {
    const size = weights instanceof Float32Array ? 4 : 8;
    if (gradient.constructor !== weights.constructor) {
      referenceBackend.adamUpdate(weights, gradient, m, v, step);
      return;
    }
    const arena = this.arena;
    arena.reset();
    // A multiple of 4, so a chunk padded to whole float32 v128s stays inside its buffers.
    const chunk = Math.min(ADAM_CHUNK, Math.ceil(weights.length / 4) * 4);
    const wAt = arena.take(chunk * size);
    const gAt = arena.take(chunk * size);
    const mAt = arena.take(chunk * 8);
    const vAt = arena.take(chunk * 8);
    const wView = arena.view(weights, wAt, chunk);
    const gView = arena.view(weights, gAt, chunk);
    const mView = new Float64Array(arena.memory.buffer, mAt, chunk);
    const vView = new Float64Array(arena.memory.buffer, vAt, chunk);
    const run = size === 4 ? this.kernels.adamF32 : this.kernels.adamF64;
    const { beta1, beta2, stepSize, inverseRoot2, eps, decay } = step;
    for (let from = 0; from < weights.length; from += chunk) {
      const to = Math.min(weights.length, from + chunk);
      const count = to - from;
      wView.set(weights.subarray(from, to));
      gView.set(gradient.subarray(from, to));
      mView.set(m.subarray(from, to));
      vView.set(v.subarray(from, to));
      // Padded to whole v128s of float32 lanes; the padding is computed and never read.
      run(wAt, gAt, mAt, vAt, Math.ceil(count / 4) * 4, beta1, beta2, stepSize, inverseRoot2, eps, decay);
      weights.set(count === chunk ? wView : wView.subarray(0, count), from);
      m.set(count === chunk ? mView : mView.subarray(0, count), from);
      v.set(count === chunk ? vView : vView.subarray(0, count), from);
    }
  }

  unary(code: UnaryCode, x: Storage, out: Storage): void {
    const total = x.length;
    if (!SIMD_UNARY.has(code) || total === 0) {
      referenceBackend.unary(code, x, out);
      return;
    }
    const size = out instanceof Float32Array ? 4 : 8;
    const bytes = align(total * size);
    const arena = this.arena;
    arena.reset();
    const xAt = arena.take(bytes);
    const outAt = arena.take(bytes);
    arena.view(out, xAt, total).set(x);
    (size === 4 ? this.kernels.unaryF32 : this.kernels.unaryF64)(code, xAt, outAt, bytes);
    out.set(arena.view(out, outAt, total));
  }
}

function isKernels(exports: WebAssembly.Exports): boolean {
  const names = ['heapBase', 'matmulF32', 'matmulF64', 'binaryF64', 'binaryF32', 'unaryF64', 'unaryF32', 'reduceRowsF32', 'reduceRowsF64', 'reduceColumnsF32', 'reduceColumnsF64', 'adamF32', 'adamF64'];
  return [...names, ...FUSED_EXPORTS].every((name) => typeof exports[name] === 'function');
}

/**
 * Compile and instantiate the kernels (asynchronously: browsers refuse to compile large
 * modules synchronously on the main thread), by default the best build the runtime has.
 * Rejects where WebAssembly SIMD is missing.
 */
export async function loadWasmBackend(variant: WasmVariant = bestWasmVariant()): Promise<Backend> {
  const memory = new WebAssembly.Memory({ initial: 16, maximum: 65536 });
  const { instance } = await WebAssembly.instantiate(kernelsWasm(variant), { env: { memory } });
  if (!isKernels(instance.exports)) throw new Error('the kernels module lacks an expected export');
  const kernels = instance.exports as unknown as Kernels;
  const arena = new Arena(memory, align(kernels.heapBase()));
  const wasm = new WasmBackend(kernels, arena);
  return {
    ...referenceBackend,
    name: 'wasm',
    matmul: (a, b, out, dims) => wasm.matmul(a, b, out, dims),
    binary: (code, a, aShape, b, bShape, out, outShape) => wasm.binary(code, a, aShape, b, bShape, out, outShape),
    unary: (code, x, out) => wasm.unary(code, x, out),
    reduce: (code, x, shape, axes, out) => wasm.reduce(code, x, shape, axes, out),
    adamUpdate: (weights, gradient, m, v, step) => wasm.adamUpdate(weights, gradient, m, v, step),
    biasActivation: wasmBiasActivation(kernels, arena),
  };
}

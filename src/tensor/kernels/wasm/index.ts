import type { Storage } from '../../dtype.js';
import { sizeOf, type Shape } from '../../shape.js';
import type { Backend, MatmulDims } from '../backend.js';
import { BinaryCode, UnaryCode } from '../codes.js';
import { referenceBackend } from '../reference/index.js';
import { FUSED_EXPORTS, wasmBiasActivation, type FusedKernels } from './fused.js';
import { kernelsRelaxedBase64, kernelsSimdBase64 } from './module.js';

/**
 * The WebAssembly SIMD backend: matmul and the cheap elementwise kernels run in kernels.as
 * (compiled to module.ts); everything else is the reference backend's. Tensor storage stays in
 * JavaScript typed arrays, so each call copies its inputs into one growable WebAssembly.Memory
 * (a scratch arena reset on every call) and copies the result out: O(mk + kn + mn) against the
 * O(mnk) of a matmul. Measured (Node 20, 2-core EPYC): the copies are 0.6–3% of a float32 matmul
 * from n = 128 to 1024, but half or more of an elementwise kernel — float32 add of 10⁵ elements
 * takes 41 µs (26 µs of it copying) against the reference's 330 µs; float64 add of 10⁶ (memory
 * bound) 3.2 ms against 2.7 ms, the one case measured where the copies make wasm slower.
 */

/** Exports of kernels.as (and of fused.as); addresses and sizes are in bytes. */
interface Kernels extends FusedKernels {
  readonly heapBase: () => number;
  readonly matmulF32: (a: number, b: number, c: number, m: number, k: number, n: number, packA: number, packB: number, tile: number) => void;
  readonly matmulF64: (a: number, b: number, c: number, m: number, k: number, n: number, packA: number, packB: number, tile: number) => void;
  readonly binaryF64: (code: number, a: number, aStep: number, b: number, bStep: number, out: number, bytes: number) => void;
  readonly binaryF32: (code: number, a: number, aStep: number, b: number, bStep: number, out: number, bytes: number) => void;
  readonly unaryF64: (code: number, x: number, out: number, bytes: number) => void;
  readonly unaryF32: (code: number, x: number, out: number, bytes: number) => void;
}

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

/** Reductions, strided copies and the scalar paths are the reference backend's. */
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
    const total = sizeOf(outShape);
    const aFull = a.length === total;
    const bFull = b.length === total;
    // Same shapes, or a scalar on one side; general broadcasting and pow stay in the reference.
    if (code === BinaryCode.pow || total === 0 || !((aFull && bFull) || (aFull && b.length === 1) || (bFull && a.length === 1))) {
      referenceBackend.binary(code, a, aShape, b, bShape, out, outShape);
      return;
    }
    const size = out instanceof Float32Array ? 4 : 8;
    const bytes = align(total * size);
    const arena = this.arena;
    arena.reset();
    const aAt = arena.take(aFull ? bytes : 16);
    const bAt = arena.take(bFull ? bytes : 16);
    const outAt = arena.take(bytes);
    const lanes = 16 / size;
    const aView = arena.view(out, aAt, aFull ? total : lanes);
    const bView = arena.view(out, bAt, bFull ? total : lanes);
    if (aFull) aView.set(a);
    else aView.fill(a[0]!);
    if (bFull) bView.set(b);
    else bView.fill(b[0]!);
    const run = size === 4 ? this.kernels.binaryF32 : this.kernels.binaryF64;
    run(code, aAt, aFull ? 16 : 0, bAt, bFull ? 16 : 0, outAt, bytes);
    out.set(arena.view(out, outAt, total));
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
  return ['heapBase', 'matmulF32', 'matmulF64', 'binaryF64', 'binaryF32', 'unaryF64', 'unaryF32', ...FUSED_EXPORTS].every((name) => typeof exports[name] === 'function');
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
    biasActivation: wasmBiasActivation(kernels, arena),
  };
}

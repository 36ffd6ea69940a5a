import type { Storage } from '../../tensor/dtype.js';
import type { Shape } from '../../tensor/shape.js';
import type { AdamStep, Backend, ConvWindow, MatmulDims } from '../backend.js';
import { BinaryCode, UnaryCode, type ReduceCode } from '../codes.js';
import { referenceBackend } from '../reference/index.js';
import { loadAddon, type NativeAddon } from './addon.js';
import { coresHere, environmentVariable } from '../environment.js';
import { binaryLayout, leadingSplitLayout, middleKeptLayout, reduceLayout, sameStorageType } from '../layout.js';

/**
 * The native backend (Node only): matmul through OpenBLAS's ?gemm, and the exact elementwise
 * kernels (+ − × ÷, comparisons, max/min, neg/√/abs/relu/step), a bias add with relu in one
 * pass, im2col, col2im and max pooling, and the leading- and trailing-axis reductions as C loops over the tensors' own typed
 * arrays — no copies, unlike WebAssembly. The rest (exp, tanh…, pow, strided copies, other
 * broadcasts, the softmax cross-entropy) is the reference backend's. Elementwise and reduce
 * results equal the reference's bit for bit; matmul is BLAS's blocked, fused-multiply-add sum,
 * within k·ε·Σ|a·b| of the exact product.
 */

/** The unary codes native/src/elementwise.c implements; every binary code but pow is there too. */
const NATIVE_UNARY: ReadonlySet<UnaryCode> = new Set([UnaryCode.neg, UnaryCode.sqrt, UnaryCode.abs, UnaryCode.relu, UnaryCode.step]);

/**
 * Below this many elements a call into the addon (N-API's argument checks: a few hundred ns)
 * costs more than the reference's JavaScript loop. Measured (Node 20, 2-core EPYC, float32
 * add): reference 170 ns against native 460 ns at 32 elements, 360 against 200 at 64.
 */
const MIN_ELEMENTS = 64;

/** native/src/kernels.h's A_NONE: biasActivation without an activation. */
const NO_ACTIVATION = -1;

export interface NativeOptions {
  /** The addon file (default: native/build/Release/mashagrad_native.node); for tests. */
  path?: string;
  /** OpenBLAS threads; by default OPENBLAS_NUM_THREADS if set, else one per core. */
  threads?: number;
}


/**
 * The OpenBLAS thread count last set in each addon. A process has one OpenBLAS, shared by every
 * native backend loaded in it; each backend keeps its own count and sets it again before its
 * products when another backend has changed it (one integer compare per product otherwise),
 * so a one-thread and a two-thread backend can alternate (the benchmark does).
 */
const threadsSet = new WeakMap<NativeAddon, number>();

function useThreads(addon: NativeAddon, threads: number): void {
  if (threadsSet.get(addon) === threads) return;
  addon.setThreads(threads);
  threadsSet.set(addon, threads);
}

/**
 * The addon's window geometry: [N·C, H, W, kH, kW, sH, sW, pH, pW, dH, dW] (image shape [N, C, H, W]).
 * One array filled anew for each call (the addon reads it and keeps nothing): a convolution calls
 * im2col once per sample, and a fresh array each time showed in its profile.
 */
const geometry = new Float64Array(11);
function geometryOf(shape: Shape, window: ConvWindow): Float64Array {
  const [n = 0, c = 0, h = 0, w = 0] = shape;
  geometry[0] = n * c;
  geometry[1] = h;
  geometry[2] = w;
  geometry[3] = window.kernel[0];
  geometry[4] = window.kernel[1];
  geometry[5] = window.stride[0];
  geometry[6] = window.stride[1];
  geometry[7] = window.padding[0];
  geometry[8] = window.padding[1];
  geometry[9] = window.dilation[0];
  geometry[10] = window.dilation[1];
  return geometry;
}

function makeBackend(addon: NativeAddon, threads: number): Backend {
  return {
    ...referenceBackend,
    name: 'native',
    matmul(a: Storage, b: Storage, out: Storage, dims: MatmulDims): void {
      if (!sameStorageType(a, b, out)) return referenceBackend.matmul(a, b, out, dims);
      useThreads(addon, threads);
      const { batch, m, k, n, aBatchStride, bBatchStride } = dims;
      addon.gemm(a, b, out, batch, m, k, n, aBatchStride, bBatchStride, dims.transA === true, dims.transB === true);
    },
    binary(code: BinaryCode, a: Storage, aShape: Shape, b: Storage, bShape: Shape, out: Storage, outShape: Shape): void {
      const fast = code !== BinaryCode.pow && out.length >= MIN_ELEMENTS && sameStorageType(a, b, out);
      const layout = fast ? binaryLayout(aShape, bShape, outShape) : undefined;
      if (layout !== undefined) {
        const { rows, cols, aRow, aCol, bRow, bCol } = layout;
        return addon.binary(code, a, b, out, rows, cols, aRow, aCol, bRow, bCol);
      }
      // A convolution's channel bias, [N, C, P] + [1, C, 1]: one call per sample.
      const split = fast ? leadingSplitLayout(aShape, bShape, outShape) : undefined;
      if (split === undefined || split.outStep < MIN_ELEMENTS) return referenceBackend.binary(code, a, aShape, b, bShape, out, outShape);
      const { rows, cols, aRow, aCol, bRow, bCol } = split.layout;
      for (let i = 0; i < split.count; i++) {
        addon.binary(code, a.subarray(i * split.aStep), b.subarray(i * split.bStep), out.subarray(i * split.outStep), rows, cols, aRow, aCol, bRow, bCol);
      }
    },
    unary(code: UnaryCode, x: Storage, out: Storage): void {
      if (!NATIVE_UNARY.has(code) || x.length < MIN_ELEMENTS || !sameStorageType(x, out)) return referenceBackend.unary(code, x, out);
      addon.unary(code, x, out);
    },
    reduce(code: ReduceCode, x: Storage, shape: Shape, axes: readonly number[], out: Storage): void {
      const fast = x.length >= MIN_ELEMENTS && sameStorageType(x, out);
      const layout = fast ? reduceLayout(shape, axes) : undefined;
      if (layout !== undefined) return addon.reduce(code, x, out, layout.outer, layout.inner, layout.leading);
      const between = fast ? middleKeptLayout(shape, axes) : undefined;
      if (between !== undefined) return addon.reduceMiddle(code, x, out, between.outer, between.middle, between.inner);
      referenceBackend.reduce(code, x, shape, axes, out);
    },
    adamUpdate(weights: Storage, gradient: Storage, m: Float64Array, v: Float64Array, step: AdamStep): void {
      if (weights.length < MIN_ELEMENTS || !sameStorageType(weights, gradient)) return referenceBackend.adamUpdate(weights, gradient, m, v, step);
      useThreads(addon, threads); // large parameters are split over the threads (native/src/parallel.c)
      addon.adam(weights, gradient, m, v, step.beta1, step.beta2, step.stepSize, step.inverseRoot2, step.eps, step.decay);
    },
    // A bias add with relu or no activation in C (fused.c); the others need exp or tanh. softmaxCrossEntropy, all exp and ln, is the reference's.
    biasActivation(code: UnaryCode | null, x: Storage, bias: Storage, pre: Storage | null, out: Storage): void {
      const exact = code === null || code === UnaryCode.relu;
      if (!exact || x.length < MIN_ELEMENTS || bias.length === 0 || !sameStorageType(x, bias, out, pre)) {
        return referenceBackend.biasActivation(code, x, bias, pre, out);
      }
      addon.biasActivation(code ?? NO_ACTIVATION, x, bias, pre, out);
    },
    // im2col/col2im in C (im2col.c): they only move and add numbers in the reference's order, so bit for bit the same.
    im2col(x: Storage, shape: Shape, window: ConvWindow, fill: number, out: Storage): void {
      if (out.length < MIN_ELEMENTS || !sameStorageType(x, out)) return referenceBackend.im2col(x, shape, window, fill, out);
      addon.im2col(x, out, geometryOf(shape, window), fill);
    },
    col2im(cols: Storage, shape: Shape, window: ConvWindow, out: Storage): void {
      if (out.length < MIN_ELEMENTS || !sameStorageType(cols, out)) return referenceBackend.col2im(cols, shape, window, out);
      addon.col2im(cols, out, geometryOf(shape, window));
    },
    // Max pooling and its gradient in C too (the reference's rule and order: bit for bit); average pooling stays the reference's.
    maxPool2d(x: Storage, shape: Shape, window: ConvWindow, out: Storage): void {
      if (out.length < MIN_ELEMENTS || !sameStorageType(x, out)) return referenceBackend.maxPool2d(x, shape, window, out);
      addon.maxPool(x, out, geometryOf(shape, window));
    },
    maxPool2dBackward(x: Storage, shape: Shape, window: ConvWindow, gy: Storage, out: Storage): void {
      if (out.length < MIN_ELEMENTS || !sameStorageType(x, gy, out)) return referenceBackend.maxPool2dBackward(x, shape, window, gy, out);
      addon.maxPoolBackward(x, gy, out, geometryOf(shape, window));
    },
  };
}

/**
 * Load the native backend, synchronously. Throws an Error saying why where it cannot: not
 * Node, the addon not built (no compiler or OpenBLAS at install), or MASHAGRAD_NATIVE=off.
 */
export function loadNativeBackend(options: NativeOptions = {}): Backend {
  if (environmentVariable('MASHAGRAD_NATIVE') === 'off') throw new Error('turned off by MASHAGRAD_NATIVE=off');
  const addon = loadAddon(options.path);
  // OpenBLAS threads when the user has not set OPENBLAS_NUM_THREADS: one per core, as PyTorch.
  // Measured on the 2-core EPYC (float32): idle, two threads double one — 178–180 against
  // 88 GFLOP/s at n = 1024, 152–160 against 90 on a training-sized 64×784 · 784×256; but with
  // other work on the cores they were slower (37–61 against 45–84 at 1024), so a shared machine
  // wants OPENBLAS_NUM_THREADS=1.
  // With OPENBLAS_NUM_THREADS set, the count OpenBLAS started with.
  const threads = options.threads ?? (environmentVariable('OPENBLAS_NUM_THREADS') === undefined ? coresHere() : addon.threads());
  useThreads(addon, threads);
  return makeBackend(addon, threads);
}

/** OpenBLAS's build and thread count, for benchmark reports; undefined where the addon does not load. */
export function nativeInfo(options: NativeOptions = {}): { config: string; threads: number } | undefined {
  try {
    const addon = loadAddon(options.path);
    return { config: addon.config(), threads: addon.threads() };
  } catch {
    return undefined;
  }
}

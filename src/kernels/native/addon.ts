import type { Storage } from '../../tensor/dtype.js';

/**
 * The compiled addon (native/src/addon.c): zero-copy kernels over typed arrays, which check
 * every bound themselves and throw a RangeError on a wrong call.
 */
export interface NativeAddon {
  gemm(a: Storage, b: Storage, out: Storage, batch: number, m: number, k: number, n: number, aBatchStride: number, bBatchStride: number, transA: boolean, transB: boolean): void;
  binary(code: number, a: Storage, b: Storage, out: Storage, rows: number, cols: number, aRow: number, aCol: number, bRow: number, bCol: number): void;
  unary(code: number, x: Storage, out: Storage): void;
  reduce(code: number, x: Storage, out: Storage, outer: number, inner: number, leading: boolean): void;
  reduceMiddle(code: number, x: Storage, out: Storage, outer: number, middle: number, inner: number): void;
  adam(w: Storage, g: Storage, m: Float64Array, v: Float64Array, beta1: number, beta2: number, stepSize: number, inverseRoot2: number, eps: number, decay: number): void;
  /** code −1: no activation. */
  biasActivation(code: number, x: Storage, bias: Storage, sums: Storage | null, out: Storage): void;
  /** geometry: Float64Array [N·C, H, W, kH, kW, sH, sW, pH, pW, dH, dW]. */
  im2col(x: Storage, out: Storage, geometry: Float64Array, fill: number): void;
  col2im(cols: Storage, out: Storage, geometry: Float64Array): void;
  maxPool(x: Storage, out: Storage, geometry: Float64Array): void;
  maxPoolBackward(x: Storage, gy: Storage, out: Storage, geometry: Float64Array): void;
  setThreads(count: number): void;
  threads(): number;
  config(): string;
}

/** Where node-gyp puts the addon, relative to this file in src/ and in dist/ alike. */
export const ADDON_PATH = '../../../native/build/Release/mashagrad_native.node';
const ADDON_DISPLAY = 'native/build/Release/mashagrad_native.node';

const EXPORTS = ['gemm', 'binary', 'unary', 'reduce', 'reduceMiddle', 'adam', 'biasActivation', 'im2col', 'col2im', 'maxPool', 'maxPoolBackward', 'setThreads', 'threads', 'config'] as const;

function isAddon(value: unknown): value is NativeAddon {
  return typeof value === 'object' && value !== null && EXPORTS.every((name) => typeof (value as Record<string, unknown>)[name] === 'function');
}

/**
 * Load the addon with Node's require (a .node file cannot be imported). The require comes from
 * process.getBuiltinModule rather than an `import 'node:module'`, so this file has no static
 * Node import and the browser bundle, which never calls it, builds unchanged. Throws an Error
 * saying why when the addon cannot be loaded.
 */
export function loadAddon(path: string = ADDON_PATH): NativeAddon {
  if (typeof process === 'undefined' || typeof process.getBuiltinModule !== 'function') {
    throw new Error('it needs Node ≥ 20.16 (a browser has none)');
  }
  const require = process.getBuiltinModule('node:module').createRequire(import.meta.url);
  let loaded: unknown;
  try {
    loaded = require(path);
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code === 'MODULE_NOT_FOUND') {
      throw new Error(`${path === ADDON_PATH ? ADDON_DISPLAY : path} is not built; npm run build:native builds it, given a C compiler and libopenblas-dev`);
    }
    throw new Error(`the addon does not load: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
  }
  if (!isAddon(loaded)) throw new Error('the addon lacks an expected export (rebuild it: npm run build:native)');
  return loaded;
}

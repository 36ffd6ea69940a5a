import type { Shape } from '../tensor/shape.js';
import type { Storage } from '../tensor/dtype.js';
import type { BinaryCode, ReduceCode, UnaryCode } from './codes.js';

/**
 * The kernel interface. The op registry's forward functions call these and nothing else
 * touches raw storage, so a faster backend (WebAssembly, BLAS) replaces this object and
 * autodiff does not change. Every kernel writes into a preallocated `out`.
 */
export interface Backend {
  readonly name: string;
  unary(code: UnaryCode, x: Storage, out: Storage): void;
  /** The same elementwise operations on single numbers: the fast path for 0-d tensors. */
  unaryScalar(code: UnaryCode, x: number): number;
  binaryScalar(code: BinaryCode, a: number, b: number): number;
  /** out[outShape] = a[aShape] ∘ b[bShape] with NumPy broadcasting. */
  binary(code: BinaryCode, a: Storage, aShape: Shape, b: Storage, bShape: Shape, out: Storage, outShape: Shape): void;
  /**
   * out[batch, m, n] = a[batch, m, k] · b[batch, k, n]; a batch stride of 0 reuses one matrix.
   * With transA, a is stored as [batch, k, m] and read transposed (likewise transB: [batch, n, k]),
   * so a vjp's Xᵀ·d and d·Wᵀ need no transposed copy (BLAS's transa/transb).
   */
  matmul(a: Storage, b: Storage, out: Storage, dims: MatmulDims): void;
  /** Reduce x over `axes` (sorted, unique); out has x's shape with those axes removed. */
  reduce(code: ReduceCode, x: Storage, shape: Shape, axes: readonly number[], out: Storage): void;
  /**
   * Gather: out (contiguous, shape `shape`) takes src[offset + Σ index·strides]. Covers
   * transpose, slicing and broadcast expansion (stride 0) with one kernel.
   */
  stridedCopy(src: Storage, offset: number, strides: readonly number[], shape: Shape, out: Storage): void;
  /** Scatter-add: the adjoint of stridedCopy; dst[offset + Σ index·strides] += src. */
  stridedAdd(src: Storage, shape: Shape, dst: Storage, offset: number, strides: readonly number[]): void;
  /** One Adam step over a parameter in place (the rule: reference/adam.ts); m and v are its moments. */
  adamUpdate(weights: Storage, gradient: Storage, m: Float64Array, v: Float64Array, step: AdamStep): void;
  /**
   * out = act(x + bias) over x [rows, bias.length] in one pass, the bias added to every row;
   * `pre`, when given, also receives x + bias (the pre-activation a vjp may read). `code` null:
   * no activation, out = x + bias. The same operations as binary add then unary (reference/fused.ts).
   */
  biasActivation(code: UnaryCode | null, x: Storage, bias: Storage, pre: Storage | null, out: Storage): void;
  /**
   * Softmax cross-entropy of each of `rows` rows of `cols` logits against targets of the same
   * layout: out[r] = logsumexp(z_r) − Σⱼ y_rj·z_rj, max-shifted (reference/softmax-cross-entropy.ts).
   */
  softmaxCrossEntropy(logits: Storage, targets: Storage, rows: number, cols: number, out: Storage): void;
  /**
   * im2col: x [N, C, H, W] into cols [N, C·kH·kW, oH·oW], the window's taps as rows and its
   * positions as columns; `fill` where a tap falls in the padding (reference/im2col.ts).
   */
  im2col(x: Storage, shape: Shape, window: ConvWindow, fill: number, out: Storage): void;
  /** col2im, im2col's adjoint: out [N, C, H, W] (shape) = the sum of the column entries read from each position. */
  col2im(cols: Storage, shape: Shape, window: ConvWindow, out: Storage): void;
  /** The largest value of each window of x [N, C, H, W] (padding −∞) into out [N, C, oH, oW] (reference/pooling.ts). */
  maxPool2d(x: Storage, shape: Shape, window: ConvWindow, out: Storage): void;
  /** Max pooling's gradient: gy [N, C, oH, oW] shared among each window's winners, into out [N, C, H, W] (overwritten). */
  maxPool2dBackward(x: Storage, shape: Shape, window: ConvWindow, gy: Storage, out: Storage): void;
  /** The mean of each window (padding counted as zeros) into out [N, C, oH, oW]. */
  avgPool2d(x: Storage, shape: Shape, window: ConvWindow, out: Storage): void;
}

/** A sliding window over the last two axes (rows, columns): each pair is [along H, along W]. */
export interface ConvWindow {
  readonly kernel: readonly [number, number];
  readonly stride: readonly [number, number];
  readonly padding: readonly [number, number];
  readonly dilation: readonly [number, number];
}

/** Adam's numbers for one step; stepSize = γ/(1 − β₁ᵗ) and inverseRoot2 = 1/√(1 − β₂ᵗ). */
export interface AdamStep {
  readonly beta1: number;
  readonly beta2: number;
  readonly stepSize: number;
  readonly inverseRoot2: number;
  readonly eps: number;
  /** λ of the L2 penalty: g + λw. */
  readonly decay: number;
}

export interface MatmulDims {
  batch: number;
  m: number;
  k: number;
  n: number;
  aBatchStride: number;
  bBatchStride: number;
  transA?: boolean;
  transB?: boolean;
}

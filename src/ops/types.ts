import type { Storage } from '../tensor/dtype.js';
import type { ConvWindow, MatmulDims } from '../kernels/backend.js';
import type { BinaryKernelName, UnaryCode, UnaryKernelName } from '../kernels/codes.js';
import type { Shape } from '../tensor/shape.js';
import type { Algebra } from './algebra.js';

/** What a kernel reads: storage and shape, nothing of autodiff. */
export interface KernelInput {
  readonly data: Storage;
  readonly shape: Shape;
}

export type NoAttrs = Readonly<Record<never, never>>;
export interface ReduceAttrs { readonly axes: readonly number[]; readonly keepdims: boolean }
export interface SlopeAttrs { readonly slope: number }
export interface AxisAttrs { readonly axis: number }
export interface ShapeAttrs { readonly shape: Shape }
export interface PermuteAttrs { readonly perm: readonly number[] }
export interface SliceAttrs { readonly begin: readonly number[]; readonly end: readonly number[] }
export interface PlaceAttrs { readonly shape: Shape; readonly begin: readonly number[] }
/** A sliding window (ops/convolution.ts); `fill` is what the padding reads as (0; −∞ for max pooling). */
export interface UnfoldAttrs extends ConvWindow { readonly fill: number }
/** The window and the image size (H, W) that fold's columns came from. */
export interface FoldAttrs extends ConvWindow { readonly size: readonly [number, number] }
/** A pooling window (ops/pooling.ts): the stride is the kernel unless told otherwise. */
export type PoolAttrs = ConvWindow;
/** conv2d's settings as PyTorch's; the kernel size is the weight's. */
export interface ConvAttrs {
  readonly stride: readonly [number, number];
  readonly padding: readonly [number, number];
  readonly dilation: readonly [number, number];
  readonly groups: number;
}
/** conv2d's input gradient: its settings and the input's size (H, W), which the gradient alone does not fix. */
export interface ConvInputGradAttrs extends ConvAttrs { readonly size: readonly [number, number] }
/** conv2d's weight gradient: its settings and the kernel's size (kH, kW). */
export interface ConvWeightGradAttrs extends ConvAttrs { readonly kernel: readonly [number, number] }

/**
 * The elementwise ops of one input that have a kernel: one per unary kernel code (the codes
 * in kernels/codes.ts are named after the ops they compute). Mapped types over this union
 * (the Algebra, the functional API, the Tensor methods, the kernels) make the compiler check
 * that each of them has every such op.
 */
export type UnaryName = UnaryKernelName;
/** The elementwise ops of two broadcast inputs: one per binary kernel code. */
export type BinaryName = BinaryKernelName;

/** The other ops and the attributes each takes. */
interface OtherOpAttrs {
  leakyRelu: SlopeAttrs;
  matmul: NoAttrs;
  sum: ReduceAttrs; mean: ReduceAttrs; max: ReduceAttrs;
  softmax: AxisAttrs; logsumexp: ReduceAttrs; softmaxCrossEntropy: NoAttrs;
  identity: NoAttrs; reshape: ShapeAttrs; transpose: PermuteAttrs; broadcastTo: ShapeAttrs;
  slice: SliceAttrs; place: PlaceAttrs; concat: AxisAttrs;
  unfold: UnfoldAttrs; fold: FoldAttrs; conv2d: ConvAttrs;
  conv2dBackwardInput: ConvInputGradAttrs; conv2dBackwardWeight: ConvWeightGradAttrs;
  maxPool2d: PoolAttrs; maxPool2dBackward: PoolAttrs; avgPool2d: PoolAttrs;
  trace: NoAttrs; det: NoAttrs; inv: NoAttrs; eyeLike: NoAttrs; diag: NoAttrs; kron: NoAttrs; commutation: NoAttrs;
}

/**
 * Every op and the attributes it takes. The registry is a mapped type over this type, so an
 * op without a definition (or a definition without an op) is a compile error.
 */
export type OpAttrs = { readonly [N in UnaryName | BinaryName]: NoAttrs } & OtherOpAttrs;
export type OpName = keyof OpAttrs;

/** How formulas are written: parseable ASCII (the grammar), Unicode for people, LaTeX. */
export type Style = 'ascii' | 'pretty' | 'latex';

/**
 * Binding strength of a written formula, loosest first (the grammar's levels). A negative
 * number binds like a sum's term, so it is bracketed after + and ·: a + (−0.2), 2·(−1).
 */
export const Precedence = { sum: 1, negativeNumber: 1.5, product: 2, unary: 3, power: 4, atom: 5 } as const;

/** An argument already written out, with the precedence of its outermost operation. */
export interface WrittenArg {
  readonly text: string;
  readonly precedence: number;
  /** A matrix-valued formula: the product of two is written ⊙ when elementwise. */
  readonly matrix?: boolean;
  /** Numbers written in for a symbol: never run together with a coefficient (2·3, not 23). */
  readonly literal?: boolean;
}

export interface Notation<A> {
  /** Precedence of the written result, or 'transparent' when the op writes just its argument. */
  readonly precedence: number | 'transparent';
  write(args: readonly WrittenArg[], attrs: A, style: Style): string;
}

export interface VjpContext<T, A> {
  readonly inputs: readonly T[];
  readonly output: T;
  /** The gradient arriving at the output (the "accumulated gradient" of the sheet). */
  readonly gy: T;
  readonly attrs: A;
  /** Which inputs want a gradient: a rule may skip the others. */
  readonly needsGrad: readonly boolean[];
}

/** A formula in the two written forms explanations use. */
export interface WrittenAs {
  readonly pretty: string;
  readonly latex: string;
}

/**
 * One op, declared once: shape rule, forward kernel, vector-Jacobian product written with
 * registry ops (so it runs on tensors, on symbols, and differentiates again), and notation.
 */
/** The facts of an op the worked solutions read (record/expression.ts, formula/symbolic.ts, formula/textbook-signs.ts). */
export type OpFacts = Pick<OpDef<unknown>, 'neverZero' | 'foldsToNumber' | 'signPassesThrough'>;

export interface OpDef<A> {
  readonly name: OpName;
  readonly summary: string;
  /**
   * The names the formula grammar reads this op by, as a function call: the first is the one
   * its ascii notation writes, the others are aliases (ln for log). formula/functions.ts builds
   * the grammar's function table from these. Absent for ops written with an operator (+ − * / ^),
   * for ops with attributes, and for tensor-shaped ops, which formulas of numbers do not have.
   */
  readonly grammarNames?: readonly string[];
  /**
   * The names the matrix grammar (src/matrix/, docs/matrix-calculus.md) reads this
   * tensor-shaped op by: tr, det, inv, sum. The matrix grammar also has every grammarNames op,
   * applied elementwise.
   */
  readonly matrixGrammarNames?: readonly string[];
  /** Number of tensor inputs; 'variadic' for concat. */
  readonly arity: number | 'variadic';
  /** False for comparisons and step functions: their output never carries a gradient. */
  readonly differentiable: boolean;
  /** Output shape; throws ShapeError naming the op and the shapes when inputs do not fit. */
  outputShape(shapes: readonly Shape[], attrs: A): Shape;
  /** Writes every element of the result into `out` (contiguous, of the output shape and promoted dtype; not necessarily zeros: compiled replays reuse it). */
  forward(inputs: readonly KernelInput[], attrs: A, out: Storage, outShape: Shape): void;
  /** Set for ops whose result is the input's storage unchanged (reshape): no copy is made. */
  readonly aliasesInput?: boolean;
  /** The forward computation on plain numbers, for 0-d tensors. */
  readonly forwardScalar?: (a: number, b: number) => number;
  /** Set where the result at non-zero finite inputs is never exactly 0 (x·y, x/y, xʸ, eˣ, σ(x)): a computed 0 is float64 underflow. */
  readonly neverZero?: boolean;
  /** Set on arithmetic: a formula folds it on numbers whatever the value (2·0.1 is 0.2, 2^0.5 is 1.414); a function stays written unless its value is a simple number (2^x·ln(2)). */
  readonly foldsToNumber?: boolean;
  /** Set where a minus sign passes through unchanged: −(a·b) = (−a)·b = a·(−b), −(a/b) = (−a)/b, (−a)·B = −(a·B). */
  readonly signPassesThrough?: boolean;
  /** Set for elementwise ops of one input: the backend unary kernel the forward is (a compiled replay fuses it with a bias add). */
  readonly unaryCode?: UnaryCode;
  // Fusion and layout facts, which a compiled replay (compile/steps.ts) reads instead of op names.
  /**
   * Set on add: out = activation(x + bias) for x of whole rows of the row vector `bias`, as one
   * kernel; `sum` (when given) also receives x + bias. The same operations as the add and then the
   * unary kernel `code` (null: no activation), so a replay may run them together.
   */
  readonly forwardBiasActivation?: (code: UnaryCode | null, x: Storage, bias: Storage, sum: Storage | null, out: Storage) => void;
  /** Set on transpose: whether, with these attributes on an input of this rank, it is the matrix transpose a matrix product can read in place. */
  readableInPlace?(attrs: A, rank: number): boolean;
  /** Set on matmul: the 2-D forward reading either operand as stored transposed (`dims.transA`, `dims.transB`). */
  readonly forwardTransposed?: (a: Storage, b: Storage, out: Storage, dims: MatmulDims) => void;
  /**
   * For ops whose every output element depends on several input elements (softmax): the
   * Jacobian written entrywise, given how input and output are written. Explanations show it
   * where an elementwise op shows its local derivative, which for such an op (the seed-1 vjp, a
   * column sum of the Jacobian) says little: it is 0 for softmax.
   */
  readonly jacobian?: (input: WrittenAs, output: WrittenAs) => WrittenAs;
  /** Gradients for each input (null: no gradient flows there), written with registry ops. */
  vjp<T>(m: Algebra<T>, ctx: VjpContext<T, A>): readonly (T | null)[];
  readonly notation: Notation<A>;
}

import { AutogradError } from '../errors.js';
import { allocate, DEFAULT_DTYPE, type DType, type Storage } from '../tensor/dtype.js';
import { giveBack } from '../tensor/storage-pool.js';
import { formatValues } from '../tensor/format.js';
import { sizeOf, stridesOf, type Shape } from '../tensor/shape.js';
import { binaryNames, unaryNames } from '../ops/families.js';
import type { BinaryName, OpAttrs, OpDef, OpName, UnaryName } from '../ops/types.js';
import * as ops from './api.js';
import { backward, type BackwardOptions } from './backward.js';

/** How a tensor was made: the op, its inputs and attributes. Absent on leaves. */
export interface Creator<N extends OpName = OpName> {
  readonly op: OpDef<OpAttrs[N]>;
  readonly inputs: readonly Tensor[];
  readonly attrs: OpAttrs[N];
}

export const SCALAR_SHAPE: Shape = Object.freeze([]);
export const NO_INPUTS: readonly Tensor[] = Object.freeze([]);
const CONSTANT_CACHE_LIMIT = 4096;
let nextId = 0;

/**
 * 0-d op results keep their values side by side in shared slabs rather than each in a boxed
 * number of its own (V8 boxes every double-valued field): a scalar graph then costs one heap
 * object per node. A slab stays alive while any of its SLAB_SIZE results does, so it is kept
 * small, and leaves (Tensor.scalar) do not use it.
 */
const SLAB_SIZE = 256;
let slab = new Float64Array(SLAB_SIZE);
let slabUsed = 0;

/** Out of line, so the constructor stays small enough for V8 to inline it. */
function startSlab(): void {
  slab = new Float64Array(SLAB_SIZE);
  slabUsed = 0;
}
/** Storage that more than one tensor holds (a reshape's, a detach()'s): dispose() never pools it. */
const sharedStorage = new WeakSet<Storage>();

/** @internal Note that another tensor now holds `storage` too (apply's aliasing ops). */
export function markShared(storage: Storage): void {
  sharedStorage.add(storage);
}

/** `slot` of a disposed tensor; its storage is then EMPTY. */
const DISPOSED = -2;
const EMPTY: Storage = new Float64Array(0);

const float64Constants = new Map<number, Tensor>();
const float32Constants = new Map<number, Tensor>();

export type NestedArray = number | NestedArray[];

/**
 * An n-dimensional array in contiguous row-major storage, recording how it was computed
 * when gradients are wanted. A 0-d op result keeps its value in a shared slab until someone
 * asks for storage: scalar graphs (micrograd-style) then cost no typed array per node.
 */
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging -- see the interface Tensor below: the elementwise ops' methods
export class Tensor {
  readonly shape: Shape;
  readonly dtype: DType;
  /** Whether gradients flow to this tensor (set on leaves you differentiate by). */
  requiresGrad: boolean;
  /** The registry op that made this tensor, its inputs and attributes; null on leaves. */
  readonly op: OpDef<OpAttrs[OpName]> | null;
  /**
   * @internal The inputs, stored inline rather than as an array per node (a scalar graph has
   * a million nodes): the first input, or null on a leaf; the second input, null for one
   * input, or — for three or more (concat) — the whole list. Read them through `inputs`.
   */
  readonly input0: Tensor | null;
  /** @internal See input0. */
  readonly input1: Tensor | readonly Tensor[] | null;
  readonly attrs: unknown;
  // grad, name and retainsGrad are set on few tensors (leaves, named or retained nodes):
  // declared here, defaulted on the prototype (below the class), so the million nodes of a
  // scalar graph do not each carry three more fields.
  /** The gradient accumulated by backward(): on leaves, and on other nodes that retain it. */
  declare grad: Tensor | null;
  /** A name for explanations and pictures (x, W1, …). */
  declare name: string | undefined;
  /** Keep the gradient of this intermediate node after backward (PyTorch's retain_grad). */
  declare retainsGrad: boolean;
  /** @internal backward's running sum of gradients arriving at this node. */
  pendingGrad: Tensor | null = null;
  /**
   * Creation order. Define-by-run makes every input older than the tensors made from it, so
   * descending ids is a topological order: backward needs no separate sort.
   */
  readonly id: number;
  // Plain fields rather than #private ones: this object is made once per graph node.
  /** The elements: this tensor's own, or the slab holding a 0-d op result's value. */
  private storage: Storage;
  /** Where a 0-d tensor's value is in `storage` (0 in storage of its own); −1 for other ranks; DISPOSED after dispose(). */
  private slot: number;

  constructor(
    storage: Storage | null, shape: Shape, dtype: DType,
    op: OpDef<OpAttrs[OpName]> | null = null, input0: Tensor | null = null, input1: Tensor | readonly Tensor[] | null = null,
    attrs: unknown = undefined, scalarValue = 0,
  ) {
    this.id = nextId++;
    if (storage === null) {
      slab[slabUsed] = scalarValue;
      this.storage = slab;
      this.slot = slabUsed;
      if (++slabUsed === SLAB_SIZE) startSlab();
    } else {
      this.storage = storage;
      this.slot = shape.length === 0 ? 0 : -1;
    }
    this.shape = shape;
    this.dtype = dtype;
    this.op = op;
    this.input0 = input0;
    this.input1 = input1;
    this.attrs = attrs;
    this.requiresGrad = op !== null;
  }

  /** The tensors this one was computed from (empty on leaves and on unrecorded results). */
  get inputs(): readonly Tensor[] {
    const first = this.input0;
    const rest = this.input1;
    if (first === null) return NO_INPUTS;
    if (rest === null) return [first];
    return rest instanceof Tensor ? [first, rest] : rest;
  }

  /** How this tensor was made, or null for a leaf. */
  get creator(): Creator | null {
    return this.op === null ? null : { op: this.op, inputs: this.inputs, attrs: this.attrs as OpAttrs[OpName] };
  }

  /** A 0-d tensor holding one number. */
  static scalar(value: number, dtype: DType = DEFAULT_DTYPE): Tensor {
    // A leaf gets storage of its own, not a slab place: leaves (parameters, detached values,
    // constants) are the tensors kept for long, and each would keep a whole slab alive.
    const storage = allocate(dtype, 1);
    storage[0] = value;
    return new Tensor(storage, SCALAR_SHAPE, dtype);
  }

  /**
   * A shared 0-d constant: graphs that multiply by the same number a million times make one
   * tensor for it, not a million. Constants never require gradients, so sharing is safe.
   */
  static constant(value: number, dtype: DType = DEFAULT_DTYPE): Tensor {
    const cache = dtype === 'float32' ? float32Constants : float64Constants;
    let cached = cache.get(value);
    if (cached === undefined || cached.requiresGrad || cached.isDisposed) {
      if (cache.size >= CONSTANT_CACHE_LIMIT) cache.clear();
      cached = Tensor.scalar(value, dtype);
      cache.set(value, cached);
    }
    return cached;
  }

  /** Contiguous storage of the elements (row-major). Do not write to it except in-place updates. */
  get data(): Storage {
    if (this.slot === DISPOSED) throw this.disposedError('data');
    // Held in a slab: copied out into storage of its own on first request.
    if (this.inSlab()) {
      const own = allocate(this.dtype, 1);
      own[0] = this.storage[this.slot]!;
      this.storage = own;
      this.slot = 0;
    }
    return this.storage;
  }

  get size(): number {
    return sizeOf(this.shape);
  }
  get rank(): number {
    return this.shape.length;
  }
  get strides(): number[] {
    return stridesOf(this.shape);
  }
  get isLeaf(): boolean {
    return this.op === null;
  }

  /** The single element of a one-element tensor, as a number. */
  item(): number {
    const slot = this.slot;
    return slot >= 0 ? this.storage[slot]! : this.onlyElement();
  }

  /** Whether this is a 0-d op result whose value sits in a shared slab (see SLAB_SIZE). */
  private inSlab(): boolean {
    return this.slot >= 0 && this.storage.length !== 1;
  }

  private onlyElement(): number {
    if (this.slot === DISPOSED) throw this.disposedError('item()');
    if (this.storage.length !== 1) {
      throw new AutogradError('item()', `tensor of shape [${this.shape.join(', ')}] has ${this.storage.length} elements, not 1`, { shapes: [this.shape] });
    }
    return this.storage[0]!;
  }

  /**
   * Give this tensor's memory back at once, for the next op result of the same dtype and size
   * (as TF.js's dispose(); in PyTorch, dropping the last reference does it). JavaScript frees an
   * array only at garbage collection, so a loop of big products otherwise writes every result
   * into memory new to the process. Any later use of this tensor — its data, as an op's input,
   * in a backward pass that saved it — throws. Memory another tensor shares (a reshape, a
   * detach()) is not reused; an array taken from `data` before reads as empty afterwards.
   * Disposing twice does nothing.
   */
  dispose(): void {
    if (this.slot === DISPOSED) return;
    const storage = this.storage;
    this.storage = EMPTY;
    this.slot = DISPOSED;
    if (storage !== slab && !sharedStorage.has(storage)) giveBack(storage);
  }

  /** Whether dispose() has been called. */
  get isDisposed(): boolean {
    return this.slot === DISPOSED;
  }

  private disposedError(use: string): AutogradError {
    return new AutogradError(use, `tensor of shape [${this.shape.join(', ')}]${this.op === null ? '' : ` made by ${this.op.name}`} was disposed: use it before dispose(), or dispose it only once nothing needs it`, { shapes: [this.shape] });
  }

  /** Nested arrays of numbers, shaped like the tensor (a number for a 0-d tensor). */
  toArray(): NestedArray {
    const data = this.data;
    const build = (axis: number, offset: number): NestedArray => {
      if (axis === this.shape.length) return data[offset]!;
      const stride = sizeOf(this.shape.slice(axis + 1));
      return Array.from({ length: this.shape[axis]! }, (_, i) => build(axis + 1, offset + i * stride));
    };
    return build(0, 0);
  }

  /**
   * As PyTorch prints a tensor, with the shape, dtype and gradient said:
   * `tensor([[1, 2],\n        [3, 4]], shape=[2, 2], dtype=float64, requiresGrad=true, grad=[[…]])`.
   * Big tensors are summarised (first and last three along each axis).
   */
  toString(): string {
    if (this.slot === DISPOSED) return `tensor(disposed, shape=[${this.shape.join(', ')}], dtype=${this.dtype})`;
    const head = 'tensor(';
    const about = [`shape=[${this.shape.join(', ')}]`, `dtype=${this.dtype}`];
    if (this.op !== null) about.push(`op=${this.op.name}`);
    else if (this.requiresGrad) about.push('requiresGrad=true');
    const values = `${head}${formatValues(this.shape, this.valuesForPrinting(), head.length)}, ${about.join(', ')}`;
    const grad = this.grad;
    if (grad === null) return `${values})`;
    // A matrix's gradient goes on lines of its own, under the values; a vector's fits on the line.
    const own = grad.shape.length >= 2;
    const gradText = `grad=${formatValues(grad.shape, grad.valuesForPrinting(), (own ? head.length : 0) + 'grad='.length)}`;
    return own ? `${values},\n${' '.repeat(head.length)}${gradText})` : `${values}, ${gradText})`;
  }

  /** console.log and util.inspect in Node print toString(), not the fields (which include a slab of other tensors' values). */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }

  /** The elements without moving a 0-d result out of its slab (printing has no side effects). */
  private valuesForPrinting(): ArrayLike<number> {
    return this.shape.length === 0 ? [this.item()] : this.storage;
  }

  /** Gradients of this scalar with respect to every leaf that requires them, added into `.grad`. */
  backward(gradient?: Tensor, options: BackwardOptions = {}): void {
    backward(this, gradient, options);
  }

  /** Keep this node's gradient after backward, as PyTorch's retain_grad(). */
  retainGrad(): this {
    this.retainsGrad = true;
    return this;
  }

  /** The same values, cut from the graph: no gradient flows through. */
  detach(): Tensor {
    if (this.inSlab()) return Tensor.scalar(this.storage[this.slot]!, this.dtype);
    const storage = this.data;
    markShared(storage);
    return new Tensor(storage, this.shape, this.dtype);
  }

  /** Mark this leaf as one to differentiate by; returns this for chaining. */
  requireGrad(flag = true): this {
    if (this.op !== null && !flag) throw new AutogradError('requireGrad(false)', `on a computed tensor (made by ${this.op.name}): use detach()`);
    this.requiresGrad = flag;
    return this;
  }

  named(name: string): this {
    this.name = name;
    return this;
  }

  matmul(b: Tensor): Tensor { return ops.matmul(this, b); }
  sum(axis?: ops.Axes, keepdims = false): Tensor { return ops.sum(this, axis, keepdims); }
  mean(axis?: ops.Axes, keepdims = false): Tensor { return ops.mean(this, axis, keepdims); }
  max(axis?: ops.Axes, keepdims = false): Tensor { return ops.max(this, axis, keepdims); }
  logsumexp(axis?: ops.Axes, keepdims = false): Tensor { return ops.logsumexp(this, axis, keepdims); }
  softmax(axis = -1): Tensor { return ops.softmax(this, axis); }
  reshape(shape: readonly number[]): Tensor { return ops.reshape(this, shape); }
  transpose(perm?: readonly number[]): Tensor { return ops.transpose(this, perm); }
  /** The matrix transpose (last two axes swapped). */
  get T(): Tensor { return ops.transpose(this); }
  broadcastTo(shape: readonly number[]): Tensor { return ops.broadcastTo(this, shape); }
  slice(begin: readonly number[], end: readonly number[]): Tensor { return ops.slice(this, begin, end); }
  index(i: number): Tensor { return ops.index(this, i); }
}

/**
 * The methods of the elementwise op families, x.exp(), a.add(b), one per op: declared by these
 * mapped types and installed on the prototype below, so a new op of a family is a method
 * without an edit here.
 */
type UnaryMethods = { [N in UnaryName]: () => Tensor };
type BinaryMethods = { [N in BinaryName]: (b: Tensor | number) => Tensor };
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging -- the members are installed on the prototype just below
export interface Tensor extends UnaryMethods, BinaryMethods {}

// Looked up when called, not now: api.ts imports this module, so its functions may not exist yet.
for (const name of unaryNames) {
  Object.defineProperty(Tensor.prototype, name, { value(this: Tensor) { return ops[name](this); }, writable: true, configurable: true });
}
for (const name of binaryNames) {
  Object.defineProperty(Tensor.prototype, name, { value(this: Tensor, b: Tensor | number) { return ops[name](this, b); }, writable: true, configurable: true });
}

Tensor.prototype.grad = null;
Tensor.prototype.name = undefined;
Tensor.prototype.retainsGrad = false;

import type { Tensor } from '../autograd/tensor.js';
import { zeros } from '../autograd/create.js';
import { ShapeError } from '../errors.js';
import type { Algebra } from '../ops/algebra.js';
import type { DType } from '../tensor/dtype.js';
import { formatShape, sameShape, type Shape } from '../tensor/shape.js';
import { Random } from '../tensor/random.js';
import { Layer } from './layer.js';

/**
 * Dropout as PyTorch's nn.Dropout: while training, each input is kept with probability 1 − p
 * and scaled by 1/(1 − p) (inverted dropout), so evaluation, which passes x through unchanged,
 * needs no rescaling. The mask is drawn from the layer's own seeded generator: one seed, one
 * sequence of masks. `mask` holds the factors of the last draw (0 or 1/(1 − p)).
 */
export class Dropout extends Layer {
  readonly kind = 'dropout';
  readonly #random: Random;
  /** One mask per input shape (a compiled step reads its mask's buffer at every run). */
  readonly #masks = new Map<string, Tensor>();
  /** A fixed mask (0/1 per element, e.g. to reproduce a worked example): drawn masks are not used. */
  #fixed: Float64Array | null = null;
  mask: Tensor | null = null;

  constructor(readonly p = 0.5, readonly seed = 0) {
    super();
    if (!(p >= 0 && p < 1)) throw new ShapeError(`dropout: p must be in [0, 1), got ${p}`);
    this.#random = new Random(seed);
  }

  /** Use these keep (1) / drop (0) decisions instead of random ones, for inputs of their size. */
  fixMask(keep: ArrayLike<number>): void {
    this.#fixed = Float64Array.from(keep, (value) => (value === 0 ? 0 : 1));
    for (const mask of this.#masks.values()) this.fill(mask);
  }

  override forward(x: Tensor): Tensor {
    // A new draw for every eager forward pass (a new mask is drawn when it is made).
    if (this.training && this.p > 0) {
      const known = this.#masks.has(x.shape.join(','));
      this.mask = this.maskFor(x.shape, x.dtype);
      if (known) this.fill(this.mask);
    }
    return super.forward(x);
  }

  override beforeStep(rows: number): void {
    if (!this.training || this.p === 0) return;
    for (const mask of this.#masks.values()) if (mask.shape[0] === rows) this.fill(mask);
  }

  /** While training, the mask of the last draw: data the formula reads (x ⊙ M), as batch norm reads its statistics. */
  override namedBuffers(): [string, Tensor][] {
    return this.training && this.p > 0 && this.mask !== null ? [['mask', this.mask]] : [];
  }

  compute<T>(m: Algebra<T>, x: T, [given]: readonly T[]): T {
    if (!this.training || this.p === 0) return x;
    const shape = m.shapeOf(x);
    // The mask given (a symbol in a formula, or the last draw) when it fits x; else the one drawn for x's shape.
    if (given !== undefined && sameShape(m.shapeOf(given), shape)) return m.mul(x, given);
    const mask = this.maskFor(shape, (x as unknown as Tensor).dtype);
    this.mask = mask;
    return m.mul(x, mask as unknown as T);
  }

  private maskFor(shape: Shape, dtype: DType): Tensor {
    const key = shape.join(',');
    let mask = this.#masks.get(key);
    if (mask === undefined) {
      mask = zeros(shape, dtype);
      this.fill(mask);
      this.#masks.set(key, mask);
    }
    return mask;
  }

  private fill(mask: Tensor): void {
    const scale = 1 / (1 - this.p);
    const data = mask.data;
    const fixed = this.#fixed;
    if (fixed !== null) {
      if (fixed.length !== data.length) throw new ShapeError(`dropout: the fixed mask has ${fixed.length} numbers, but the input ${formatShape(mask.shape)} has ${data.length}: give the mask the input's shape, a row per observation of one step (with train: batch, as many rows as the batch)`);
      for (let i = 0; i < data.length; i++) data[i] = fixed[i]! * scale;
      return;
    }
    for (let i = 0; i < data.length; i++) data[i] = this.#random.next() < this.p ? 0 : scale;
  }
}

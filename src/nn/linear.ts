import type { Tensor } from '../autograd/tensor.js';
import { ShapeError } from '../errors.js';
import type { Algebra } from '../ops/algebra.js';
import { Layer } from './layer.js';

/** H = X·W + b in the sheet's convention: rows are observations, W has shape [inputs, outputs]. */
export class Linear extends Layer {
  readonly kind = 'linear';

  constructor(readonly weight: Tensor, readonly bias: Tensor | null = null) {
    super();
    if (weight.rank !== 2) throw new ShapeError(`linear: weights must be a matrix [inputs, outputs], got shape [${weight.shape.join(', ')}]`);
    if (bias !== null && (bias.rank !== 1 || bias.shape[0] !== weight.shape[1])) {
      throw new ShapeError(`linear: bias must have ${weight.shape[1]} numbers (one per output), got shape [${bias.shape.join(', ')}]`);
    }
    weight.requiresGrad = true;
    if (bias !== null) bias.requiresGrad = true;
  }

  get inputs(): number {
    return this.weight.shape[0]!;
  }
  get outputs(): number {
    return this.weight.shape[1]!;
  }

  override namedParameters(): [string, Tensor][] {
    return this.bias === null ? [['weight', this.weight]] : [['weight', this.weight], ['bias', this.bias]];
  }

  override forward(x: Tensor): Tensor {
    if (x.shape[x.rank - 1] !== this.inputs) {
      throw new ShapeError(`linear: the input has ${x.shape[x.rank - 1]} columns, but the weights have ${this.inputs} rows`);
    }
    return super.forward(x);
  }

  compute<T>(m: Algebra<T>, x: T, [weight, bias]: readonly T[]): T {
    const h = m.matmul(x, weight!);
    return bias === undefined ? h : m.add(h, bias);
  }
}

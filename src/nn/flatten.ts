import type { Algebra } from '../ops/algebra.js';
import { Layer } from './layer.js';

/** Every axis after the batch axis as one ([N, C, H, W] → [N, C·H·W]), as PyTorch's nn.Flatten. */
export class Flatten extends Layer {
  readonly kind = 'flatten';
  compute<T>(m: Algebra<T>, x: T): T {
    const [n = 0, ...rest] = m.shapeOf(x);
    return m.reshape(x, [n, rest.reduce((product, extent) => product * extent, 1)]);
  }
}

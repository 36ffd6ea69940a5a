import type { Algebra } from '../ops/algebra.js';
import { Layer } from './layer.js';

export class ReLU extends Layer {
  readonly kind = 'relu';
  compute<T>(m: Algebra<T>, x: T): T {
    return m.relu(x);
  }
}

export class Sigmoid extends Layer {
  readonly kind = 'sigmoid';
  compute<T>(m: Algebra<T>, x: T): T {
    return m.sigmoid(x);
  }
}

export class Tanh extends Layer {
  readonly kind = 'tanh';
  compute<T>(m: Algebra<T>, x: T): T {
    return m.tanh(x);
  }
}

/** Softmax over the last axis: each row of outputs becomes a probability distribution. */
export class Softmax extends Layer {
  readonly kind = 'softmax';
  compute<T>(m: Algebra<T>, x: T): T {
    return m.softmax(x, m.shapeOf(x).length - 1);
  }
}

export class LeakyReLU extends Layer {
  readonly kind = 'leaky_relu';
  constructor(readonly slope = 0.01) {
    super();
  }
  compute<T>(m: Algebra<T>, x: T): T {
    return m.leakyRelu(x, this.slope);
  }
}

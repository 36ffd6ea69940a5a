import type { Tensor } from '../autograd/tensor.js';
import { ShapeError } from '../errors.js';
import type { Algebra } from '../ops/algebra.js';
import { formatShape } from '../tensor/shape.js';
import { Layer } from './layer.js';

/**
 * A skip connection: y = x + f(x), f being the layers of `body` in order. Backward, the
 * gradient arriving at y reaches x twice, along the skip unchanged and through f, and adds up.
 * Parameter names are body.INDEX.NAME, as a PyTorch module holding nn.Sequential as `body`.
 */
export class Residual extends Layer {
  readonly kind = 'residual';

  constructor(readonly body: readonly Layer[]) {
    super();
    if (body.length === 0) throw new ShapeError('residual: needs at least one layer inside');
  }

  override namedParameters(): [string, Tensor][] {
    return this.body.flatMap((layer, index) => layer.namedParameters().map(([name, tensor]): [string, Tensor] => [`body.${index}.${name}`, tensor]));
  }

  override namedBuffers(): [string, Tensor][] {
    return this.body.flatMap((layer, index) => layer.namedBuffers().map(([name, tensor]): [string, Tensor] => [`body.${index}.${name}`, tensor]));
  }

  /** The body's compute inputs are its layers' parameters, then its layers' buffers (computeInputs' order). */
  override computeInputs(): Tensor[] {
    return [...this.parameters(), ...this.namedBuffers().map(([, buffer]) => buffer)];
  }

  override setTraining(training: boolean): void {
    super.setTraining(training);
    for (const layer of this.body) layer.setTraining(training);
  }

  override beforeStep(rows: number): void {
    for (const layer of this.body) layer.beforeStep(rows);
  }

  override afterStep(rows: number): void {
    for (const layer of this.body) layer.afterStep(rows);
  }

  override forward(x: Tensor): Tensor {
    // Eagerly, each forward pass is a step of its own: dropout inside draws a new mask.
    if (this.training) for (const layer of this.body) layer.beforeStep(x.shape[0]!);
    const output = super.forward(x);
    if (this.training) for (const layer of this.body) layer.afterStep(x.shape[0]!);
    return output;
  }

  compute<T>(m: Algebra<T>, x: T, inputs: readonly T[]): T {
    const parameterCount = this.parameters().length;
    let nextParameter = 0;
    let nextBuffer = parameterCount;
    let h = x;
    for (const layer of this.body) {
      const parameters = inputs.slice(nextParameter, (nextParameter += layer.parameters().length));
      const buffers = inputs.slice(nextBuffer, (nextBuffer += layer.namedBuffers().length));
      h = layer.compute(m, h, [...parameters, ...buffers]);
    }
    const [inputShape, bodyShape] = [m.shapeOf(x), m.shapeOf(h)];
    // (Symbolic matrices have unknown extents, written as 0.)
    const known = [...inputShape, ...bodyShape].every((extent) => extent > 0);
    if (known && inputShape.join(',') !== bodyShape.join(',')) {
      throw new ShapeError(`residual: the layers inside turn ${formatShape(inputShape)} into ${formatShape(bodyShape)}, but x + f(x) needs f(x) shaped like x`);
    }
    return m.add(x, h);
  }
}

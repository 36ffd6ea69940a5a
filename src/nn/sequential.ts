import type { Tensor } from '../autograd/tensor.js';
import { ShapeError } from '../errors.js';
import type { Layer } from './layer.js';

/** Layers in order. Parameter names are INDEX.weight / INDEX.bias, as PyTorch's nn.Sequential. */
export class Sequential {
  constructor(readonly layers: readonly Layer[]) {}

  forward(x: Tensor): Tensor {
    let h = x;
    this.layers.forEach((layer, index) => {
      try {
        h = layer.forward(h);
      } catch (error) {
        // model[0] is how a problem file's path and the layer list both name the first layer (the worked solutions count from 1).
        if (error instanceof ShapeError) throw new ShapeError(`model[${index}] (${layer.kind}): ${error.message}`);
        throw error;
      }
    });
    return h;
  }

  /** The sheet's backward pass: each layer, from the top, turns d into the d below it. */
  backward(d: Tensor, from = this.layers.length - 1): Tensor {
    let gradient = d;
    for (let index = from; index >= 0; index--) gradient = this.layers[index]!.backward(gradient);
    return gradient;
  }

  namedParameters(): [string, Tensor][] {
    return this.layers.flatMap((layer, index) => layer.namedParameters().map(([name, tensor]): [string, Tensor] => [`${index}.${name}`, tensor]));
  }

  parameters(): Tensor[] {
    return this.namedParameters().map(([, tensor]) => tensor);
  }

  /** Buffers (running statistics, initial states), named as the parameters are. */
  namedBuffers(): [string, Tensor][] {
    return this.layers.flatMap((layer, index) => layer.namedBuffers().map(([name, tensor]): [string, Tensor] => [`${index}.${name}`, tensor]));
  }

  /** Whether the layers are in training mode (dropout drops, batch norm uses the batch). */
  get training(): boolean {
    return this.layers.every((layer) => layer.training);
  }

  /** PyTorch's model.train(mode) / model.eval(): every layer, and the layers inside them. */
  setTraining(training: boolean): this {
    for (const layer of this.layers) layer.setTraining(training);
    return this;
  }

  /** Run `body` with every layer in the given mode, then put the modes back as they were. */
  inMode<R>(training: boolean, body: () => R): R {
    const before = this.layers.map((layer) => layer.training);
    this.setTraining(training);
    try {
      return body();
    } finally {
      this.layers.forEach((layer, index) => layer.setTraining(before[index]!));
    }
  }

  /** Around a compiled training step of `rows` observations: see Layer.beforeStep and afterStep. */
  beforeStep(rows: number): void {
    for (const layer of this.layers) layer.beforeStep(rows);
  }
  afterStep(rows: number): void {
    for (const layer of this.layers) layer.afterStep(rows);
  }

  zeroGrad(): void {
    for (const layer of this.layers) layer.zeroGrad();
  }
}

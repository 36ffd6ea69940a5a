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
        if (error instanceof ShapeError) throw new ShapeError(`layer ${index} (${layer.kind}): ${error.message}`);
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

  zeroGrad(): void {
    for (const layer of this.layers) layer.zeroGrad();
  }
}

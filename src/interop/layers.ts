import { tensor } from '../autograd/create.js';
import { LeakyReLU, ReLU, Sigmoid, Softmax, Tanh } from '../nn/activations.js';
import type { Layer } from '../nn/layer.js';
import { Linear } from '../nn/linear.js';
import { Sequential } from '../nn/sequential.js';
import type { DType } from '../tensor/dtype.js';
import { InteropError } from './named-array.js';

/**
 * The layer set that travels between mashagrad, PyTorch and ONNX: nn.Sequential of Linear and
 * elementwise activations, ending (optionally) in Softmax over the last axis. Weights are in the
 * sheet's layout, [inputs, outputs].
 */
export type PortableLayer =
  | { readonly kind: 'linear'; readonly weights: number[][]; readonly bias: number[] | null }
  | { readonly kind: 'relu' | 'sigmoid' | 'tanh' | 'softmax' }
  | { readonly kind: 'leaky_relu'; readonly slope: number };

export type ActivationKind = 'relu' | 'sigmoid' | 'tanh' | 'softmax' | 'leaky_relu';

const rows = (data: ArrayLike<number>, count: number, columns: number): number[][] =>
  Array.from({ length: count }, (_, row) => Array.from({ length: columns }, (_, column) => data[row * columns + column]!));

/** A model's layers in the portable set; any other layer is named in the error. */
export function portableLayers(model: Sequential): PortableLayer[] {
  return model.layers.map((layer, index): PortableLayer => {
    if (layer instanceof Linear) {
      return { kind: 'linear', weights: rows(layer.weight.data, layer.inputs, layer.outputs), bias: layer.bias === null ? null : Array.from(layer.bias.data) };
    }
    if (layer instanceof LeakyReLU) return { kind: 'leaky_relu', slope: layer.slope };
    if (layer instanceof ReLU || layer instanceof Sigmoid || layer instanceof Tanh || layer instanceof Softmax) return { kind: layer.kind };
    throw new InteropError(`layer ${index} (${layer.kind}) has no PyTorch/ONNX counterpart here; the portable layers are linear, relu, sigmoid, tanh, leaky_relu, softmax`);
  });
}

/** The Sequential the layers describe. */
export function sequentialOf(layers: readonly PortableLayer[], dtype: DType = 'float64'): Sequential {
  return new Sequential(layers.map((layer): Layer => {
    switch (layer.kind) {
      case 'linear': return new Linear(tensor(layer.weights, { dtype }), layer.bias === null ? null : tensor(layer.bias, { dtype }));
      case 'relu': return new ReLU();
      case 'sigmoid': return new Sigmoid();
      case 'tanh': return new Tanh();
      case 'softmax': return new Softmax();
      case 'leaky_relu': return new LeakyReLU(layer.slope);
    }
  }));
}

/** The layers in the problem-file syntax (`- linear: { weights, bias }`, `- relu`), which files/ checks as any model. */
export function problemFileModel(layers: readonly PortableLayer[]): unknown[] {
  return layers.map((layer) => {
    switch (layer.kind) {
      case 'linear': return { linear: { weights: layer.weights, bias: layer.bias ?? false } };
      case 'leaky_relu': return { leaky_relu: { slope: layer.slope } };
      default: return layer.kind;
    }
  });
}

/** The activation names as a short list (kept in a safetensors file's metadata): "linear,relu,leaky_relu:0.2". */
export function layerList(layers: readonly PortableLayer[]): string {
  return layers.map((layer) => (layer.kind === 'leaky_relu' ? `leaky_relu:${layer.slope}` : layer.kind)).join(',');
}

import { tensor } from '../autograd/create.js';
import { LeakyReLU, ReLU, Sigmoid, Softmax, Tanh } from '../nn/activations.js';
import type { Layer } from '../nn/layer.js';
import { Linear } from '../nn/linear.js';
import { Residual } from '../nn/residual.js';
import { Sequential } from '../nn/sequential.js';
import type { DType } from '../tensor/dtype.js';
import { moreLayerOf, portableMoreLayer, type MoreLayer } from './more-layers.js';
import { InteropError } from './named-array.js';

/**
 * The layer set that travels between mashagrad, PyTorch and ONNX: nn.Sequential of Linear,
 * elementwise activations, Softmax over the last axis, and the layers of more-layers.ts
 * (convolution, pooling, flatten, dropout, normalization). Linear weights are in the sheet's
 * layout, [inputs, outputs].
 */
export type PortableLayer =
  | { readonly kind: 'linear'; readonly weights: number[][]; readonly bias: number[] | null }
  | { readonly kind: 'relu' | 'sigmoid' | 'tanh' | 'softmax' }
  | { readonly kind: 'leaky_relu'; readonly slope: number }
  | MoreLayer
  /** A skip connection y = x + body(x); in PyTorch a small Residual module holding nn.Sequential as `body`. */
  | { readonly kind: 'residual'; readonly body: readonly PortableLayer[] };

/** The layers that export but do not import (yet): reading them back is refused by name. */
export const EXPORT_ONLY_KINDS: readonly string[] = ['conv2d', 'conv1d', 'maxpool2d', 'avgpool2d', 'flatten', 'dropout', 'layernorm', 'batchnorm1d', 'batchnorm2d', 'residual', 'rnn'];

export type ActivationKind = 'relu' | 'sigmoid' | 'tanh' | 'softmax' | 'leaky_relu';

const rows = (data: ArrayLike<number>, count: number, columns: number): number[][] =>
  Array.from({ length: count }, (_, row) => Array.from({ length: columns }, (_, column) => data[row * columns + column]!));

/** A model's layers in the portable set; any other layer is named in the error. */
export function portableLayers(model: Sequential): PortableLayer[] {
  return portableList(model.layers, (index) => `layer ${index}`, true, false);
}

const IMAGE_MAKERS: readonly string[] = ['conv2d', 'conv1d', 'maxpool2d', 'avgpool2d'];

/** `imagesIn`: whether the first layer's input is images (a convolution or pooling came before, and no flatten or linear since). */
function portableList(layers: readonly Layer[], where: (index: number) => string, atStart: boolean, imagesIn: boolean): PortableLayer[] {
  let images = imagesIn;
  return layers.map((layer, index): PortableLayer => {
    const portable = portableLayer(layer, where(index), atStart && index === 0, images);
    if (IMAGE_MAKERS.includes(portable.kind)) images = true;
    else if (portable.kind === 'flatten' || portable.kind === 'linear') images = false;
    return portable;
  });
}

function portableLayer(layer: Layer, where: string, first: boolean, imagesIn: boolean): PortableLayer {
  if (layer instanceof Linear) {
    return { kind: 'linear', weights: rows(layer.weight.data, layer.inputs, layer.outputs), bias: layer.bias === null ? null : Array.from(layer.bias.data) };
  }
  if (layer instanceof LeakyReLU) return { kind: 'leaky_relu', slope: layer.slope };
  if (layer instanceof ReLU || layer instanceof Sigmoid || layer instanceof Tanh || layer instanceof Softmax) return { kind: layer.kind };
  // The body's input is the block's input; its output must have the same shape, so images stay images.
  if (layer instanceof Residual) return { kind: 'residual', body: portableList(layer.body, (index) => `${where}.body.${index}`, first, imagesIn) };
  const more = portableMoreLayer(layer, where, first, imagesIn);
  if (more !== null) return more;
  throw new InteropError(`${where} (${layer.kind}) has no PyTorch/ONNX counterpart here; the portable layers are linear, relu, sigmoid, tanh, leaky_relu, softmax, ${EXPORT_ONLY_KINDS.join(', ')}`);
}

/** The Sequential the layers describe, in evaluation mode (dropout passes through, batch norm uses its running statistics), as exported. */
export function sequentialOf(layers: readonly PortableLayer[], dtype: DType = 'float64'): Sequential {
  const model = new Sequential(layers.map((layer) => layerOf(layer, dtype)));
  model.setTraining(false);
  return model;
}

function layerOf(layer: PortableLayer, dtype: DType): Layer {
    switch (layer.kind) {
      case 'linear': return new Linear(tensor(layer.weights, { dtype }), layer.bias === null ? null : tensor(layer.bias, { dtype }));
      case 'relu': return new ReLU();
      case 'sigmoid': return new Sigmoid();
      case 'tanh': return new Tanh();
      case 'softmax': return new Softmax();
      case 'leaky_relu': return new LeakyReLU(layer.slope);
      case 'residual': return new Residual(layer.body.map((inner) => layerOf(inner, dtype)));
      default: return moreLayerOf(layer, dtype);
    }
}

/** The layers in the problem-file syntax (`- linear: { weights, bias }`, `- relu`), which files/ checks as any model. */
export function problemFileModel(layers: readonly PortableLayer[]): unknown[] {
  return layers.map((layer) => {
    switch (layer.kind) {
      case 'linear': return { linear: { weights: layer.weights, bias: layer.bias ?? false } };
      case 'leaky_relu': return { leaky_relu: { slope: layer.slope } };
      case 'relu': case 'sigmoid': case 'tanh': case 'softmax': return layer.kind;
      default: throw new InteropError(`a ${layer.kind} layer is exported but not yet read back into a problem file`);
    }
  });
}

/** The activation names as a short list (kept in a safetensors file's metadata): "linear,relu,leaky_relu:0.2". */
export function layerList(layers: readonly PortableLayer[]): string {
  return layers.map((layer) => (layer.kind === 'leaky_relu' ? `leaky_relu:${layer.slope}` : layer.kind)).join(',');
}

import { tensor } from '../autograd/create.js';
import { Conv1d, Conv2d } from '../nn/conv.js';
import { Dropout } from '../nn/dropout.js';
import { Flatten } from '../nn/flatten.js';
import type { Layer } from '../nn/layer.js';
import { BatchNorm1d, BatchNorm2d, LayerNorm } from '../nn/normalization.js';
import { RNN } from '../nn/rnn.js';
import { AvgPool2d, MaxPool2d, Pool2d } from '../nn/pooling.js';
import type { DType } from '../tensor/dtype.js';
import { InteropError } from './named-array.js';

/*
 * The layers beyond the perceptron that travel to PyTorch and ONNX: convolutions, pooling,
 * flatten, dropout (the identity at inference) and the normalizations (evaluation mode, with the
 * running statistics). Parameters are kept as PyTorch keeps them (a convolution's weight is
 * [out channels, in channels / groups, kernel…]), flat, with their shape.
 */

type Pair = readonly [number, number];

/** Numbers in row-major order with their shape. */
export interface FlatArray {
  readonly shape: readonly number[];
  readonly data: readonly number[];
}

export type MoreLayer =
  | { readonly kind: 'conv2d'; readonly weight: FlatArray; readonly bias: number[] | null; readonly stride: Pair; readonly padding: Pair; readonly dilation: Pair; readonly groups: number; readonly observationShape: readonly number[] | null }
  | { readonly kind: 'conv1d'; readonly weight: FlatArray; readonly bias: number[] | null; readonly stride: number; readonly padding: number; readonly dilation: number; readonly groups: number; readonly observationShape: readonly number[] | null }
  | { readonly kind: 'maxpool2d' | 'avgpool2d'; readonly kernel: Pair; readonly stride: Pair; readonly padding: Pair; readonly observationShape: readonly number[] | null }
  | { readonly kind: 'flatten' }
  | { readonly kind: 'dropout'; readonly p: number }
  | { readonly kind: 'layernorm'; readonly features: number; readonly weight: number[]; readonly bias: number[]; readonly eps: number }
  | { readonly kind: 'rnn'; readonly weightIh: FlatArray; readonly weightHh: FlatArray; readonly biasIh: number[] | null; readonly biasHh: number[] | null; readonly h0: number[]; readonly last: boolean; readonly steps: boolean; readonly relu: boolean }
  | { readonly kind: 'batchnorm1d' | 'batchnorm2d'; readonly features: number; readonly weight: number[]; readonly bias: number[]; readonly runningMean: number[]; readonly runningVar: number[]; readonly eps: number; readonly momentum: number; readonly batchesTracked: number };

export type MoreLayerKind = MoreLayer['kind'];

const flat = (data: ArrayLike<number>, shape: readonly number[]): FlatArray => ({ shape: [...shape], data: Array.from(data) });
const pair = (values: readonly number[]): Pair => [values[0]!, values[1]!];

/**
 * A layer of the set above, or null when the layer is not one of them. Rows read as images
 * (`observationShape`) are kept on the first layer, where the exported model takes the images
 * themselves; on a later layer that already receives images (after a convolution or pooling) the
 * shape does nothing and is dropped; elsewhere the export is refused.
 */
export function portableMoreLayer(layer: Layer, where: string, first: boolean, imagesIn: boolean): MoreLayer | null {
  const observations = (shape: readonly number[] | undefined): readonly number[] | null => {
    if (shape === undefined || (!first && imagesIn)) return null;
    if (!first) throw new InteropError(`${where} (${layer.kind}) reads rows as observations of shape [${shape.join(', ')}]; an export takes that shape only on the first layer (put the reshaping layer first)`);
    return [...shape];
  };
  if (layer instanceof Conv2d) {
    const { stride, padding, dilation, groups } = layer.attrs;
    return { kind: 'conv2d', weight: flat(layer.weight.data, layer.weight.shape), bias: layer.bias === null ? null : Array.from(layer.bias.data), stride: pair(stride), padding: pair(padding), dilation: pair(dilation), groups, observationShape: observations(layer.observationShape) };
  }
  if (layer instanceof Conv1d) {
    const { stride, padding, dilation, groups } = layer.attrs;
    return { kind: 'conv1d', weight: flat(layer.weight.data, layer.weight.shape), bias: layer.bias === null ? null : Array.from(layer.bias.data), stride: stride[1], padding: padding[1], dilation: dilation[1], groups, observationShape: observations(layer.observationShape) };
  }
  if (layer instanceof Pool2d) {
    const { kernel, stride, padding } = layer.window;
    return { kind: layer.kind, kernel: pair(kernel), stride: pair(stride), padding: pair(padding), observationShape: observations(layer.observationShape) };
  }
  if (layer instanceof RNN) {
    const vector = (bias: { data: ArrayLike<number> } | null) => (bias === null ? null : Array.from(bias.data));
    return { kind: 'rnn', weightIh: flat(layer.weightIh.data, layer.weightIh.shape), weightHh: flat(layer.weightHh.data, layer.weightHh.shape), biasIh: vector(layer.biasIh), biasHh: vector(layer.biasHh), h0: Array.from(layer.h0.data), last: layer.returns === 'last', steps: layer.returns === 'steps', relu: layer.nonlinearity === 'relu' };
  }
  if (layer instanceof Flatten) return { kind: 'flatten' };
  if (layer instanceof Dropout) return { kind: 'dropout', p: layer.p };
  if (layer instanceof LayerNorm) return { kind: 'layernorm', features: layer.features, weight: Array.from(layer.weight.data), bias: Array.from(layer.bias.data), eps: layer.eps };
  if (layer instanceof BatchNorm1d) {
    return {
      kind: layer instanceof BatchNorm2d ? 'batchnorm2d' : 'batchnorm1d', features: layer.features, weight: Array.from(layer.weight.data), bias: Array.from(layer.bias.data),
      runningMean: Array.from(layer.runningMean.data), runningVar: Array.from(layer.runningVar.data), eps: layer.eps, momentum: layer.momentum, batchesTracked: layer.batchesTracked,
    };
  }
  return null;
}

/** The mashagrad layer a portable one describes (in evaluation mode where that matters). */
export function moreLayerOf(layer: MoreLayer, dtype: DType): Layer {
  const vector = (values: readonly number[]) => tensor(Float64Array.from(values), { dtype, shape: [values.length] });
  const array = (values: FlatArray) => tensor(Float64Array.from(values.data), { dtype, shape: values.shape });
  const observationShape = layer.kind !== 'flatten' && layer.kind !== 'dropout' && 'observationShape' in layer && layer.observationShape !== null ? { observationShape: layer.observationShape } : {};
  switch (layer.kind) {
    case 'conv2d': return new Conv2d(array(layer.weight), layer.bias === null ? null : vector(layer.bias), { stride: layer.stride, padding: layer.padding, dilation: layer.dilation, groups: layer.groups, ...observationShape });
    case 'conv1d': return new Conv1d(array(layer.weight), layer.bias === null ? null : vector(layer.bias), { stride: layer.stride, padding: layer.padding, dilation: layer.dilation, groups: layer.groups, ...observationShape });
    case 'maxpool2d': return new MaxPool2d({ kernel: layer.kernel, stride: layer.stride, padding: layer.padding, ...observationShape });
    case 'avgpool2d': return new AvgPool2d({ kernel: layer.kernel, stride: layer.stride, padding: layer.padding, ...observationShape });
    case 'rnn': return new RNN(
      { weightIh: array(layer.weightIh), weightHh: array(layer.weightHh), biasIh: layer.biasIh === null ? null : vector(layer.biasIh), biasHh: layer.biasHh === null ? null : vector(layer.biasHh) },
      { h0: vector(layer.h0), output: layer.last ? 'last' : layer.steps ? 'steps' : 'all', nonlinearity: layer.relu ? 'relu' : 'tanh' },
    );
    case 'flatten': return new Flatten();
    case 'dropout': return new Dropout(layer.p);
    case 'layernorm': return new LayerNorm(layer.features, { weight: vector(layer.weight), bias: vector(layer.bias), eps: layer.eps });
    case 'batchnorm1d': case 'batchnorm2d': {
      const norm = new (layer.kind === 'batchnorm2d' ? BatchNorm2d : BatchNorm1d)(layer.features, { weight: vector(layer.weight), bias: vector(layer.bias), runningMean: vector(layer.runningMean), runningVar: vector(layer.runningVar), eps: layer.eps, momentum: layer.momentum });
      norm.batchesTracked = layer.batchesTracked;
      return norm;
    }
  }
}

import type { MoreLayer } from './more-layers.js';
import { ATTRIBUTE_TYPE, type AttributeMessage, type NodeMessage } from './onnx-messages.js';

/*
 * The ONNX nodes of the layers beyond the perceptron, as torch.onnx.export writes them for a
 * model in evaluation mode: Conv, MaxPool, AveragePool, Flatten, LayerNormalization (opset 17),
 * BatchNormalization with the running statistics; dropout is the identity at inference.
 */

/** LayerNormalization is an ONNX operator from opset 17; a model with layernorm is written in it. */
export const LAYERNORM_OPSET = 17;

const ints = (name: string, values: readonly number[]): AttributeMessage => ({ name, type: ATTRIBUTE_TYPE.INTS, ints: [...values] });
const int = (name: string, value: number): AttributeMessage => ({ name, type: ATTRIBUTE_TYPE.INT, i: value });
const float = (name: string, value: number): AttributeMessage => ({ name, type: ATTRIBUTE_TYPE.FLOAT, f: value });
/** ONNX pads are all begins, then all ends: [top, left, bottom, right]; PyTorch pads both sides alike. */
const pads = (padding: readonly number[]): AttributeMessage => ints('pads', [...padding, ...padding]);

/** The node of the layer whose state-dict prefix is `index` ("3", "1.body.0"), reading `input` and writing `output`; parameters are the initializers INDEX.weight, … */
export function moreLayerNode(layer: Exclude<MoreLayer, { kind: 'rnn' }>, index: string, input: string, output: string): NodeMessage {
  const node = (opType: string, inputs: string[], attribute: AttributeMessage[]): NodeMessage => ({ name: `/${index}/${opType}`, opType, input: inputs, output: [output], attribute });
  const withBias = (hasBias: boolean) => [input, `${index}.weight`, ...(hasBias ? [`${index}.bias`] : [])];
  switch (layer.kind) {
    case 'conv2d':
      return node('Conv', withBias(layer.bias !== null), [
        ints('kernel_shape', layer.weight.shape.slice(2)), ints('strides', layer.stride), pads(layer.padding), ints('dilations', layer.dilation), int('group', layer.groups),
      ]);
    case 'conv1d':
      return node('Conv', withBias(layer.bias !== null), [
        ints('kernel_shape', layer.weight.shape.slice(2)), ints('strides', [layer.stride]), pads([layer.padding]), ints('dilations', [layer.dilation]), int('group', layer.groups),
      ]);
    case 'maxpool2d':
      return node('MaxPool', [input], [ints('kernel_shape', layer.kernel), ints('strides', layer.stride), pads(layer.padding)]);
    case 'avgpool2d':
      // count_include_pad = 1: the padding's zeros count in the mean, as in mashagrad and PyTorch's default.
      return node('AveragePool', [input], [ints('kernel_shape', layer.kernel), ints('strides', layer.stride), pads(layer.padding), int('count_include_pad', 1)]);
    case 'flatten':
      return node('Flatten', [input], [int('axis', 1)]);
    case 'dropout':
      return node('Identity', [input], []);
    case 'layernorm':
      return node('LayerNormalization', [input, `${index}.weight`, `${index}.bias`], [int('axis', -1), float('epsilon', layer.eps)]);
    case 'batchnorm1d': case 'batchnorm2d':
      return node('BatchNormalization', [input, `${index}.weight`, `${index}.bias`, `${index}.running_mean`, `${index}.running_var`], [float('epsilon', layer.eps), float('momentum', 1 - layer.momentum)]);
  }
}

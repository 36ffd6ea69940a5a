import { tensor, zeros } from '../autograd/create.js';
import type { Tensor } from '../autograd/tensor.js';
import { Conv1d, Conv2d } from '../nn/conv.js';
import { Flatten } from '../nn/flatten.js';
import { initialise } from '../nn/init.js';
import type { Layer } from '../nn/layer.js';
import { AvgPool2d, MaxPool2d, Pool2d } from '../nn/pooling.js';
import type { DType } from '../tensor/dtype.js';
import type { ConvPlan, SpatialPlan } from './conv-layers.js';

/**
 * A convolution's weights [Cout, Cin/groups, kH, kW] (conv1d: [Cout, Cin/groups, k]): the file's,
 * or initialised. He (Kaiming) by default, as suits the ReLU networks convolutions sit in, with
 * fan-in (Cin/groups)·kH·kW; biases start at 0 (docs/layers.md).
 */
function convWeights(plan: ConvPlan, dtype: DType): { weight: Tensor; bias: Tensor | null } {
  const perGroup = plan.inChannels / plan.groups;
  const shape = plan.kind === 'conv1d' ? [plan.outChannels, perGroup, plan.kernel[1]] : [plan.outChannels, perGroup, plan.kernel[0], plan.kernel[1]];
  const taps = plan.kernel[0] * plan.kernel[1];
  const fanIn = perGroup * taps;
  const fanOut = (plan.outChannels / plan.groups) * taps;
  const kind = plan.init.init ?? 'he';
  const weight = plan.weights !== null
    ? tensor(Float64Array.from(plan.weights), { shape, dtype })
    : initialise(shape, { init: kind, value: plan.init.value, seed: plan.init.seed }, fanIn, fanOut, dtype);
  let bias: Tensor | null = null;
  if (Array.isArray(plan.bias)) bias = tensor(plan.bias, { dtype });
  else if (plan.bias !== null) {
    bias = kind === 'xavier' || kind === 'he'
      ? zeros([plan.outChannels], dtype)
      : initialise([plan.outChannels], { init: kind, value: plan.init.value, seed: (plan.init.seed ?? 0) + 1 }, fanIn, fanOut, dtype);
  }
  return { weight, bias };
}

/** The layer a spatial plan describes; a layer reading rows of numbers gets one observation's shape to read them as. */
export function spatialLayerFrom(plan: SpatialPlan, dtype: DType): Layer {
  switch (plan.kind) {
    case 'conv2d': {
      const { weight, bias } = convWeights(plan, dtype);
      return new Conv2d(weight, bias, { stride: plan.stride, padding: plan.padding, dilation: plan.dilation, groups: plan.groups, observationShape: plan.inputShape });
    }
    case 'conv1d': {
      const { weight, bias } = convWeights(plan, dtype);
      return new Conv1d(weight, bias, { stride: plan.stride[1], padding: plan.padding[1], dilation: plan.dilation[1], groups: plan.groups, observationShape: plan.inputShape });
    }
    case 'maxpool2d': return new MaxPool2d({ kernel: plan.kernel, stride: plan.stride, padding: plan.padding, observationShape: plan.inputShape });
    case 'avgpool2d': return new AvgPool2d({ kernel: plan.kernel, stride: plan.stride, padding: plan.padding, observationShape: plan.inputShape });
    case 'flatten': return new Flatten();
  }
}

/** Numbers as nested lists of `shape`, each as short as reads back the same (9 digits for float32, 17 for float64). */
function nestedOf(data: ArrayLike<number>, shape: readonly number[], digits: number, offset = 0): unknown {
  const [extent = 0, ...rest] = shape;
  const stride = rest.reduce((product, n) => product * n, 1);
  return Array.from({ length: extent }, (_, i) =>
    rest.length === 0 ? Number(data[offset + i]!.toPrecision(digits)) : nestedOf(data, rest, digits, offset + i * stride));
}

/** A spatial layer in the problem-file syntax (a saved model), or null for any other layer. */
export function savedSpatialLayer(layer: Layer, dtype: DType): unknown {
  const digits = dtype === 'float32' ? 9 : 17;
  if (layer instanceof Conv2d || layer instanceof Conv1d) {
    const oneD = layer instanceof Conv1d;
    const { stride, padding, dilation, groups } = layer.attrs;
    const pick = (pair: readonly [number, number]) => (oneD ? pair[1] : [...pair]);
    const shape = layer.observationShape;
    return {
      [layer.kind]: {
        weights: nestedOf(layer.weight.data, layer.weight.shape, digits),
        bias: layer.bias === null ? false : nestedOf(layer.bias.data, layer.bias.shape, digits),
        stride: pick(stride), padding: pick(padding), dilation: pick(dilation), groups,
        ...(shape === undefined ? {} : oneD ? { in: shape[0], length: shape[1] } : { in: shape[0], image: shape.slice(1) }),
      },
    };
  }
  if (layer instanceof Pool2d) {
    const { kernel, stride, padding } = layer.window;
    return { [layer.kind]: { kernel: [...kernel], stride: [...stride], padding: [...padding] } };
  }
  return layer instanceof Flatten ? 'flatten' : null;
}

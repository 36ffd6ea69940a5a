import { tensor, zeros } from '../autograd/create.js';
import type { Tensor } from '../autograd/tensor.js';
import type { DType } from '../tensor/dtype.js';
import { LeakyReLU, ReLU, Sigmoid, Softmax, Tanh } from '../nn/activations.js';
import { initialise } from '../nn/init.js';
import type { Layer } from '../nn/layer.js';
import { Linear } from '../nn/linear.js';
import { Sequential } from '../nn/sequential.js';
import { layerSeed } from '../train/layer-seed.js';
import { buildMoreLayer, isRecurrentPlan } from './more-layers.js';
import type { LayerPlan, LinearPlan } from './plan.js';
import { spatialLayerFrom } from './build-conv.js';

function linearFrom(plan: LinearPlan, dtype: DType): Linear {
  const { inputs, outputs, init } = plan;
  const weight = Array.isArray(plan.weights)
    ? tensor(plan.weights, { dtype })
    : initialise([inputs, outputs], { init: init.init ?? 'xavier', value: init.value, seed: init.seed }, inputs, outputs, dtype);
  let bias: Tensor | null = null;
  if (Array.isArray(plan.bias)) bias = tensor(plan.bias, { dtype });
  else if (plan.bias !== null && typeof plan.bias === 'object') {
    // bias: true uses the layer's init where it is a plain fill; Xavier/He biases start at 0.
    const kind = init.init;
    bias = kind === undefined || kind === 'xavier' || kind === 'he'
      ? zeros([outputs], dtype)
      : initialise([outputs], { init: kind, value: init.value, seed: (init.seed ?? 0) + 1 }, inputs, outputs, dtype);
  }
  return new Linear(weight, bias);
}

/** The model a problem file describes, with its numbers (float64 unless asked: exact answers). */
export function buildModel(plans: readonly LayerPlan[], dtype: DType = 'float64'): Sequential {
  return new Sequential(buildLayers(plans, dtype));
}

function buildLayers(plans: readonly LayerPlan[], dtype: DType): Layer[] {
  return plans.map((plan) => {
    switch (plan.kind) {
      case 'linear': return linearFrom(plan, dtype);
      case 'relu': return new ReLU();
      case 'sigmoid': return new Sigmoid();
      case 'tanh': return new Tanh();
      case 'softmax': return new Softmax();
      case 'leaky_relu': return new LeakyReLU(plan.slope);
      case 'conv2d': case 'conv1d': case 'maxpool2d': case 'avgpool2d': case 'flatten': return spatialLayerFrom(plan, dtype);
      default: return buildMoreLayer(plan, dtype, (body) => buildLayers(body, dtype));
    }
  });
}

/** Linear layers without a seed of their own get one from the run's seed (layerSeed), each a different one. */
export function seedLayers(layers: readonly LayerPlan[], seed: number): LayerPlan[] {
  return layers.map((layer, index) => {
    if ((layer.kind === 'linear' || layer.kind === 'conv2d' || layer.kind === 'conv1d') && layer.init.seed === undefined) return { ...layer, init: { ...layer.init, seed: layerSeed(seed, index) } };
    // Dropout's masks and an RNN's initial weights come from the run's seed too.
    if ((layer.kind === 'dropout' || isRecurrentPlan(layer)) && layer.seed === undefined) return { ...layer, seed: layerSeed(seed, index) };
    if (layer.kind === 'residual') return { ...layer, body: seedLayers(layer.body, layerSeed(seed, index)) };
    return layer;
  });
}

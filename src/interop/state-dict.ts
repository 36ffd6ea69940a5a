import type { DType } from '../tensor/dtype.js';
import type { ActivationKind, PortableLayer } from './layers.js';
import { EXPORT_ONLY_KINDS, layerList } from './layers.js';
import { InteropError, matrixRows, transposed, type NumericArray, type StateArray } from './named-array.js';

/*
 * PyTorch's state dict of nn.Sequential: `INDEX.weight` of a Linear is [outputs, inputs] (the
 * transpose of the sheet's W) and `INDEX.bias` is [outputs]; activations have no entry, so the
 * indices skip them. mashagrad keeps the layer list in the file's metadata, under this key.
 */
export const LAYERS_METADATA_KEY = 'mashagrad.layers';

const ACTIVATIONS: readonly string[] = ['relu', 'sigmoid', 'tanh', 'softmax'];

/**
 * The state dict PyTorch's nn.Sequential of the same layers has, in `dtype`: also a convolution's
 * weight [out, in / groups, kernel…] and bias, a norm's weight (γ) and bias (β), and batch norm's
 * running_mean, running_var and num_batches_tracked (int64), so strict loading finds every key.
 */
export function stateDictOf(layers: readonly PortableLayer[], dtype: DType): Map<string, StateArray> {
  const arrays = new Map<string, StateArray>();
  const make = (values: readonly number[], shape: readonly number[]): NumericArray => ({ dtype, shape, data: dtype === 'float32' ? Float32Array.from(values) : Float64Array.from(values) });
  // prefix: "INDEX" at the top, "INDEX.body.J" inside a residual block (its nn.Sequential is `body`).
  const add = (layer: PortableLayer, prefix: string): void => {
    switch (layer.kind) {
      case 'linear': {
        const [inputs, outputs] = [layer.weights.length, layer.weights[0]?.length ?? 0];
        arrays.set(`${prefix}.weight`, transposed(make(layer.weights.flat(), [inputs, outputs])));
        if (layer.bias !== null) arrays.set(`${prefix}.bias`, make(layer.bias, [outputs]));
        return;
      }
      case 'conv2d': case 'conv1d':
        arrays.set(`${prefix}.weight`, make(layer.weight.data, layer.weight.shape));
        if (layer.bias !== null) arrays.set(`${prefix}.bias`, make(layer.bias, [layer.bias.length]));
        return;
      case 'layernorm':
        arrays.set(`${prefix}.weight`, make(layer.weight, [layer.features]));
        arrays.set(`${prefix}.bias`, make(layer.bias, [layer.features]));
        return;
      case 'batchnorm1d': case 'batchnorm2d':
        arrays.set(`${prefix}.weight`, make(layer.weight, [layer.features]));
        arrays.set(`${prefix}.bias`, make(layer.bias, [layer.features]));
        arrays.set(`${prefix}.running_mean`, make(layer.runningMean, [layer.features]));
        arrays.set(`${prefix}.running_var`, make(layer.runningVar, [layer.features]));
        arrays.set(`${prefix}.num_batches_tracked`, { dtype: 'int64', shape: [], data: [layer.batchesTracked] });
        return;
      case 'rnn': {
        // nn.RNN has both biases or neither: a missing one is zeros.
        const hidden = layer.h0.length;
        arrays.set(`${prefix}.weight_ih_l0`, make(layer.weightIh.data, layer.weightIh.shape));
        arrays.set(`${prefix}.weight_hh_l0`, make(layer.weightHh.data, layer.weightHh.shape));
        if (layer.biasIh !== null || layer.biasHh !== null) {
          arrays.set(`${prefix}.bias_ih_l0`, make(layer.biasIh ?? new Array<number>(hidden).fill(0), [hidden]));
          arrays.set(`${prefix}.bias_hh_l0`, make(layer.biasHh ?? new Array<number>(hidden).fill(0), [hidden]));
        }
        arrays.set(`${prefix}.h0`, make(layer.h0, [hidden]));
        return;
      }
      case 'residual':
        layer.body.forEach((inner, index) => add(inner, `${prefix}.body.${index}`));
        return;
      default: return; // activations, pooling, flatten, dropout: no parameters
    }
  };
  layers.forEach((layer, index) => add(layer, String(index)));
  return arrays;
}

export function stateDictMetadata(layers: readonly PortableLayer[]): Map<string, string> {
  // "format: pt" is what safetensors.torch.save_file writes; transformers checks it.
  return new Map([['format', 'pt'], [LAYERS_METADATA_KEY, layerList(layers)]]);
}

export interface StateDictOptions {
  /** The activation between linear layers when the file does not say (a PyTorch-saved file never does). Default relu. */
  readonly activation?: ActivationKind;
  /** The layer list to use (linear,relu,…), e.g. from the file's metadata. */
  readonly layers?: string;
}

function parseActivation(entry: string, source: string): PortableLayer {
  if (EXPORT_ONLY_KINDS.includes(entry)) throw new InteropError(`${source}: layer '${entry}' is one mashagrad exports but does not read back yet; it reads linear layers and activations`);
  if (ACTIVATIONS.includes(entry)) return { kind: entry as 'relu' };
  const leaky = /^leaky_relu(?::(.+))?$/.exec(entry);
  const slope = leaky === null ? NaN : leaky[1] === undefined ? 0.01 : Number(leaky[1]);
  if (!(slope > 0 && slope < 1)) throw new InteropError(`${source}: layer '${entry}' is not one of linear, ${ACTIVATIONS.join(', ')}, leaky_relu[:slope]`);
  return { kind: 'leaky_relu', slope };
}

/**
 * The layers of nn.Sequential from its state dict. A common prefix (`net.0.weight`) is allowed;
 * the layer list comes from `options.layers` (or the metadata), otherwise each gap between
 * linear layers is `options.activation`.
 */
export function layersFromStateDict(arrays: ReadonlyMap<string, NumericArray>, source: string, options: StateDictOptions = {}): PortableLayer[] {
  const listed = options.layers?.split(',').map((entry) => entry.trim());
  const unread = listed?.find((entry) => EXPORT_ONLY_KINDS.includes(entry));
  if (unread !== undefined) throw new InteropError(`${source}: layer '${unread}' is one mashagrad exports but does not read back yet; it reads linear layers and activations`);
  const byIndex = new Map<number, { weight?: NumericArray; bias?: NumericArray }>();
  const prefixes = new Set<string>();
  for (const [name, array] of arrays) {
    const match = /^(.*?)(\d+)\.(weight|bias)$/.exec(name);
    if (match === null) throw new InteropError(`${source}: '${name}' is not a parameter of nn.Sequential of linear layers (INDEX.weight, INDEX.bias)`);
    prefixes.add(match[1]!);
    const index = Number(match[2]);
    const entry = byIndex.get(index) ?? {};
    entry[match[3] as 'weight' | 'bias'] = array;
    byIndex.set(index, entry);
  }
  if (prefixes.size > 1) throw new InteropError(`${source}: parameters of more than one module (${[...prefixes].map((prefix) => `'${prefix}'`).join(', ')}); save the state dict of the nn.Sequential alone`);
  if (byIndex.size === 0) throw new InteropError(`${source}: holds no parameters`);
  const count = listed?.length ?? Math.max(...byIndex.keys()) + 1;
  const layers: PortableLayer[] = [];
  let width: number | null = null;
  for (let index = 0; index < count; index++) {
    const entry = byIndex.get(index);
    const named = listed?.[index];
    if (entry === undefined) {
      if (named === 'linear') throw new InteropError(`${source}: layer ${index} is listed as linear, but the file has no ${index}.weight`);
      layers.push(parseActivation(named ?? options.activation ?? 'relu', source));
      continue;
    }
    if (named !== undefined && named !== 'linear') throw new InteropError(`${source}: layer ${index} is listed as ${named}, but the file has parameters for it`);
    if (entry.weight === undefined) throw new InteropError(`${source}: ${index}.bias without ${index}.weight`);
    // [outputs, inputs] in PyTorch; the sheet's W is [inputs, outputs].
    const weights = matrixRows(transposed(checkMatrix(entry.weight, `${index}.weight`, source)), `${source}: ${index}.weight`);
    const [inputs, outputs] = [weights.length, weights[0]?.length ?? 0];
    if (width !== null && inputs !== width) throw new InteropError(`${source}: ${index}.weight takes ${inputs} inputs, but the layer before gives ${width}`);
    width = outputs;
    let bias: number[] | null = null;
    if (entry.bias !== undefined) {
      if (entry.bias.shape.length !== 1 || entry.bias.shape[0] !== outputs) throw new InteropError(`${source}: ${index}.bias has shape [${entry.bias.shape.join(', ')}], expected [${outputs}]`);
      bias = Array.from(entry.bias.data);
    }
    layers.push({ kind: 'linear', weights, bias });
  }
  for (const index of byIndex.keys()) if (index >= count) throw new InteropError(`${source}: parameters of layer ${index}, but the layer list has ${count} layers`);
  return layers;
}

function checkMatrix(array: NumericArray, name: string, source: string): NumericArray {
  if (array.shape.length !== 2) throw new InteropError(`${source}: ${name} has shape [${array.shape.join(', ')}]; a linear layer's weight is a matrix [outputs, inputs]`);
  return array;
}

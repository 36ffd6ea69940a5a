import { tensor } from '../autograd/create.js';
import type { Tensor } from '../autograd/tensor.js';
import { buildModel } from '../files/build-model.js';
import type { LayerProblem } from '../files/plan.js';
import type { LayerTrace, Values } from '../trace/types.js';
import { layerFormulas } from './layer-formulas.js';
import { formulaTexts, workedLayer } from './network.js';

/**
 * One layer asked about on its own, as exercise 4 asks: the forward pass for the given input and
 * the backward pass for the given gradient arriving from above. The layer is built from the whole
 * network, so its names and number are the sheet's (O₁, W₂, the third layer); its formulas and
 * numbers come from the same recorders as a network's (layerFormulas, workedLayer).
 */
export function solveLayer(problem: LayerProblem): LayerTrace {
  const model = buildModel(problem.layers);
  const layer = model.layers[problem.layer]!;
  const output = layer.forward(tensor(problem.x));
  const gradOutput = tensor(problem.gradient);
  const gradInput = layer.backward(gradOutput);
  // What the forward pass read and named (a drawn mask, μ and σ², hₜ), before the formulas are written on symbols.
  const buffers = new Map(layer.namedBuffers().map(([name, buffer]) => [name, buffer.detach()] as const));
  const named = new Map(layer.named.map(([key, value]) => [key, (value as Tensor).detach()] as const));
  const shapes: (readonly number[])[] = [];
  shapes[problem.layer] = layer.input!.shape;
  const formulas = layerFormulas(model, [], shapes)[problem.layer]!;
  const key = (name: string) => `${problem.layer}.${name}`;
  const params: Record<string, Values> = Object.fromEntries(layer.namedParameters().map(([name, parameter]) => [key(name), parameter.toArray()]));
  const grads: Record<string, Values> = Object.fromEntries(layer.namedParameters().map(([name, parameter]) => [key(name), parameter.grad!.toArray()]));
  const worked = workedLayer(formulas, layer.input!, output, gradOutput, gradInput, params, grads, () => [], params, new Map(), buffers, named);
  return {
    kind: 'layer',
    title: problem.title,
    ...(problem.titles === undefined ? {} : { titles: problem.titles }),
    layers: model.layers.length,
    formulas: formulaTexts(formulas),
    step: {
      index: problem.layer, kind: layer.kind,
      input: layer.input!.toArray(), output: output.toArray(), gradOutput: gradOutput.toArray(), gradInput: gradInput.toArray(),
      worked: { ...worked, updates: {} },
    },
    params,
    grads,
  };
}

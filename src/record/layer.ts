import { tensor } from '../autograd/create.js';
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
  const formulas = layerFormulas(model)[problem.layer]!;
  const layer = model.layers[problem.layer]!;
  const output = layer.forward(tensor(problem.x));
  const gradOutput = tensor(problem.gradient);
  const gradInput = layer.backward(gradOutput);
  const key = (name: string) => `${problem.layer}.${name}`;
  const params: Record<string, Values> = Object.fromEntries(layer.namedParameters().map(([name, parameter]) => [key(name), parameter.toArray()]));
  const grads: Record<string, Values> = Object.fromEntries(layer.namedParameters().map(([name, parameter]) => [key(name), parameter.grad!.toArray()]));
  const worked = workedLayer(formulas, layer.input!, output, gradOutput, gradInput, params, grads, () => []);
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

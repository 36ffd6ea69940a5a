import { updateRule } from '../optim/update-rule.js';
import type { OptimizerState } from '../optim/optimizer.js';
import type { LayerPlan } from './plan.js';
import type { Problem } from './problem-error.js';
import type { OptimizerStateSpec, TrainSpec } from './schema.js';

/** A parameter's shape by its name in the trace (0.weight, 0.bias), for the numeric linear layers. */
function parameterShapes(layers: readonly LayerPlan[]): Map<string, readonly number[]> {
  const shapes = new Map<string, readonly number[]>();
  layers.forEach((layer, index) => {
    if (layer.kind !== 'linear') return;
    shapes.set(`${index}.weight`, [layer.inputs, layer.outputs]);
    if (layer.bias !== null) shapes.set(`${index}.bias`, [layer.outputs]);
  });
  return shapes;
}

const shapeOf = (values: readonly (number | readonly number[])[]): number[] =>
  Array.isArray(values[0]) ? [values.length, (values[0] as readonly number[]).length] : [values.length];

/**
 * `train.state` checked against the model and the optimizer: every parameter it names exists,
 * each buffer is one the optimizer's rule keeps (Adam: m and v) and has the parameter's shape.
 */
export function checkOptimizerState(train: TrainSpec, layers: readonly LayerPlan[], problems: Problem[]): void {
  const state = train.state;
  if (state === undefined) return;
  const kept = updateRule(train.optimizer, (train.weight_decay ?? 0) !== 0).state;
  const shapes = parameterShapes(layers);
  const seen = new Set<string>();
  state.parameters.forEach((entry, i) => {
    const path = `train.state.parameters[${i}]`;
    const shape = shapes.get(entry.parameter);
    if (shape === undefined) {
      problems.push({ path: `${path}.parameter`, message: `"${entry.parameter}" is no parameter of the model: one of ${[...shapes.keys()].join(', ')}` });
      return;
    }
    if (seen.has(entry.parameter)) problems.push({ path: `${path}.parameter`, message: `"${entry.parameter}" is listed twice` });
    seen.add(entry.parameter);
    for (const name of ['m', 'v', 's'] as const) {
      const values = entry[name];
      if (values === undefined) continue;
      if (!kept.includes(name)) {
        problems.push({ path: `${path}.${name}`, message: `${train.optimizer} keeps ${kept.length === 0 ? 'no state' : kept.join(' and ')}, not ${name}` });
        continue;
      }
      const given = shapeOf(values);
      const ragged = Array.isArray(values[0]) && values.some((row) => !Array.isArray(row) || row.length !== given[1]);
      if (ragged || given.join('×') !== shape.join('×')) {
        problems.push({ path: `${path}.${name}`, message: `${ragged ? 'rows of different lengths' : given.join('×')}: ${entry.parameter} is ${shape.join('×')}` });
      }
    }
  });
}

/** The checked `train.state` as the optimizer loads it; `names` are the model's parameters in order. */
export function optimizerStateOf(spec: OptimizerStateSpec, names: readonly string[], kept: readonly string[]): OptimizerState {
  const byParameter = new Map(spec.parameters.map((entry) => [entry.parameter, entry]));
  const buffers = new Map(kept.map((name) => [name, names.map((parameter) => {
    const values = byParameter.get(parameter)?.[name as 'm' | 'v' | 's'];
    return values === undefined ? undefined : Float64Array.from((values as readonly (number | readonly number[])[]).flat());
  })] as const));
  return { steps: spec.steps, buffers };
}

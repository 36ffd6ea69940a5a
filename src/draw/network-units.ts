import { messageText, type Language } from '../messages/catalogue.js';
import type { NetworkTrace, TrainingStep, Values } from '../trace/types.js';
import { activationSymbol } from './flow-model.js';
import { columnOf, shapeOf, subscript } from './format.js';

/**
 * The neurons of a numeric network, derived from the layer shapes in its trace (a linear
 * layer's weights have shape [inputs, outputs]; an activation keeps the width before it) and
 * named after the trace's layer outputs: H₁ → h₁,₁ h₁,₂; ŷ → ŷ.
 */

export interface Unit {
  readonly id: string;
  readonly name: string;
  /** One number per observation of the step (empty without a step). */
  readonly values: readonly number[];
  /** ∂L/∂(unit) per observation (empty without a step). */
  readonly grads: readonly number[];
}

export interface UnitColumn {
  /** -1 for the inputs, otherwise the layer's position in the model. */
  readonly layer: number;
  readonly kind: string;
  /** The activation's function (σ, ReLU…) for the boxes; empty for inputs and linear layers. */
  readonly symbol: string;
  readonly units: readonly Unit[];
}

export function parameterShape(params: Readonly<Record<string, Values>>, name: string): number[] | undefined {
  const value = params[name];
  return value === undefined ? undefined : shapeOf(value);
}

/** H₁ → h₁ (one neuron) or h₁,₂ (the second of several); ŷ → ŷ or ŷ₂; X → x or x₂. */
export function unitName(matrixName: string, width: number, unit: number): string {
  const lower = matrixName.charAt(0).toLowerCase() + matrixName.slice(1);
  if (width === 1) return lower;
  return /[₀-₉]$/.test(lower) ? `${lower},${subscript(unit + 1)}` : `${lower}${subscript(unit + 1)}`;
}

/** The inputs and each layer's outputs as columns of units, with one step's numbers if given. */
export function unitColumns(trace: NetworkTrace, step?: TrainingStep, language: Language = 'en'): UnitColumn[] {
  const params = step?.paramsBefore ?? trace.initialParams;
  const firstLinear = trace.model.find((layer) => layer.kind === 'linear');
  const firstShape = firstLinear === undefined ? undefined : parameterShape(params, `${firstLinear.index}.weight`);
  let width = firstShape?.[0] ?? (step === undefined ? undefined : shapeOf(step.x)[1]) ?? 1;

  const column = (layer: number, kind: string, symbol: string, name: string, output?: Values, grad?: Values): UnitColumn => ({
    layer,
    kind,
    symbol,
    units: Array.from({ length: width }, (_, j) => ({
      id: layer < 0 ? `x${j}` : `l${layer}u${j}`,
      name: unitName(name, width, j),
      values: output === undefined ? [] : columnOf(output, j),
      grads: grad === undefined ? [] : columnOf(grad, j),
    })),
  });

  const columns: UnitColumn[] = [column(-1, 'input', '', trace.formulas[0]?.input.pretty ?? 'X', step?.x)];
  for (const layer of trace.model) {
    const formulas = trace.formulas.find((entry) => entry.index === layer.index);
    const recorded = step?.layers.find((entry) => entry.index === layer.index);
    if (layer.kind === 'linear') width = parameterShape(params, `${layer.index}.weight`)?.[1] ?? width;
    const symbol = layer.kind === 'linear' || formulas === undefined ? '' : activationSymbol(formulas.forward.pretty, formulas.input.pretty);
    columns.push(column(layer.index, layer.kind, symbol, formulas?.output.pretty ?? messageText(language, 'draw.network.layer', { layer: layer.index + 1 }), recorded?.output, recorded?.gradOutput));
  }
  return columns;
}

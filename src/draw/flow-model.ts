import { formatNumber } from '../formula/numbers.js';
import { prettyName } from '../formula/write.js';
import { messageText, type Language } from '../messages/catalogue.js';
import { wordFor } from './names.js';
import type { NetworkTrace, SymbolicTrace, TrainingStep, Values } from '../trace/types.js';

/**
 * The layer-level flow of a matrix network (the book's picture of backprop in matrix form):
 * X → H₁ → O₁ → ŷ → L with the forward formula on each forward arrow, the gradient passed
 * down on each backward arrow, and ∂L/∂W on the arrow back to each parameter. Every formula
 * is the trace's: a symbolic trace's algorithm lines, a numeric trace's layer formulas.
 */

export interface FlowValue {
  readonly id: string;
  /** X, H₁, O₁, ŷ */
  readonly name: string;
  readonly value?: Values;
  /** ∂L/∂(this value), the accumulated gradient arriving from above. */
  readonly grad?: Values;
}

export interface FlowParameter {
  readonly id: string;
  readonly name: string;
  /** ∂L/∂W in terms of the d arriving at the layer's output: Xᵀ·d. */
  readonly gradient: string;
  readonly value?: Values;
  readonly grad?: Values;
  readonly after?: Values;
}

export interface FlowStage {
  readonly input: string;
  readonly output: string;
  /** H₁ = X·W₂ */
  readonly forward: string;
  /** The gradient the layer passes down, in terms of the d arriving: d·W₂ᵀ, d ⊙ [H₁ > 0]. */
  readonly backward: string;
  readonly parameters: readonly FlowParameter[];
}

export interface FlowModel {
  readonly title: string;
  /** ŷ = ReLU(X·W₂)·W₁, when the trace has it. */
  readonly network?: string;
  readonly values: readonly FlowValue[];
  readonly stages: readonly FlowStage[];
  readonly loss: { readonly formula: string; readonly start: string; readonly value?: number; readonly target?: Values };
  readonly updates: readonly string[];
  readonly notes: readonly string[];
}

export function symbolicFlow(trace: SymbolicTrace, language: Language = 'en'): FlowModel {
  const values: FlowValue[] = [{ id: 'X', name: 'X' }, ...trace.forward.map((line) => ({ id: line.name.ascii, name: line.name.pretty }))];
  const stages = trace.forward.map((line, index): FlowStage => {
    const backward = trace.backward.find((step) => step.index === index);
    return {
      input: values[index]!.id,
      output: line.name.ascii,
      forward: `${line.name.pretty} = ${line.formula.pretty}`,
      backward: backward?.gradInput.pretty ?? '',
      parameters: Object.entries(backward?.grads ?? {}).map(([name, gradient]) => ({ id: `param ${name}`, name: prettyName(name), gradient: gradient.pretty })),
    };
  });
  return {
    title: trace.titles?.[language] ?? trace.title,
    network: `ŷ = ${trace.network.pretty}`,
    values,
    stages,
    loss: { formula: `${trace.lossLine.name.pretty} = ${trace.lossLine.formula.pretty}`, start: `${trace.start.name.pretty} = ${trace.start.formula.pretty}` },
    updates: [messageText(language, 'draw.flow.update', { updates: trace.updates.map((update) => `${update.name.pretty} ← ${update.formula.pretty}`).join(';   ') })],
    notes: [],
  };
}

/** The function an activation applies, from its forward formula: σ(H₂) → σ. */
export function activationSymbol(forward: string, input: string): string {
  const symbol = forward.replace(`(${input})`, '');
  return symbol === forward ? forward : symbol;
}

/** The same flow for a numeric network, with the trace's own layer formulas (H₁ = X·W₁, d·W₁ᵀ, Xᵀ·d). */
export function networkFlow(trace: NetworkTrace, step?: TrainingStep, language: Language = 'en'): FlowModel {
  const first = trace.formulas[0];
  const values: FlowValue[] = [{ id: 'X', name: first?.input.pretty ?? 'X', value: step?.x, grad: step?.layers[0]?.gradInput }];
  const stages: FlowStage[] = [];
  for (const layer of trace.formulas) {
    const recorded = step?.layers.find((entry) => entry.index === layer.index);
    const input = values[values.length - 1]!;
    const id = `value ${layer.index}`;
    values.push({ id, name: layer.output.pretty, value: recorded?.output, grad: recorded?.gradOutput });
    stages.push({
      input: input.id,
      output: id,
      forward: `${layer.output.pretty} = ${layer.forward.pretty}`,
      backward: layer.gradInput.pretty,
      parameters: Object.entries(layer.parameters).map(([key, symbol]) => ({
        id: `param ${key}`,
        name: symbol.pretty,
        gradient: layer.grads[key]?.pretty ?? '',
        value: (step?.paramsBefore ?? trace.initialParams)[key],
        grad: step?.grads[key],
        after: step?.params[key],
      })),
    });
  }
  const notes: string[] = [];
  const fused = step?.fused ?? trace.steps.find((entry) => entry.fused !== undefined)?.fused;
  const fusedLayer = trace.formulas.find((layer) => layer.index === fused?.activation);
  if (fused !== undefined && fusedLayer !== undefined) {
    const product = fused.product.formula.pretty;
    const input = fusedLayer.input.pretty;
    notes.push(messageText(language, 'draw.flow.fused', { activation: activationSymbol(fusedLayer.forward.pretty, input), loss: wordFor(language, 'loss', trace.loss), input, derivative: `∂L/∂${input} = ${product}` }));
  }
  return {
    title: trace.titles?.[language] ?? trace.title,
    network: `ŷ = ${trace.network.pretty}`,
    values,
    stages,
    loss: { formula: `L = ${trace.lossFormula.pretty}`, start: `d = ${trace.lossGradient.pretty}`, value: step?.loss, target: step?.y },
    updates: [messageText(language, 'draw.flow.updateRule', { optimizer: wordFor(language, 'optimizer', trace.optimizer.name), lr: formatNumber(trace.optimizer.lr), rule: trace.optimizer.rule.pretty })],
    notes,
  };
}

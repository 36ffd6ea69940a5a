import {
  entryOf, lossLines, networkHeader, parameterLines, stepOf, unitColumns, unitLines, type Line,
} from '../../src/draw/index.js';
import type { NetworkTrace, Values } from '../../src/index.js';
import type { Language } from './i18n.js';
import type { PictureLayer, PictureNumbers } from './network-picture.js';

/** A network problem's step as the network picture draws it: the layers' weights before the step, and the numbers to write on it. */
export interface NetworkNumbers {
  readonly layers: PictureLayer[];
  readonly inputLabels: string[];
  readonly numbers: PictureNumbers;
  /** The lines above the picture: title, the step and its data, what the weights' numbers mean. */
  readonly header: readonly Line[];
}

/**
 * The numbers the Graphviz network diagram writes (src/draw/network-diagram.ts), from the same
 * functions, for the page's own network picture: each neuron's value and ∂L/∂(neuron) with the
 * activations after its layer (σ: its output and gradient) and its bias's numbers under it;
 * each weight's value before the step, ∂L/∂w and the value after; the loss. `stepNumber`
 * undefined: the starting weights only.
 */
export function networkNumbers(trace: NetworkTrace, stepNumber: number | undefined, language: Language): NetworkNumbers {
  const step = stepNumber === undefined ? undefined : stepOf(trace, stepNumber);
  const params = step?.paramsBefore ?? trace.initialParams;
  const columns = unitColumns(trace, step, language);
  const units: Line[][][] = [];
  const weights: Line[][][] = [];
  const biases: Line[][] = [];
  const layers: PictureLayer[] = [];
  for (const column of columns) {
    if (column.kind === 'input' || column.kind === 'linear') {
      units.push(column.units.map((unit) => [...unitLines(unit, {})]));
    } else {
      // An activation (or softmax) keeps its layer's neurons: its lines go under them.
      const last = units[units.length - 1];
      column.units.forEach((unit, j) => last?.[j]?.push(...unitLines(unit, {}, column.symbol)));
      continue;
    }
    if (column.kind !== 'linear') continue;
    const weightName = `${column.layer}.weight`;
    const biasName = `${column.layer}.bias`;
    const weight = params[weightName];
    const inputs = weight === undefined ? 0 : rowsOf(weight);
    const outputs = column.units.length;
    const values: number[] = [];
    const labels: Line[][] = [];
    for (let i = 0; i < inputs; i++) {
      for (let j = 0; j < outputs; j++) {
        values.push(entryOf(weight!, i, j));
        labels.push(parameterLines(trace, step, weightName, i, j, {}));
      }
    }
    const bias = params[biasName];
    const symbol = trace.formulas.find((entry) => entry.index === column.layer)?.parameters[biasName]?.pretty ?? 'b';
    layers.push({ inputs, outputs, weight: values, bias: bias === undefined ? [] : Array.from({ length: outputs }, (_, j) => entryOf(bias, j)) });
    weights.push(labels);
    // The bias on one line under its neuron: b₁ = before, ∂L/∂b (red), → after (green).
    biases.push(column.units.map((_, j) => (bias === undefined ? [] : oneLine(`${symbol}: `, parameterLines(trace, step, biasName, j, 0, {})))));
  }
  return {
    layers,
    inputLabels: columns[0]?.units.map((unit) => unit.name) ?? [],
    numbers: { units, weights, biases, loss: lossLines(trace, step, language) },
    header: networkHeader(trace, step, language),
  };
}

const rowsOf = (values: Values): number => (Array.isArray(values) ? values.length : 1);

function oneLine(head: string, lines: readonly Line[]): Line {
  const spans = lines.flatMap((line, k) => {
    const parts = typeof line === 'string' ? [{ text: line }] : line;
    return k === 0 ? parts : [{ text: '  ' }, ...parts];
  });
  return [{ text: head }, ...spans];
}

import { InputError } from '../errors.js';
import type { NumberStyle } from '../formula/numbers.js';
import { fillMessage, messageText, type Language } from '../messages/catalogue.js';
import type { NetworkTrace, TrainingStep } from '../trace/types.js';
import { DotWriter, htmlLabel, type Line } from './dot.js';
import { entryOf, inline, number } from './format.js';
import { unitColumns, type Unit } from './network-units.js';
import { fittedNode } from './metrics.js';
import type { DotPicture } from './picture.js';
import { wordFor } from './names.js';
import { applyTheme, colors, sizes } from './theme.js';

export interface NetworkDiagramOptions {
  /** 1-based step: fill the neurons with that step's values and gradients, the edges with its weights. */
  readonly step?: number;
  readonly numbers?: NumberStyle;
  /** The language of the header (default English). */
  readonly language?: Language;
}

/** More neurons than this are not drawn one by one (use the layer-level flow instead). */
export const MAX_DRAWN_UNITS = 64;

/** The weight after the update. */
export const updated = '#1e7b34';

/** The step with this 1-based number, or an InputError that says which steps there are. */
export function stepOf(trace: NetworkTrace, step: number): TrainingStep {
  const found = trace.steps.find((entry) => entry.step === step);
  if (found === undefined) {
    const range = trace.steps.length === 0 ? 'the run has no steps' : `steps are numbered 1 to ${trace.steps.length}`;
    throw new InputError(`step ${step} does not exist (${range})`);
  }
  return found;
}

/** The values of a unit over the step's observations: one number, or a tuple for a batch. */
function numbers(values: readonly number[], style: NumberStyle): string {
  return values.length === 1 ? number(values[0]!, style) : `(${values.map((value) => number(value, style)).join(', ')})`;
}

export function unitLines(unit: Unit, style: NumberStyle, head?: string): Line[] {
  const lines: Line[] = [];
  if (head !== undefined) lines.push([{ text: head, bold: true }]);
  lines.push(head === undefined ? [{ text: unit.name, bold: true }] : [{ text: unit.name, size: sizes.edge }]);
  if (unit.values.length > 0) lines.push(numbers(unit.values, style));
  if (unit.grads.length > 0) lines.push([{ text: `∂L/∂${unit.name} = ${numbers(unit.grads, style)}`, color: colors.backward, size: sizes.edge }]);
  return lines;
}

/** Count the neurons a diagram would draw (to decide whether to draw them one by one). */
export function countUnits(trace: NetworkTrace): number {
  return unitColumns(trace).reduce((sum, column) => sum + column.units.length, 0);
}

/**
 * A network in the sheet's style: neurons as circles, bias inputs as `1`, weights on the
 * edges, activations as boxes, the loss at the end. With a step, every neuron holds that
 * step's value and (in red) the gradient of the loss by it; every edge its weight before the
 * step, ∂L/∂w (red) and the weight after the update (green).
 */
export function networkDiagramDot(trace: NetworkTrace, options: NetworkDiagramOptions = {}): DotPicture {
  const style = options.numbers ?? {};
  const language = options.language ?? 'en';
  const step = options.step === undefined ? undefined : stepOf(trace, options.step);
  const params = step?.paramsBefore ?? trace.initialParams;
  const columns = unitColumns(trace, step, language);

  const header = networkHeader(trace, step, language, style);

  const dot = applyTheme(new DotWriter('network'), { rankdir: 'LR', nodesep: 0.3, ranksep: 0.9, labelloc: 't', label: htmlLabel(header) });
  dot.defaults('node', { shape: 'circle', style: 'filled', fillcolor: 'white', margin: 0.03 });

  let previous: readonly Unit[] = [];
  for (const column of columns) {
    if (column.kind === 'input') {
      for (const unit of column.units) dot.node(unit.id, { ...fittedNode(unitLines(unit, style), 'circle'), fillcolor: colors.inputFill });
    } else if (column.kind === 'linear') {
      const weight = `${column.layer}.weight`;
      const bias = `${column.layer}.bias`;
      column.units.forEach((unit, j) => {
        dot.node(unit.id, fittedNode(unitLines(unit, style), 'circle'));
        previous.forEach((source, i) => dot.edge(source.id, unit.id, { label: htmlLabel(parameterLines(trace, step, weight, i, j, style)), decorate: previous.length > 1 }));
        if (params[bias] !== undefined) dot.edge(`bias${column.layer}`, unit.id, { label: htmlLabel(parameterLines(trace, step, bias, j, 0, style)) });
      });
      if (params[bias] !== undefined) dot.node(`bias${column.layer}`, { label: '1', shape: 'circle', width: 0.4, fixedsize: true, fillcolor: colors.activationFill });
    } else {
      column.units.forEach((unit, j) => {
        dot.node(unit.id, { ...fittedNode(unitLines(unit, style, column.symbol), 'box'), style: 'filled,rounded', fillcolor: colors.activationFill });
        const source = column.kind === 'softmax' ? previous : previous.slice(j, j + 1);
        for (const input of source) dot.edge(input.id, unit.id, {});
      });
    }
    previous = column.units;
  }

  dot.node('loss', { ...fittedNode(lossLines(trace, step, language, style), 'box'), fillcolor: colors.outputFill });
  for (const unit of previous) dot.edge(unit.id, 'loss', {});
  return { dot: dot.toString(), notes: [] };
}

/**
 * The picture's header: the title, then without a step the loss, with a step its number, epoch,
 * observations and data, and what the numbers on the weights mean (before, ∂L/∂w in red, after in green).
 * Shared by the Graphviz diagram and the playground's network picture.
 */
export function networkHeader(trace: NetworkTrace, step: TrainingStep | undefined, language: Language, style: NumberStyle = {}): Line[] {
  const header: Line[] = [[{ text: trace.titles?.[language] ?? trace.title, bold: true, size: sizes.title }]];
  if (step === undefined) {
    header.push(messageText(language, 'draw.network.initial', { loss: wordFor(language, 'loss', trace.loss) }));
  } else {
    const key = step.observations.length === 1 ? 'draw.network.step.one' : 'draw.network.step.many';
    const data = `x = ${inline(step.x, style)},  y = ${inline(step.y, style)}`;
    header.push(messageText(language, key, { step: step.step, epoch: step.epoch, observations: step.observations.join(', '), data }));
    // The sentence is whole in the catalogue; its two formulas are coloured like the edges' numbers.
    const gradient = { pretty: '∂L/∂w', latex: '' };
    const after = { pretty: messageText(language, 'draw.network.after', { optimizer: wordFor(language, 'optimizer', trace.optimizer.name), lr: number(trace.optimizer.lr, style) }), latex: '' };
    header.push(fillMessage(language, 'draw.network.edges', { gradient, after }).map((part) =>
      typeof part === 'string' ? { text: part, size: sizes.edge } : { text: part.pretty, color: part === gradient ? colors.backward : updated, size: sizes.edge }));
  }
  return header;
}

/** The loss's box: which loss, and with a step its value and the targets. */
export function lossLines(trace: NetworkTrace, step: TrainingStep | undefined, language: Language, style: NumberStyle = {}): Line[] {
  const lines: Line[] = [[{ text: `L (${wordFor(language, 'loss', trace.loss)})`, bold: true }]];
  if (step !== undefined) lines.push(`L = ${number(step.loss, style)}`, `y = ${inline(step.y, style)}`);
  return lines;
}

/** An edge's label: the weight (before the step), and with a step ∂L/∂w and the new weight. */
export function parameterLines(trace: NetworkTrace, step: TrainingStep | undefined, name: string, i: number, j: number, style: NumberStyle): Line[] {
  const before = (step?.paramsBefore ?? trace.initialParams)[name];
  const lines: Line[] = [before === undefined ? '?' : number(entryOf(before, i, j), style)];
  const grad = step?.grads[name];
  const after = step?.params[name];
  if (grad !== undefined) lines.push([{ text: number(entryOf(grad, i, j), style), color: colors.backward }]);
  if (after !== undefined) lines.push([{ text: `→ ${number(entryOf(after, i, j), style)}`, color: updated }]);
  return lines;
}

/** Whether the network is small enough to draw neuron by neuron. */
export function drawableNeuronByNeuron(trace: NetworkTrace): boolean {
  return countUnits(trace) <= MAX_DRAWN_UNITS && !hasMixingLayer(trace);
}

/**
 * Layers whose outputs are not one neuron each of the layer before: a recurrent cell (a state
 * over time), a residual block (a layer inside a layer), a normalization of each row. They are
 * drawn layer by layer (the flow picture), where their formulas are written on the edges.
 */
const MIXING_LAYERS: ReadonlySet<string> = new Set(['rnn', 'residual', 'layernorm', 'batchnorm1d']);
export function hasMixingLayer(trace: NetworkTrace): boolean {
  return trace.model.some((layer) => MIXING_LAYERS.has(layer.kind));
}

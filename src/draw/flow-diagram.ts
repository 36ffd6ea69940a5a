import type { NumberStyle } from '../formula/numbers.js';
import { messageText, type Language } from '../messages/catalogue.js';
import type { NetworkTrace, SymbolicTrace, Values } from '../trace/types.js';
import { DotWriter, htmlLabel, type Line } from './dot.js';
import { networkFlow, symbolicFlow, type FlowModel } from './flow-model.js';
import { inline, number, shapeOf, valueRows } from './format.js';
import { fittedNode } from './metrics.js';
import { stepOf } from './network-diagram.js';
import type { DotPicture } from './picture.js';
import { applyTheme, colors, sizes } from './theme.js';

export interface FlowOptions {
  /** For a numeric network: 1-based step whose matrices fill the boxes. */
  readonly step?: number;
  readonly numbers?: NumberStyle;
  /** The language of the legend and notes (default English). */
  readonly language?: Language;
}

const updated = '#1e7b34';
/** Matrices with at most this many entries are written on one line. */
const MAX_INLINE_ENTRIES = 6;
/** Matrices with more entries than this are written as their shape. */
const MAX_SHOWN_ENTRIES = 30;

function matrixLines(values: Values, style: NumberStyle, language: Language, color?: string, prefix = ''): Line[] {
  const entries = typeof values === 'number' ? 1 : values.flat(3).length;
  const line = (text: string): Line => [{ text, color, size: sizes.edge }];
  if (entries <= MAX_INLINE_ENTRIES) return [line(`${prefix}${inline(values, style)}`)];
  if (entries > MAX_SHOWN_ENTRIES) return [line(`${prefix}${messageText(language, 'draw.flow.shape', { shape: shapeOf(values).join('×') })}`)];
  return [...(prefix === '' ? [] : [line(prefix.trim())]), ...valueRows(values, style).map((row) => line(`[${row.replace(/^\(|\)$/g, '')}]`))];
}

function valueNode(name: string, style: NumberStyle, language: Language, value?: Values, grad?: Values, after?: Values): Line[] {
  const lines: Line[] = [[{ text: name, bold: true }]];
  if (value !== undefined) lines.push(...matrixLines(value, style, language));
  if (grad !== undefined) lines.push(...matrixLines(grad, style, language, colors.backward, `∂L/∂${name} = `));
  if (after !== undefined) lines.push(...matrixLines(after, style, language, updated, '→ '));
  return lines;
}

/** Draw a flow model: forward arrows in black along the top, backward arrows in red. */
export function flowModelDot(model: FlowModel, options: FlowOptions = {}): DotPicture {
  const style = options.numbers ?? {};
  const language = options.language ?? 'en';
  const header: Line[] = [[{ text: model.title, bold: true, size: sizes.title }]];
  if (model.network !== undefined) header.push(model.network);
  header.push([
    { text: messageText(language, 'draw.flow.forward'), size: sizes.edge },
    { text: '   ', size: sizes.edge },
    { text: messageText(language, 'draw.flow.backward'), color: colors.backward, size: sizes.edge },
  ]);
  const footer: Line[] = [...model.updates, ...model.notes].map((text) => [{ text, size: sizes.edge, color: colors.note }]);

  const dot = applyTheme(new DotWriter('layer_flow'), { rankdir: 'LR', nodesep: 0.5, ranksep: 1.1, labelloc: 't', label: htmlLabel([...header, ...footer]) });
  dot.defaults('node', { style: 'filled,rounded', fillcolor: 'white' });
  for (const value of model.values) {
    dot.node(value.id, { ...fittedNode(valueNode(value.name, style, language, value.value, value.grad), 'box'), style: 'filled,rounded', fillcolor: value.id === 'X' ? colors.inputFill : 'white' });
  }
  const prediction = model.values.at(-1)!;
  const lossLines: Line[] = [[{ text: 'L', bold: true }]];
  if (model.loss.value !== undefined) lossLines.push(number(model.loss.value, style));
  dot.node('loss', { ...fittedNode(lossLines, 'box'), fillcolor: colors.outputFill });
  dot.node('target', { ...fittedNode([[{ text: 'y', bold: true }], ...(model.loss.target === undefined ? [] : matrixLines(model.loss.target, style, language))], 'box'), fillcolor: colors.inputFill });

  for (const stage of model.stages) {
    // Both arrows are written input → output so the layers stay in order; dir=back turns the red one round.
    dot.edge(stage.input, stage.output, { label: htmlLabel([stage.forward]), weight: 10 });
    dot.edge(stage.input, stage.output, { label: htmlLabel([[{ text: stage.backward, color: colors.backward }]]), dir: 'back', color: colors.backward, style: 'dashed' });
    for (const parameter of stage.parameters) {
      dot.node(parameter.id, { ...fittedNode(valueNode(parameter.name, style, language, parameter.value, parameter.grad, parameter.after), 'box'), style: 'filled', fillcolor: colors.weightFill });
      dot.edge(parameter.id, stage.output, { weight: 1 });
      dot.edge(parameter.id, stage.output, { label: htmlLabel([[{ text: `∂L/∂${parameter.name} = ${parameter.gradient}`, color: colors.backward }]]), dir: 'back', color: colors.backward, style: 'dashed', weight: 1 });
    }
  }
  dot.edge(prediction.id, 'loss', { label: htmlLabel([model.loss.formula]), weight: 10 });
  dot.edge(prediction.id, 'loss', { label: htmlLabel([[{ text: model.loss.start, color: colors.backward }]]), dir: 'back', color: colors.backward, style: 'dashed' });
  dot.edge('target', 'loss', {});
  return { dot: dot.toString(), notes: [...model.notes] };
}

/** The layer-level flow of a symbolic problem (its own formulas) or a numeric network (with a step's matrices). */
export function flowDot(trace: NetworkTrace | SymbolicTrace, options: FlowOptions = {}): DotPicture {
  const language = options.language ?? 'en';
  if (trace.kind === 'symbolic') return flowModelDot(symbolicFlow(trace, language), options);
  const step = options.step === undefined ? undefined : stepOf(trace, options.step);
  return flowModelDot(networkFlow(trace, step, language), options);
}

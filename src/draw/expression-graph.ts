import { InputError } from '../errors.js';
import type { NumberStyle } from '../formula/numbers.js';
import { messageText, type Language } from '../messages/catalogue.js';
import type { ExpressionTrace, TraceEdge, TraceNode } from '../trace/types.js';
import { diagnosticText } from '../trace/diagnostic.js';
import { DotWriter, htmlLabel, type Line } from './dot.js';
import { collapsedExpressionDot } from './expression-collapsed.js';
import { outputNodeId, pathsFrom, type PathSet } from './expression-paths.js';
import { clip, number } from './format.js';
import { fittedNode } from './metrics.js';
import type { DotPicture } from './picture.js';
import { applyTheme, colors, sizes } from './theme.js';

export interface ExpressionGraphOptions {
  /** A variable: draw the paths from it to the output in colour and write the path sum. */
  readonly highlight?: string;
  /** Show the backward pass: ∂f/∂node in every node and the gradient each edge carries back. */
  readonly backward?: boolean;
  /** A title above the graph (a problem file's title); the formula and point are written below it. */
  readonly title?: string;
  readonly numbers?: NumberStyle;
  /** Above this many operations the graph is drawn as bands of levels instead (default 150). */
  readonly maxOperations?: number;
  /** The language of the legends and notes (default English). */
  readonly language?: Language;
}

/** Above this, Graphviz needs more than a few seconds (measured here: 147 operations ≈ 2.6 s, 226 ≈ 40 s). */
export const MAX_DRAWN_OPERATIONS = 150;

/** ∂f/∂b, written with the ids of the two nodes. */
const partial = (of: string, by: string) => `∂${of}/∂${by}`;

function nodeLines(node: TraceNode, output: string, options: ExpressionGraphOptions): Line[] {
  const numbers = options.numbers ?? {};
  const head = node.op === 'input' ? node.id : `${node.id} = ${node.formula.pretty}`;
  const lines: Line[] = [[{ text: head, bold: true }], number(node.value, numbers)];
  if (options.backward === true) lines.push([{ text: `${partial(output, node.id)} = ${number(node.grad, numbers)}`, color: colors.backward, size: sizes.edge }]);
  return lines;
}

function edgeLines(edge: TraceEdge, gradTo: number, options: ExpressionGraphOptions): Line[] {
  const numbers = options.numbers ?? {};
  const value = number(edge.value, numbers);
  const formula = edge.formula.pretty === value ? value : `${edge.formula.pretty} = ${value}`;
  const lines: Line[] = [`${partial(edge.to, edge.from)} = ${formula}`];
  // The chain rule on this edge: the gradient arriving at `to` times the local derivative.
  if (options.backward === true) lines.push([{ text: `← ${number(gradTo, numbers)}·${value} = ${number(gradTo * edge.value, numbers)}`, color: colors.backward }]);
  return lines;
}

function pathSumLines(trace: ExpressionTrace, variable: string, paths: PathSet, output: string, options: ExpressionGraphOptions): Line[] {
  const numbers = options.numbers ?? {};
  const color = colors.highlight;
  const size = sizes.edge + 1;
  const language = options.language ?? 'en';
  const sentence = messageText(language, paths.count === 1 ? 'draw.graph.pathSum.one' : 'draw.graph.pathSum.many', { derivative: partial(output, variable), count: paths.count, variable, output });
  const lines: Line[] = [[{ text: sentence, color, size }]];
  // The trace lists the paths (output first, as the book writes the products) unless there are too many.
  for (const path of trace.paths[variable] ?? []) {
    lines.push([{ text: `${[...path.nodes].reverse().join(' ← ')}:  ${path.product.pretty} = ${number(path.value, numbers)}`, color, size }]);
  }
  const simplified = trace.derivativeFormulas[variable]?.pretty ?? '';
  const pathSum = trace.pathSums[variable]?.pretty ?? '';
  const total = [pathSum, simplified, number(trace.gradient[variable] ?? Number.NaN, numbers)].filter((text, k, all) => text !== '' && all.indexOf(text) === k);
  lines.push([{ text: `${partial(output, variable)} = ${total.join(' = ')}`, color, bold: true }]);
  return lines;
}

/** "f(x, y) = x^2 + x*y   at x = 1, y = 2" */
function formulaLine(trace: ExpressionTrace, output: string, numbers: NumberStyle, language: Language): string {
  const point = trace.variables.map((name) => `${name} = ${number(trace.at[name] ?? Number.NaN, numbers)}`).join(', ');
  const formula = `${output}(${trace.variables.join(', ')}) = ${clip(trace.formula.pretty, 160)}`;
  return point === '' ? formula : messageText(language, 'draw.graph.at', { formula, point });
}

/**
 * The computation graph of exercise 1 as DOT: one circle per input and per elementary
 * operation, edges labelled with the local derivative as a formula and a number.
 */
export function expressionGraphDot(trace: ExpressionTrace, options: ExpressionGraphOptions = {}): DotPicture {
  const numbers = options.numbers ?? {};
  const language = options.language ?? 'en';
  if (options.highlight !== undefined && !trace.variables.includes(options.highlight)) {
    const variables = trace.variables.length === 0 ? 'the formula has no variables' : `its variables are ${trace.variables.join(', ')}`;
    throw new InputError(`cannot highlight ${options.highlight}: it is not a variable of the formula (${variables})`);
  }
  const operations = trace.nodes.filter((node) => node.op !== 'input').length;
  if (operations > (options.maxOperations ?? MAX_DRAWN_OPERATIONS)) return collapsedExpressionDot(trace, options, operations);

  const output = outputNodeId(trace) ?? 'f';
  const paths = options.highlight === undefined ? null : pathsFrom(trace, options.highlight);
  const notes: string[] = [];
  const header: Line[] = [];
  if (options.title !== undefined) header.push([{ text: options.title, bold: true, size: sizes.title }]);
  header.push(formulaLine(trace, output, numbers, language));
  if (trace.nodes.length === 0) notes.push(messageText(language, 'draw.graph.constant', { expression: trace.expression, value: number(trace.value, numbers) }));
  if (paths !== null && options.highlight !== undefined) header.push(...pathSumLines(trace, options.highlight, paths, output, options));
  if (options.backward === true) header.push([{ text: messageText(language, 'draw.graph.backwardLegend', { derivative: partial(output, messageText(language, 'draw.node')) }), color: colors.backward, size: sizes.small }]);
  for (const diagnostic of trace.diagnostics) if (diagnostic.kind !== 'note') notes.push(diagnosticText(diagnostic, language));

  const dot = applyTheme(new DotWriter('computation_graph'), { rankdir: 'LR', nodesep: 0.35, ranksep: 0.55, labelloc: 't' });
  dot.defaults('graph', { label: htmlLabel([...header, ...notes.map((note): Line => [{ text: note, color: colors.note, size: sizes.small }])]) });
  dot.defaults('node', { shape: 'circle', margin: 0.03 });

  const gradOf = new Map(trace.nodes.map((node) => [node.id, node.grad]));
  for (const node of trace.nodes) {
    const onPath = paths?.nodes.has(node.id) ?? false;
    dot.node(node.id, {
      ...fittedNode(nodeLines(node, output, options), 'circle'),
      shape: node.id === output && node.op !== 'input' ? 'doublecircle' : 'circle',
      style: 'filled',
      fillcolor: node.op === 'input' ? colors.inputFill : node.id === output ? colors.outputFill : 'white',
      color: paths === null ? undefined : onPath ? colors.highlight : colors.dimmed,
      penwidth: onPath ? 2.4 : undefined,
    });
  }
  for (const edge of trace.edges) {
    const onPath = paths?.edges.has(edge);
    dot.edge(edge.from, edge.to, {
      label: htmlLabel(edgeLines(edge, gradOf.get(edge.to) ?? Number.NaN, options)),
      color: onPath === undefined ? undefined : onPath ? colors.highlight : colors.dimmed,
      fontcolor: onPath === false ? colors.dimmed : undefined,
      penwidth: onPath === true ? 2.4 : undefined,
    });
  }
  return { dot: dot.toString(), notes };
}

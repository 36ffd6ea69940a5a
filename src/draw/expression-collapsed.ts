import { registry } from '../ops/registry.js';
import type { OpName } from '../ops/types.js';
import { messageText, type Language, type MessageKey } from '../messages/catalogue.js';
import type { ExpressionTrace, TraceNode } from '../trace/types.js';
import { DotWriter, htmlLabel, type Line } from './dot.js';
import type { ExpressionGraphOptions } from './expression-graph.js';
import { outputNodeId, pathsFrom } from './expression-paths.js';
import { clip, number } from './format.js';
import type { DotPicture } from './picture.js';
import { applyTheme, colors, sizes } from './theme.js';

/** At most this many boxes stand for the operations of a collapsed graph. */
const MAX_BANDS = 24;
/** Up to this many inputs keep a circle each; more share one box. */
const MAX_INPUT_CIRCLES = 24;

/** Level of every node: the longest path from an input (inputs are level 0). */
function levels(trace: ExpressionTrace): Map<string, number> {
  const level = new Map<string, number>();
  for (const node of trace.nodes) level.set(node.id, node.inputs.reduce((deepest, input) => Math.max(deepest, (level.get(input) ?? 0) + 1), 0));
  return level;
}

function range(values: readonly number[], options: ExpressionGraphOptions): string {
  const finite = values.filter(Number.isFinite);
  if (finite.length < values.length) return messageText(options.language ?? 'en', 'draw.collapsed.finite', { finite: finite.length, total: values.length });
  const low = Math.min(...finite);
  const high = Math.max(...finite);
  return low === high ? number(low, options.numbers) : `${number(low, options.numbers)} … ${number(high, options.numbers)}`;
}

/** An op's name in the sentences of `language`; the template type makes a missing catalogue entry a compile error. */
const opWord = (op: OpName): MessageKey => `op.${op}`;

function countOps(nodes: readonly TraceNode[], language: Language): string {
  const counts = new Map<string, number>();
  const name = (op: string): string => (Object.hasOwn(registry, op) ? messageText(language, opWord(op as OpName)) : op);
  for (const node of nodes) counts.set(name(node.op), (counts.get(name(node.op)) ?? 0) + 1);
  const sorted = [...counts].sort((a, b) => b[1] - a[1]);
  const shown = sorted.slice(0, 4).map(([op, count]) => `${count} ${op}`);
  return sorted.length > 4 ? `${shown.join(', ')}, …` : shown.join(', ');
}

/**
 * A graph too large to draw node by node, drawn as bands of consecutive levels: each box
 * says which levels it holds, how many operations of which kind, and the range of their
 * values (and gradients); the edges between boxes say how many edges they stand for.
 */
export function collapsedExpressionDot(trace: ExpressionTrace, options: ExpressionGraphOptions, operations: number): DotPicture {
  const language = options.language ?? 'en';
  const level = levels(trace);
  const output = outputNodeId(trace) ?? 'f';
  const maxLevel = Math.max(1, ...level.values());
  // Bands over levels 1 … maxLevel − 1; the output keeps its own circle.
  const inner = Math.max(1, maxLevel - 1);
  const bandCount = Math.min(MAX_BANDS, inner);
  const bandOf = (node: TraceNode): string => {
    if (node.op === 'input') return trace.variables.length <= MAX_INPUT_CIRCLES ? node.id : 'inputs';
    if (node.id === output) return node.id;
    return `band ${Math.floor(((level.get(node.id)! - 1) * bandCount) / inner)}`;
  };
  const nodeById = new Map(trace.nodes.map((node) => [node.id, node]));
  const groupOf = (id: string): string => bandOf(nodeById.get(id)!);
  const groups = new Map<string, TraceNode[]>();
  for (const node of trace.nodes) groups.set(bandOf(node), [...(groups.get(bandOf(node)) ?? []), node]);

  const paths = options.highlight === undefined ? null : pathsFrom(trace, options.highlight);
  const highlighted = new Set([...(paths?.nodes ?? [])].map(groupOf));
  const note = messageText(language, 'draw.collapsed.note', { operations });
  const header: Line[] = [];
  if (options.title !== undefined) header.push([{ text: options.title, bold: true, size: sizes.title }]);
  header.push(clip(trace.formula.pretty, 120), [{ text: note, color: colors.note, size: sizes.small }]);
  if (paths !== null && options.highlight !== undefined) {
    const derivative = clip(trace.derivativeFormulas[options.highlight]?.pretty ?? '', 120);
    const formula = `∂${output}/∂${options.highlight} = ${derivative} = ${number(trace.gradient[options.highlight] ?? Number.NaN, options.numbers)}`;
    header.push([{ text: messageText(language, 'draw.collapsed.paths', { count: paths.count, variable: options.highlight, output, formula }), color: colors.highlight }]);
  }

  // Straight edges and short searches: spline routing is what takes Graphviz minutes on big graphs.
  const dot = applyTheme(new DotWriter('computation_graph'), { rankdir: 'LR', splines: 'line', mclimit: 0.1, nslimit: 1, nslimit1: 1, labelloc: 't' });
  dot.defaults('graph', { label: htmlLabel(header) });
  for (const [id, nodes] of groups) {
    const first = nodes[0]!;
    const single = nodes.length === 1 && (first.op === 'input' || first.id === output);
    const lines: Line[] = single
      ? [[{ text: first.op === 'input' ? first.id : `${first.id} = ${clip(first.formula.pretty, 40)}`, bold: true }], number(first.value, options.numbers)]
      : id === 'inputs'
        ? [[{ text: messageText(language, 'draw.collapsed.inputs', { count: nodes.length }), bold: true }], clip(nodes.map((node) => node.id).join(', '), 40), messageText(language, 'draw.collapsed.values', { range: range(nodes.map((node) => node.value), options) })]
        : [[{ text: levelText(nodes, level, options), bold: true }], messageText(language, 'draw.collapsed.operations', { count: nodes.length, kinds: countOps(nodes, language) }), messageText(language, 'draw.collapsed.values', { range: range(nodes.map((node) => node.value), options) })];
    if (options.backward === true) lines.push([{ text: `∂${output}/∂${messageText(language, 'draw.node')} ${range(nodes.map((node) => node.grad), options)}`, color: colors.backward }]);
    dot.node(id, {
      label: htmlLabel(lines),
      shape: single ? 'circle' : 'box',
      style: single ? 'filled' : 'filled,rounded',
      fillcolor: first.op === 'input' ? colors.inputFill : first.id === output ? colors.outputFill : 'white',
      color: paths === null ? undefined : highlighted.has(id) ? colors.highlight : colors.dimmed,
      penwidth: highlighted.has(id) ? 2.4 : undefined,
    });
  }
  const edgeCounts = new Map<string, { from: string; to: string; count: number }>();
  for (const edge of trace.edges) {
    const from = groupOf(edge.from);
    const to = groupOf(edge.to);
    if (from === to) continue;
    const key = `${from}\u0000${to}`;
    edgeCounts.set(key, { from, to, count: (edgeCounts.get(key)?.count ?? 0) + 1 });
  }
  for (const { from, to, count } of edgeCounts.values()) {
    dot.edge(from, to, { label: count > 1 ? `×${count}` : undefined, fontsize: sizes.small, penwidth: Math.min(4, 1 + Math.log10(count)) });
  }
  return { dot: dot.toString(), notes: [note] };
}

function levelText(nodes: readonly TraceNode[], level: ReadonlyMap<string, number>, options: ExpressionGraphOptions): string {
  const depths = nodes.map((node) => level.get(node.id) ?? 0);
  const low = Math.min(...depths);
  const high = Math.max(...depths);
  const language = options.language ?? 'en';
  return low === high ? messageText(language, 'draw.collapsed.level', { level: low }) : messageText(language, 'draw.collapsed.levels', { low, high });
}

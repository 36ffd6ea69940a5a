import type { ExpressionTrace, TraceEdge } from '../trace/types.js';

/** The part of a computation graph that a path sum runs over: every path from one input to the output. */
export interface PathSet {
  readonly nodes: ReadonlySet<string>;
  readonly edges: ReadonlySet<TraceEdge>;
  /** How many paths there are (a number: it can be large for deep graphs that fan out). */
  readonly count: number;
}

/** The output is the last node (nodes are in topological order). */
export function outputNodeId(trace: ExpressionTrace): string | undefined {
  return trace.nodes.at(-1)?.id;
}

/**
 * The edges on some path from `input` to the output, to colour them: those whose start is
 * reachable from the input and whose end reaches the output. Paths are counted by dynamic
 * programming over the topological order (the trace lists them only when there are few).
 */
export function pathsFrom(trace: ExpressionTrace, input: string): PathSet {
  const output = outputNodeId(trace);
  const outgoing = new Map<string, TraceEdge[]>();
  for (const edge of trace.edges) outgoing.set(edge.from, [...(outgoing.get(edge.from) ?? []), edge]);

  const reachable = new Set<string>([input]);
  for (const node of trace.nodes) {
    if (!reachable.has(node.id)) continue;
    for (const edge of outgoing.get(node.id) ?? []) reachable.add(edge.to);
  }
  // Paths from each node to the output, from the output backwards.
  const toOutput = new Map<string, number>();
  for (const node of [...trace.nodes].reverse()) {
    const count = node.id === output ? 1 : (outgoing.get(node.id) ?? []).reduce((sum, edge) => sum + (toOutput.get(edge.to) ?? 0), 0);
    toOutput.set(node.id, count);
  }
  const edges = new Set(trace.edges.filter((edge) => reachable.has(edge.from) && (toOutput.get(edge.to) ?? 0) > 0));
  const nodes = new Set<string>();
  for (const edge of edges) nodes.add(edge.from).add(edge.to);
  return { nodes, edges, count: toOutput.get(input) ?? 0 };
}

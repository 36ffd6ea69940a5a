import type { ExpressionTrace } from './types.js';

type Edge = ExpressionTrace['edges'][number];

/**
 * Edges grouped by the pair of nodes they join, in order of first appearance. A node fed twice
 * by one input (x·x) has one edge per argument; the pair's local derivative is their sum.
 */
export function edgesByPair(edges: readonly Edge[]): Edge[][] {
  const pairs = new Map<string, Edge[]>();
  for (const edge of edges) {
    const key = JSON.stringify([edge.from, edge.to]);
    const pair = pairs.get(key);
    if (pair === undefined) pairs.set(key, [edge]);
    else pair.push(edge);
  }
  return [...pairs.values()];
}

/** The local derivative of a pair of nodes: the sum of its edges' values (one edge but for x·x). */
export function pairValue(pair: readonly Edge[]): number {
  return pair.reduce((total, edge) => total + edge.value, 0);
}

import type { OpName } from '../ops/types.js';

/** Where a piece of formula text is: [start, end) character indices. */
export interface Span {
  readonly start: number;
  readonly end: number;
}

/** A parsed formula: numbers, variables, and registry ops applied to sub-formulas. */
export type Formula =
  | { readonly kind: 'number'; readonly value: number; readonly span: Span }
  | { readonly kind: 'variable'; readonly name: string; readonly span: Span }
  | { readonly kind: 'op'; readonly op: OpName; readonly args: readonly Formula[]; readonly span: Span };

/** Functions of the grammar and the registry op each one is (built from the registry's entries). */
export { FUNCTIONS, type GrammarFunction } from './functions.js';

/** Variables in order of first appearance in the text. */
export function variablesOf(formula: Formula): string[] {
  const firstSeen = new Map<string, number>();
  const stack: Formula[] = [formula];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node.kind === 'variable') {
      firstSeen.set(node.name, Math.min(firstSeen.get(node.name) ?? Infinity, node.span.start));
    } else if (node.kind === 'op') {
      stack.push(...node.args);
    }
  }
  return [...firstSeen.entries()].sort((p, q) => p[1] - q[1]).map(([name]) => name);
}

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

/** Functions of the grammar and the registry op each one is. */
export const FUNCTIONS: Readonly<Record<string, { op: OpName; arity: number }>> = {
  exp: { op: 'exp', arity: 1 },
  log: { op: 'log', arity: 1 },
  ln: { op: 'log', arity: 1 },
  sqrt: { op: 'sqrt', arity: 1 },
  abs: { op: 'abs', arity: 1 },
  sin: { op: 'sin', arity: 1 },
  cos: { op: 'cos', arity: 1 },
  tanh: { op: 'tanh', arity: 1 },
  sigmoid: { op: 'sigmoid', arity: 1 },
  relu: { op: 'relu', arity: 1 },
  step: { op: 'step', arity: 1 },
  sign: { op: 'sign', arity: 1 },
  max: { op: 'maximum', arity: 2 },
  min: { op: 'minimum', arity: 2 },
};

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

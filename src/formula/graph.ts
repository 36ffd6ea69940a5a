import { apply } from '../autograd/apply.js';
import { scalar } from '../autograd/create.js';
import { noGrad } from '../autograd/grad-mode.js';
import type { Tensor } from '../autograd/tensor.js';
import { getByName, hasName } from '../by-name.js';
import { InputError } from '../errors.js';
import type { OpName } from '../ops/types.js';
import { variablesOf, type Formula } from './ast.js';
import { parseFormula } from './parse.js';
import { prettyName } from './write.js';

/** An argument of a graph node: another node (an edge of the graph) or a number written inline. */
export type GraphArg = { readonly kind: 'node'; readonly node: GraphNode } | { readonly kind: 'const'; readonly value: number };

/** One circle of the computation graph: an input variable or one elementary operation. */
export interface GraphNode {
  /** x, y for inputs; a, b, c… for operations, in order of depth (as the sheet letters them). */
  id: string;
  readonly op: OpName | 'input';
  readonly args: readonly GraphArg[];
  readonly tensor: Tensor;
  /** Longest path from an input (inputs have depth 0). */
  readonly depth: number;
}

export interface ExpressionGraph {
  readonly formula: Formula;
  readonly variables: readonly string[];
  /** Inputs first, then operations by depth; the last one is the output. */
  readonly nodes: readonly GraphNode[];
  readonly output: GraphNode | { readonly kind: 'const'; readonly value: number };
}

/** Check that `at` gives exactly the formula's variables, naming any that are missing or extra. */
export function checkAssignment(variables: readonly string[], at: Readonly<Record<string, number>>): void {
  const missing = variables.filter((name) => !hasName(at, name));
  const extra = Object.keys(at).filter((name) => !variables.includes(name));
  const problems: string[] = [];
  if (missing.length > 0) problems.push(`no value given for ${missing.join(', ')}`);
  if (extra.length > 0) problems.push(`${extra.join(', ')} ${extra.length === 1 ? 'is' : 'are'} not in the formula`);
  if (problems.length > 0) {
    const expected = variables.length === 0 ? 'the formula has no variables' : `the formula's variables are ${variables.join(', ')}`;
    throw new InputError(`--at: ${problems.join('; ')} (${expected})`);
  }
}

/**
 * Two variables written alike (x1 and x_1 are both x₁) cannot be told apart in a solution:
 * `x₁ + x₁ = 1 + 2` would be printed. Refused, naming both.
 */
export function checkWrittenApart(variables: readonly string[]): void {
  const byWritten = new Map<string, string[]>();
  for (const name of variables) byWritten.set(prettyName(name), [...(byWritten.get(prettyName(name)) ?? []), name]);
  const clashes = [...byWritten].filter(([, names]) => names.length > 1);
  if (clashes.length > 0) {
    const [, names] = clashes[0]!;
    const example = `${names[0]!} and ${freeNameLike(names[0]!, byWritten)}`;
    throw new InputError(`${clashes.map(([written, names]) => `${names.join(' and ')} are both written ${written}`).join('; ')} in a solution: rename all but one of them (e.g. ${example})`);
  }
}

/** A name like the user's own that is written apart from every variable: mu1 → mu2 (the hint's example). */
function freeNameLike(name: string, byWritten: ReadonlyMap<string, readonly string[]>): string {
  const stem = /^(.*?)_?\d*$/.exec(name)![1]!;
  for (let index = 2; ; index++) {
    const candidate = `${stem}${index}`;
    if (!byWritten.has(prettyName(candidate))) return candidate;
  }
}

/** The name of a formula's output node. */
export const OUTPUT_NAME = 'f';

/** Letters for operation nodes, skipping the names of variables as they are written (a_1 takes a1: both are a₁). */
function* nodeNames(taken: ReadonlySet<string>): Generator<string> {
  for (let round = 0; ; round++) {
    for (let code = 97; code <= 122; code++) {
      const name = String.fromCharCode(code) + (round === 0 ? '' : String(round));
      if (!taken.has(prettyName(name))) yield name;
    }
  }
}

/**
 * Parse a formula and compute it as a graph of registry ops, one node per elementary
 * operation. Parts made only of numbers (2^3) are folded into a number written inline.
 */
export function buildExpressionGraph(source: string, at: Readonly<Record<string, number>>): ExpressionGraph {
  const formula = parseFormula(source);
  const variables = variablesOf(formula);
  checkAssignment(variables, at);
  checkWrittenApart(variables);
  const inputs = new Map<string, GraphNode>();
  for (const name of variables) {
    const tensor = scalar(getByName(at, name)!, { requiresGrad: true, name });
    inputs.set(name, { id: name, op: 'input', args: [], tensor, depth: 0 });
  }
  const operations: GraphNode[] = [];
  // Post-order over the formula with an explicit stack: deep formulas do not overflow.
  const results = new Map<Formula, GraphArg>();
  const stack: { formula: Formula; expanded: boolean }[] = [{ formula, expanded: false }];
  while (stack.length > 0) {
    const entry = stack.pop()!;
    const node = entry.formula;
    if (node.kind === 'number') results.set(node, { kind: 'const', value: node.value });
    else if (node.kind === 'variable') results.set(node, { kind: 'node', node: inputs.get(node.name)! });
    else if (!entry.expanded) {
      stack.push({ formula: node, expanded: true });
      for (const arg of [...node.args].reverse()) stack.push({ formula: arg, expanded: false });
    } else {
      const args = node.args.map((arg) => results.get(arg)!);
      const tensors = args.map((arg) => (arg.kind === 'node' ? arg.node.tensor : scalar(arg.value)));
      if (args.every((arg) => arg.kind === 'const')) {
        results.set(node, { kind: 'const', value: noGrad(() => apply(node.op, tensors, {})).item() });
        continue;
      }
      const depth = 1 + Math.max(...args.map((arg) => (arg.kind === 'node' ? arg.node.depth : 0)));
      const tensor = apply(node.op, tensors, {});
      // The engine does not track what comes out of step, sign or a comparison (their derivative is 0),
      // yet ∂f/∂node of such a node is not 0 (f = sign(y)·y: ∂f/∂b = y). As a leaf of its own it gets
      // its gradient from backward like every other node; the variables' gradients do not change.
      if (!tensor.requiresGrad) tensor.requireGrad();
      const graphNode: GraphNode = { id: '', op: node.op, args, tensor, depth };
      operations.push(graphNode);
      results.set(node, { kind: 'node', node: graphNode });
    }
  }
  // The sheet letters nodes level by level: a = x², b = x·y, c = x + y, then d = a + b, …
  const ordered = operations.map((node, order) => ({ node, order })).sort((p, q) => p.node.depth - q.node.depth || p.order - q.order);
  // The output is always f, as the sheet writes f(x, y); intermediate nodes skip that letter.
  // (A formula with a variable named f keeps f for the variable and letters its output like the rest.)
  const output = results.get(formula)!;
  const outputNode = output.kind === 'node' ? output.node : null;
  const outputName = variables.includes(OUTPUT_NAME) ? null : OUTPUT_NAME;
  const names = nodeNames(new Set([...variables, OUTPUT_NAME].map(prettyName)));
  for (const { node } of ordered) node.id = node === outputNode && outputName !== null ? outputName : (names.next().value as string);
  return {
    formula,
    variables,
    nodes: [...inputs.values(), ...ordered.map(({ node }) => node)],
    output: output.kind === 'node' ? output.node : output,
  };
}

/** The value of a formula at a point (every variable it uses must be given). */
export function evaluateFormula(source: string, at: Readonly<Record<string, number>>): number {
  const { output } = buildExpressionGraph(source, at);
  return 'tensor' in output ? output.tensor.item() : output.value;
}

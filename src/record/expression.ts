import { byName, getByName } from '../by-name.js';
import { tensorAlgebra } from '../autograd/apply.js';
import { withoutLimitTerms, type Algebra } from '../ops/algebra.js';
import { scalar } from '../autograd/create.js';
import { gradients } from '../autograd/functional.js';
import { noGrad } from '../autograd/grad-mode.js';
import type { Tensor } from '../autograd/tensor.js';
import type { Formula } from '../formula/ast.js';
import { buildExpressionGraph, type GraphArg, type GraphNode } from '../formula/graph.js';
import { evaluateSym } from '../formula/evaluate.js';
import { parseFormula } from '../formula/parse.js';
import { simplifySym } from '../formula/simplify.js';
import { symbolicGradients } from '../formula/symbolic-gradients.js';
import { buildSym, symbolicAlgebra, symConst, symVar, textbookAlgebra, typedSym, type Sym } from '../formula/symbolic.js';
import { formulaText } from '../formula/formula-text.js';
import { formatNumber } from '../formula/numbers.js';
import { substitution } from './printed-digits.js';
import { sameNumbers } from './same-numbers.js';
import { registry } from '../ops/registry.js';
import type { NoAttrs, OpDef } from '../ops/types.js';
import { diagnostic } from '../trace/diagnostic.js';
import type { Diagnostic, ExpressionTrace, FormulaText, TraceEdge, TraceNode, TracePath } from '../trace/types.js';

/** Above this many operations the node-by-variable Jacobian table is left out (it costs N passes). */
const JACOBIAN_NODE_LIMIT = 400;

/** The values of a node's inputs, by the names its formulas use. */
function valuesOfInputs(node: GraphNode): Map<string, number> {
  return new Map(node.args.flatMap((arg) => (arg.kind === 'node' ? [[arg.node.id, arg.node.tensor.item()] as const] : [])));
}

/**
 * Whether a factor of a path's product needs brackets: a +, − or / outside its own brackets
 * (x − y, not exp(x − y); 1·(0.5/√c)·2x, which would read as 0.5 over all that follows), or a
 * minus in front, as a textbook brackets a negative factor: (−1)·(1/x)·2, 1·(−1), never 1·−1.
 */
function needsBrackets(text: string): boolean {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const character = text[i]!;
    if ('([{'.includes(character)) depth++;
    else if (')]}'.includes(character)) depth--;
    else if (depth === 0 && ('+−-/'.includes(character))) return true;
  }
  return false;
}

const bracketed = (text: string, style: 'ascii' | 'pretty' | 'latex') => (style === 'latex' ? `\\left(${text}\\right)` : `(${text})`);

/** Above this many paths from one variable, the paths are not listed one by one. */
const PATH_LIMIT = 64;

/**
 * Every path from `from` to the output as the edges it takes (indices into `edges`), or null
 * when there are more than PATH_LIMIT. A path follows edges, not pairs of nodes: x − x has two
 * edges from x to f (+1 and −1), so two paths. The paths are counted first (nodes are in
 * topological order), so a long chain or a wide sum costs time linear in its size, not in its
 * number of paths.
 */
function enumeratePaths(from: string, outputId: string, edges: readonly TraceEdge[], order: readonly string[]): number[][] | null {
  const next = new Map<string, number[]>();
  edges.forEach((edge, index) => {
    const leaving = next.get(edge.from);
    if (leaving === undefined) next.set(edge.from, [index]);
    else leaving.push(index);
  });
  // Paths from each node to the output, counted up to PATH_LIMIT + 1.
  const count = new Map<string, number>([[outputId, 1]]);
  for (let i = order.length - 1; i >= 0; i--) {
    const id = order[i]!;
    if (id === outputId) continue;
    count.set(id, Math.min(PATH_LIMIT + 1, (next.get(id) ?? []).reduce((total, index) => total + (count.get(edges[index]!.to) ?? 0), 0)));
  }
  if ((count.get(from) ?? 0) > PATH_LIMIT) return null;
  // Depth-first, each step linked to the one before it: a path is copied out only when it ends.
  type Step = { readonly id: string; readonly edge: number; readonly previous: Step | null };
  const found: number[][] = [];
  const stack: Step[] = [{ id: from, edge: -1, previous: null }];
  while (stack.length > 0) {
    const step = stack.pop()!;
    if (step.id === outputId) {
      const path: number[] = [];
      for (let at: Step | null = step; at !== null && at.previous !== null; at = at.previous) path.push(at.edge);
      found.push(path.reverse());
      continue;
    }
    const leaving = next.get(step.id) ?? [];
    for (let k = leaving.length - 1; k >= 0; k--) {
      const to = edges[leaving[k]!]!.to;
      if ((count.get(to) ?? 0) > 0) stack.push({ id: to, edge: leaving[k]!, previous: step });
    }
  }
  return found;
}

/**
 * A formula of numbers only as it was typed, before the graph folds it: 3 + 4, not 7, so the
 * solution can write f = 3 + 4 = 7 (buildSym would fold it). Post-order with an explicit stack: deep formulas do not overflow.
 */
function unfoldedSym(formula: Formula): Sym {
  const built = new Map<Formula, Sym>();
  const stack: { formula: Formula; expanded: boolean }[] = [{ formula, expanded: false }];
  while (stack.length > 0) {
    const { formula: node, expanded } = stack.pop()!;
    if (node.kind === 'number') built.set(node, symConst(node.value));
    else if (node.kind === 'variable') built.set(node, symVar(node.name));
    else if (!expanded) {
      stack.push({ formula: node, expanded: true });
      for (const arg of node.args) stack.push({ formula: arg, expanded: false });
    } else built.set(node, { kind: 'op', op: node.op, args: node.args.map((arg) => built.get(arg)!), attrs: {} });
  }
  return built.get(formula)!;
}

/** Formula ops are elementwise and take no attributes. */
function opOf(node: GraphNode): OpDef<NoAttrs> {
  return registry[node.op as keyof typeof registry];
}

function argSym(arg: GraphArg, name: (node: GraphNode) => Sym): Sym {
  return arg.kind === 'node' ? name(arg.node) : symConst(arg.value);
}

/** The registry vjp of one node, run on symbols: the gradients its inputs receive. */
function symbolicVjp(node: GraphNode, inputs: readonly Sym[], gy: Sym, algebra: Algebra<Sym>): readonly (Sym | null)[] {
  const op = opOf(node);
  const output = buildSym(op.name, inputs, {});
  const needsGrad = node.args.map((arg) => arg.kind === 'node');
  return op.vjp(algebra, { inputs, output, gy, attrs: {}, needsGrad });
}

/** The registry vjp of one node, run on its numbers with gradient 1 arriving: local derivatives. */
function numericLocalDerivatives(node: GraphNode, algebra: Algebra<Tensor> = tensorAlgebra): readonly (Tensor | null)[] {
  return noGrad(() => {
    const inputs = node.args.map((arg) => (arg.kind === 'node' ? arg.node.tensor.detach() : scalar(arg.value)));
    const needsGrad = node.args.map((arg) => arg.kind === 'node');
    return opOf(node).vjp(algebra, { inputs, output: node.tensor.detach(), gy: scalar(1), attrs: {}, needsGrad });
  });
}

const TEXTBOOK_TENSORS = withoutLimitTerms(tensorAlgebra);

/**
 * A node's local derivatives, and whether its rule written as a textbook writes it (without the
 * terms that pick a limit at one point: pow's [a = 0]) gives other numbers here. Only then are
 * those terms printed; elsewhere y·x^(y − 1) and x^y·ln(x) have the same value.
 */
function localDerivatives(node: GraphNode): { numbers: readonly (Tensor | null)[]; needsLimitTerms: boolean } {
  const numbers = numericLocalDerivatives(node);
  const textbook = numericLocalDerivatives(node, TEXTBOOK_TENSORS);
  const needsLimitTerms = numbers.some((full, k) => full !== null && !sameNumbers(full.data, textbook[k]?.data ?? [NaN]));
  return { numbers, needsLimitTerms };
}

/** x = 2, y = 3: each input once (x·x is at x = 10⁻²⁰⁰, not at x = 10⁻²⁰⁰, x = 10⁻²⁰⁰). */
function describeInputs(node: GraphNode, signedZeros: ReadonlySet<string>): string {
  // A −0 the lines write −0 (its sign decides a result) is written so here too: 1/b is −∞ at b = −0.
  const inputs = node.args.flatMap((arg) => (arg.kind === 'node' ? [`${arg.node.id} = ${formatNumber(arg.node.tensor.item(), { signedZero: signedZeros.has(arg.node.id) })}`] : []));
  return [...new Set(inputs)].join(', ');
}

/**
 * Compute a formula at a point and record everything a person checks by hand: each node's
 * value and gradient, each edge's local derivative (formula and number), the derivative
 * formulas by every variable, and ∂node/∂variable for every node.
 */
/** The output as a formula with a part for every node of the graph (nodes are in topological order). */
function typedSymOf(nodes: readonly GraphNode[], output: GraphNode): Sym {
  const typed = new Map<GraphNode, Sym>();
  for (const node of nodes) {
    typed.set(node, node.op === 'input' ? symVar(node.id) : typedSym(opOf(node).name, node.args.map((arg) => argSym(arg, (input) => typed.get(input)!)), {}));
  }
  return typed.get(output)!;
}

export function traceExpression(source: string, at: Readonly<Record<string, number>>): ExpressionTrace {
  const graph = buildExpressionGraph(source, at);
  const { nodes, variables } = graph;
  const output = graph.output;
  const diagnostics: Diagnostic[] = [];

  if ('tensor' in output && output.tensor.requiresGrad) output.tensor.backward(undefined, { retainAll: true });

  const localSym = (node: GraphNode): Sym =>
    node.op === 'input' ? symVar(node.id) : buildSym(opOf(node).name, node.args.map((arg) => argSym(arg, (input) => symVar(input.id))), {});

  // Each node as a formula in the variables, built bottom-up (nodes are in topological order).
  const fullSym = new Map<GraphNode, Sym>();
  for (const node of nodes) {
    fullSym.set(node, node.op === 'input' ? symVar(node.id) : buildSym(opOf(node).name, node.args.map((arg) => argSym(arg, (input) => fullSym.get(input)!)), {}));
  }

  // Reverse mode on symbols with the same registry rules: ∂f/∂v as the sum over paths.
  const local = new Map(nodes.filter((node) => node.op !== 'input').map((node) => [node, localDerivatives(node)]));
  const anyLimitTerms = [...local.values()].some(({ needsLimitTerms }) => needsLimitTerms);
  const pathSumOf = 'tensor' in output
    ? symbolicGradients(fullSym.get(output)!, symConst(1), new Map(), anyLimitTerms ? symbolicAlgebra : textbookAlgebra)
    : new Map<string, Sym>();

  // A −0 whose sign decides a line's result (1/(−0) = −∞) is written −0 there, and so in every
  // line that prints it; elsewhere (x·0 at x = −1) it stays 0.
  const signedZeros = new Set<string>();
  const substitutedText = (formula: Sym, node: GraphNode, result: number): FormulaText => {
    const values = valuesOfInputs(node);
    const { text, signedZero } = substitution(formula, values, result);
    if (signedZero) for (const [id, value] of values) if (Object.is(value, -0)) signedZeros.add(id);
    return text;
  };

  const edges: TraceEdge[] = [];
  for (const node of nodes) {
    if (node.op === 'input') continue;
    const inputIds = node.args.flatMap((arg) => (arg.kind === 'node' ? [arg.node.id] : []));
    const { numbers: numeric, needsLimitTerms } = local.get(node)!;
    const symbolic = symbolicVjp(node, node.args.map((arg) => argSym(arg, (input) => symVar(input.id))), symConst(1), needsLimitTerms ? symbolicAlgebra : textbookAlgebra);
    node.args.forEach((arg, k) => {
      if (arg.kind !== 'node') return;
      const derivative = simplifySym(symbolic[k] ?? symConst(0), inputIds);
      const text = formulaText(derivative);
      const value = numeric[k]?.item() ?? 0;
      // Its inputs to as many digits as `formula = numbers = value` needs to be true as printed (exp(88.38) is 0.4% off exp(88.384)).
      const substituted = substitutedText(derivative, node, value);
      edges.push({ from: arg.node.id, to: node.id, argument: k + 1, derivative: text.ascii, formula: text, substituted, value });
    });
  }

  const substitutedNodes = new Map(nodes.map((node) => [node, substitutedText(localSym(node), node, node.tensor.item())]));
  const traceNodes: TraceNode[] = nodes.map((node) => {
    const text = formulaText(localSym(node));
    const substituted = substitutedNodes.get(node)!;
    return {
      id: node.id,
      expression: text.ascii,
      formula: text,
      substituted,
      op: node.op,
      inputs: node.args.flatMap((arg) => (arg.kind === 'node' ? [arg.node.id] : [])),
      value: node.tensor.item(),
      ...(signedZeros.has(node.id) ? { signedZero: true } : {}),
      grad: node.tensor.grad?.item() ?? 0,
    };
  });

  const firstBadValue = nodes.find((node) => node.op !== 'input' && !Number.isFinite(node.tensor.item()) &&
    node.args.every((arg) => arg.kind === 'const' || Number.isFinite(arg.node.tensor.item())));
  if (firstBadValue !== undefined) {
    const formula = formulaText(localSym(firstBadValue));
    diagnostics.push(diagnostic('non-finite-value', 'nonFiniteValue', {
      node: firstBadValue.id, formula: { pretty: formula.pretty, latex: formula.latex }, value: formatNumber(firstBadValue.tensor.item()), inputs: describeInputs(firstBadValue, signedZeros),
    }, firstBadValue.id));
  }
  // A product, quotient, power or exponential of non-zero finite numbers is never exactly 0: a 0 there
  // is float64 underflow (10⁻²⁰⁰·10⁻²⁰⁰), and the line a = 10⁻²⁰⁰·10⁻²⁰⁰ = 0 must say so.
  const firstUnderflow = nodes.find((node) => node.op !== 'input' && opOf(node).neverZero === true && node.tensor.item() === 0 &&
    node.args.every((arg) => { const input = arg.kind === 'const' ? arg.value : arg.node.tensor.item(); return input !== 0 && Number.isFinite(input); }));
  if (firstUnderflow !== undefined) {
    const formula = formulaText(localSym(firstUnderflow));
    // The cause first: x² underflowing to 0 is why x²/x² is NaN.
    diagnostics.unshift(diagnostic('warning', 'underflow', { node: firstUnderflow.id, formula: { pretty: formula.pretty, latex: formula.latex }, inputs: describeInputs(firstUnderflow, signedZeros) }, firstUnderflow.id));
  }
  const firstBadGradient = [...nodes].reverse().find((node) => node.tensor.grad !== null && !Number.isFinite(node.tensor.grad.item()));
  if (firstBadGradient !== undefined && firstBadValue === undefined) {
    diagnostics.push(diagnostic('non-finite-gradient', 'nonFiniteGradient', {
      node: firstBadGradient.id, value: formatNumber(firstBadGradient.tensor.grad!.item()),
    }, firstBadGradient.id));
  }

  const leaves = variables.map((name) => nodes.find((node) => node.id === name)!.tensor);
  const jacobian = byName<Record<string, number>>();
  if (nodes.length - variables.length <= JACOBIAN_NODE_LIMIT) {
    for (const node of nodes) {
      const row = gradients(node.tensor, leaves);
      jacobian[node.id] = byName(variables.map((name, i) => [name, row[i]!.item()]));
    }
  } else {
    diagnostics.push(diagnostic('note', 'tooManyNodes', { limit: JACOBIAN_NODE_LIMIT }));
  }

  const derivatives = byName<string>();
  const derivativeFormulas = byName<FormulaText>();
  const derivativeValues = byName<number>();
  const pathSums = byName<FormulaText>();
  const leafOf = new Map(variables.map((name, i) => [name, leaves[i]!]));
  for (const name of variables) {
    const pathSum = pathSumOf.get(name) ?? symConst(0);
    const simplified = simplifySym(pathSum, variables);
    pathSums[name] = formulaText(pathSum);
    derivativeFormulas[name] = formulaText(simplified);
    // Left as it was (past the simplifier's size, or nothing to simplify), its value is the sum
    // the engine computed; a big one is not walked again (evaluateSym recurses).
    derivativeValues[name] = simplified === pathSum ? (leafOf.get(name)!.grad?.item() ?? 0) : evaluateSym(simplified, leafOf).item();
    derivatives[name] = derivativeFormulas[name].ascii;
  }

  const paths = byName<TracePath[]>();
  const nodeOrder = nodes.map((node) => node.id);
  const outputId = 'tensor' in output ? output.id : null;
  for (const name of variables) {
    const found = outputId === null ? [] : enumeratePaths(name, outputId, edges, nodeOrder);
    if (found === null) {
      diagnostics.push(diagnostic('note', 'tooManyPaths', { limit: PATH_LIMIT, variable: name }));
      continue;
    }
    paths[name] = found.map((edgeIndices) => {
      const nodeIds = [name, ...edgeIndices.map((index) => edges[index]!.to)];
      // Output first, as the book writes the product: ∂f/∂d·∂d/∂a·∂a/∂x.
      const onPath = edgeIndices.map((index) => edges[index]!).reverse();
      const join = (style: 'ascii' | 'pretty' | 'latex', separator: string) => onPath
        .map((edge) => (onPath.length > 1 && needsBrackets(edge.formula[style]) ? bracketed(edge.formula[style], style) : edge.formula[style])).join(separator);
      return {
        nodes: nodeIds,
        product: { ascii: join('ascii', '*'), pretty: join('pretty', '·'), latex: join('latex', ' \\cdot ') },
        value: onPath.reduce((product, edge) => product * edge.value, 1),
      };
    });
  }

  const value = 'tensor' in output ? output.tensor.item() : output.value;
  return {
    kind: 'expression',
    expression: source,
    // As typed, every bracket and sign as in the graph's nodes: x − (y − z), y·(−(−x)).
    formula: formulaText('tensor' in output ? typedSymOf(nodes, output) : unfoldedSym(parseFormula(source)), undefined, { keepGrouping: true }),
    variables,
    at: byName(variables.map((name) => [name, getByName(at, name)!])),
    value,
    gradient: byName(traceNodes.filter((node) => node.op === 'input').map((node) => [node.id, node.grad] as const)),
    derivatives,
    derivativeFormulas,
    derivativeValues,
    pathSums,
    paths,
    nodes: traceNodes,
    edges,
    jacobian,
    diagnostics,
  };
}

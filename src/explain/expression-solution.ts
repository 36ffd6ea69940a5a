import type { NumberStyle } from '../formula/numbers.js';
import { latexName, prettyName } from '../formula/write.js';
import type { Diagnostic, ExpressionTrace, TraceNode } from '../trace/types.js';
import { edgesByPair, pairValue } from '../trace/edge-pairs.js';
import { math, type Block, type Inline, type MathText, type WorkedSolution } from './document.js';
import { diagnosticBlocks } from './diagnostic-blocks.js';
import { say, type Language } from './i18n.js';
import { chain, distinct, mathOf, numberMath, partial } from './numbers-math.js';
import { sameNumbers } from '../record/same-numbers.js';

export interface ExplainOptions {
  readonly language: Language;
  readonly numbers?: NumberStyle;
  /** SVG pictures to place in the solution, by kind (the pictures module makes them). */
  readonly figures?: Readonly<Record<string, string>>;
}

const nameMath = (id: string): MathText => mathOf(prettyName(id), latexName(id));

/**
 * The worked solution of an expression problem (exercise 1): the graph's nodes as equations,
 * every edge's local derivative, the sum over paths for each input, the table of derivatives
 * of every node by every input, and the backward sweep that gets the same numbers at once.
 */
export function explainExpression(trace: ExpressionTrace & { readonly title?: string }, options: ExplainOptions): WorkedSolution {
  const { language } = options;
  const n = (value: number) => numberMath(value, options.numbers);
  // A node whose −0 decides a result it feeds prints −0 on every line, as it is written in there.
  const signedZero = new Set(trace.nodes.filter((node) => node.signedZero === true).map((node) => node.id));
  const valueOf = (id: string, value: number) => numberMath(value, { ...options.numbers, signedZero: signedZero.has(id) });
  const output = trace.nodes[trace.nodes.length - 1];
  const outputId = output === undefined || output.op === 'input' ? 'f' : output.id;
  const f = mathOf(
    `f(${trace.variables.map(prettyName).join(', ')}) = ${trace.formula.pretty}`,
    `f(${trace.variables.map(latexName).join(', ')}) = ${trace.formula.latex}`,
  );
  const point = mathOf(
    trace.variables.map((name) => `${prettyName(name)} = ${valueOf(name, trace.at[name]!).pretty}`).join(', '),
    trace.variables.map((name) => `${latexName(name)} = ${valueOf(name, trace.at[name]!).latex}`).join(',\\ '),
  );
  const blocks: Block[] = [];
  const heading = (content: Inline[], level: 2 | 3 = 2) => blocks.push({ kind: 'heading', level, content });
  const paragraph = (content: Inline[]) => blocks.push({ kind: 'paragraph', content });

  const title = trace.title ?? say(language, 'expr.title', { f }).map((part) => (part.kind === 'math' ? part.math.pretty : part.text)).join('');
  const operations = trace.nodes.filter((node) => node.op !== 'input').length;
  if (operations === 0) return { title, blocks: withoutOperations(trace, language, n) };
  paragraph(say(language, 'expr.intro', { f, point }));

  heading(say(language, 'expr.graph.heading'));
  const edges = trace.edges;
  paragraph(say(language, 'expr.graph.intro', {
    inputs: mathOf(trace.variables.map(prettyName).join(', '), trace.variables.map(latexName).join(', ')),
    nodes: trace.nodes.length, edges: edges.length,
  }));
  const graph = options.figures?.graph;
  if (graph !== undefined) blocks.push({ kind: 'figure', name: 'graph', svg: graph, caption: say(language, 'expr.graph.figure') });

  heading(say(language, 'expr.forward.heading'));
  // An underflow note stands under the line it is about (a = 10⁻²⁰⁰·10⁻²⁰⁰ = 0 is false in exact
  // arithmetic), not at the end of the solution where a reader has already used that 0.
  const besideItsLine = (remark: Diagnostic) => remark.code === 'underflow' && remark.node !== undefined;
  for (const node of trace.nodes) {
    if (node.op === 'input') continue;
    blocks.push({ kind: 'equation', parts: distinct([nameMath(node.id), node.formula, node.substituted, valueOf(node.id, node.value)]) });
    blocks.push(...diagnosticBlocks(trace.diagnostics.filter((remark) => besideItsLine(remark) && remark.node === node.id), language));
  }

  heading(say(language, 'expr.local.heading'));
  paragraph(say(language, 'expr.local.intro'));
  const local = localSymbol(trace, outputId);
  for (const pair of edgesByPair(edges)) {
    // x − x feeds x into f twice: ∂(x − x)/∂x = 1 + (−1) = 0, each argument's part and their sum.
    const value = pairValue(pair);
    const parts = pair.length === 1 ? [pair[0]!.formula, pair[0]!.substituted] : [sumOf(pair.map((edge) => edge.formula)), sumOf(pair.map((edge) => edge.substituted))];
    blocks.push({ kind: 'equation', parts: distinct([local(pair[0]!), ...parts, n(value)]) });
  }

  heading(say(language, 'expr.paths.heading'));
  paragraph(say(language, 'expr.paths.intro'));
  let pathCount = 0;
  for (const name of trace.variables) {
    const derivative = partial(nameMath(outputId), nameMath(name));
    const paths = trace.paths[name];
    if (paths === undefined) {
      paragraph(say(language, 'expr.paths.tooMany', { variable: nameMath(name) }));
    } else {
      paragraph(say(language, 'expr.paths.variable', { variable: nameMath(name), output: nameMath(outputId) }));
      blocks.push({
        kind: 'list',
        items: paths.map((path) => [math(chain(...distinct([mathOf(path.nodes.map(prettyName).join(' → '), path.nodes.map(latexName).join(' \\to ')), path.product, n(path.value)])))]),
      });
      pathCount += paths.length;
    }
    const sum = paths === undefined || paths.length === 0 ? [] : [sumOf(paths.map((path) => path.product))];
    const formula = trace.derivativeFormulas[name]!;
    // A formula that simplifies to a number is its value where f and the nodes on the way are
    // numbers (x·(1/x) gives 1 even if the engine rounds to 0.9999999999999999). Where they are not,
    // neither is the derivative: x²/x² at 0 is NaN, and the line may not say 0 = NaN.
    const constant = /^-?\d/.test(formula.ascii) && Number.isFinite(Number(formula.ascii)) ? Number(formula.ascii) : null;
    const onTheWay = new Set(paths === undefined ? trace.nodes.map((node) => node.id) : paths.flatMap((path) => path.nodes));
    const defined = trace.nodes.every((node) => !onTheWay.has(node.id) || Number.isFinite(node.value)) && Number.isFinite(trace.value);
    // Simplifying can cancel what the sum over paths still holds at the point (0·∞, ∞ − ∞, y/y at
    // 0): asin(y)·√(y − y) at y = −1 has ∂f/∂y = 0, but the sum is NaN there, and the line may not
    // say NaN = 0. (Where every number is finite, the two differ only by rounding.)
    const gradient = trace.gradient[name]!;
    // x + exp(y) at y = 1000 has f = ∞ and still ∂f/∂x = 1: a number the computation agrees with
    // is printed as usual.
    const undefinedHere = constant !== null && !defined && !sameNumbers([constant], [gradient]);
    const cancelled = (!Number.isFinite(gradient) || !defined) && !sameNumbers([trace.derivativeValues[name]!], [gradient]);
    if (undefinedHere || cancelled) {
      blocks.push({ kind: 'equation', parts: distinct([derivative, ...sum, trace.pathSums[name]!, n(gradient)]) });
      // The first node that is not a finite number says why (x·x/x at 10²⁰⁰: a = x·x = ∞).
      const culprit = trace.nodes.find((node) => onTheWay.has(node.id) && !Number.isFinite(node.value)) ?? trace.nodes.find((node) => node.id === outputId)!;
      const why = undefinedHere ? 'expr.paths.undefined' : 'expr.paths.cancelled';
      paragraph(say(language, why, { node: nameMath(culprit.id), nodeValue: n(culprit.value), derivative, formula, value: n(gradient) }));
      continue;
    }
    const value = constant !== null && constant !== trace.gradient[name]! ? [] : [n(trace.gradient[name]!)];
    blocks.push({ kind: 'equation', parts: distinct([derivative, ...sum, trace.pathSums[name]!, formula, ...value]) });
  }

  heading(say(language, 'expr.table.heading'));
  if (Object.keys(trace.jacobian).length > 0) {
    blocks.push({
      kind: 'table',
      header: [say(language, 'expr.table.node'), ...trace.variables.map((name) => [math(partial(mathOf('·', '\\cdot'), nameMath(name)))])],
      rows: trace.nodes.map((node) => [[math(nameMath(node.id))], ...trace.variables.map((name) => [math(n(trace.jacobian[node.id]?.[name] ?? 0))])]),
    });
  }

  heading(say(language, 'expr.backprop.heading'));
  paragraph(say(language, 'expr.backprop.intro'));
  blocks.push({ kind: 'equation', parts: [partial(nameMath(outputId), nameMath(outputId)), n(1)] });
  for (const node of [...trace.nodes].reverse()) {
    if (node.id === outputId) continue;
    blocks.push({ kind: 'equation', parts: backpropEquation(trace, node, outputId, n) });
  }
  paragraph(say(language, 'expr.backprop.why', { edges: edges.length, paths: pathCount }));

  blocks.push(...diagnosticBlocks(trace.diagnostics.filter((remark) => !besideItsLine(remark)), language));
  return { title, blocks };
}

/**
 * A formula with no operation has no graph, edges or paths to show: a number (2^3, folded to 8)
 * has nothing to differentiate, and a lone variable x has ∂f/∂x = 1.
 */
function withoutOperations(trace: ExpressionTrace, language: Language, n: (value: number) => MathText): Block[] {
  const f = nameMath('f');
  const variable = trace.variables[0];
  if (variable === undefined) {
    return [
      { kind: 'paragraph', content: say(language, 'expr.constant') },
      { kind: 'equation', parts: distinct([f, trace.formula, n(trace.value)]) },
      ...diagnosticBlocks(trace.diagnostics, language),
    ];
  }
  return [
    { kind: 'paragraph', content: say(language, 'expr.lone', { variable: nameMath(variable) }) },
    { kind: 'equation', parts: distinct([f, trace.formula, n(trace.value)]) },
    { kind: 'equation', parts: [partial(f, nameMath(variable)), n(trace.gradient[variable]!)] },
    ...diagnosticBlocks(trace.diagnostics, language),
  ];
}

/** ∂f/∂x = ∂f/∂a·∂a/∂x + … = 1·2 + … = value: the backward rule for one node, with numbers. */
function backpropEquation(trace: ExpressionTrace, node: TraceNode, outputId: string, n: (value: number) => MathText): MathText[] {
  // One term per node fed: two edges into the same node (x·x) add up to its local derivative.
  const consumers = edgesByPair(trace.edges.filter((edge) => edge.from === node.id))
    .map((pair) => ({ ...pair[0]!, value: pairValue(pair) }));
  const gradOf = (id: string) => trace.nodes.find((candidate) => candidate.id === id)?.grad ?? 0;
  const f = nameMath(outputId);
  const local = localSymbol(trace, outputId);
  const rule = consumers.map((edge) => {
    const outer = partial(f, nameMath(edge.to));
    const inner = local(edge);
    return mathOf(`${outer.pretty}·${inner.pretty}`, `${outer.latex} \\cdot ${inner.latex}`);
  });
  const numbers = consumers.map((edge) => {
    const [grad, value] = [signed(n(gradOf(edge.to))), signed(n(edge.value))];
    return mathOf(`${grad.pretty}·${value.pretty}`, `${grad.latex} \\cdot ${value.latex}`);
  });
  return distinct([partial(f, nameMath(node.id)), sumOf(rule), sumOf(numbers), n(node.grad)]);
}

/** A negative number as a factor or a later term is bracketed, as a teacher writes it: 1·(−1), a + (−1). */
function signed(value: MathText): MathText {
  return value.pretty.startsWith('−') ? mathOf(`(${value.pretty})`, `\\left(${value.latex}\\right)`) : value;
}

/** Terms added up, a negative one after the first in brackets. */
function sumOf(terms: readonly MathText[]): MathText {
  const written = terms.map((term, i) => (i === 0 ? term : signed(term)));
  return mathOf(written.map((term) => term.pretty).join(' + '), written.map((term) => term.latex).join(' + '));
}

/**
 * The symbol of an edge's local derivative: ∂c/∂a. An edge into the output f from a variable
 * (or from a node used elsewhere too) would read ∂f/∂x, the name of the whole derivative, so it
 * is written with the output's formula instead: ∂(d − x)/∂x = −1, next to ∂f/∂x = −0.4934.
 */
function localSymbol(trace: ExpressionTrace, outputId: string): (edge: ExpressionTrace['edges'][number]) => MathText {
  const output = trace.nodes.find((node) => node.id === outputId);
  return (edge) => {
    // A node used once reaches f only through this edge: its local and whole derivatives are one number.
    const elsewhere = trace.variables.includes(edge.from) || trace.edges.filter((other) => other.from === edge.from).length > 1;
    if (edge.to !== outputId || !elsewhere || output === undefined) return partial(nameMath(edge.to), nameMath(edge.from));
    const by = nameMath(edge.from);
    return mathOf(`∂(${output.formula.pretty})/∂${by.pretty}`, `\\frac{\\partial \\left(${output.formula.latex}\\right)}{\\partial ${by.latex}}`);
  };
}


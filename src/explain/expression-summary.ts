import { latexName, prettyName } from '../formula/write.js';
import { messageText } from '../messages/catalogue.js';
import type { ExpressionTrace } from '../trace/types.js';
import { math, type Block, type Inline, type MathText, type WorkedSolution } from './document.js';
import { diagnosticBlocks } from './diagnostic-blocks.js';
import type { ExplainOptions } from './expression-solution.js';
import { say } from './i18n.js';
import { mathOf, numberMath, partial } from './numbers-math.js';

const nameMath = (id: string): MathText => mathOf(prettyName(id), latexName(id));

/** Formulas joined into one: ∂f/∂x = 10,  ∂f/∂y = 7. */
const list = (parts: readonly MathText[]): MathText =>
  mathOf(parts.map((part) => part.pretty).join(',  '), parts.map((part) => part.latex).join(',\\quad '));

/**
 * What `mashagrad grad` prints without --explain: the value, the gradient, the derivative
 * formulas, and the computation graph's nodes and edges as two tables. The whole worked
 * solution (explainExpression) shows the same numbers with every step written out.
 */
export function summarizeExpression(trace: ExpressionTrace, options: ExplainOptions): WorkedSolution {
  const { language } = options;
  const n = (value: number) => numberMath(value, options.numbers);
  const f = mathOf('f');
  const blocks: Block[] = [];
  const paragraph = (content: Inline[]) => blocks.push({ kind: 'paragraph', content });
  const word = (key: Parameters<typeof say>[1]) => say(language, key);

  paragraph(say(language, 'grad.value', { value: mathOf(`f = ${n(trace.value).pretty}`, `f = ${n(trace.value).latex}`) }));
  if (trace.variables.length > 0) {
    const gradient = trace.variables.map((name) => {
      const by = partial(f, nameMath(name));
      const value = n(trace.gradient[name]!);
      return mathOf(`${by.pretty} = ${value.pretty}`, `${by.latex} = ${value.latex}`);
    });
    paragraph(say(language, 'grad.gradient', { gradient: list(gradient) }));
    paragraph(word('grad.derivatives'));
    for (const name of trace.variables) blocks.push({ kind: 'equation', parts: [partial(f, nameMath(name)), trace.derivativeFormulas[name]!] });
  }

  if (trace.variables.length === 0) paragraph(word('expr.constant'));
  else blocks.push({ kind: 'heading', level: 2, content: word('grad.nodes.heading') });
  const node = messageText(language, 'grad.nodes.node');
  if (trace.nodes.length > 0) blocks.push({
    kind: 'table',
    header: [word('grad.nodes.node'), word('grad.nodes.computes'), word('grad.value.column'), [math(mathOf(`∂f/∂${node}`, `\\partial f/\\partial\\,\\text{${node}}`))]],
    rows: trace.nodes.map((row) => [
      [math(nameMath(row.id))],
      row.op === 'input' ? word('grad.nodes.input') : [math(mathOf(`${prettyName(row.id)} = ${row.formula.pretty}`, `${latexName(row.id)} = ${row.formula.latex}`))],
      [math(n(row.value))],
      [math(n(row.grad))],
    ]),
  });
  if (trace.edges.length > 0) {
    blocks.push({ kind: 'heading', level: 2, content: word('grad.edges.heading') });
    blocks.push({
      kind: 'table',
      header: [word('grad.edges.edge'), word('grad.edges.derivative'), word('grad.value.column')],
      rows: trace.edges.map((edge) => {
        const derivative = partial(nameMath(edge.to), nameMath(edge.from));
        return [
          [math(mathOf(`${prettyName(edge.from)} → ${prettyName(edge.to)}`, `${latexName(edge.from)} \\to ${latexName(edge.to)}`))],
          [math(mathOf(`${derivative.pretty} = ${edge.formula.pretty}`, `${derivative.latex} = ${edge.formula.latex}`))],
          [math(n(edge.value))],
        ];
      }),
    });
  }
  blocks.push(...diagnosticBlocks(trace.diagnostics, language));

  // The point names each variable as every line below does (μ for mu); the formula stays as typed.
  const point = trace.variables.map((name) => `${prettyName(name)} = ${n(trace.at[name]!).pretty}`).join(', ');
  const formula = trace.variables.length === 0 ? `f = ${trace.expression}` : `f(${trace.variables.join(', ')}) = ${trace.expression}`;
  return { title: point === '' ? formula : messageText(language, 'grad.title', { f: formula, point }), blocks };
}

import { latexName, prettyName } from '../formula/write.js';
import type { MessageKey } from '../messages/catalogue.js';
import type { SymbolicTrace } from '../trace/types.js';
import type { Block, Inline, MathText, WorkedSolution } from './document.js';
import type { ExplainOptions } from './expression-solution.js';
import { noteBlocks, say } from './i18n.js';
import { mathOf, partial } from './numbers-math.js';

/**
 * The general algorithm in matrix form (exercise 5): all outputs, all intermediate
 * derivatives, the rule by which d accumulates, and the gradient step — every formula
 * generated from the layers' compute() and the registry's vjp rules.
 */
export function explainSymbolic(trace: SymbolicTrace, options: ExplainOptions): WorkedSolution {
  const { language } = options;
  const blocks: Block[] = [];
  const heading = (content: Inline[]) => blocks.push({ kind: 'heading', level: 2, content });
  const paragraph = (content: Inline[]) => blocks.push({ kind: 'paragraph', content });
  const equation = (...parts: MathText[]) => blocks.push({ kind: 'equation', parts });
  const word = (key: MessageKey) => say(language, key).map((part) => (part.kind === 'text' ? part.text : '')).join('');

  paragraph(say(language, 'sym.intro', {
    network: mathOf(`ŷ = ${trace.network.pretty}`, `\\hat{y} = ${trace.network.latex}`),
    loss: mathOf(`L = ${trace.lossLine.formula.pretty}`, `L = ${trace.lossLine.formula.latex}`),
  }));
  // The problem file's own remark, in the reader's language where it gives one.
  blocks.push(...noteBlocks(trace.note, language));
  const flow = options.figures?.flow;
  if (flow !== undefined) blocks.push({ kind: 'figure', name: 'flow', svg: flow, caption: say(language, 'sym.figure.flow') });
  const shapes = (line: { pretty: string; latex: string } | undefined) => {
    if (line !== undefined) paragraph(say(language, 'sym.shapes', { shapes: mathOf(line.pretty, line.latex) }));
  };
  const elementwise = (line: { pretty: string; latex: string } | undefined) => {
    if (line !== undefined) paragraph(say(language, 'sym.elementwise', { formula: mathOf(line.pretty, line.latex) }));
  };
  heading(say(language, 'sym.forward.heading'));
  if (trace.forward.some((line) => line.shapes !== undefined)) paragraph(say(language, 'sym.shapes.intro'));
  for (const line of trace.forward) {
    equation(line.name, line.formula);
    elementwise(line.elementwise);
    shapes(line.shapes);
  }
  equation(trace.lossLine.name, trace.lossLine.formula);

  heading(say(language, 'sym.backward.heading'));
  paragraph(say(language, 'sym.backward.start'));
  equation(mathOf('d'), partial(mathOf('L'), mathOf('ŷ', '\\hat{y}')), trace.start.formula);
  for (const step of trace.backward) {
    for (const [name, gradient] of Object.entries(step.grads)) {
      paragraph(say(language, 'sym.backward.param', { name: mathOf(prettyName(name), latexName(name)) }));
      equation(partial(mathOf('L'), mathOf(prettyName(name), latexName(name))), gradient);
      elementwise(step.elementwise?.grads[name]);
      shapes(step.shapes?.grads[name]);
    }
    paragraph(say(language, 'sym.backward.layer', { index: step.index + 1, kind: word(`layer.${step.kind}` as MessageKey), local: step.localDerivative }));
    equation(mathOf(`d ← ${step.gradInput.pretty}`, `d \\leftarrow ${step.gradInput.latex}`));
    elementwise(step.elementwise?.gradInput);
    shapes(step.shapes?.gradInput);
  }
  paragraph(say(language, 'sym.rule'));

  heading(say(language, 'sym.update.heading'));
  for (const update of trace.updates) equation(mathOf(`${update.name.pretty} ← ${update.formula.pretty}`, `${update.name.latex} \\leftarrow ${update.formula.latex}`));
  return { title: trace.title !== '' ? trace.title : word('sym.title'), blocks };
}

import type { LayerTrace, Worked } from '../trace/types.js';
import type { MessageKey } from '../messages/catalogue.js';
import type { Block, Inline, MathText, WorkedSolution } from './document.js';
import type { ExplainOptions } from './expression-solution.js';
import { say } from './i18n.js';
import { distinct, mathOf, partial, valuesMath } from './numbers-math.js';

const plain = (content: readonly Inline[]) => content.map((part) => (part.kind === 'text' ? part.text : '')).join('');

/**
 * The worked solution of one layer asked about on its own (exercise 4): what arrives (input and
 * the accumulated gradient from above), the forward formula with numbers, the local derivative,
 * the gradient passed down (the backward formula with numbers) and the parameters' gradients.
 */
export function explainLayer(trace: LayerTrace, options: ExplainOptions): WorkedSolution {
  const { language } = options;
  const numbers = options.numbers ?? {};
  const v = (values: Parameters<typeof valuesMath>[0]) => valuesMath(values, numbers);
  const blocks: Block[] = [];
  const paragraph = (content: Inline[]) => blocks.push({ kind: 'paragraph', content });
  const heading = (content: Inline[]) => blocks.push({ kind: 'heading', level: 3, content });
  const equation = (...parts: MathText[]) => blocks.push({ kind: 'equation', parts: distinct(parts) });
  const workedEquation = (name: MathText, worked: Worked) => equation(name, worked.formula, worked.substituted, v(worked.result));
  const { formulas, step } = trace;
  const kind = plain(say(language, `layer.${step.kind}` as MessageKey));
  const named = (value: MathText, values: Parameters<typeof valuesMath>[0]) => mathOf(`${value.pretty} = ${v(values).pretty}`, `${value.latex} = ${v(values).latex}`);

  paragraph(say(language, 'one.intro', { index: step.index + 1, kind, x: named(formulas.input, step.input), d: named(mathOf('d'), step.gradOutput) }));
  const parameters = Object.entries(trace.params);
  if (parameters.length > 0) {
    paragraph(say(language, 'one.parameters'));
    for (const [key, value] of parameters) equation(formulas.parameters[key]!, v(value));
  }

  heading(say(language, 'net.forward.heading'));
  paragraph(say(language, 'one.forward'));
  for (const part of step.worked.intermediates ?? []) {
    if (part.worked === undefined) equation(part.name, v(part.result));
    else workedEquation(part.name, part.worked);
  }
  workedEquation(formulas.output, step.worked.forward);

  heading(say(language, 'net.backward.heading'));
  if (formulas.jacobian !== undefined) {
    paragraph(say(language, 'net.backward.jacobian', { kind }));
    equation(formulas.jacobian);
  } else if (step.worked.skipLocal !== true) {
    paragraph(say(language, 'net.backward.local'));
    const local = step.worked.localDerivative;
    const hasValue = !(Array.isArray(local.result) && local.result.length === 0);
    equation(partial(formulas.output, formulas.input), local.formula, local.substituted, ...(hasValue ? [v(local.result)] : []));
  }
  const parts = step.worked.inputParts ?? [];
  if (parts.length > 0) {
    // Back through time, as in a network's solution: each step's share, then ∂L/∂X.
    paragraph(say(language, 'net.backward.parts'));
    for (const part of parts) workedEquation(part.name, part.worked);
    paragraph(say(language, 'net.backward.down'));
    equation(partial(mathOf('L'), formulas.input), v(step.worked.gradInput.result));
  } else {
    paragraph(say(language, step.worked.skipLocal === true ? 'net.backward.down' : 'one.down'));
    workedEquation(partial(mathOf('L'), formulas.input), step.worked.gradInput);
  }
  if (parameters.length === 0) paragraph(say(language, 'one.noParameters'));
  for (const [key, gradient] of Object.entries(step.worked.grads)) {
    paragraph(say(language, 'net.backward.param', { name: formulas.parameters[key]! }));
    workedEquation(partial(mathOf('L'), formulas.parameters[key]!), gradient);
  }
  return { title: trace.title !== '' ? trace.title : plain(say(language, 'one.title')), blocks };
}

import { latexName, prettyName } from '../formula/write.js';
import { writtenFor } from '../record/update.js';
import type { MessageKey } from '../messages/catalogue.js';
import type { AnswerCheck, AnswerDifference, AnswerReport } from '../trace/types.js';
import type { Block, Inline } from './document.js';
import { say, type Language } from './i18n.js';
import { numberMath, partial, valuesMath } from './numbers-math.js';
import type { NumberStyle } from '../formula/numbers.js';

/** Symbols of the parameters by their trace names: 0.weight → W₁. */
export type ParameterNames = Readonly<Record<string, { readonly pretty: string; readonly latex: string }>>;

const name = (id: string) => ({ pretty: prettyName(id), latex: latexName(id) });

/** The quantity a check is about, in the reader's language, from its JSON path. */
function label(check: AnswerCheck, language: Language, parameters: ParameterNames): Inline[] {
  const path = check.path;
  let match: RegExpExecArray | null;
  if ((match = /^nodes\.(\w+)$/.exec(path)) !== null) return say(language, 'check.label.node', { node: name(match[1]!) });
  if ((match = /^edges\.(\w+)\/(\w+)$/.exec(path)) !== null) return say(language, 'check.label.edge', { derivative: partial(name(match[1]!), name(match[2]!)) });
  if ((match = /^edges\.(\w+)\/(\w+):(\d+)$/.exec(path)) !== null) {
    return say(language, 'check.label.edgeArgument', { derivative: partial(name(match[1]!), name(match[2]!)), argument: match[3]! });
  }
  if (path === 'value') return say(language, 'check.label.value');
  if ((match = /^kronecker\.(\w+)$/.exec(path)) !== null) return say(language, 'check.label.kronecker', { derivative: check.label });
  if ((match = /^(gradient|derivatives)\.(\w+)$/.exec(path)) !== null) {
    return say(language, match[1] === 'gradient' ? 'check.label.gradient' : 'check.label.derivative', { derivative: partial(name('f'), name(match[2]!)) });
  }
  if ((match = /^steps\[(\d+)\]\.layers\.(\d+)\.(output|gradOutput|gradInput)$/.exec(path)) !== null) {
    return say(language, `check.label.${match[3]}` as MessageKey, { step: match[1]!, layer: Number(match[2]!) + 1 });
  }
  if ((match = /^layers\.(\d+)\.(output|localDerivative|gradInput)$/.exec(path)) !== null) {
    const key = match[2] === 'output' ? 'layerOutput' : match[2] === 'localDerivative' ? 'layerLocal' : 'layerGradInput';
    return say(language, `check.label.${key}`, { layer: Number(match[1]!) + 1 });
  }
  if ((match = /^grads\.(\d+\.\w+)$/.exec(path)) !== null) {
    return say(language, 'check.label.layerGrads', { parameter: parameters[match[1]!] ?? { pretty: match[1]!, latex: `\\text{${match[1]!}}` } });
  }
  if ((match = /^steps\[(\d+)\]\.(prediction|loss|gradPrediction)$/.exec(path)) !== null) return say(language, `check.label.${match[2]}` as MessageKey, { step: match[1]! });
  if ((match = /^steps\[(\d+)\]\.updates\.(\d+\.\w+)\.(\w+)$/.exec(path)) !== null) {
    // A line of the optimizer's update (v, m, m̂), written with its parameter as the solution does: v_W₁.
    const parameter = parameters[match[2]!] ?? { pretty: match[2]!, latex: `\\text{${match[2]!}}` };
    return say(language, 'check.label.update', { step: match[1]!, quantity: writtenFor(match[3]!, parameter) });
  }
  if ((match = /^steps\[(\d+)\]\.(grads|params)\.(.+)$/.exec(path)) !== null) {
    return say(language, `check.label.${match[2]}` as MessageKey, { step: match[1]!, parameter: parameters[match[3]!] ?? { pretty: match[3]!, latex: `\\text{${match[3]!}}` } });
  }
  return [{ kind: 'text', text: path }];
}

/** One and two answers have sentences of their own: “Your answer is right”, “Both answers are right”. */
const ALL_RIGHT: Readonly<Partial<Record<number, MessageKey>>> = { 1: 'check.allRight.one', 2: 'check.allRight.two' };

const asText = (content: readonly Inline[]) => content.map((part) => (part.kind === 'math' ? part.math.pretty : part.text)).join('');
/** A label opening a sentence (after "Right." or "Верно.") starts with a capital. */
const capitalised = (text: string) => text.charAt(0).toLocaleUpperCase() + text.slice(1);

/** "Checking your answers": each answer right or wrong, the first wrong one, carried-over mistakes. */
export function answerBlocks(report: AnswerReport, language: Language, numbers: NumberStyle = {}, parameters: ParameterNames = {}): Block[] {
  const value = (given: AnswerCheck['given']) => (typeof given === 'string' ? { pretty: given, latex: `\\texttt{${given.replace(/[\\{}$&#^_%~]/g, '')}}` } : valuesMath(given, numbers));
  const blocks: Block[] = [{ kind: 'heading', level: 2, content: say(language, 'check.heading') }];
  const wrong = report.checks.filter((check) => check.verdict !== 'right');
  if (wrong.length === 0) {
    blocks.push({ kind: 'note', tone: 'right', content: say(language, ALL_RIGHT[report.checks.length] ?? 'check.allRight', { count: report.checks.length }) });
    return blocks;
  }
  const first = report.checks.find((check) => check.path === report.firstWrong);
  // "Later numbers are off too" only where some are: a ReLU may hide the slip from everything above it.
  const spreads = report.carriedFromFirst === undefined ? report.checks.some((check) => check.verdict === 'carried') : report.carriedFromFirst.length > 0;
  if (first !== undefined) blocks.push({ kind: 'note', tone: 'info', content: say(language, spreads ? 'check.firstCarried' : 'check.first', { name: asText(label(first, language, parameters)) }) });
  for (const check of report.checks) {
    const params = { name: capitalised(asText(label(check, language, parameters))), given: value(check.given), expected: value(check.expected) };
    const key = check.verdict === 'right' ? 'check.right' : check.verdict === 'carried' ? 'check.carried' : 'check.wrong';
    blocks.push({ kind: 'note', tone: check.verdict === 'right' ? 'right' : 'wrong', content: say(language, key, params) });
    if (check.differsAt !== undefined) blocks.push({ kind: 'paragraph', content: differenceText(check.differsAt, language, numbers) });
  }
  return blocks;
}

/** Where a formula compared as a function is off: the values it was compared at, the entry, both numbers. */
function differenceText(difference: AnswerDifference, language: Language, numbers: NumberStyle): Inline[] {
  const point = Object.entries(difference.point).map(([variable, values]) => {
    const shown = valuesMath(values, numbers);
    return { pretty: `${prettyName(variable)} = ${shown.pretty}`, latex: `${latexName(variable)} = ${shown.latex}` };
  });
  const at = { pretty: point.map((p) => p.pretty).join(', '), latex: point.map((p) => p.latex).join(',\\ ') };
  return say(language, 'check.differsAt', { point: at, row: difference.row, column: difference.column, given: numberMath(difference.given, numbers), expected: numberMath(difference.expected, numbers) });
}

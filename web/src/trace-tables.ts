import { formatNumber, type ExpressionTrace, type SymbolicTrace } from '../../src/index.js';
import { element } from './dom.js';
import { opWord, word, type Language } from './i18n.js';

/** Every node of a formula with its operation, value and ∂f/∂node: the formula mode's table, also problem mode's for exercise 1. */
export function nodeTableRows(trace: ExpressionTrace, language: Language): HTMLElement[] {
  const header = element('tr', {}, ...(['node', 'op', 'expression', 'value', 'grad'] as const).map((key) => element('th', {}, word(language, key))));
  const rows = trace.nodes.map((node) =>
    element('tr', { 'data-node': node.id },
      element('td', { class: 'id' }, node.id),
      element('td', { class: 'op' }, opWord(language, node.op)),
      element('td', { class: 'expression' }, node.formula.pretty),
      element('td', { class: 'value' }, formatNumber(node.value)),
      element('td', { class: 'grad' }, formatNumber(node.grad))));
  return [element('thead', {}, header), element('tbody', {}, ...rows)];
}

/** The general algorithm of a network with named weights (exercise 5): forward, loss, backward, updates, one line each. */
export function algorithmTables(trace: SymbolicTrace, language: Language): HTMLElement[] {
  const table = (caption: string, rows: readonly (readonly [string, string])[]) =>
    element('table', { class: 'algorithm' }, element('caption', {}, caption),
      element('tbody', {}, ...rows.map(([name, formula]) => element('tr', {}, element('td', {}, name), element('td', { class: 'formula' }, formula)))));
  const line = ({ name, formula }: SymbolicTrace['forward'][number]) => [name.pretty, formula.pretty] as const;
  return [
    table(word(language, 'forwardPass'), [...trace.forward.map(line), line(trace.lossLine)]),
    table(word(language, 'backwardPass'), [line(trace.start), ...trace.backward.map((step) => [`${word(language, 'layer')} ${step.index}: ${step.kind}`, step.gradInput.pretty] as const)]),
    table(word(language, 'updates'), trace.updates.map(line)),
  ];
}

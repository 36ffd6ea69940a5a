import { formatNumber, type ExpressionTrace, type SymbolicTrace } from '../../src/index.js';
import { element } from './dom.js';
import { opWord, word, type Language } from './i18n.js';

const NODE_COLUMNS = ['id', 'op', 'expression', 'value', 'grad'] as const;
const NODE_HEADINGS = ['node', 'op', 'expression', 'value', 'grad'] as const;
type TraceNode = ExpressionTrace['nodes'][number];

/** What a node's row shows, column by column (NODE_COLUMNS). */
function nodeCellTexts(node: TraceNode, language: Language): string[] {
  return [node.id, opWord(language, node.op), node.formula.pretty, formatNumber(node.value), formatNumber(node.grad)];
}

function nodeRow(node: TraceNode, language: Language): HTMLTableRowElement {
  const texts = nodeCellTexts(node, language);
  return element('tr', { 'data-node': node.id }, ...NODE_COLUMNS.map((column, k) => element('td', { class: column }, texts[k]!)));
}

function nodeHeader(language: Language): HTMLTableSectionElement {
  return element('thead', {}, element('tr', {}, ...NODE_HEADINGS.map((key) => element('th', {}, word(language, key)))));
}

/** Every node of a formula with its operation, value and ∂f/∂node: the formula mode's table, also problem mode's for exercise 1. */
export function nodeTableRows(trace: ExpressionTrace, language: Language): HTMLElement[] {
  return [nodeHeader(language), element('tbody', {}, ...trace.nodes.map((node) => nodeRow(node, language)))];
}

/**
 * Shows `trace`'s nodes in `table`, changing only what differs from what it shows: a row is
 * kept by node id and only its changed cells get new text. After an edit of a big formula most
 * rows are unchanged, and the browser then restyles and lays out only the few that changed
 * (replacing all 81 rows made one frame of the edit much longer).
 */
export function updateNodeTable(table: HTMLTableElement, trace: ExpressionTrace, language: Language): void {
  const header = nodeHeader(language);
  if (table.tHead?.textContent !== header.textContent || table.tBodies.length !== 1) {
    table.replaceChildren(...nodeTableRows(trace, language));
    return;
  }
  const body = table.tBodies[0]!;
  const rowsById = new Map<string, HTMLTableRowElement>();
  for (const row of Array.from(body.rows)) rowsById.set(row.dataset.node ?? '', row);
  trace.nodes.forEach((node, index) => {
    const kept = rowsById.get(node.id);
    rowsById.delete(node.id);
    const row = kept ?? nodeRow(node, language);
    if (kept !== undefined) {
      const texts = nodeCellTexts(node, language);
      Array.from(row.cells).forEach((cell, k) => {
        if (cell.textContent !== texts[k]) cell.textContent = texts[k]!;
      });
    }
    // Moved only when out of place, so an unchanged row is not taken out and put back.
    if (body.rows[index] !== row) body.insertBefore(row, body.rows[index] ?? null);
  });
  for (const gone of rowsById.values()) gone.remove();
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

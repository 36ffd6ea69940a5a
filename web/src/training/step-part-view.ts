import { formatNumber } from '../../../src/index.js';
import { element } from '../dom.js';
import { word, type Language, type Word } from '../i18n.js';
import type { StepPart } from './step-part.js';

/** At most this many of a batch's numbers are written out; the rest are counted. */
const SHOWN_ROWS = 12;

function numbers(values: readonly number[]): string {
  const shown = values.slice(0, SHOWN_ROWS).map((value) => formatNumber(value)).join(', ');
  const text = values.length > SHOWN_ROWS ? `${shown}, … (${values.length})` : shown;
  return values.length === 1 ? text : `(${text})`;
}

/**
 * A neuron's or a weight's part of the worked step as a table: what each line is, the layer's
 * formula it comes from, the entry, and its numbers (one per row of the batch). The numbers are
 * also in data-values, exactly, for the tests.
 */
export function stepPartTable(part: StepPart, stepNumber: number, language: Language, noteWord: Word = 'partNote'): HTMLElement[] {
  const heading = element('h3', {}, word(language, 'partHeading').replace('{name}', part.name).replace('{step}', String(stepNumber)));
  const rows = part.lines.map((line) => element('tr', { 'data-part': line.key, 'data-values': JSON.stringify(line.values) },
    element('th', { scope: 'row' }, word(language, line.what)),
    element('td', { class: 'part-formula' }, line.formula),
    element('td', { class: 'part-entry' }, line.entry),
    element('td', { class: 'part-values' }, `= ${numbers(line.values)}`)));
  // Which step it is part of: training mode's next step, or the step Problem mode's picture shows.
  const note = element('p', { class: 'part-note' }, word(language, noteWord));
  return [heading, note, element('table', { class: 'step-part-table' }, element('tbody', {}, ...rows))];
}

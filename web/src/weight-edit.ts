import { isMap, isScalar, parseDocument, type Document } from 'yaml';
import type { Values } from '../../src/index.js';

/**
 * Editing a starting weight rewrites the problem file, so the text in the editor, the link
 * and the solution always agree: the edit is one number in the YAML (everything else kept as
 * typed), and the page solves the new file as it would any other.
 */

/** One entry of a parameter: `0.weight` [i, j] of a matrix, `0.bias` [i] of a vector. */
export interface WeightEntry {
  /** The parameter's name in the trace: LAYER.weight or LAYER.bias. */
  readonly name: string;
  readonly index: readonly number[];
}

/** The problem text with one starting weight changed; `params` are the trace's starting parameters. */
export function withWeight(text: string, params: Readonly<Record<string, Values>>, entry: WeightEntry, value: number): string {
  const [layerText, kind] = entry.name.split('.');
  const layer = Number(layerText);
  if (!Number.isInteger(layer) || (kind !== 'weight' && kind !== 'bias') || params[entry.name] === undefined) throw new Error(`not a parameter of a linear layer: ${entry.name}`);
  const document = parseDocument(text);
  const key = kind === 'weight' ? 'weights' : 'bias';
  const path = ['model', layer, 'linear', key];
  const entryPath = [...path, ...entry.index];
  const written = document.getIn(entryPath, true);
  if (isScalar(written) && typeof written.value === 'number' && written.range !== undefined && written.range !== null) {
    // Only the number's own characters change: the rest of the text stays exactly as typed.
    const [start, end] = written.range;
    return `${text.slice(0, start)}${String(value)}${text.slice(end)}`;
  }
  // The layer's numbers come from an initialiser (or a bare `- linear`): write them all out
  // as numbers, this one changed, and drop the initialiser so nothing else moves.
  writeLayerNumbers(document, layer, params);
  document.setIn(entryPath, value);
  return document.toString({ flowCollectionPadding: false });
}

function writeLayerNumbers(document: Document, layer: number, params: Readonly<Record<string, Values>>): void {
  const item = document.getIn(['model', layer], true);
  if (!isMap(item) || !isMap(item.get('linear', true))) document.setIn(['model', layer], document.createNode({ linear: {} }));
  const options = ['model', layer, 'linear'];
  for (const option of ['init', 'value', 'seed']) document.deleteIn([...options, option]);
  const numbers = (values: Values) => document.createNode(values, { flow: true });
  const weight = params[`${layer}.weight`];
  const bias = params[`${layer}.bias`];
  if (weight !== undefined) document.setIn([...options, 'weights'], numbers(weight));
  if (bias !== undefined) document.setIn([...options, 'bias'], numbers(bias));
}

/** Every entry of a parameter, in reading order. */
export function entriesOf(name: string, values: Values): { readonly entry: WeightEntry; readonly value: number; readonly row: number }[] {
  if (typeof values === 'number') return [{ entry: { name, index: [] }, value: values, row: 0 }];
  return values.flatMap((row, i) =>
    typeof row === 'number'
      ? [{ entry: { name, index: [i] }, value: row, row: 0 }]
      : row.map((value, j) => ({ entry: { name, index: [i, j] }, value: typeof value === 'number' ? value : Number.NaN, row: i })));
}

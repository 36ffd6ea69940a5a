import type { Expected } from './settings.js';

/** Your own points: at most this many rows and characters (a link carries the text), and classes (colours). */
export const MAX_CSV_ROWS = 1000;
export const MAX_CSV_CHARS = 40_000;
export const MAX_CSV_CLASSES = 6;
const MIN_CSV_ROWS = 4;

/** Points read from a CSV: x₁, x₂ scaled into [−1, 1]², each label a class index into classNames. */
export interface CsvData {
  readonly points: Float64Array;
  readonly labels: Float64Array;
  /** The label values as written, in class order (numbers by value, words alphabetically). */
  readonly classNames: readonly string[];
}

/** Why a CSV was refused: a sentence of web/src/i18n.ts naming the row and column. */
export class CsvRefusal extends Error {
  constructor(readonly expected: Expected) {
    super(`${expected.word} ${JSON.stringify(expected.fill ?? {})}`);
  }
}

const refuse = (word: Expected['word'], fill: Record<string, string> = {}): never => {
  throw new CsvRefusal({ word, fill });
};

/** A number as a spreadsheet writes it: 0.5, −1e-3, or with a decimal comma when the separator is not a comma. */
function readNumber(text: string, decimalComma: boolean): number {
  const trimmed = (decimalComma ? text.replace(',', '.') : text).trim().replace('−', '-');
  return trimmed === '' ? Number.NaN : Number(trimmed);
}

/**
 * Two features and a label per row, separated by commas, semicolons (then 0,5 is a number, as
 * Russian spreadsheets write it) or tabs; a first row that is not numbers is a header. Labels
 * are classes: two make the usual sigmoid output, more a softmax with one colour per class.
 * Coordinates are scaled so that each one's smallest value is −1 and its largest 1.
 */
export function readCsv(text: string): CsvData {
  if (text.length > MAX_CSV_CHARS) refuse('csvTooLong', { most: String(MAX_CSV_CHARS) });
  const lines = text.split(/\r\n|\r|\n/).map((line, index) => ({ line, row: index + 1 })).filter(({ line }) => line.trim() !== '');
  if (lines.length === 0) refuse('csvEmpty');
  const first = lines[0]!.line;
  const separator = first.includes('\t') ? '\t' : first.includes(';') ? ';' : ',';
  const decimalComma = separator !== ',';
  const fields = (line: string) => line.split(separator);
  const header = !Number.isFinite(readNumber(fields(first)[0] ?? '', decimalComma));
  const rows = header ? lines.slice(1) : lines;
  if (rows.length > MAX_CSV_ROWS) refuse('csvTooManyRows', { count: String(rows.length), most: String(MAX_CSV_ROWS) });
  if (rows.length < MIN_CSV_ROWS) refuse('csvTooFewRows', { count: String(rows.length), least: String(MIN_CSV_ROWS) });
  const coordinates = new Float64Array(2 * rows.length);
  const written: string[] = [];
  rows.forEach(({ line, row }, i) => {
    const parts = fields(line);
    if (parts.length !== 3) refuse('csvColumns', { row: String(row), count: String(parts.length) });
    for (const column of [0, 1]) {
      const value = readNumber(parts[column]!, decimalComma);
      if (!Number.isFinite(value)) refuse('csvNumber', { row: String(row), column: String(column + 1), given: parts[column]!.trim() });
      coordinates[2 * i + column] = value;
    }
    const label = parts[2]!.trim();
    if (label === '') refuse('csvLabel', { row: String(row) });
    written.push(label);
  });
  const classNames = classOrder(written, decimalComma);
  if (classNames.length < 2) refuse('csvOneClass', { label: classNames[0] ?? '' });
  if (classNames.length > MAX_CSV_CLASSES) refuse('csvTooManyClasses', { count: String(classNames.length), most: String(MAX_CSV_CLASSES) });
  const index = new Map(classNames.map((name, k) => [name, k]));
  return { points: scaled(coordinates), labels: Float64Array.from(written, (label) => index.get(label)!), classNames };
}

/** The distinct labels: numbers by value when all are numbers, otherwise alphabetically. */
function classOrder(labels: readonly string[], decimalComma: boolean): string[] {
  const distinct = [...new Set(labels)];
  const numeric = distinct.every((label) => Number.isFinite(readNumber(label, decimalComma)));
  return numeric ? distinct.sort((a, b) => readNumber(a, decimalComma) - readNumber(b, decimalComma)) : distinct.sort();
}

/** Each coordinate's range onto [−1, 1] (a coordinate that never changes: 0). */
function scaled(coordinates: Float64Array): Float64Array {
  const points = new Float64Array(coordinates.length);
  for (const column of [0, 1]) {
    let [least, most] = [Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY];
    for (let i = column; i < coordinates.length; i += 2) [least, most] = [Math.min(least, coordinates[i]!), Math.max(most, coordinates[i]!)];
    for (let i = column; i < coordinates.length; i += 2) points[i] = most === least ? 0 : -1 + (2 * (coordinates[i]! - least)) / (most - least);
  }
  return points;
}

import { CsvError, parse } from 'csv-parse/sync';
import { DataError } from './data-error.js';
import { readDataFile } from './read-file.js';

/** One data row of a CSV file and the line it was read from (for messages). */
export interface CsvRow {
  readonly fields: readonly string[];
  readonly line: number;
}

/** A CSV file as rectangular text: its column names (null without a header row) and data rows. */
export interface CsvTable {
  readonly path: string;
  readonly header: readonly string[] | null;
  readonly width: number;
  readonly rows: readonly CsvRow[];
}

/**
 * Reads a comma-separated file (gzipped or not, UTF-8, optional BOM, fields trimmed, blank lines
 * skipped). `header` undefined means detect: line 1 is a header when some column is a number on
 * every other line but not on line 1 (a name like 'petal_width' over numbers). Every row must have
 * as many fields as the first.
 */
export function readCsvTable(path: string, header?: boolean): CsvTable {
  const { bytes } = readDataFile(path);
  const records: CsvRow[] = [];
  try {
    // Collected by on_record (which then drops the record) to keep csv-parse's line count: it
    // counts lines itself, as quoted fields may span several; `lines` is the record's last line.
    parse(bytes, {
      bom: true,
      trim: true,
      skip_empty_lines: true,
      relax_column_count: true,
      on_record: (fields, context) => {
        records.push({ fields, line: context.lines });
        return null;
      },
    });
  } catch (error) {
    if (error instanceof CsvError) throw new DataError(`${path}: not valid CSV: ${error.message}`);
    throw error;
  }
  const first = records[0];
  if (first === undefined) throw new DataError(`${path} is empty: expected a header line and rows of comma-separated numbers`);

  const width = first.fields.length;
  for (const record of records) {
    if (record.fields.length !== width) {
      throw new DataError(
        `${path}: line ${record.line} has ${record.fields.length} field(s), but line ${first.line} has ${width}; every row needs one value per column (a missing value or a stray comma?)`,
      );
    }
  }
  const hasHeader = header ?? looksLikeHeader(records);
  return {
    path,
    header: hasHeader ? first.fields.map((name, column) => (name === '' ? `column ${column}` : name)) : null,
    width,
    rows: hasHeader ? records.slice(1) : records,
  };
}

/**
 * The number a CSV field holds, or NaN. Only decimal and exponent notation count: Number()
 * alone would also read '' as 0 and '0x1F' or 'Infinity' as numbers.
 */
export function parseCsvNumber(text: string): number {
  return DECIMAL.test(text) ? Number(text) : NaN;
}
const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

function looksLikeHeader(records: readonly CsvRow[]): boolean {
  const [first, ...rest] = records;
  if (first === undefined) return false;
  const isNumber = (text: string): boolean => !Number.isNaN(parseCsvNumber(text));
  // A single line cannot be compared with others: call it a header if it has any name in it.
  if (rest.length === 0) return !first.fields.every(isNumber);
  return first.fields.some((text, column) => !isNumber(text) && rest.every((row) => isNumber(row.fields[column] ?? '')));
}

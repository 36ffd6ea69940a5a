import { InputError } from '../errors.js';
import { printable } from '../printable.js';
import { jsonText } from '../trace/json-text.js';

/** Where commands write: kept behind an interface so tests capture it without spawning. */
export interface Output {
  /** Whether text goes to a terminal (colours on) or a pipe or file (plain). */
  readonly isTerminal: boolean;
  text(text: string): void;
  json(value: unknown): void;
  warn(message: string): void;
}

export const consoleOutput: Output = {
  isTerminal: process.stdout.isTTY === true && process.env.NO_COLOR === undefined,
  text: (text) => process.stdout.write(`${printable(text)}\n`),
  json: (value) => process.stdout.write(`${jsonText(value, 2)}\n`),
  warn: (message) => process.stderr.write(`mashagrad: warning: ${printable(message)}\n`),
};

export function parseDigits(text: string): number {
  const digits = Number(text);
  if (!Number.isInteger(digits) || digits < 1 || digits > 17) {
    throw new InputError(`--digits: '${text}' is not a whole number from 1 to 17`);
  }
  return digits;
}

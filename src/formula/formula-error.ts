import { InputError } from '../errors.js';

/** A problem at a place in a formula: the message shows the formula with a caret under it. */
export class FormulaError extends InputError {
  override readonly name = 'FormulaError';

  constructor(
    readonly reason: string,
    readonly formula: string,
    /** 0-based index of the first character at fault. */
    readonly index: number,
    readonly length = 1,
  ) {
    const caret = `${' '.repeat(index)}${'^'.repeat(Math.max(1, length))}`;
    super(`${reason} (column ${index + 1})\n  ${formula}\n  ${caret}`);
  }

  get column(): number {
    return this.index + 1;
  }
}

import { InputError } from '../errors.js';
import { echoWindow, printable } from '../printable.js';

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
    // A long formula is echoed only around the place at fault.
    const shown = echoWindow(formula.replace(/[\n\t]/g, ' '), index, index + Math.max(1, length));
    // Control characters print as \xNN escapes: the caret is placed under the printed text.
    const caret = `${' '.repeat(printable(shown.text.slice(0, shown.start)).length)}${'^'.repeat(Math.max(1, printable(shown.text.slice(shown.start, shown.end)).length))}`;
    super(`${reason} (column ${index + 1})\n  ${printable(shown.text)}\n  ${caret}`);
  }

  get column(): number {
    return this.index + 1;
  }
}

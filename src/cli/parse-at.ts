import { byName, hasName, type ByName } from '../by-name.js';
import { InputError } from '../errors.js';
import { NUMBER_TEXT } from '../formula/parse.js';

/** A variable name of the formula grammars. */
export const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** "x=1,y=-3.5" (and repeated --at flags) → { x: 1, y: -3.5 }, naming any malformed part. */
export function parseAssignments(parts: readonly string[]): ByName<number> {
  const values = byName<number>();
  for (const part of parts.flatMap((text) => text.split(','))) {
    const item = part.trim();
    if (item === '') continue;
    const equals = item.indexOf('=');
    if (equals < 0) throw new InputError(`--at: '${item}' is not of the form name=number (for example x=1,y=-3.5)`);
    const name = item.slice(0, equals).trim();
    const text = item.slice(equals + 1).trim();
    if (!VARIABLE_NAME.test(name)) throw new InputError(`--at: '${name}' is not a variable name (letters, digits and _; not starting with a digit)`);
    // One number syntax with the formula grammar (a sign, then 12, 0.5, .5, 1e-3): no 0x10, 0b11, Infinity.
    const value = Number(text);
    if (!NUMBER_TEXT.test(text.replace(/^[+-]/, '')) || !Number.isFinite(value)) {
      throw new InputError(`--at: the value of ${name}, '${text}', is not a finite number (write it as in a formula: 3, -0.5, 1e-3)`);
    }
    if (hasName(values, name)) throw new InputError(`--at: ${name} is given twice`);
    values[name] = value;
  }
  return values;
}

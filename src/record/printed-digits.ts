import { tensor } from '../autograd/create.js';
import type { Tensor } from '../autograd/tensor.js';
import { evaluateSym } from '../formula/evaluate.js';
import { formulaText, type FormulaText } from '../formula/formula-text.js';
import { asFraction, EXACT_DIGITS } from '../formula/numbers.js';
import type { Sym } from '../formula/symbolic.js';
import { valuesSubstitution, type Values } from '../formula/values-text.js';

/**
 * Significant digits tried for a line's substituted numbers; 4 is what every number prints with,
 * the last every digit (a saturated sigmoid's 0.99999999999997, which 12 digits print as 1).
 */
const DIGITS = [4, 5, 6, 7, 8, 10, 12, EXACT_DIGITS];
const RESULT_DIGITS = 4;

/**
 * A number as it prints with `digits` significant digits (a simple fraction exactly); −0 prints
 * as 0 unless the line asks for the sign of zero (`signedZero`).
 */
function printed(value: number, digits: number, signedZero: boolean): number {
  if (value === 0) return signedZero ? value : 0;
  if (!Number.isFinite(value) || digits >= EXACT_DIGITS) return value;
  const fraction = asFraction(value);
  return fraction !== null ? fraction.numerator / fraction.denominator : Number(value.toPrecision(digits));
}

const rounded = (values: Values, digits: number, signedZero: boolean): Values =>
  typeof values === 'number' ? printed(values, digits, signedZero) : values.map((value) => rounded(value, digits, signedZero));
/** The numbers of a value in order (one array, no intermediate ones: this runs for every line). */
function flat(values: Values, into: number[] = []): number[] {
  if (typeof values === 'number') into.push(values);
  else for (const value of values) flat(value, into);
  return into;
}

/**
 * Whether a value computed from the printed numbers reads as the printed result: within a tenth
 * of a percent of it (products of 4-digit numbers come that close: 3.718·0.1966 = 0.73096 for
 * 0.7311), or within a ten-thousandth of the line's largest number for an entry near 0 (0.1 −
 * 0.1·1.000078 for 7.8e-11). 1/(1 − 0.9859) = 70.92 for 71.11 is 0.26% off: not the same number.
 */
function readsAs(computed: number, result: number, scale: number): boolean {
  if (Number.isNaN(computed) || Number.isNaN(result)) return Number.isNaN(computed) && Number.isNaN(result);
  if (!Number.isFinite(computed) || !Number.isFinite(result)) return computed === result;
  return Math.abs(computed - result) <= 1e-3 * Math.abs(result) + 1e-4 * Math.max(1, scale);
}

function largestOf(values: Values): number {
  let largest = 0;
  for (const value of flat(values)) if (Number.isFinite(value) && Math.abs(value) > largest) largest = Math.abs(value);
  return largest;
}

function agreesWith(computed: Values, result: Values, scale: number): boolean {
  const got = flat(computed);
  const want = flat(result);
  if (got.length !== want.length && got.length !== 1) return false;
  return want.every((value, i) => readsAs(got[got.length === 1 ? 0 : i]!, value, scale));
}

/** How a line's numbers print: significant digits, and whether −0 is written −0. */
export interface PrintedNumbers {
  readonly digits: number;
  readonly signedZero: boolean;
}

/**
 * The fewest significant digits the numbers written into a line need for the line to be true as
 * printed: what the numbers give, computed exactly as printed, rounds to the result as printed.
 * 1/(1 − 0.9859) is 70.92, not the 71.11 of the unrounded ŷ, so that line prints ŷ to as many
 * digits as it takes. A −0 is written −0 only where its sign decides the result: (−2.4)/(−0) = ∞,
 * which (−2.4)/0 is not; elsewhere (a ReLU's 0·(−2)) it prints 0. `compute` gets the rounding to
 * apply to each number it reads. Null where nothing does it: the formula cannot give the result
 * from these numbers (a loss computed from the logits where ŷ is 1 to the last bit) or the
 * kernels cannot evaluate it.
 */
export function numbersNeeded(compute: (round: (values: Values) => Values) => Values, inputs: readonly Values[], result: Values): PrintedNumbers | null {
  const hasNegativeZero = inputs.some((values) => flat(values).some((value) => Object.is(value, -0)));
  const scale = Math.max(1e-300, largestOf(result), ...inputs.map(largestOf));
  // A NaN or ∞ among the results reads as itself (readsAs), so the other entries still get their
  // digits; a result with no finite number needs none, only perhaps the sign of a zero.
  const noDigits = { digits: RESULT_DIGITS, signedZero: false };
  const resultFinite = flat(result).some(Number.isFinite);
  if (!resultFinite && !hasNegativeZero) return noDigits;
  for (const digits of resultFinite ? DIGITS : [RESULT_DIGITS]) {
    for (const signedZero of hasNegativeZero ? [false, true] : [false]) {
      let computed: Values;
      try {
        computed = compute((values) => rounded(values, digits, signedZero));
      } catch {
        return resultFinite ? null : noDigits;
      }
      if (agreesWith(computed, result, scale)) return { digits, signedZero };
    }
  }
  return resultFinite ? null : noDigits;
}

/** The significant digits of `numbersNeeded`, for a line whose numbers are never −0 that matters. */
export function digitsNeeded(compute: (round: (values: Values) => Values) => Values, inputs: readonly Values[], result: Values): number | null {
  return numbersNeeded(compute, inputs, result)?.digits ?? null;
}

/** How a formula's numbers print for `formula = substituted = result` to be true as printed, or null. */
export function formulaNumbers(formula: Sym, values: ReadonlyMap<string, Values>, result: Values): PrintedNumbers | null {
  const compute = (round: (values: Values) => Values) => evaluateSym(formula, new Map<string, Tensor>([...values].map(([name, value]) => [name, tensor(round(value))]))).toArray();
  return numbersNeeded(compute, [...values.values()], result);
}

/**
 * The formula with the numbers written in, to as many digits as the line needs to be true (4
 * where none do), and whether it writes a −0 as −0.
 */
export function substitution(formula: Sym, values: ReadonlyMap<string, Values>, result: Values): { readonly text: FormulaText; readonly signedZero: boolean } {
  const numbers = formulaNumbers(formula, values, result) ?? { digits: RESULT_DIGITS, signedZero: false };
  return { text: formulaText(formula, new Map([...values].map(([name, value]) => [name, valuesSubstitution(value, numbers)] as const))), signedZero: numbers.signedZero };
}

/** The formula with the numbers written in, to as many digits as the line needs to be true (4 where none do). */
export function substitutedText(formula: Sym, values: ReadonlyMap<string, Values>, result: Values): FormulaText {
  return substitution(formula, values, result).text;
}

/**
 * Numbers as a person writes them: a value that is exactly a simple fraction prints as one
 * (−1/32, 0.5 rather than 0.49999999999999994); others are rounded to significant digits.
 */

export interface Fraction {
  numerator: number;
  denominator: number;
}

const MAX_DENOMINATOR = 1024;
/** A fraction's numerator above this reads as a long number, not a simple fraction. */
const MAX_FRACTION_NUMERATOR = 99_999;

/** The simplest p/q (q ≤ 1024; p ≤ 99,999 unless q = 1) equal to `value` up to float64 rounding, or null. */
export function asFraction(value: number): Fraction | null {
  if (!Number.isFinite(value)) return null;
  const sign = value < 0 ? -1 : 1;
  const x = Math.abs(value);
  if (x > 1e9) return null;
  // Continued-fraction convergents: the best approximations with small denominators.
  let [h0, h1, k0, k1] = [0, 1, 1, 0];
  let rest = x;
  for (let step = 0; step < 40; step++) {
    const whole = Math.floor(rest);
    [h0, h1] = [h1, whole * h1 + h0];
    [k0, k1] = [k1, whole * k1 + k0];
    if (k1 > MAX_DENOMINATOR) return null;
    // A tiny value is not 0: RMSprop's v of a gradient of 1e-7 is 1e-16, and √v is what divides.
    const tinyNotZero = h1 === 0 && x !== 0;
    if (!tinyNotZero && Math.abs(h1 / k1 - x) <= 4 * Number.EPSILON * Math.max(1, x)) {
      // A fraction with a long numerator (723000029/48 for 15062500.604…) is no simple fraction.
      return k1 === 1 || h1 <= MAX_FRACTION_NUMERATOR ? { numerator: sign * h1, denominator: k1 } : null;
    }
    const fractional = rest - whole;
    if (fractional < 1e-15) break;
    rest = 1 / fractional;
  }
  return null;
}

/** Shortest decimal text that reads back as the same number (for formulas that must parse). */
export function exactText(value: number): string {
  return Object.is(value, -0) ? '0' : String(value);
}

/** Digits at which a number prints exactly, as the shortest decimal that reads back as it. */
export const EXACT_DIGITS = 17;

export interface NumberStyle {
  /** Significant digits for values that are not simple fractions (default 4); EXACT_DIGITS or more: every digit, no fractions. */
  digits?: number;
  /** Write fractions as p/q (text), \frac{p}{q} (latex), or never (decimal). */
  fractions?: 'text' | 'latex' | 'never';
  /** Write −0 as −0 (default: 0, as a reader expects of a ReLU's 0·(−2)). */
  signedZero?: boolean;
}

/** A value rounded for people: integers and simple fractions exactly, others to `digits`. */
export function formatNumber(value: number, style: NumberStyle = {}): string {
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value > 0 ? '∞' : '−∞';
  // −0 is written −0 only where a line asks (its sign decides a result: (−2.4)/(−0) = ∞).
  const minus = value < 0 || (style.signedZero === true && Object.is(value, -0)) ? '−' : '';
  // A line that only holds with every digit (1 − 0.99999999999997) prints them, not 1 or a fraction.
  const fractions = style.fractions ?? 'text';
  if ((style.digits ?? 4) >= EXACT_DIGITS) return `${minus}${powerOfTen(exactText(Math.abs(value)), fractions === 'latex')}`;
  const fraction = fractions === 'never' ? null : asFraction(value);
  if (fraction !== null) {
    const p = Math.abs(fraction.numerator);
    if (fraction.denominator === 1) return `${minus}${p}`;
    // Halves, quarters, fifths, eighths, tenths… read more easily as decimals (0.5, 0.25).
    if (isShortDecimal(fraction.denominator)) return `${minus}${trimZeros(Math.abs(value).toFixed(decimalsOf(fraction.denominator)))}`;
    return fractions === 'latex' ? `${minus}\\frac{${p}}{${fraction.denominator}}` : `${minus}${p}/${fraction.denominator}`;
  }
  const digits = style.digits ?? 4;
  const [mantissa = '', exponent] = Math.abs(value).toPrecision(digits).split('e');
  return `${minus}${powerOfTen(exponent === undefined ? trimZeros(mantissa) : `${trimZeros(mantissa)}e${exponent}`, fractions === 'latex')}`;
}

const SUPERSCRIPT_DIGITS = '⁰¹²³⁴⁵⁶⁷⁸⁹';

/**
 * JavaScript's 1.652e+38 as a student writes it: 1.652·10³⁸ (1.652 \cdot 10^{38} in LaTeX), and
 * 1e-7 as 10⁻⁷. The one place a number's power of ten is written; `--json` keeps the number itself.
 */
function powerOfTen(text: string, latex: boolean): string {
  const [mantissa = text, exponentText] = text.split('e');
  if (exponentText === undefined) return text;
  const exponent = Number(exponentText);
  const power = latex ? `10^{${exponent}}` : `10${[...String(exponent)].map((ch) => (ch === '-' ? '⁻' : SUPERSCRIPT_DIGITS[Number(ch)])).join('')}`;
  if (mantissa === '1') return power;
  return latex ? `${mantissa} \\cdot ${power}` : `${mantissa}·${power}`;
}

/**
 * How a number as formatNumber writes it binds in a formula, in any style: a product or a quotient
 * (1/3, \frac{1}{3}, 1.652·10³⁸), bracketed where a product needs them (1/(1.652·10³⁸), not
 * 1/1.652·10³⁸); a power (10⁴⁰, 10^{40}); or a plain number (2.5). A negative number's sign is
 * the writers' to add: it binds as a term. The one place both writers (formula, matrix) ask.
 */
export function numberBinding(text: string): 'product' | 'power' | 'atom' {
  if (/\/|\\frac|·|\\cdot/.test(text)) return 'product';
  return /^10(\^|[⁰¹²³⁴⁵⁶⁷⁸⁹⁻])/.test(text) ? 'power' : 'atom';
}

/** Whether a text (pretty) is one number as formatNumber writes it: −2, 2.5, 1/3, 1.6·10³⁸, 10⁻⁷. */
export function isWrittenNumber(text: string): boolean {
  return /^[−-]?[\d.]+(\/\d+|·10[⁰¹²³⁴⁵⁶⁷⁸⁹⁻]+)?$|^10[⁰¹²³⁴⁵⁶⁷⁸⁹⁻]+$/.test(text);
}

/** Denominators whose fractions end after at most 3 decimals (2, 4, 5, 8, 10, 20, 25, …). */
function isShortDecimal(denominator: number): boolean {
  return decimalsOf(denominator) <= 3 && 1000 % denominator === 0;
}

function decimalsOf(denominator: number): number {
  let decimals = 0;
  while (decimals < 4 && (10 ** decimals) % denominator !== 0) decimals++;
  return decimals;
}

function trimZeros(text: string): string {
  return text.includes('.') ? text.replace(/\.?0+$/, '') : text;
}

import { formatNumber, type NumberStyle } from '../formula/numbers.js';
import { formatValues, latexValues, type Values } from '../formula/values-text.js';
import type { MathText } from './document.js';

/** A number as a formula: 1/32 and \frac{1}{32}. */
export function numberMath(value: number, numbers: NumberStyle = {}): MathText {
  return {
    pretty: formatNumber(value, numbers),
    latex: formatNumber(value, { ...numbers, fractions: 'latex' }).replace('−', '-').replace('∞', '\\infty'),
  };
}

/** A vector or matrix as a formula: (1, 2) and a pmatrix. */
export function valuesMath(values: Values, numbers: NumberStyle = {}): MathText {
  return { pretty: formatValues(values, numbers), latex: latexValues(values, numbers) };
}

/** a = b = c as one formula (used inside sentences and tables). */
export function chain(...parts: readonly MathText[]): MathText {
  return { pretty: parts.map((part) => part.pretty).join(' = '), latex: parts.map((part) => part.latex).join(' = ') };
}

/** Plain symbols: ∂f/∂x, as pretty and LaTeX. */
export function partial(of: MathText, by: MathText): MathText {
  return { pretty: `∂${of.pretty}/∂${by.pretty}`, latex: `\\frac{\\partial ${of.latex}}{\\partial ${by.latex}}` };
}

export function mathOf(pretty: string, latex: string = pretty): MathText {
  return { pretty, latex };
}

/** Drop repeated parts of an equation chain: x = x, 2 = 2. */
export function distinct(parts: readonly MathText[]): MathText[] {
  // Any repeat, not only the one before: 0.5/√x = 1/(2√x) = 0.5/√x says nothing the first time did not.
  return parts.filter((part, i) => parts.findIndex((earlier) => earlier.pretty === part.pretty) === i);
}

import { describe, expect, it } from 'vitest';
import { formulaText } from './formula-text.js';
import { asFraction, EXACT_DIGITS, exactText, formatNumber, isWrittenNumber, numberBinding } from './numbers.js';
import { symbolicAlgebra, symConst, symVar } from './symbolic.js';

describe('numbers as a person writes them', () => {
  it('writes exact simple fractions as fractions', () => {
    expect(formatNumber(-1 / 32)).toBe('−1/32');
    expect(formatNumber(1 / 3)).toBe('1/3');
    expect(formatNumber(2 / 7)).toBe('2/7');
  });

  it('writes short decimals as decimals, hiding float noise', () => {
    expect(formatNumber(0.49999999999999994)).toBe('0.5');
    expect(formatNumber(0.1 + 0.2)).toBe('0.3');
    expect(formatNumber(-0.75)).toBe('−0.75');
    expect(formatNumber(12)).toBe('12');
  });

  it('rounds other values to significant digits', () => {
    expect(formatNumber(Math.PI)).toBe('3.142');
    expect(formatNumber(Math.PI, { digits: 6 })).toBe('3.14159');
    expect(formatNumber(1e-9 * Math.PI)).toBe('3.142·10⁻⁹');
  });

  it('writes a value below 1e-15 as itself, not as 0 (RMSprop divides by the root of such a v)', () => {
    expect(formatNumber(8.36e-16)).toBe('8.36·10⁻¹⁶');
    expect(formatNumber(-1.4e-16)).toBe('−1.4·10⁻¹⁶');
    expect(asFraction(5e-17)).toBeNull();
    expect(formatNumber(0)).toBe('0');
  });

  it('writes LaTeX fractions on request, and non-finite values by name', () => {
    expect(formatNumber(-1 / 32, { fractions: 'latex' })).toBe('−\\frac{1}{32}');
    expect(formatNumber(NaN)).toBe('NaN');
    expect(formatNumber(-Infinity)).toBe('−∞');
  });

  it('finds no fraction where none is close', () => {
    expect(asFraction(Math.SQRT2)).toBeNull();
    expect(asFraction(0.3125)).toEqual({ numerator: 5, denominator: 16 });
    // A long numerator is no simple fraction: 15062500.604166666 prints as 1.506·10⁷, not 723000029/48.
    expect(asFraction(723000029 / 48)).toBeNull();
    expect(formatNumber(-723000029 / 48)).toBe('−1.506·10⁷');
    expect(asFraction(99999 / 7)).toEqual({ numerator: 99999, denominator: 7 });
  });

  it('with every digit, a number prints exactly: a saturated sigmoid is not 1, a tiny probability not 0', () => {
    expect(formatNumber(0.99999999999997, { digits: EXACT_DIGITS })).toBe('0.99999999999997');
    expect(formatNumber(-1.26e-17, { digits: EXACT_DIGITS })).toBe('−1.26·10⁻¹⁷');
    expect(formatNumber(0.5, { digits: EXACT_DIGITS })).toBe('0.5');
    expect(formatNumber(0.99999999999997)).toBe('1');
  });

  it('−0 is written 0, and −0 only where a line asks for the sign of zero', () => {
    expect(formatNumber(-0)).toBe('0');
    expect(formatNumber(-0, { digits: EXACT_DIGITS })).toBe('0');
    expect(formatNumber(-0, { signedZero: true })).toBe('−0');
    expect(formatNumber(0, { signedZero: true })).toBe('0');
  });
});

describe('a large or small number is written with a power of ten, as a student writes it', () => {
  it('1.652·10³⁸ and 1.652 \\cdot 10^{38}, 10⁻⁷ for 1e-7, negative numbers and every digit too', () => {
    expect(formatNumber(1.6522e38)).toBe('1.652·10³⁸');
    expect(formatNumber(1.6522e38, { fractions: 'latex' })).toBe('1.652 \\cdot 10^{38}');
    expect(formatNumber(-2.5e-12)).toBe('−2.5·10⁻¹²');
    expect(formatNumber(1e-7)).toBe('10⁻⁷');
    expect(formatNumber(1e-7, { fractions: 'latex' })).toBe('10^{-7}');
    expect(formatNumber(1.2345678e300, { digits: EXACT_DIGITS })).toBe('1.2345678·10³⁰⁰');
    // No e anywhere a person reads; the exact text that parses back keeps it.
    expect(formatNumber(3e-200)).not.toContain('e');
    expect(exactText(3e-200)).toBe('3e-200');
  });

  it('such a number is bracketed where a product would be: x/(1.5·10³⁸), (10⁴⁰)ᵃ', () => {
    const written = formulaText(symbolicAlgebra.div(symVar('x'), symConst(1.5e38)));
    expect(written.pretty).toBe('x/(1.5·10³⁸)');
    expect(formulaText(symbolicAlgebra.pow(symConst(1e40), symVar('a'))).pretty).toBe('(10⁴⁰)^a');
  });
});

describe('how a written number binds (one answer for the formula and the matrix writers)', () => {
  it('1/3 and 1.652·10³⁸ are products, 10⁴⁰ and 10⁻⁷ powers, 2.5 a plain number, in pretty and LaTeX alike', () => {
    const cases: readonly [number, 'product' | 'power' | 'atom'][] = [[1 / 3, 'product'], [1.652e38, 'product'], [1e40, 'power'], [1e-7, 'power'], [2.5, 'atom']];
    for (const [value, binding] of cases) {
      for (const fractions of ['text', 'latex'] as const) expect(numberBinding(formatNumber(value, { fractions })), `${value} ${fractions}`).toBe(binding);
      expect(isWrittenNumber(formatNumber(value)), String(value)).toBe(true);
    }
    expect(isWrittenNumber(formatNumber(-2))).toBe(true);
    expect(isWrittenNumber('x + 1')).toBe(false);
    expect(isWrittenNumber('2·x')).toBe(false);
  });
});

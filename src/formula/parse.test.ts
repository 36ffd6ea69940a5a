import { describe, expect, it } from 'vitest';
import { traceExpression } from '../record/expression.js';
import { FormulaError } from './formula-error.js';
import { parseFormula } from './parse.js';

const valueOf = (source: string, at: Record<string, number> = {}) => traceExpression(source, at).value;

function errorOf(source: string): FormulaError {
  try {
    parseFormula(source);
  } catch (error) {
    if (error instanceof FormulaError) return error;
    throw error;
  }
  throw new Error(`expected "${source}" to be rejected`);
}

describe('formula grammar', () => {
  it('binds ^ tighter than unary minus: -x^2 = -(x²)', () => {
    expect(valueOf('-x^2', { x: 3 })).toBe(-9);
    expect(valueOf('(-x)^2', { x: 3 })).toBe(9);
  });

  it('makes ^ right-associative: 2^3^2 = 512', () => {
    expect(valueOf('2^3^2')).toBe(512);
    expect(valueOf('2^-1')).toBe(0.5);
  });

  it('reads decimal and exponent numbers', () => {
    expect(valueOf('1e-3 * x + .5 + 2.', { x: 1000 })).toBe(3.5);
    expect(valueOf('1.5E2')).toBe(150);
  });

  it('knows ln as log and the sheet’s functions', () => {
    expect(valueOf('ln(x) - log(x)', { x: 7 })).toBe(0);
    expect(valueOf('max(x, y) + min(x, y) + relu(-x) + abs(-y)', { x: 1, y: 2 })).toBe(5);
    expect(valueOf('sigmoid(0) + tanh(0) + exp(0) + sqrt(4) + sin(0) + cos(0)')).toBe(4.5);
  });

  it('evaluates left to right for - and /', () => {
    expect(valueOf('8 - 3 - 2')).toBe(3);
    expect(valueOf('8 / 4 / 2')).toBe(1);
  });
});

describe('formula errors point at the column', () => {
  it('a missing operand', () => {
    const error = errorOf('x^2 + ');
    expect(error.column).toBe(7);
    expect(error.message).toContain('expected a number, a name or');
    expect(error.message).toContain('\n  x^2 + \n        ^');
  });

  it('implicit multiplication, with the fix', () => {
    const error = errorOf('x^2 + 2x');
    expect(error.column).toBe(8);
    expect(error.message).toContain("write '2*x'");
  });

  it('an unknown function, naming the known ones', () => {
    const error = errorOf('x + foo(y)');
    expect(error.column).toBe(5);
    expect(error.message).toContain("unknown function 'foo'");
    expect(error.message).toContain('sigmoid');
  });

  it('an unclosed bracket, naming where it opened', () => {
    const error = errorOf('2*(x + y');
    expect(error.message).toContain("to close the '(' at column 3");
  });

  it('a stray character', () => {
    expect(errorOf('x $ y').column).toBe(3);
    expect(errorOf('x × y').message).toContain("write '*'");
  });

  it('the wrong number of arguments', () => {
    expect(errorOf('max(x)').message).toContain('max takes 2 arguments, but 1 was given');
    expect(errorOf('exp(x, y)').message).toContain('exp takes 1 argument, but 2 were given');
  });

  it('an empty formula', () => {
    expect(errorOf('   ').message).toContain('empty');
  });
});

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Values } from '../src/formula/values-text.js';
import { traceMatrixExpression } from '../src/record/matrix-expression.js';

/**
 * Matrix formulas against PyTorch (float64): value and the gradient of every variable in its
 * own shape, at random shapes and values and at ill-conditioned matrices (Hilbert matrices,
 * nearly dependent rows), from tools/fixtures/matrix.py. Different elimination orders lose
 * different digits of an ill-conditioned matrix, so the tolerance grows with its condition number.
 */

interface MatrixCase {
  label: string;
  formula: string;
  at: Record<string, Values>;
  value: Values;
  gradient: Record<string, Values | null>;
  condition: number;
}
const fixture = JSON.parse(readFileSync(new URL('fixtures/matrix.json', import.meta.url), 'utf8')) as { torch: string; cases: MatrixCase[] };

const flat = (values: Values): number[] => (typeof values === 'number' ? [values] : values.flatMap(flat));

function expectClose(actual: Values, expected: Values, condition: number, what: string): void {
  const a = flat(actual);
  const b = flat(expected);
  expect(a.length, `${what}: number of elements`).toBe(b.length);
  const scale = Math.max(1, ...b.map(Math.abs));
  const tolerance = 1e-14 * condition * scale + 1e-12;
  const off = a.flatMap((value, i) => (Math.abs(value - b[i]!) <= tolerance ? [] : [`${what}[${i}]: ${value} vs PyTorch ${b[i]!} (tolerance ${tolerance.toExponential(1)})`]));
  expect(off).toEqual([]);
}

describe(`matrix formulas against PyTorch ${fixture.torch}`, () => {
  it('include ill-conditioned matrices (condition numbers above 1e6) and every matrix function', () => {
    expect(Math.max(...fixture.cases.map((c) => c.condition))).toBeGreaterThan(1e6);
    for (const name of ['tr(', 'det(', 'inv(', 'ln(', "'", '.*', 'exp(', 'sigmoid(']) expect(fixture.cases.some((c) => c.formula.includes(name)), name).toBe(true);
  });

  for (const c of fixture.cases) {
    it(`${c.label}: ${c.formula}`, () => {
      const trace = traceMatrixExpression(c.formula, c.at);
      expectClose(trace.value ?? NaN, c.value, c.condition, 'value');
      for (const [name, expected] of Object.entries(c.gradient)) {
        if (expected === null) continue;
        expectClose(trace.gradient[name]!, expected, c.condition, `gradient of ${name}`);
      }
    });
  }
});

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Values } from '../src/formula/values-text.js';
import { traceMatrixExpression } from '../src/record/matrix-expression.js';

/**
 * Stationary points against PyTorch (float64), from tools/fixtures/stationary.py: PyTorch solves
 * ∇ = 0 its own way (the normal equations, a row-major Kronecker system, the pseudo-inverse of a
 * Lagrangian's Hessian), and the point mashagrad derives and solves must be the same, to a
 * tolerance that grows with the system's condition number.
 */
interface StationaryCase {
  label: string;
  formula: string;
  at: Record<string, Values>;
  stationary: string[];
  solution: Record<string, Values>;
  condition: number;
}
const fixture = JSON.parse(readFileSync(new URL('fixtures/stationary.json', import.meta.url), 'utf8')) as { torch: string; cases: StationaryCase[] };
const flat = (values: Values): number[] => (typeof values === 'number' ? [values] : values.flatMap(flat));

describe(`stationary points against PyTorch ${fixture.torch}`, () => {
  it('include least squares, ridge, one- and both-sided factors, a Lagrangian and an ill-conditioned system (condition above 1e6)', () => {
    for (const label of ['least squares', 'ridge', 'quadratic form', 'right factors', 'both sides', 'Lagrangian']) expect(fixture.cases.some((c) => c.label.startsWith(label)), label).toBe(true);
    expect(Math.max(...fixture.cases.map((c) => c.condition))).toBeGreaterThan(1e6);
  });

  for (const c of fixture.cases) {
    it(c.label, () => {
      const point = traceMatrixExpression(c.formula, c.at, { stationary: c.stationary }).stationaryPoint!;
      expect(point.outcome).toBe('solved');
      for (const name of c.stationary) {
        const ours = flat(point.value![name]!);
        const theirs = flat(c.solution[name]!);
        const scale = Math.max(1, ...theirs.map(Math.abs));
        const tolerance = 1e-14 * c.condition * scale + 1e-11;
        expect(ours).toHaveLength(theirs.length);
        const off = ours.flatMap((v, i) => (Math.abs(v - theirs[i]!) <= tolerance ? [] : [`${name}[${i}]: ${v} vs PyTorch ${theirs[i]!}`]));
        expect(off).toEqual([]);
      }
    });
  }
});

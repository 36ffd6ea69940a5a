import { describe, expect, it } from 'vitest';
import { Tensor } from '../autograd/tensor.js';
import { traceExpression } from '../record/expression.js';
import { Random } from '../tensor/random.js';
import { evaluateSym } from './evaluate.js';
import { parseFormula } from './parse.js';
import { simplifySym } from './simplify.js';
import { buildSym, symConst, symVar, type Sym } from './symbolic.js';
import { writeSym } from './write.js';
import type { Formula } from './ast.js';

const derivatives = (source: string, at: Record<string, number>) => traceExpression(source, at).derivatives;

function toSym(formula: Formula): Sym {
  if (formula.kind === 'number') return symConst(formula.value);
  if (formula.kind === 'variable') return symVar(formula.name);
  return buildSym(formula.op, formula.args.map(toSym), {});
}
const simplified = (source: string, order: string[] = []) => writeSym(simplifySym(toSym(parseFormula(source)), order), 'ascii');

const valueAt = (sym: Sym, at: ReadonlyMap<string, number>): number =>
  evaluateSym(sym, new Map([...at].map(([name, value]) => [name, Tensor.scalar(value, 'float64')]))).item();

/** A random formula in x, y, z of about `depth` levels, from a seeded generator. */
function randomFormula(random: Random, depth: number): Sym {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random.next() * items.length)]!;
  if (depth === 0 || random.next() < 0.2) {
    return random.next() < 0.7 ? symVar(pick(['x', 'y', 'z'])) : symConst(pick([-2, -1, 0.5, 1, 2, 3]));
  }
  const a = () => randomFormula(random, depth - 1);
  const kind = pick(['add', 'sub', 'mul', 'mul', 'div', 'pow', 'neg', 'fn'] as const);
  if (kind === 'neg') return { kind: 'op', op: 'neg', args: [a()], attrs: {} };
  if (kind === 'pow') return { kind: 'op', op: 'pow', args: [a(), symConst(pick([-1, 2, 3]))], attrs: {} };
  if (kind === 'fn') return { kind: 'op', op: pick(['sigmoid', 'tanh', 'exp'] as const), args: [a()], attrs: {} };
  // Raw nodes (not buildSym), so the simplifier meets x·1, x + 0 and numbers still to fold.
  return { kind: 'op', op: kind, args: [a(), a()], attrs: {} };
}

describe('symbolic derivatives', () => {
  it('expands polynomials to canonical form (exercise 1)', () => {
    expect(derivatives('x^2 + x*y + (x+y)^2', { x: 1, y: 2 })).toEqual({ x: '4*x + 3*y', y: '3*x + 2*y' });
  });

  it('orders terms by degree, then by variable', () => {
    expect(derivatives('(x + 1)^3', { x: 0 }).x).toBe('3*x^2 + 6*x + 3');
  });

  it('leaves like terms apart where their coefficient would overflow: 10³⁰⁸·x + 10³⁰⁸·x − 10³⁰⁸·x is not ∞·x', () => {
    expect(simplified('1e308*x + 1e308*x - 1e308*x')).not.toContain('Infinity');
    expect(valueAt(simplifySym(toSym(parseFormula('1e308*x - 1e308*x + 1e308*x'))), new Map([['x', 1]]))).toBe(1e308);
    expect(simplified('1e200*x*(1e200*y)')).not.toContain('Infinity');
    expect(simplified('3*x + 2*x')).toBe('5*x');
  });

  it('keeps the output-reusing forms of the registry rules', () => {
    expect(derivatives('sigmoid(x)', { x: 0 }).x).toBe('sigmoid(x)*(1 - sigmoid(x))');
    expect(derivatives('exp(x)', { x: 0 }).x).toBe('exp(x)');
    expect(derivatives('relu(x)', { x: 1 }).x).toBe('step(x)');
  });

  it('writes formulas that parse back and give the numeric gradient', () => {
    const cases: [string, Record<string, number>][] = [
      ['x^2 + x*y + (x+y)^2', { x: 1, y: -3.5 }],
      ['sigmoid(w*x + b)', { w: 0.3, x: -2, b: 0.1 }],
      ['x/y - log(y)*sqrt(x)', { x: 2, y: 3 }],
      ['max(x, y)*tanh(x) + abs(y - 2*x)', { x: 0.7, y: 0.2 }],
      ['x^y', { x: 1.5, y: 2.5 }],
    ];
    for (const [source, at] of cases) {
      const trace = traceExpression(source, at);
      for (const name of trace.variables) {
        const reparsed = traceExpression(trace.derivatives[name]!, Object.fromEntries(
          traceExpression(trace.derivatives[name]!, at).variables.map((v) => [v, at[v]!]),
        ));
        expect(reparsed.value).toBeCloseTo(trace.gradient[name]!, 12);
      }
    }
  });
});

describe('simplifySym', () => {
  it('combines like terms written in a different order: x₁·a₁₁ + a₁₁·x₁ = 2·a₁₁·x₁', () => {
    expect(simplified('x1*a11 + a11*x1', ['a11', 'x1'])).toBe('2*a11*x1');
    expect(simplified('x*y - y*x + 3*x')).toBe('3*x');
  });

  it('combines like factors: x₁·x₁ = x₁², x·x²·x⁻¹ = x²', () => {
    expect(simplified('x1*x1')).toBe('x1^2');
    expect(simplified('x*x^2/x')).toBe('x^2');
    expect(simplified('1 - tanh(x)*tanh(x)')).toBe('1 - tanh(x)^2');
  });

  it('starts a sum with a positive term and turns the sign of a factor rather than writing −(y − 1)', () => {
    expect(simplified('-y/yhat - -(1 - y)/(1 - yhat)')).toBe('(1 - y)/(1 - yhat) - y/yhat');
    expect(simplified('2 - x*x*3')).toBe('2 - 3*x^2');
  });

  it('keeps a formula that no rewriting makes shorter', () => {
    expect(simplified('sigmoid(x)*(1 - sigmoid(x))')).toBe('sigmoid(x)*(1 - sigmoid(x))');
    expect(simplified('2*(yhat - y)', ['yhat', 'y'])).toBe('2*yhat - 2*y');
  });

  it('simplifies an argument once however deep the nesting (40 sigmoids; each pass used to redo the ones inside)', () => {
    let nested: Sym = symVar('x');
    for (let i = 0; i < 40; i++) nested = { kind: 'op', op: 'sigmoid', args: [nested], attrs: {} };
    expect(simplifySym(nested)).toBe(nested);
  });

  it('keeps a power whose number would overflow: (3x)^1000, not ∞·x^1000', () => {
    expect(simplified('(3*x)^1000')).toBe('(3*x)^1000');
  });

  it('gives the same value as the formula it simplifies, at random points, for 300 random formulas', () => {
    const random = new Random(15);
    let compared = 0;
    for (let i = 0; i < 300; i++) {
      const sym = randomFormula(random, 4);
      const simple = simplifySym(sym, ['x', 'y', 'z']);
      for (let k = 0; k < 3; k++) {
        const at = new Map(['x', 'y', 'z'].map((name) => [name, random.uniform(0.3, 1.7) * (random.next() < 0.3 ? -1 : 1)]));
        const expected = valueAt(sym, at);
        if (!Number.isFinite(expected) || Math.abs(expected) > 1e6) continue;
        const actual = valueAt(simple, at);
        expect(Math.abs(actual - expected), `${writeSym(sym, 'ascii')} → ${writeSym(simple, 'ascii')}`).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(expected)));
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(600);
  });
});

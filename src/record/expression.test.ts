import { diagnosticText } from '../trace/diagnostic.js';
import { describe, expect, it } from 'vitest';
import { InputError } from '../errors.js';
import { traceExpression } from './expression.js';

describe('exercise 1: f(x, y) = x² + xy + (x + y)² at (1, 2)', () => {
  const trace = traceExpression('x^2 + x*y + (x+y)^2', { x: 1, y: 2 });

  it('has the value 12 and the gradient (10, 7)', () => {
    expect(trace.value).toBe(12);
    expect(trace.gradient).toEqual({ x: 10, y: 7 });
  });

  it('has the book’s 8 nodes, lettered level by level', () => {
    expect(trace.nodes.map((node) => `${node.id} = ${node.expression}`)).toEqual([
      'x = x', 'y = y', 'a = x^2', 'b = x*y', 'c = x + y', 'd = a + b', 'e = c^2', 'f = d + e',
    ]);
    expect(trace.nodes.map((node) => node.value)).toEqual([1, 2, 1, 2, 3, 3, 9, 12]);
    expect(trace.nodes.map((node) => node.grad)).toEqual([10, 7, 1, 1, 6, 1, 1, 1]);
  });

  it('has the book’s 10 edges with their local derivatives', () => {
    expect(trace.edges.map((edge) => `∂${edge.to}/∂${edge.from} = ${edge.formula.pretty} = ${edge.value}`)).toEqual([
      '∂a/∂x = 2x = 2', '∂b/∂x = y = 2', '∂b/∂y = x = 1', '∂c/∂x = 1 = 1', '∂c/∂y = 1 = 1',
      '∂d/∂a = 1 = 1', '∂d/∂b = 1 = 1', '∂e/∂c = 2c = 6', '∂f/∂d = 1 = 1', '∂f/∂e = 1 = 1',
    ]);
  });

  it('sums over paths to the book’s answer', () => {
    expect(trace.pathSums.x!.pretty).toBe('2x + y + 2(x + y)');
    expect(trace.derivativeFormulas.x!.pretty).toBe('4x + 3y');
    expect(trace.derivativeFormulas.y!.pretty).toBe('3x + 2y');
  });

  it('gives the derivative of every node by every input', () => {
    expect(trace.jacobian.e).toEqual({ x: 6, y: 6 });
    expect(trace.jacobian.b).toEqual({ x: 2, y: 1 });
    expect(trace.jacobian.x).toEqual({ x: 1, y: 0 });
  });
});

describe('expression traces', () => {
  it('accumulates gradients where a variable feeds several nodes', () => {
    const trace = traceExpression('x*x*x', { x: 2 });
    expect(trace.gradient.x).toBe(12);
    expect(trace.derivatives.x).toBe('3*x^2');
  });

  it('a node used twice by one operation gives two paths, each with its own local derivative', () => {
    const pathsOf = (source: string, x: number) => traceExpression(source, { x }).paths.x!.map((path) => `${path.nodes.join(' → ')}: ${path.product.pretty} = ${path.value}`);
    expect(pathsOf('x-x', 3)).toEqual(['x → f: 1 = 1', 'x → f: −1 = -1']);
    expect(pathsOf('x/x', 2)).toEqual(['x → f: 1/x = 0.5', 'x → f: −1/x = -0.5']);
    expect(pathsOf('x*x', 3)).toEqual(['x → f: x = 3', 'x → f: x = 3']);
    // Deeper down: a = x·x feeds f = sin(a) + x; two paths through a, one straight to f.
    const deeper = traceExpression('sin(x*x) + x', { x: 0.5 });
    const values = deeper.paths.x!.map((path) => path.value);
    expect(deeper.paths.x!.map((path) => path.nodes.join(' → ')).sort()).toEqual(['x → a → b → f', 'x → a → b → f', 'x → f']);
    expect(values.reduce((sum, value) => sum + value, 0)).toBeCloseTo(deeper.gradient.x!, 12);
    for (const [source, x] of [['x-x', 3], ['x/x', 2], ['x*x', 3], ['x^x', 2]] as const) {
      const trace = traceExpression(source, { x });
      expect(trace.paths.x!.reduce((sum, path) => sum + path.value, 0), source).toBeCloseTo(trace.gradient.x!, 12);
    }
  });

  it('folds parts made of numbers into the node that uses them', () => {
    const trace = traceExpression('2^3 * x', { x: 1 });
    expect(trace.nodes.map((node) => node.expression)).toEqual(['x', '8*x']);
  });

  it('names the first node that produces NaN', () => {
    const trace = traceExpression('y * log(x - 3) + sqrt(y)', { x: 1, y: 2 });
    // a = x − 3 and b = √y come first (depth 1); c = ln(a) is the first NaN.
    expect(trace.diagnostics[0]).toMatchObject({ kind: 'non-finite-value', node: 'c' });
    expect(diagnosticText(trace.diagnostics[0]!, 'en')).toContain('ln(a)');
  });

  it('names a node whose 0/0 is NaN', () => {
    const trace = traceExpression('(x - 1)/(x - 1)', { x: 1 });
    expect(trace.diagnostics[0]?.node).toBe('f');
    expect(diagnosticText(trace.diagnostics[0]!, 'en')).toContain('NaN');
  });

  it('rejects a missing or an extra variable, naming it', () => {
    expect(() => traceExpression('x + y', { x: 1 })).toThrow(InputError);
    expect(() => traceExpression('x + y', { x: 1 })).toThrow(/no value given for y/);
    expect(() => traceExpression('x', { x: 1, z: 2 })).toThrow(/z is not in the formula/);
  });
});

describe('a node after step, sign or a comparison has its own gradient ∂f/∂node', () => {
  it('f = [x > 0] + sign(y)·y at (0, −0.5): ∂f/∂a = 1, ∂f/∂b = y = −0.5, and the variables keep theirs', () => {
    const trace = traceExpression('step(x) + sign(y)*y', { x: 0, y: -0.5 });
    const grad = new Map(trace.nodes.map((node) => [node.id, node.grad]));
    expect(trace.nodes.map((node) => `${node.id} = ${node.expression}`)).toEqual(['x = x', 'y = y', 'a = step(x)', 'b = sign(y)', 'c = b*y', 'f = a + c']);
    // The backward sweep's line ∂f/∂b = ∂f/∂c·∂c/∂b = 1·(−0.5): it printed 0 before.
    expect(grad.get('b')).toBe(-0.5);
    expect(grad.get('a')).toBe(1);
    expect(trace.gradient).toEqual({ x: 0, y: -1 });
  });

  it('f = [x > 0]: ∂f/∂f = 1 and ∂f/∂x = 0', () => {
    const trace = traceExpression('step(x)', { x: 0 });
    expect(trace.nodes.map((node) => [node.id, node.grad])).toEqual([['x', 0], ['f', 1]]);
  });
});

describe("a path's product brackets a factor only where it would read wrong", () => {
  const products = (source: string, at: Record<string, number>) => Object.values(traceExpression(source, at).paths).flat().map((path) => path.product.pretty);

  it('one edge: no brackets around the whole product (it was (y·(x + …)^(y − 1)))', () => {
    expect(products('x^y', { x: 0, y: 3 })).toEqual(['y·(x + [x = 0]·[y = 0])^(y − 1)', 'x^y·ln(x + [x = 0]·[y ≥ 0])']);
  });
  it('a quotient among factors is bracketed (0.5/√c·1·2x would read as 0.5 over all that follows); exp(x − y) is not', () => {
    expect(products('sqrt(x^2 + y^2) - x', { x: 1.234, y: 2.1 })).toContain('1·(0.5/√c)·1·2x');
    expect(products('exp(x - y)*x', { x: 1, y: 2 })).toEqual(['x·exp(a)·1', 'b', 'x·exp(a)·(−1)']);
  });
});

describe("a power's derivative is written as a textbook writes it, except at a base of 0", () => {
  const at = (source: string, point: Record<string, number>) => {
    const trace = traceExpression(source, point);
    return { derivatives: Object.fromEntries(Object.entries(trace.derivativeFormulas).map(([name, text]) => [name, text.pretty])), edges: trace.edges.map((edge) => edge.formula.pretty), gradient: trace.gradient };
  };

  it('away from x = 0: y·x^(y − 1) and x^y·ln(x), on the edges and in the derivatives, with the same numbers', () => {
    const { derivatives, edges, gradient } = at('x^y', { x: 2, y: 3 });
    expect(edges).toEqual(['y·x^(y − 1)', 'x^y·ln(x)']);
    expect(derivatives).toEqual({ x: 'y·x^(y − 1)', y: 'x^y·ln(x)' });
    expect(gradient).toEqual({ x: 12, y: 8 * Math.log(2) });
    expect(at('x^x', { x: 0.5 }).derivatives).toEqual({ x: 'x^x·ln(x) + x·x^(x − 1)' });
  });

  it('at x = 0 the [x = 0] terms stay: they are what makes the derivative PyTorch\'s limit (0, not 0·0⁻¹ or 0·ln 0)', () => {
    for (const point of [{ x: 0, y: 0 }, { x: 0, y: 2 }]) {
      const { derivatives, edges } = at('x^y', point);
      expect(edges).toEqual(['y·(x + [x = 0]·[y = 0])^(y − 1)', 'x^y·ln(x + [x = 0]·[y ≥ 0])']);
      expect(derivatives.x).toContain('[x = 0]');
    }
    // One power with a base of 0 keeps them in the whole formula; the other power's edge is the textbook's.
    const both = at('x^y + y^x', { x: 0, y: 2 });
    expect(both.derivatives.x).toContain('[x = 0]');
    expect(both.edges).toContain('x·y^(x − 1)');
  });

  it('a power whose limit terms are 0 at the point does not bring them in: x² at x = 0 leaves y^z as the textbook writes it', () => {
    const { derivatives } = at('x^2 + y^z', { x: 0, y: 2, z: 3 });
    expect(derivatives).toEqual({ x: '2x', y: 'z·y^(z − 1)', z: 'y^z·ln(y)' });
    // 0^y for y ≥ 0 needs them (0·ln 0 would be NaN; PyTorch's limit is 0).
    expect(at('0^y + y', { y: 2 }).derivatives.y).toContain('[y ≥ 0]');
  });
});

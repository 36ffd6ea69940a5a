import { describe, expect, it } from 'vitest';
import { buildExpressionGraph } from './graph.js';

const ids = (source: string, at: Record<string, number>) => {
  const graph = buildExpressionGraph(source, at);
  const output = 'tensor' in graph.output ? graph.output.id : null;
  return { output, all: graph.nodes.map((node) => node.id) };
};

describe('the output of a formula is always f', () => {
  it('sin(x)*y + x^3: four operations, the last named f (not d)', () => {
    const { output, all } = ids('sin(x)*y + x^3', { x: 1, y: 2 });
    expect(output).toBe('f');
    expect(all).toEqual(['x', 'y', 'a', 'b', 'c', 'f']);
  });

  it('ten terms: no intermediate node is named f, and names stay unique', () => {
    const source = Array.from({ length: 10 }, (_, i) => `x^${i + 2}`).join(' + ');
    const { output, all } = ids(source, { x: 1 });
    expect(output).toBe('f');
    expect(all.filter((id) => id === 'f')).toHaveLength(1);
    expect(new Set(all).size).toBe(all.length);
  });

  it('exercise 1 keeps the sheet\'s letters a…e and f', () => {
    expect(ids('x^2 + x*y + (x+y)^2', { x: 1, y: 2 }).all).toEqual(['x', 'y', 'a', 'b', 'c', 'd', 'e', 'f']);
  });

  it('a variable named f keeps its name; the output takes the next free letter', () => {
    const { output, all } = ids('f*x + 1', { f: 2, x: 3 });
    expect(output).not.toBe('f');
    expect(all.filter((id) => id === 'f')).toHaveLength(1);
  });
});

import { describe, expect, it } from 'vitest';
import { foreignWords, parseSvg } from '../../test/support/svg.js';
import { InputError } from '../errors.js';
import { traceExpression } from '../record/expression.js';
import type { ExpressionTrace, FormulaText, TraceEdge, TraceNode } from '../trace/types.js';
import { expressionGraphDot } from './expression-graph.js';
import { pathsFrom } from './expression-paths.js';
import { dotToSvg } from './render.js';

const exercise1 = traceExpression('x^2 + x*y + (x+y)^2', { x: 1, y: 2 });

/** Node and edge statements of generated DOT (node ids are always quoted). */
function dotGraph(dot: string): { nodes: string[]; edges: string[] } {
  const nodes = [...dot.matchAll(/^ {2}"(\w+)" \[/gm)].map((match) => match[1]!);
  const edges = [...dot.matchAll(/^ {2}"(\w+)" -> "(\w+)"/gm)].map((match) => `${match[1]!}→${match[2]!}`);
  return { nodes, edges };
}

describe('the computation graph of exercise 1', () => {
  it('has the book\'s 8 circles and 10 edges in the DOT', () => {
    const { nodes, edges } = dotGraph(expressionGraphDot(exercise1).dot);
    expect(nodes.sort()).toEqual(['a', 'b', 'c', 'd', 'e', 'f', 'x', 'y']);
    expect(edges.sort()).toEqual(['a→d', 'b→d', 'c→e', 'd→f', 'e→f', 'x→a', 'x→b', 'x→c', 'y→b', 'y→c']);
  });

  it('draws 8 nodes and 10 edges in well-formed SVG, each with its formula and value', async () => {
    const svg = parseSvg(await dotToSvg(expressionGraphDot(exercise1).dot));
    expect(svg.groups.get('node')).toBe(8);
    expect(svg.groups.get('edge')).toBe(10);
    for (const line of ['x', 'y', 'a = x²', 'b = x·y', 'c = x + y', 'd = a + b', 'e = c²', 'f = d + e']) expect(svg.texts).toContain(line);
    // Every circle's lines: its label, then its value.
    for (const node of exercise1.nodes) {
      const label = node.op === 'input' ? node.id : `${node.id} = ${node.formula.pretty}`;
      expect(svg.texts[svg.texts.indexOf(label) + 1], label).toBe(String(node.value));
    }
    // Each edge: the local derivative as a formula and a number.
    for (const line of ['∂a/∂x = 2x = 2', '∂b/∂x = y = 2', '∂b/∂y = x = 1', '∂e/∂c = 2c = 6', '∂f/∂e = 1']) expect(svg.texts).toContain(line);
  });

  it('writes ∂f/∂node in every circle and the gradient each edge carries back with --backward', async () => {
    const svg = parseSvg(await dotToSvg(expressionGraphDot(exercise1, { backward: true }).dot));
    for (const line of ['∂f/∂x = 10', '∂f/∂y = 7', '∂f/∂c = 6', '∂f/∂f = 1']) expect(svg.texts).toContain(line);
    expect(svg.texts).toContain('← 1·6 = 6'); // into c from e: 1 arriving times 2c = 6
  });

  it('highlights the 3 paths from x to f and writes their sum', async () => {
    const paths = pathsFrom(exercise1, 'x');
    expect(paths.count).toBe(3);
    expect([...paths.edges].map((edge) => `${edge.from}→${edge.to}`).sort()).toEqual(['a→d', 'b→d', 'c→e', 'd→f', 'e→f', 'x→a', 'x→b', 'x→c']);
    const svg = parseSvg(await dotToSvg(expressionGraphDot(exercise1, { highlight: 'x' }).dot));
    expect(svg.texts).toContain('f ← e ← c ← x:  1·2c·1 = 6');
    expect(svg.texts).toContain('∂f/∂x = 2x + y + 2(x + y) = 4x + 3y = 10');
  });

  it('y reaches f along 2 paths', () => {
    expect(pathsFrom(exercise1, 'y').count).toBe(2);
  });

  it('refuses to highlight a name that is not a variable', () => {
    expect(() => expressionGraphDot(exercise1, { highlight: 'z' })).toThrow(InputError);
  });

  it('draws a formula that is only a number', async () => {
    const svg = parseSvg(await dotToSvg(expressionGraphDot(traceExpression('2^3', {})).dot));
    expect(svg.texts.some((text) => text.includes('nothing to differentiate'))).toBe(true);
  });
});

const text = (ascii: string): FormulaText => ({ ascii, pretty: ascii, latex: ascii });

/** A synthetic trace of `operations` additions over 20 inputs: a long chain with fan-in from the inputs. */
function bigTrace(operations: number): ExpressionTrace {
  const variables = Array.from({ length: 20 }, (_, k) => `x${k}`);
  const nodes: TraceNode[] = variables.map((id, k) => ({ id, expression: id, formula: text(id), substituted: text(String(k)), op: 'input', inputs: [], value: k, grad: 1 }));
  const edges: TraceEdge[] = [];
  for (let k = 0; k < operations; k++) {
    const previous = k === 0 ? 'x0' : `n${k - 1}`;
    const input = variables[(k * 7) % 20]!;
    const formula = text(`${previous} + ${input}`);
    nodes.push({ id: `n${k}`, expression: formula.ascii, formula, substituted: formula, op: 'add', inputs: [previous, input], value: k, grad: 1 });
    for (const from of [previous, input]) edges.push({ from, to: `n${k}`, argument: from === previous ? 1 : 2, derivative: '1', formula: text('1'), substituted: text('1'), value: 1 });
  }
  return {
    kind: 'expression', expression: 'a long sum', formula: text('a long sum'), variables, paths: {}, at: Object.fromEntries(variables.map((name, k) => [name, k])), value: 0,
    gradient: Object.fromEntries(variables.map((name) => [name, 1])), derivatives: {}, derivativeFormulas: {}, derivativeValues: {}, pathSums: {}, nodes, edges, jacobian: {}, diagnostics: [],
  };
}

describe('a 2,000-operation graph', () => {
  const trace = bigTrace(2000);

  it('is collapsed into bands of levels, and says so', () => {
    const { dot, notes } = expressionGraphDot(trace, { highlight: 'x3', backward: true });
    expect(notes.join(' ')).toMatch(/2000 operations are too many to draw one by one/);
    const { nodes } = dotGraph(dot);
    // 20 input circles, at most 24 bands, the output.
    expect(nodes.length).toBeLessThanOrEqual(45);
    expect(nodes).toContain('n1999');
    expect(dot).toContain('too many to draw one by one');
  });

  it('renders to well-formed SVG', async () => {
    const svg = parseSvg(await dotToSvg(expressionGraphDot(trace).dot));
    expect(svg.groups.get('node')).toBeLessThanOrEqual(45);
    expect(svg.texts.some((line) => /^levels \d+–\d+$/.test(line))).toBe(true);
  });

  it('is drawn node by node below the limit', () => {
    const { nodes } = dotGraph(expressionGraphDot(bigTrace(100)).dot);
    expect(nodes).toHaveLength(120);
  });
});

describe('the computation graph in Russian', () => {
  it('writes the legend, the point and the path sum in the sheet\'s terms, with no English words', async () => {
    const svg = parseSvg(await dotToSvg(expressionGraphDot(exercise1, { backward: true, highlight: 'y', language: 'ru' }).dot));
    const all = svg.texts.join('\n');
    expect(all).toContain('обратный проход');
    expect(all).toContain('накопленный градиент');
    expect(all).toContain('в точке x = 1, y = 2');
    expect(all).toContain('∂f/∂y — сумма по всем путям из y в f (их 2)');
    expect(foreignWords(svg.texts)).toEqual([]);
  });

  it('keeps the English pictures as they were', () => {
    expect(expressionGraphDot(exercise1, { backward: true, highlight: 'y', language: 'en' }).dot).toBe(expressionGraphDot(exercise1, { backward: true, highlight: 'y' }).dot);
    expect(expressionGraphDot(exercise1, { backward: true }).dot).toContain('red: the backward pass (∂f/∂node in each circle');
  });

  it('says in Russian that a large graph is collapsed into levels', async () => {
    const trace = { ...bigTrace(2000), formula: text('x0 + x1 + …') };
    const { dot, notes } = expressionGraphDot(trace, { highlight: 'x3', backward: true, language: 'ru' });
    expect(notes.join(' ')).toContain('Операций слишком много (2000)');
    const svg = parseSvg(await dotToSvg(dot));
    expect(svg.texts.some((line) => /^уровни \d+–\d+$/.test(line))).toBe(true);
    expect(svg.texts).toContain('операций: 84 (84 +)');
    expect(foreignWords(svg.texts)).toEqual([]);
  });
});

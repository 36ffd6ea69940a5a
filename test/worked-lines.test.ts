import { describe, expect, it } from 'vitest';
import type { Block } from '../src/explain/document.js';
import { explain } from '../src/explain/solution.js';
import type { NetworkTrace } from '../src/trace/types.js';
import { solveText } from './worked-solutions.js';

/** Small problems whose lines are derived by hand in each test. */
const network = (lines: readonly string[]): NetworkTrace => solveText(lines.join('\n')) as NetworkTrace;
const equations = (trace: NetworkTrace): string[] =>
  explain(trace, { language: 'en' }).blocks.filter((block): block is Extract<Block, { kind: 'equation' }> => block.kind === 'equation').map((block) => block.parts.map((part) => part.pretty).join(' = '));

/** ŷ = x·w + b over three rows, MSE, one step: d = 2/3·(ŷ − y). */
const threeRows = [
  'model:',
  '  - linear: { weights: [[1]], bias: [0] }',
  'loss: mse',
  'data: { x: [[1], [2], [3]], y: [[1], [1], [1]] }',
  'train: { lr: 0.1 }',
];

describe('the bias collects the gradient of every row', () => {
  it('∂L/∂b = 1ᵀ·d = (1, 1, 1)·d = the column sum of d, with the middle step shown', () => {
    // ŷ = (1, 2, 3), ŷ − y = (0, 1, 2), d = 2/3·(0, 1, 2) = (0, 2/3, 4/3): ∂L/∂b = 0 + 2/3 + 4/3 = 2.
    const lines = equations(network(threeRows));
    expect(lines).toContain('∂L/∂b₁ = 1ᵀ·d = (1, 1, 1)·[[0], [2/3], [4/3]] = 2');
  });

  it('with one row, 1ᵀ·d is d itself and the sheet writes d', () => {
    const lines = equations(network(['model:', '  - linear: { weights: [[1]], bias: [0] }', 'loss: sse', 'data: { x: [[1]], y: [[0]] }', 'train: { lr: 0.1 }']));
    expect(lines).toContain('∂L/∂b₁ = d = 2');
  });
});

describe('the 1/n of a mean loss stays in its derivative, with n’s value', () => {
  it('MSE over three rows: d = 2/n·(ŷ − y) = 2/3·(…)', () => {
    const trace = network(threeRows);
    expect(trace.lossGradient.pretty).toBe('2/n·(ŷ − y)');
    expect(trace.lossCount).toBe(3);
    expect(equations(trace)).toContain('d = ∂L/∂ŷ = 2/n·(ŷ − y) = 2/3·([[1], [2], [3]] − [[1], [1], [1]]) = [[0], [2/3], [4/3]]');
  });

  it('sigmoid + logloss over two rows: ∂L/∂z = (σ(z) − y)/n', () => {
    const trace = network([
      'model:', '  - linear: { weights: [[1]] }', '  - sigmoid', 'loss: logloss',
      'data: { x: [[0], [0]], y: [[1], [0]] }', 'train: { lr: 1 }',
    ]);
    // z = 0, σ(0) = 0.5: (σ(z) − y)/2 = (−0.25, 0.25).
    expect(trace.steps[0]!.fused!.product.formula.pretty).toBe('(σ(H₁) − y)/n');
    expect(trace.steps[0]!.fused!.product.result).toEqual([[-0.25], [0.25]]);
  });

  it('a sum of squares has no n', () => {
    const trace = network([...threeRows.slice(0, 2), 'loss: sse', ...threeRows.slice(3)]);
    expect(trace.lossGradient.pretty).toBe('2(ŷ − y)');
    expect(trace.lossCount).toBeUndefined();
  });
});

describe('exercise 4: the sigmoid and logloss together, with numbers', () => {
  it('∂L/∂ŷ·∂ŷ/∂H₂ = 3.718·0.1966 = 0.7311, the same as σ(H₂) − y; only the starting d changes', async () => {
    const { solveExample } = await import('./worked-solutions.js');
    const trace = solveExample('exercise-4-classification') as NetworkTrace;
    const lines = equations(trace);
    expect(lines).toContain('∂L/∂ŷ·∂ŷ/∂H₂ = 3.718·0.1966 = 0.7311');
    expect(lines).toContain('∂L/∂H₂ = σ(H₂) − y = σ(1) − 0 = 0.7311');
    const prose = explain(trace, { language: 'en' }).blocks.flatMap((block) => (block.kind === 'paragraph' ? [block.content.map((part) => (part.kind === 'math' ? part.math.pretty : part.text)).join('')] : []));
    expect(prose).toContain('What changes for the rest of the network: only the starting gradient. From here on the backward pass and the gradient descent step go exactly as in regression, starting from d = 0.7311.');
  });
});

import { describe, expect, it } from 'vitest';
import { explain } from '../src/explain/solution.js';
import type { NetworkTrace, ProblemTrace } from '../src/trace/types.js';
import { auditSolution } from './support/equation-audit.js';
import { FORMATS, LANGUAGES, inlineText, render, solveExample, solveText } from './worked-solutions.js';

/** Exercise 4's network: y = max(0, X·W₁)·W₂. */
const MODEL = ['model:', '  - linear: { weights: [[1, -1], [0.5, 0]] }', '  - relu', '  - linear: { weights: [[0.5], [1]] }'];
const layerQuestion = (lines: readonly string[]) => solveText([...MODEL, ...lines].join('\n')) as Extract<ProblemTrace, { kind: 'layer' }>;

/** Numbers as printed (−0 is 0 on paper). */
const printed = (values: unknown): unknown => JSON.parse(JSON.stringify(values));

const asLayer = (id: 'exercise-4-layer-1' | 'exercise-4-layer-2' | 'exercise-4-layer-3') => {
  const trace = solveExample(id);
  if (trace.kind !== 'layer') throw new Error(`${id} is not a layer question`);
  return trace;
};

describe('exercise 4, layer by layer, with the sheet’s numbers', () => {
  it('the first linear layer maps x = (1, 2) to (2, −1) and passes (−1, −0.5) down when (−1, 0) arrives', () => {
    const { step, grads } = asLayer('exercise-4-layer-1');
    // (1, 2)·[[1, −1], [0.5, 0]] = (1 + 1, −1 + 0); (−1, 0)·W₁ᵀ = (−1·1 + 0·(−1), −1·0.5 + 0·0); Xᵀ·d = [[1], [2]]·(−1, 0).
    expect(step.output).toEqual([[2, -1]]);
    expect(step.gradInput).toEqual([[-1, -0.5]]);
    expect(grads['0.weight']).toEqual([[-1, 0], [-2, 0]]);
  });

  it('ReLU passes (−1, 0) down when (−1, −2) arrives at input (2, −1)', () => {
    const { step, grads } = asLayer('exercise-4-layer-2');
    expect(step.output).toEqual([[2, 0]]);
    expect(step.worked.localDerivative.result).toEqual([[1, 0]]);
    expect(printed(step.gradInput)).toEqual([[-1, 0]]);
    expect(grads).toEqual({});
  });

  it('the last linear layer maps (2, 0) to 1 and passes (−1, −2) down when −2 arrives', () => {
    const { step, grads } = asLayer('exercise-4-layer-3');
    expect(step.output).toEqual([[1]]);
    expect(step.gradInput).toEqual([[-1, -2]]);
    expect(grads['2.weight']).toEqual([[-4], [0]]);
  });

  it('the sheet’s arriving gradients are the full network’s for y = 2, layer by layer', () => {
    const network = solveText([...MODEL, 'loss: mse', 'data: { x: [[1, 2]], y: [[2]] }', 'train: { lr: 1 }'].join('\n')) as NetworkTrace;
    const layers = network.steps[0]!.layers;
    for (const [index, id] of (['exercise-4-layer-1', 'exercise-4-layer-2', 'exercise-4-layer-3'] as const).entries()) {
      const { step } = asLayer(id);
      expect(step.input, id).toEqual(layers[index]!.input);
      expect(printed(step.gradOutput), id).toEqual(printed(layers[index]!.gradOutput));
      expect(printed(step.gradInput), id).toEqual(printed(layers[index]!.gradInput));
    }
  });

  it('names the layer as the whole network does: O₁ → ŷ with W₂ for the third layer', () => {
    const { formulas } = asLayer('exercise-4-layer-3');
    expect([formulas.input.pretty, formulas.output.pretty, formulas.forward.pretty, formulas.gradInput.pretty]).toEqual(['O₁', 'ŷ', 'O₁·W₂', 'd·W₂ᵀ']);
  });

  it('the full-network solution says where the sheet’s numbers come from (y = 2), in both languages', () => {
    const trace = solveExample('exercise-4-regression');
    const notes = (language: 'en' | 'ru') => explain(trace, { language }).blocks.flatMap((block) => (block.kind === 'note' ? [inlineText(block.content)] : []));
    expect(notes('en').join(' ')).toContain('y = 2');
    expect(notes('ru').join(' ')).toContain('y = 2');
  });
});

describe('a layer question in every format and language', () => {
  for (const language of LANGUAGES) {
    for (const format of FORMATS) {
      it(`${format}, ${language}: the forward formula and the backward formula with numbers`, () => {
        const rendered = render(asLayer('exercise-4-layer-1'), format, language);
        // HTML: the LaTeX KaTeX typeset; the other formats: the file itself.
        const output = format === 'html' ? rendered.displayed.join('\n') : rendered.output;
        if (format === 'text') {
          expect(output).toContain('H₁ = X·W₁ = (1, 2)·[[1, −1], [0.5, 0]] = (2, −1)');
          expect(output).toContain('∂L/∂X = d·W₁ᵀ = (−1, 0)·[[1, −1], [0.5, 0]]ᵀ = (−1, −0.5)');
        } else {
          expect(output).toMatch(/H_\{1\}/);
          expect(output).toMatch(/W_\{1\}\^\{?\\top\}?|W_\{1\}\^\{T\}|W_\{1\}\^\\top/);
        }
      });
    }
  }

  it('the equation audit finds every numeric line true, and checks the forward and backward lines', () => {
    for (const id of ['exercise-4-layer-1', 'exercise-4-layer-2', 'exercise-4-layer-3'] as const) {
      for (const language of LANGUAGES) {
        const result = auditSolution(explain(asLayer(id), { language }));
        expect(result.false).toEqual([]);
        expect(result.checked).toBeGreaterThanOrEqual(5);
      }
    }
  });
});

describe('check my answer on a layer question', () => {
  it('marks right and wrong numbers, each with the layer’s own label', () => {
    const trace = layerQuestion(['layer: 1', 'x: [1, 2]', 'gradient: [-1, 0]', 'answers: { output: [2, -1], gradInput: [-1, 0.5], grads: { weight: [[-1, 0], [-2, 0]] } }']);
    expect(trace.answers!.checks.map((check) => [check.path, check.verdict])).toEqual([
      ['layers.0.output', 'right'], ['layers.0.gradInput', 'wrong'], ['grads.0.weight', 'right'],
    ]);
    expect(trace.answers!.firstWrong).toBe('layers.0.gradInput');
    const en = explain(trace, { language: 'en' }).blocks.flatMap((block) => (block.kind === 'note' ? [inlineText(block.content)] : []));
    expect(en).toContain('The gradient layer 1 passes down: you have (−1, 0.5), the right value is (−1, −0.5).');
    const ru = explain(trace, { language: 'ru' }).blocks.flatMap((block) => (block.kind === 'note' ? [inlineText(block.content)] : []));
    expect(ru).toContain('Градиент по W₁: [[−1, 0], [−2, 0]].');
  });

  it('refuses an answer name the layer does not have', () => {
    expect(() => layerQuestion(['layer: 2', 'x: [2, -1]', 'gradient: [-1, -2]', 'answers: { grads: { weight: 1 } }'])).toThrow(/grads: weight is not in this problem/);
  });
});

describe('a layer question that cannot be asked', () => {
  it.each([
    [['x: [1, 2]', 'gradient: [-1, 0]'], /layer: which of the 3 layers is asked about\?/],
    [['layer: 4', 'x: [1, 2]', 'gradient: [-1, 0]'], /layer: is 4, but the model has 3 layers/],
    [['layer: 1', 'x: [1, 2, 3]', 'gradient: [-1, 0]'], /x: has 3 numbers per row, but layer 1 \(linear\) takes 2/],
    [['layer: 3', 'x: [2, 0]', 'gradient: [-1, 0]'], /gradient: is 1×2, but the layer's output is 1×1/],
  ])('%j', (lines, message) => {
    expect(() => layerQuestion(lines)).toThrow(message);
  });
});

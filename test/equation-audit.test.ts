import { describe, expect, it } from 'vitest';
import type { WorkedSolution } from '../src/explain/document.js';
import { explain } from '../src/explain/solution.js';
import { LOSS_NAMES } from '../src/nn/losses.js';
import { OPTIMIZER_NAMES } from '../src/optim/create.js';
import { auditSolution, evaluatePrinted } from './support/equation-audit.js';
import { EXERCISES, LANGUAGES, solveExample, solveText } from './worked-solutions.js';

const equation = (...parts: string[]) => ({ kind: 'equation' as const, parts: parts.map((pretty) => ({ pretty, latex: pretty })) });
const solution = (...blocks: WorkedSolution['blocks']): WorkedSolution => ({ title: 't', blocks });

describe('the audit reads the printed notation', () => {
  it('numbers, fractions, vectors, matrices, products, transposes, ⊙, Iverson brackets, 1ᵀ', () => {
    const env = new Map<string, number[][]>();
    expect(evaluatePrinted('(1, 2)·[[1, −1], [0.5, 0]]', env)).toEqual([[2, -1]]);
    expect(evaluatePrinted('2/3·(4 − 1)', env)).toEqual([[2]]);
    expect(evaluatePrinted('(1, 2) ⊙ [(2, −1) > 0]', env)).toEqual([[1, 0]]);
    expect(evaluatePrinted('[[0.5], [1]]ᵀ', env)).toEqual([[0.5, 1]]);
    expect(evaluatePrinted('1ᵀ·[[1, 2], [3, 4]]', env)).toEqual([[4, 6]]);
    expect(evaluatePrinted('mean((1 − 0)²)', env)).toEqual([[1]]);
    expect(evaluatePrinted('det([[2, 1], [1, 3]])·[[2, 1], [1, 3]]⁻ᵀ', env)).toEqual([[3, -1], [-1, 2]]);
    expect(evaluatePrinted('tr([[1, 2], [3, 4]]) + sum((1, 2)ᵀ)', env)).toEqual([[8]]);
  });

  it('catches a planted false line, in a middle form and on the right', () => {
    const planted = auditSolution(solution(
      equation('H₁', 'X·W₁', '(1, 2)·[[1, −1], [0.5, 0]]', '(2, −1)'),
      equation('W₁ ← W₁ − γ·∂L/∂W₁', '[[1.4], [−0.2]] − 0.1·[[12], [4]]', '[[0.56], [0.12]]'),
      equation('L', '2 + 2', '5'),
    ));
    expect(planted.false).toHaveLength(2);
    expect(planted.false[0]).toContain('[[0.56], [0.12]]');
    expect(planted.false[1]).toContain('2 + 2');
  });

  it('reads symbols from what was said before: X·W₁ with X and W₁ known', () => {
    const result = auditSolution(solution(
      { kind: 'paragraph', content: [{ kind: 'math', math: { pretty: 'X = (1, 2)', latex: '' } }] },
      equation('W₁', '[[1, −1], [0.5, 0]]'),
      equation('H₁', 'X·W₁', '(2, 0)'),
      equation('O₁', 'ReLU(H₁)', '(2, 0)'),
    ));
    // X·W₁ = (2, −1), not (2, 0); O₁ is then read from the line as printed, and ReLU((2, 0)) agrees.
    expect(result.false).toEqual(['H₁ = X·W₁ = (2, 0)   [X·W₁ ≠ (2, 0)]']);
    expect(result.checked).toBe(2);
  });
});

/** Every optimizer × every loss × batch 1 and 3 × bias on/off × 2 steps. */
function generated(optimizer: string, loss: string, batch: number, bias: boolean): string {
  const classify = loss === 'logloss';
  const softmax = loss === 'cross_entropy';
  const width = softmax ? 2 : 1;
  const b = (n: number) => (bias ? `, bias: [${Array.from({ length: n }, (_, i) => (i === 0 ? 0.1 : -0.2)).join(', ')}]` : '');
  return [
    'model:',
    `  - linear: { weights: [[0.5, -1], [1, 0.25]]${b(2)} }`,
    '  - relu',
    `  - linear: { weights: ${softmax ? '[[0.5, -0.5], [1, 0.25]]' : '[[0.5], [1]]'}${b(width)} }`,
    ...(classify ? ['  - sigmoid'] : softmax ? ['  - softmax'] : []),
    `loss: ${loss}`,
    `data: { x: [[1, 2], [2, -1], [0.5, 1]], y: ${softmax ? '[[1, 0], [0, 1], [1, 0]]' : classify ? '[[1], [0], [1]]' : '[[1], [0], [2]]'} }`,
    `train: { optimizer: ${optimizer}, lr: 0.1, batch: ${batch}, epochs: ${batch === 3 ? 2 : 1}${optimizer === 'adam' ? '' : ''} }`,
  ].join('\n');
}

describe('every display equation with numbers is true', () => {
  for (const id of EXERCISES) {
    for (const language of LANGUAGES) {
      it(`examples/${id} (${language})`, () => {
        const result = auditSolution(explain(solveExample(id), { language }));
        expect(result.false).toEqual([]);
        // A layer question has five or six numeric lines (forward, local derivative, passed down, parameter gradients).
        if (id.startsWith('exercise-4-layer')) expect(result.checked).toBeGreaterThanOrEqual(5);
        else if (id !== 'exercise-5-symbolic') expect(result.checked).toBeGreaterThan(10);
      });
    }
  }
  for (const optimizer of OPTIMIZER_NAMES) {
    for (const loss of LOSS_NAMES) {
      it(`${optimizer} × ${loss}: batch 1 and 3, bias on and off, two steps, en and ru`, () => {
        for (const batch of [1, 3]) {
          for (const bias of [false, true]) {
            const trace = solveText(generated(optimizer, loss, batch, bias));
            for (const language of LANGUAGES) {
              const result = auditSolution(explain(trace, { language }));
              expect(result.false, `batch ${batch}, bias ${bias}, ${language}`).toEqual([]);
              expect(result.checked).toBeGreaterThan(20);
            }
          }
        }
      });
    }
  }
});

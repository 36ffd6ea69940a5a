import { describe, expect, it } from 'vitest';
import { foreignWords, parseSvg } from '../../test/support/svg.js';
import { solveProblem } from '../problem/solve-file.js';
import { flowDot } from './flow-diagram.js';
import { dotToSvg } from './render.js';

async function flowTexts(file: string, step?: number, language?: 'en' | 'ru'): Promise<readonly string[]> {
  const trace = solveProblem(`examples/${file}.yaml`);
  if (trace.kind === 'expression' || trace.kind === 'layer' || trace.kind === 'conv' || trace.kind === 'matrix') throw new Error(`${file} is not a network problem`);
  return parseSvg(await dotToSvg(flowDot(trace, { step, language }).dot)).texts;
}

describe('the layer-level flow', () => {
  it('draws exercise 5 as X → H₁ → O₁ → ŷ → L with W on the forward arrows and Wᵀ, [H₁ > 0], Xᵀ on the backward ones', async () => {
    const texts = await flowTexts('exercise-5-symbolic');
    for (const name of ['X', 'H₁', 'O₁', 'ŷ', 'L', 'W₁', 'W₂']) expect(texts).toContain(name);
    for (const forward of ['H₁ = X·W₂', 'O₁ = ReLU(H₁)', 'ŷ = O₁·W₁', 'L = Σ((ŷ − y)²)']) expect(texts).toContain(forward);
    for (const backward of ['d = 2(ŷ − y)', 'd·W₁ᵀ', 'd ⊙ [H₁ > 0]', 'd·W₂ᵀ', '∂L/∂W₁ = O₁ᵀ·d', '∂L/∂W₂ = Xᵀ·d']) expect(texts).toContain(backward);
  });

  it('derives the same picture for the numeric exercise 4 and fills it with step 1', async () => {
    const texts = await flowTexts('exercise-4-regression', 1);
    for (const line of ['H₁ = X·W₁', 'd·W₁ᵀ', 'd ⊙ [H₁ > 0]', '∂L/∂W₁ = Xᵀ·d', '∂L/∂W₂ = O₁ᵀ·d']) expect(texts).toContain(line);
    // H₁ = (2, −1) and the gradient arriving at it, (1, 0); ∂L/∂W₁ and the new W₁.
    for (const line of ['(2, −1)', '∂L/∂H₁ = (1, 0)', '∂L/∂W₁ = [[1, 0], [2, 0]]', '→ [[0, −1], [−1.5, 0]]']) expect(texts).toContain(line);
  });

  it('says when sigmoid and logloss are computed together', async () => {
    const texts = await flowTexts('exercise-4-classification', 1);
    expect(texts.some((text) => text.startsWith('σ and logloss are computed together from H₂'))).toBe(true);
  });
});

describe('the layer-level flow in Russian', () => {
  it.each([
    ['exercise-5-symbolic', undefined],
    ['exercise-4-regression', 1],
    ['exercise-4-classification', 1],
  ] as const)('%s: the legend, the title and the update in the sheet\'s terms, with no English words', async (file, step) => {
    const texts = await flowTexts(file, step, 'ru');
    const all = texts.join('\n');
    for (const term of ['прямой проход', 'обратный проход', 'накопленный градиент', 'шаг градиентного спуска', 'Упражнение']) expect(all).toContain(term);
    expect(foreignWords(texts)).toEqual([]);
  });

  it('says in Russian when sigmoid and logloss are computed together', async () => {
    const texts = await flowTexts('exercise-4-classification', 1, 'ru');
    expect(texts.some((text) => text.startsWith('σ и logloss вычисляются вместе по H₂'))).toBe(true);
  });

  it('keeps the English flow as it was', async () => {
    expect(await flowTexts('exercise-4-classification', 1, 'en')).toEqual(await flowTexts('exercise-4-classification', 1));
  });
});

import { describe, expect, it } from 'vitest';
import type { ProblemTrace } from '../src/trace/types.js';
import {
  inlineText, explainIn, parseHtml, renderAll, solveExample, solveProblemText, solveText, stepBlocks, textOf, type Rendered,
} from './worked-solutions.js';

/**
 * The remarks a teacher would make, each at the step where it shows, in English and Russian
 * and in every format: a dead ReLU (exercise 4), a vanishing gradient (exercise 2, step 2),
 * symmetric units after zero initialisation, a saturated sigmoid, a loss that went up.
 */

const prose = (rendered: Rendered) => (rendered.format === 'html' ? textOf(parseHtml(rendered.output).document, true) : rendered.output);

/** The notes of one step, as plain text, in a language. */
const notesAt = (trace: ProblemTrace, language: 'en' | 'ru', step: number) =>
  stepBlocks(explainIn(trace, language), step).flatMap((block) => (block.kind === 'note' ? [inlineText(block.content)] : []));

interface Remark {
  readonly name: string;
  readonly trace: () => ProblemTrace;
  readonly step: number;
  readonly steps: number;
  readonly en: RegExp;
  readonly ru: RegExp;
}

const REMARKS: Remark[] = [
  {
    // H₁ = (2, −1): the second unit of the ReLU (the sheet's second layer) outputs 0.
    name: 'a dead ReLU in exercise 4', trace: () => solveExample('exercise-4-regression'), step: 1, steps: 1,
    en: /ReLU in layer 2: units? 2\b/, ru: /ReLU в слое 2: нейрон(ы)? 2\b/,
  },
  {
    // Step 2: sigmoid + logloss are fused, so the top gradient is ∂L/∂z = p − y = 0.3486 − 1 = −0.6514
    // arriving at layer 5; 0.04071 arrives at layer 3 (layers counted from 1): 0.6514/0.04071 = 16.0 times smaller.
    name: 'a vanishing gradient in exercise 2', trace: () => solveExample('exercise-2'), step: 2, steps: 2,
    en: /gradient shrinks on the way back: its size at the top is 16 times its size at layer 3\./, ru: /Градиент затухает на обратном пути: отношение его величины наверху к величине в слое 3 равно 16\./,
  },
  {
    // Both hidden units start at 0 and get the same (zero) update.
    name: 'symmetric units after zero initialisation', trace: () => solveProblemText('symmetry'), step: 1, steps: 1,
    en: /weights of layer 1 started equal and received identical updates/, ru: /Веса слоя 1 были изначально одинаковыми и получили одинаковые обновления/,
  },
  {
    // σ(10) = 0.99995.
    name: 'a saturated sigmoid', trace: () => solveProblemText('saturated'), step: 1, steps: 1,
    en: /sigmoid in layer 2 is saturated/, ru: /Сигмоида в слое 2 насыщена/,
  },
  {
    // L = 1 at step 1, 9 at step 2 (γ = 2 overshoots: w = 1 → −3).
    name: 'the loss going up', trace: () => solveProblemText('lossUp'), step: 2, steps: 2,
    en: /The loss went up: 1 at step 1, 9 at step 2\./, ru: /Значение функции потерь выросло: 1 на шаге 1, 9 на шаге 2\./,
  },
  {
    // γ = 0: W ← W − 0·∂L/∂W = W at every step, said once, where it first shows.
    name: 'a learning rate of 0', trace: () => solveText('model:\n  - linear: { weights: [[1]] }\nloss: mse\ndata: { x: [[1]], y: [[0]] }\ntrain: { lr: 0, epochs: 2 }\n'), step: 1, steps: 2,
    en: /The learning rate is 0, so every update subtracts 0: the weights stay as they are at every step\./, ru: /Скорость обучения равна 0, поэтому каждый шаг вычитает 0: веса на всех шагах остаются прежними\./,
  },
  {
    // ŷ = 1·1 = y: L = 0, every gradient 0, W ← 1 − 0.1·0 = 1.
    name: 'a loss of exactly 0', trace: () => solveText('model:\n  - linear: { weights: [[1]] }\nloss: mse\ndata: { x: [[1]], y: [[1]] }\ntrain: { lr: 0.1 }\n'), step: 1, steps: 1,
    en: /Every gradient is exactly 0 at this step, so the update changes no parameter\./, ru: /На этом шаге все градиенты в точности равны 0, поэтому обновление не меняет ни одного параметра\./,
  },
  {
    // Step 2: x = −1 is cut by the ReLU, so both layers get a zero gradient, but momentum moves them: W₁ ← 0.8 − 0.1·1.8 = 0.62.
    name: 'a zero gradient under momentum (the parameters still move)',
    trace: () => solveText('model:\n  - linear: { weights: [[1]] }\n  - relu\n  - linear: { weights: [[1]] }\nloss: mse\ndata: { x: [[1], [-1]], y: [[0], [1]] }\ntrain: { lr: 0.1, optimizer: momentum, batch: 1 }\n'),
    step: 2, steps: 2,
    en: /The parameters of layer 1 got a zero gradient at this step; they still moved/, ru: /Параметры слоя 1 получили нулевой градиент на этом шаге, но всё же изменились/,
  },
];

describe.each(REMARKS)('$name', ({ trace, step, steps, en, ru }) => {
  it('stands at its step and only there, in both languages', () => {
    const solved = trace();
    for (const [language, pattern] of [['en', en], ['ru', ru]] as const) {
      for (let at = 1; at <= steps; at++) {
        const found = notesAt(solved, language, at).some((note) => pattern.test(note));
        expect(found, `${language}, step ${at}`).toBe(at === step);
      }
    }
  });

  it('is in every format', () => {
    for (const rendered of renderAll(trace())) {
      expect(prose(rendered), `${rendered.format} ${rendered.language}`).toMatch(rendered.language === 'en' ? en : ru);
    }
  });
});

describe('remarks are not made where they do not apply', () => {
  const all = (trace: ProblemTrace) => [1, 2, 3].flatMap((step) => {
    try {
      return notesAt(trace, 'en', step);
    } catch {
      return [];
    }
  });

  it('a smaller step makes the loss go down: no remark (L = 1, then (1 − 0.25·2)² = 0.25)', () => {
    const trace = solveText('model:\n  - linear: { weights: [[1]] }\nloss: mse\ndata: { x: [[1]], y: [[0]] }\ntrain: { lr: 0.25, epochs: 2 }\n');
    expect(all(trace).filter((note) => /loss went up/.test(note))).toEqual([]);
  });

  it('a higher loss on a different observation is not “the loss went up”', () => {
    // Observation 1: L = (1·1 − 0)² = 1, w ← 1 − 0.01·2 = 0.98; observation 2: L = (0.98·3 − 0)² = 8.6.
    const trace = solveText('model:\n  - linear: { weights: [[1]] }\nloss: mse\ndata: { x: [[1], [3]], y: [[0], [0]] }\ntrain: { lr: 0.01, batch: 1 }\n');
    expect(all(trace).filter((note) => /loss went up/.test(note))).toEqual([]);
  });

  it('units that start different are not symmetric; a sigmoid at 0.5 is not saturated', () => {
    const trace = solveText('model:\n  - linear: { weights: [[0.5, -0.5]] }\n  - sigmoid\n  - linear: { weights: [[1], [1]] }\nloss: mse\ndata: { x: [[1]], y: [[1]] }\ntrain: { lr: 1 }\n');
    expect(all(trace).filter((note) => /started equal|saturated/.test(note))).toEqual([]);
  });

  it('a zero gradient under momentum is never called "did not change" (W₁ moved from 0.8 to 0.62)', () => {
    const trace = REMARKS.find((remark) => remark.name.startsWith('a zero gradient under momentum'))!.trace();
    expect(all(trace).filter((note) => /did not change/.test(note))).toEqual([]);
  });

  it('exercise 4 (regression) has only the dead ReLU', () => {
    expect(all(solveExample('exercise-4-regression'))).toEqual([expect.stringMatching(/^ReLU in layer 2/)]);
  });

  it('exercise 4 (classification): no vanishing-gradient warning — one sigmoid, fused with the loss', () => {
    // The backward pass starts from ∂L/∂z = p − y = 0.7311 (fused); layer 0 receives (0.3655, 0):
    // half of it, not ten times less. Only ∂L/∂p = 1/(1 − p) = 3.718, which the fused pass never
    // uses, is ten times larger.
    expect(all(solveExample('exercise-4-classification')).filter((note) => /shrinks/.test(note))).toEqual([]);
  });
});

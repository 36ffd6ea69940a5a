import { describe, expect, it } from 'vitest';
import { lossChartSpec } from '../src/draw/loss-chart.js';
import { explain } from '../src/explain/solution.js';
import { loadProblem } from '../src/files/read-problem.js';
import { solvePlan } from '../src/problem/solve.js';
import { LOSS_NAMES } from '../src/nn/losses.js';
import { OPTIMIZER_NAMES } from '../src/optim/create.js';
import type { NetworkTrace, ProblemTrace } from '../src/trace/types.js';
import { documentProse, EXERCISES, PROBLEMS, solveExample, solveProblemText, solveText } from './worked-solutions.js';

/**
 * No rendered Russian output has English in its prose (formulas, names and numbers apart):
 * every optimizer, every loss, a run that diverges, checked answers, and the loss chart.
 */
const ALLOWED = new Set(['backpropagation', 'logloss', 'mse', 'relu', 'rmsprop', 'adam', 'adagrad', 'pytorch']);
const english = (text: string) => (text.match(/[A-Za-z]{2,}/g) ?? []).filter((word) => !ALLOWED.has(word.toLowerCase()));

const network = (optimizer: string, loss: string, extra = '') => [
  'title: { en: "T", ru: "З" }',
  'model:',
  '  - linear: { weights: [[0.5, -1], [1, 0.25]], bias: [0.1, 0] }',
  '  - sigmoid',
  `  - linear: { weights: ${loss === 'cross_entropy' ? '[[0.5, -0.5], [1, 0.25]]' : '[[0.5], [1]]'} }`,
  ...(loss === 'logloss' ? ['  - sigmoid'] : loss === 'cross_entropy' ? ['  - softmax'] : []),
  `loss: ${loss}`,
  `data: { x: [[1, 2], [2, -1]], y: ${loss === 'cross_entropy' ? '[[1, 0], [0, 1]]' : '[[1], [0]]'} }`,
  `train: { optimizer: ${optimizer}, lr: 0.1, epochs: 2${extra} }`,
].join('\n');

const DIVERGES = 'title: { en: "D", ru: "Р" }\nmodel:\n  - linear: { weights: [[1]] }\nloss: mse\ndata: { x: [[1]], y: [[1000]] }\ntrain: { lr: 1000000, epochs: 40 }';

const traces = (): [string, ProblemTrace][] => [
  ...EXERCISES.map((id): [string, ProblemTrace] => [id, solveExample(id)]),
  ...(Object.keys(PROBLEMS) as (keyof typeof PROBLEMS)[]).map((id): [string, ProblemTrace] => [id, solveProblemText(id)]),
  ...OPTIMIZER_NAMES.flatMap((optimizer) => LOSS_NAMES.map((loss): [string, ProblemTrace] => [`${optimizer} × ${loss}`, solveText(network(optimizer, loss, ', weight_decay: 0.01'))])),
  ['a diverging run', solveText(DIVERGES)],
  ['the convolutional example', solvePlan(loadProblem(new URL('../examples/conv-and-linear.yaml', import.meta.url).pathname))],
];

/** Every title, subtitle and text of a chart specification: what a reader sees. */
function titles(value: unknown, key = ''): string[] {
  if (typeof value === 'string') return ['title', 'subtitle', 'text'].includes(key) ? [value] : [];
  if (Array.isArray(value)) return value.flatMap((item) => titles(item, key));
  if (typeof value === 'object' && value !== null) return Object.entries(value).flatMap(([name, inner]) => titles(inner, name));
  return [];
}

describe('Russian output has no English sentences', () => {
  it('in the prose of every worked solution', () => {
    const found = traces().flatMap(([name, trace]) =>
      documentProse(explain(trace, { language: 'ru' })).flatMap(({ where, text }) => english(text).map((word) => `${name}, ${where}: ${word} in “${text}”`)),
    );
    expect(found).toEqual([]);
  });

  it('in the loss chart of a run that diverged: the note says where, in Russian', () => {
    const trace = solveText(DIVERGES) as NetworkTrace;
    const chart = lossChartSpec(trace, { language: 'ru' });
    const words = titles(chart.spec).flatMap(english);
    expect(words).toEqual([]);
    expect(chart.notes.join(' ')).toMatch(/обучение остановлено на шаге \d+: значение функции потерь — не конечное число/);
  });

  it('a test that can fail: an English remark is found', () => {
    expect(english('Обучение разошлось на шаге 3: the loss — не конечное число')).toEqual(['the', 'loss']);
  });
});

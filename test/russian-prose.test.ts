import { describe, expect, it } from 'vitest';
import { lossChartSpec } from '../src/draw/loss-chart.js';
import type { Block } from '../src/explain/document.js';
import { renderSolution } from '../src/explain/render.js';
import { explain } from '../src/explain/solution.js';
import { en } from '../src/messages/en.js';
import { ru } from '../src/messages/ru.js';
import { loadProblem } from '../src/files/read-problem.js';
import { solvePlan } from '../src/problem/solve.js';
import { LOSSES, LOSS_NAMES, type LossName } from '../src/nn/losses.js';
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
  ...(LOSSES[loss as LossName].after === 'sigmoid' ? ['  - sigmoid'] : loss === 'cross_entropy' ? ['  - softmax'] : []),
  `loss: ${loss}`,
  `data: { x: [[1, 2], [2, -1]], y: ${loss === 'cross_entropy' ? '[[1, 0], [0, 1]]' : LOSSES[loss as LossName].labels !== undefined ? '[[1], [-1]]' : '[[1], [0]]'} }`,
  `train: { optimizer: ${optimizer}, lr: 0.1, epochs: 2${extra} }`,
].join('\n');

const DIVERGES = 'title: { en: "D", ru: "Р" }\nmodel:\n  - linear: { weights: [[1]] }\nloss: mse\ndata: { x: [[1]], y: [[1000]] }\ntrain: { lr: 1000000, epochs: 40 }';

const traces = (): [string, ProblemTrace][] => [
  ...EXERCISES.map((id): [string, ProblemTrace] => [id, solveExample(id)]),
  ...(Object.keys(PROBLEMS) as (keyof typeof PROBLEMS)[]).map((id): [string, ProblemTrace] => [id, solveProblemText(id)]),
  ...OPTIMIZER_NAMES.flatMap((optimizer) => LOSS_NAMES.map((loss): [string, ProblemTrace] => [`${optimizer} × ${loss}`, solveText(network(optimizer, loss, ', weight_decay: 0.01'))])),
  ['a diverging run', solveText(DIVERGES)],
  // One edge and one path: “each of the 1 edges” was printed for it.
  ['a formula of one operation', solveText('title: { en: "One edge", ru: "Одно ребро" }\nexpression: exp(x)\nat: { x: 1 }')],
  // The book's settings: an L2 term in the loss, and the layer-wise update compared with the usual one.
  ['l2 and a layer-wise update', solveText(network('momentum', 'logistic', ', update: layerwise').replace('loss: logistic', 'loss: logistic\nl2: 0.01'))],
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

/**
 * What a teacher of each language mended in the catalogues (issue #12), as patterns, so that it
 * cannot come back: calques, terms, number agreement dodged or broken, lower case after a full stop.
 */
const RUSSIAN_SLIPS: readonly [RegExp, string][] = [
  [/по параметру/, 'a teacher writes «градиент по W₁», not «по параметру W₁»'],
  [/(?<![Зз]начени[ея] )[Фф]ункци[яи] потерь (вырос|упал|равн)/, 'a number grows: «значение функции потерь выросло»'],
  [/^Функция потерь:$/, 'the line that follows is a number: «Значение функции потерь:»'],
  [/средн(яя|ей|юю) функци/, '«среднее значение функции потерь»'],
  [/(?<!функции )потер(и|ь) (усреднен|считают|по )/, 'the term is «значение функции потерь»'],
  [/производн\S* потерь/, '«производная функции потерь»'],
  [/собственный градиент/, '«начальный градиент ∂L/∂L = 1»'],
  [/правильный расчёт/, '«посчитано верно, но из неверного значения выше»'],
  [/\(\{count\}\)/, 'a count in brackets after a plural dodges agreement: «(всего 3)»'],
  [/раз\(а\)|\(ов\)|\(а\) /, 'an ending in brackets is not how a teacher writes'],
  [/[.!?] [а-яё]/, 'a sentence starts with a capital'],
];

const ENGLISH_SLIPS: readonly [RegExp, string][] = [
  [/\bby the (input|parameter|prediction|probabilit|weights?)\b/, 'a derivative is “with respect to” its variable'],
  [/\bderivative of [^:;]* by /, 'a derivative is “with respect to” its variable'],
  [/\bgradient by\b/, 'a gradient is “with respect to” its variable'],
  [/\bthe 1 \w+|\b1 (answers|paths|steps|epochs|units)\b/, 'one of a thing is singular'],
  [/\{(epochs|paths|edges|nodes)\} \1/, 'a count that may be 1 before a plural'],
  [/\be\.g\. [a-z]/, '“for example”: a full stop followed by lower case'],
  [/[.!?] [a-z]/, 'a sentence starts with a capital'],
];

describe('the catalogues read as a teacher writes', () => {
  for (const [language, catalogue, slips] of [['ru', ru, RUSSIAN_SLIPS], ['en', en, ENGLISH_SLIPS]] as const) {
    it(`${language}: none of the mended slips`, () => {
      const found = Object.entries(catalogue).flatMap(([key, message]) => slips.filter(([pattern]) => pattern.test(message)).map(([, why]) => `${key}: “${message}” — ${why}`));
      expect(found).toEqual([]);
    });
  }

  it('the patterns find what they are for', () => {
    expect(RUSSIAN_SLIPS.filter(([pattern]) => pattern.test('Градиент по параметру W₁:')).length).toBeGreaterThan(0);
    expect(RUSSIAN_SLIPS.filter(([pattern]) => pattern.test('Функция потерь выросла: 1 на шаге 1.')).length).toBeGreaterThan(0);
    expect(RUSSIAN_SLIPS.filter(([pattern]) => pattern.test('Все ответы ({count}) верны.')).length).toBeGreaterThan(0);
    expect(RUSSIAN_SLIPS.filter(([pattern]) => pattern.test('Верно. выход слоя 1')).length).toBeGreaterThan(0);
    expect(ENGLISH_SLIPS.filter(([pattern]) => pattern.test('the derivative of the output by the input')).length).toBeGreaterThan(0);
    expect(ENGLISH_SLIPS.filter(([pattern]) => pattern.test('All 1 answers are right.')).length).toBeGreaterThan(0);
    expect(ENGLISH_SLIPS.filter(([pattern]) => pattern.test('Right. the output of layer 1')).length).toBeGreaterThan(0);
  });
});

/** A block's sentences with each formula written in: what a reader reads. */
function sentences(block: Block): string[] {
  const join = (content: readonly { kind: string; text?: string; math?: { pretty: string } }[]) => content.map((part) => (part.kind === 'math' ? part.math!.pretty : part.text!)).join('');
  if (block.kind === 'paragraph' || block.kind === 'note') return [join(block.content)];
  if (block.kind === 'list') return block.items.map(join);
  return [];
}

describe('rendered prose reads as a teacher writes, in both languages', () => {
  const ANSWERS = [
    'model:', '  - linear: { weights: [[1, -1], [0.5, 0]] }', '  - relu', '  - linear: { weights: [[0.5], [1]] }',
    'loss: mse', 'data: { x: [[1, 2]], y: [[0]] }', 'train: { lr: 1 }',
    'answers: { steps: [ { layers: { 0: { output: [2, 1] }, 1: { output: [2, 1] } }, loss: 4 } ] }',
  ].join('\n');

  it('no sentence starts in lower case and no count of one is plural', () => {
    const found: string[] = [];
    for (const [name, trace] of [...traces(), ['checked answers', solveText(ANSWERS)] as [string, ProblemTrace]]) {
      for (const language of ['en', 'ru'] as const) {
        for (const text of explain(trace, { language }).blocks.flatMap(sentences)) {
          if (/[.!?] [a-zа-яё]/u.test(text.replace(/\b(e\.g|i\.e|т\. е)\./g, ''))) found.push(`${name} (${language}): ${text}`);
          if (/\b1 (answers|paths|steps|epochs|observations|edges|nodes)\b/.test(text)) found.push(`${name} (${language}): ${text}`);
        }
      }
    }
    expect(found).toEqual([]);
  });

  it('a note’s label and its sentence: “Right. The output…”, «Верно. Выход…»', () => {
    const checked = '{ steps: [ { layers: { 0: { output: [2, -1] }, 1: { output: [2, 1] } } } ] }';
    const problem = ANSWERS.replace(/answers: .*/, `answers: ${checked}`);
    for (const language of ['en', 'ru'] as const) {
      const text = renderSolution(solveText(problem), { format: 'text', language });
      expect(text).not.toMatch(/(Right|Wrong|Note|Warning|Верно|Неверно|Замечание|Внимание)\. [a-zа-яё]/u);
    }
    expect(renderSolution(solveText(problem), { format: 'text', language: 'ru' })).toContain('Верно. Выход слоя 1 на шаге 1: (2, −1).');
    expect(renderSolution(solveText(problem), { format: 'text', language: 'en' })).toContain('Right. The output of layer 1 at step 1: (2, −1).');
  });
});

import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { explain } from '../src/explain/solution.js';
import { renderSolution } from '../src/explain/render.js';
import { loadProblem } from '../src/files/read-problem.js';
import { solvePlan } from '../src/problem/solve.js';
import type { NetworkTrace, SymbolicTrace } from '../src/trace/types.js';
import { auditSolution } from './support/equation-audit.js';
import { documentProse, LANGUAGES } from './worked-solutions.js';

/**
 * examples/book/: chapter 3 ('Листочек 3', backprop) of the problem book as problem files (#18).
 * Each one solves, every numeric line of its worked solution is true in both languages, every
 * published answer quoted in `answers:` is marked right, the numbers the book gets wrong are
 * marked wrong, and `npm start` (the single page) includes the folder.
 */
const folder = fileURLToPath(new URL('../examples/book/', import.meta.url));
const files = readdirSync(folder).filter((name) => name.endsWith('.yaml')).sort();

describe('examples/book', () => {
  it('holds the backprop chapter’s problems, and npm start solves the folder', () => {
    expect(files).toEqual(expect.arrayContaining([
      'computation-graph.yaml', 'inventing-backprop.yaml', 'sigmoid.yaml', 'linear-layer.yaml',
      'backprop-matrix-form.yaml', 'backprop-by-hand.yaml', 'unnoticed-backprop.yaml',
      'unnoticed-backprop-classifier.yaml', 'nesterov-and-backprop.yaml', 'logistic-loss.yaml',
    ]));
    const scripts = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { scripts: Record<string, string> }).scripts;
    expect(scripts.start).toMatch(/solve examples examples\/book /);
  });

  for (const name of files) {
    it(`${name}: every numeric line is true, in English and Russian, and it names the book's problem`, () => {
      const trace = solvePlan(loadProblem(join(folder, name)));
      for (const language of LANGUAGES) {
        const result = auditSolution(explain(trace, { language }));
        expect(result.false, language).toEqual([]);
        // The matrix-derivative sheet's problems have fewer numbers (test/matrix-solutions.test.ts checks them further).
        const least = name.startsWith('matrix-') ? 1 : 5;
        const numeric = trace.kind !== 'symbolic' && !(trace.kind === 'matrix' && trace.value === null);
        if (numeric) expect(result.checked, language).toBeGreaterThanOrEqual(least);
      }
      const text = readFileSync(join(folder, name), 'utf8');
      if (name.startsWith('matrix-')) {
        expect(text).toMatch(/Problem \S+ of the matrix-derivative sheet \(problem set 10\) of the problem book 'Deep learning Masha's book' \(F\. Ulyankin\)/);
        expect(text).toMatch(/Задача \S+ листочка 10 \(матричные производные\)/);
      } else {
        expect(text).toMatch(/(Problem [1-8] of|Not a problem of) chapter ([357]) \('Листочек \2'\) of the problem book 'Deep learning Masha's book' \(F\. Ulyankin\)/);
        expect(text).toMatch(/Задача [1-8] листочка [357]|Не задача листочка 3/);
      }
      expect(text).not.toMatch(/https?:|\/work\/|\.\.\//);
    });
  }

  it('marks every published answer quoted in answers: right', () => {
    const quoting = files.filter((name) => /^answers:/m.test(readFileSync(join(folder, name), 'utf8')));
    expect(quoting).toEqual(expect.arrayContaining([
      'backprop-by-hand.yaml', 'computation-graph.yaml', 'unnoticed-backprop.yaml', 'unnoticed-backprop-classifier.yaml',
    ]));
    for (const name of quoting) {
      const checks = solvePlan(loadProblem(join(folder, name))).answers?.checks ?? [];
      expect(checks.length, name).toBeGreaterThan(0);
      expect(checks.filter((check) => check.verdict !== 'right').map((check) => `${name}: ${check.path}`)).toEqual([]);
    }
  });

  it('marks wrong the numbers the erratum notes say the book gets wrong', () => {
    const verdicts = (name: string, answers: unknown) => {
      const plan = loadProblem(join(folder, name));
      return (solvePlan({ ...plan, answers } as typeof plan).answers?.checks ?? []).map((check) => [check.path, check.verdict]);
    };
    // Problem 7, regression: H₁ with −0.5, d = ŷ − y for a 1/(2n) mean, and W₁'s update by the transposed gradient.
    expect(verdicts('unnoticed-backprop.yaml', { steps: [{
      step: 1, layers: { 0: { output: [[2, -0.5], [0, 1]] } }, gradPrediction: [[-1], [0]],
      grads: { '2.weight': [[-2], [0]], '0.weight': [[-0.5, 0], [-1, 0]] }, params: { '0.weight': [[1.5, 0], [0.5, 0]] },
    }] })).toEqual([
      ['steps[1].layers.0.output', 'wrong'], ['steps[1].gradPrediction', 'wrong'],
      ['steps[1].grads.2.weight', 'carried'], ['steps[1].grads.0.weight', 'carried'], ['steps[1].params.0.weight', 'wrong'],
    ]);
    // Problem 7, classifier: ∂logloss/∂p̂ ≈ (3.7, 1.4) and the gradient at the sigmoid's input ≈ (0.74, 0.28).
    expect(verdicts('unnoticed-backprop-classifier.yaml', { steps: [{
      step: 1, gradPrediction: [[3.7], [1.4]], layers: { 3: { gradInput: [[0.74], [0.28]] } },
    }] }).map(([, verdict]) => verdict)).toEqual(['wrong', 'wrong']);
    // Chapter 7, problem 2: the book's h₃ = 0.375 (its ŷ₂ put in for y₂), so L = 5.84765625, ∂L/∂u = −0.109375, u = 0.5109375.
    expect(verdicts('there-and-back.yaml', { steps: [{
      step: 1, layers: { 0: { output: [[0], [0.5], [0.375]] } }, loss: 5.84765625, grads: { '1.weight': -0.109375 }, params: { '1.weight': 0.5109375 },
    }] }).map(([, verdict]) => verdict)).not.toContain('right');
    // The numbers the book gets right, and the 2.1875, the mean over the three steps, not the book's sum.
    expect(verdicts('there-and-back.yaml', { steps: [{
      step: 1, layers: { 0: { output: [[0], [0.5], [0]] } }, prediction: [[0], [0.25], [0]], loss: 6.5625, grads: { '1.weight': 1.25 }, params: { '1.weight': 0.375 },
    }] }).map(([, verdict]) => verdict)).toEqual(['right', 'right', 'right', 'right', 'right']);
    expect(verdicts('there-and-back.yaml', { steps: [{ step: 1, loss: 2.1875 }] }).map(([, verdict]) => verdict)).toEqual(['wrong']);
  });

  it('has no English sentence in its Russian prose (names of methods and tools apart)', () => {
    const allowed = new Set(['backprop', 'backpropagation', 'logloss', 'sgd', 'mashagrad', 'pytorch', 'issue', 'relu', 'ln', 'mse', 'det', 'tr', 'df', 'dl', 'dy', 'vec', 'mu']);
    // Letters inside a formula written in the prose (xᵀAx, (y − Xw)ᵀ, tr(∇ᵀdX)) are not words.
    const formula = /[ᵀ⁻¹·()=−+⊙²×/∇]/;
    // A title in «quotes» is a name (the book is «Deep learning Masha's book»), not an English sentence.
    // A file's name (matrix-2a-inverse.yaml) and a key of it (answers:) are names too, in the statements.
    const named = /\.yaml\b|^\w+:$/;
    const words = (text: string) => text.replace(/«[^»]*»/g, '').split(/\s+/).filter((token) => !formula.test(token) && !named.test(token)).flatMap((token) => token.match(/[A-Za-z]{2,}/g) ?? []);
    const found = files.flatMap((name) => documentProse(explain(solvePlan(loadProblem(join(folder, name))), { language: 'ru' }))
      .flatMap(({ where, text }) => words(text).filter((word) => !allowed.has(word.toLowerCase())).map((word) => `${name}, ${where}: ${word}`)));
    expect(found).toEqual([]);
  });

  it('shows the erratum notes in the reader’s language, in a symbolic problem too', () => {
    for (const name of ['inventing-backprop.yaml', 'backprop-by-hand.yaml', 'unnoticed-backprop.yaml', 'unnoticed-backprop-classifier.yaml', 'there-and-back.yaml']) {
      const trace = solvePlan(loadProblem(join(folder, name))) as NetworkTrace | SymbolicTrace;
      const note = trace.note as { en: string; ru: string };
      expect(note.ru, name).toMatch(/задачник/);
      expect(note.en, name).toMatch(/the book/);
      expect(renderSolution(trace, { format: 'text', language: 'ru' }), name).toContain(note.ru);
      expect(renderSolution(trace, { format: 'text', language: 'en' }), name).toContain(note.en);
    }
  });

  it('compares the layer-wise update with the usual one in the Nesterov problem', () => {
    const trace = solvePlan(loadProblem(join(folder, 'nesterov-and-backprop.yaml'))) as NetworkTrace;
    expect(trace.update).toBe('layerwise');
    expect(trace.usual?.steps).toHaveLength(trace.steps.length);
    const text = renderSolution(trace, { format: 'text', language: 'ru' });
    expect(text).toContain('Сравнение послойного и обычного обновления');
  });
});

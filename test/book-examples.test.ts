import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { explain } from '../src/explain/solution.js';
import { renderSolution } from '../src/explain/render.js';
import { loadProblem } from '../src/files/read-problem.js';
import { solvePlan } from '../src/problem/solve.js';
import type { NetworkTrace } from '../src/trace/types.js';
import { auditSolution } from './support/equation-audit.js';
import { documentProse, LANGUAGES } from './worked-solutions.js';

/**
 * examples/book/: the book's backprop chapter as problem files (#18). Each one solves, every
 * numeric line of its worked solution is true in both languages, and `npm start` (the single page)
 * includes the folder.
 */
const folder = fileURLToPath(new URL('../examples/book/', import.meta.url));
const files = readdirSync(folder).filter((name) => name.endsWith('.yaml')).sort();

describe('examples/book', () => {
  it('holds the backprop chapter’s problems, and npm start solves the folder', () => {
    expect(files).toEqual(expect.arrayContaining([
      'backprop-by-hand.yaml', 'backprop-matrix-form.yaml', 'linear-layer.yaml', 'logistic-loss.yaml',
      'nesterov-and-backprop.yaml', 'sigmoid.yaml', 'unnoticed-backprop.yaml',
    ]));
    const scripts = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { scripts: Record<string, string> }).scripts;
    expect(scripts.start).toMatch(/solve examples examples\/book /);
  });

  for (const name of files) {
    it(`${name}: every numeric line is true, in English and Russian, and says the book was not at hand`, () => {
      const trace = solvePlan(loadProblem(join(folder, name)));
      for (const language of LANGUAGES) {
        const result = auditSolution(explain(trace, { language }));
        expect(result.false, language).toEqual([]);
        if (trace.kind !== 'symbolic') expect(result.checked, language).toBeGreaterThanOrEqual(5);
      }
      expect(readFileSync(join(folder, name), 'utf8')).toMatch(/the book is not at hand/);
    });
  }

  it('has no English sentence in its Russian prose (names of methods and tools apart)', () => {
    const allowed = new Set(['backprop', 'backpropagation', 'logloss', 'sgd', 'mashagrad', 'pytorch', 'issue', 'relu', 'ln']);
    const found = files.flatMap((name) => documentProse(explain(solvePlan(loadProblem(join(folder, name))), { language: 'ru' }))
      .flatMap(({ where, text }) => (text.match(/[A-Za-z]{2,}/g) ?? []).filter((word) => !allowed.has(word.toLowerCase())).map((word) => `${name}, ${where}: ${word}`)));
    expect(found).toEqual([]);
  });

  it('shows the erratum notes in the reader’s language', () => {
    for (const name of ['backprop-by-hand.yaml', 'unnoticed-backprop.yaml']) {
      const trace = solvePlan(loadProblem(join(folder, name))) as NetworkTrace;
      expect(renderSolution(trace, { format: 'text', language: 'ru' })).toMatch(/задачник/i);
      expect(renderSolution(trace, { format: 'text', language: 'en' })).toMatch(/the book/i);
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

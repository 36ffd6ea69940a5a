import { execFile, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { renderSolution } from '../src/explain/render.js';
import type { ProblemTrace } from '../src/trace/types.js';
import { EXERCISES, LANGUAGES, solveExample, solveText } from './worked-solutions.js';

/**
 * The LaTeX output: a document for xelatex (fontspec + polyglossia) that compiles in English
 * and Russian. CI installs Debian's xelatex (.ci/run), so there the compile test always runs;
 * on a developer's machine without xelatex it is skipped.
 */

const XELATEX = spawnSync('xelatex', ['--version'], { encoding: 'utf8' }).status === 0;
const MUST_COMPILE = process.env.CI !== undefined && process.env.CI !== '' && process.env.CI !== 'false';

/** Braces left open (or closed too often) outside escaped \{ \}. */
function braceBalance(tex: string): number {
  let depth = 0;
  for (const match of tex.replace(/\\[{}\\]/g, '').matchAll(/[{}]/g)) {
    depth += match[0] === '{' ? 1 : -1;
    if (depth < 0) return depth;
  }
  return depth;
}

describe('the LaTeX document', () => {
  it.each(EXERCISES)('%s: a whole document for xelatex in each language, braces balanced', (id) => {
    for (const language of LANGUAGES) {
      const tex = renderSolution(solveExample(id), { format: 'tex', language });
      expect(tex.startsWith('\\documentclass')).toBe(true);
      expect(tex).toContain('\\usepackage{fontspec}');
      expect(tex).toContain(`\\setmainlanguage{${language === 'ru' ? 'russian' : 'english'}}`);
      expect(tex.match(/\\begin\{document\}/g)).toHaveLength(1);
      expect(tex.trimEnd().endsWith('\\end{document}')).toBe(true);
      expect(braceBalance(tex)).toBe(0);
      // Every \[ is closed on its line, every $ pairs up outside them.
      for (const line of tex.split('\n')) {
        if (line.startsWith('\\[')) expect(line.endsWith('\\]'), line).toBe(true);
        expect(line.replace(/\\\$/g, '').split('$').length % 2, line).toBe(1);
      }
    }
  });
});

describe.skipIf(!XELATEX && !MUST_COMPILE)('xelatex compiles the LaTeX output', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mashagrad-tex-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('xelatex is installed (CI installs it in .ci/run)', () => {
    expect(XELATEX, 'xelatex was not found; .ci/run should have installed texlive-xetex').toBe(true);
  });

  const withAnswers = () => solveText([
    'title: { en: "Checked & marked: 100% of $x_1$ #1", ru: "Проверка ответов: 100% от $x_1$ #1" }',
    'model:', '  - linear: { weights: [[1, -1], [0.5, 0]] }', '  - relu', '  - linear: { weights: [[0.5], [1]] }',
    'loss: mse', 'data: { x: [[1, 2]], y: [[0]] }', 'train: { lr: 1 }',
    'answers: { steps: [ { layers: { 0: { output: [2, 1] }, 1: { output: [2, 1] } }, loss: 4, grads: { "0.weight": [[1, 0], [2, 0]] } } ] }',
  ].join('\n'));

  const CASES: [string, () => ProblemTrace][] = [
    ['exercise-1', () => solveExample('exercise-1')],
    ['exercise-4-regression', () => solveExample('exercise-4-regression')],
    ['exercise-4-classification', () => solveExample('exercise-4-classification')],
    ['answers and special characters', withAnswers],
  ];

  it.each(CASES.flatMap(([name, trace]) => LANGUAGES.map((language) => [name, language, trace] as const)))('%s (%s): a PDF, with every glyph', async (name, language, trace) => {
    const base = `${name.replace(/\W+/g, '-')}-${language}`;
    writeFileSync(join(dir, `${base}.tex`), renderSolution(trace(), { format: 'tex', language }));
    let failure = '';
    try {
      await promisify(execFile)('xelatex', ['-halt-on-error', '-interaction=nonstopmode', `${base}.tex`], { cwd: dir, timeout: 120_000 });
    } catch (error) {
      const log = existsSync(join(dir, `${base}.log`)) ? readFileSync(join(dir, `${base}.log`), 'utf8') : String(error);
      failure = log.split('\n').filter((line) => line.startsWith('!')).join('\n') || log.slice(-2000);
    }
    expect(failure, 'xelatex failed').toBe('');
    const pdf = join(dir, `${base}.pdf`);
    expect(existsSync(pdf)).toBe(true);
    expect(readFileSync(pdf).subarray(0, 5).toString('latin1')).toBe('%PDF-');
    // A character the fonts lack is dropped silently with only this line in the log.
    const log = readFileSync(join(dir, `${base}.log`), 'utf8');
    expect(log.split('\n').filter((line) => line.includes('Missing character'))).toEqual([]);
  });
});

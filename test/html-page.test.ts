import katex from 'katex';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { renderBook, renderSolution } from '../src/explain/render.js';
import {
  EXERCISES, LANGUAGES, PROBLEMS, attribute, documentMath, elements, explainIn, parseHtml, runMashagrad, solveExample,
  solveProblemText, solveText, strayEndTags, textOf, unclosedElements,
} from './worked-solutions.js';

/**
 * Formulas typeset with KaTeX with errors on, and the HTML page: well-formed by a real HTML
 * parser, one <article> per exercise, no script, fonts inlined so it works offline, and a
 * problem's title escaped in every format.
 */

const ALL = () => [
  ...EXERCISES.map((id) => [id, solveExample(id)] as const),
  ...(Object.keys(PROBLEMS) as (keyof typeof PROBLEMS)[]).map((id) => [id, solveProblemText(id)] as const),
  ['answers', solveText([
    'expression: x^2 + x*y + (x+y)^2', 'at: { x: 1, y: 2 }',
    'answers: { nodes: { a: 1, b: 3, d: 4 }, edges: { "e/c": "c", "a/x": "2*x" }, derivatives: { x: "4*x + 3*y" }, gradient: { y: 6.5 } }',
  ].join('\n'))] as const,
  ['network answers', solveText([
    'model:', '  - linear: { weights: [[1, -1], [0.5, 0]] }', '  - relu', '  - linear: { weights: [[0.5], [1]] }', '  - sigmoid',
    'loss: logloss', 'data: { x: [[1, 2]], y: [[0]] }', 'train: { lr: 1 }',
    'answers: { steps: [ { prediction: 0.7311, loss: 1.2, grads: { "0.weight": [[0.3655, 0], [0.7311, 0]] }, params: { "2.weight": [[-0.96], [1]] } } ] }',
  ].join('\n'))] as const,
];

describe('every formula typesets with KaTeX, errors on', () => {
  it.each(ALL())('%s: every inline formula and equation of the document model, both languages', (_name, trace) => {
    for (const language of LANGUAGES) {
      const formulas = documentMath(explainIn(trace, language));
      expect(formulas.length).toBeGreaterThan(0);
      for (const { latex } of formulas) {
        expect(() => katex.renderToString(latex, { throwOnError: true, displayMode: true }), latex).not.toThrow();
        // Strict mode: no Unicode text smuggled into math mode, nothing KaTeX only tolerates.
        expect(() => katex.renderToString(latex, { throwOnError: true, strict: 'error' }), latex).not.toThrow();
      }
    }
  });

  it('a formula KaTeX rejects is an error of the HTML renderer, never shown raw', () => {
    const trace = solveExample('exercise-1');
    if (trace.kind !== 'expression') throw new Error('expected an expression trace');
    const broken = { ...trace, formula: { ...trace.formula, latex: '\\frac{1}{' } };
    expect(() => renderSolution(broken, { format: 'html', language: 'en' })).toThrow();
  });
});

describe('the HTML page of all exercises', () => {
  const pages = LANGUAGES.map((language) => [language, renderBook(EXERCISES.map((id) => ({ id, trace: solveExample(id) })), language, 'mashagrad')] as const);

  it.each(pages)('%s: parses without errors, every element closed', (_language, html) => {
    const { document, errors } = parseHtml(html);
    expect(errors.map((error) => `${error.code} at line ${error.startLine}, column ${error.startCol}`)).toEqual([]);
    expect(unclosedElements(html, document)).toEqual([]);
    expect(strayEndTags(html, document)).toBe(0);
  });

  it('the check finds a missing end tag and a parse error (so it can fail)', () => {
    const broken = '<!DOCTYPE html><html><head><title>t</title></head><body><article><p class="a"class="b">x</article></div></body></html>';
    const { document, errors } = parseHtml(broken);
    expect(unclosedElements(broken, document)).toEqual(['<p> at line 1']);
    expect(strayEndTags(broken, document)).toBe(1);
    expect(errors.map((error) => error.code)).toContain('missing-whitespace-between-attributes');
  });

  it.each(pages)('%s: one <article> per exercise, in order, with a table of contents', (language, html) => {
    const { document } = parseHtml(html);
    const all = elements(document);
    expect(all.filter((element) => element.tagName === 'article').map((article) => attribute(article, 'id'))).toEqual([...EXERCISES]);
    const links = all.filter((element) => element.tagName === 'nav').flatMap((nav) => elements(nav).filter((element) => element.tagName === 'a'));
    expect(links.map((link) => attribute(link, 'href'))).toEqual(EXERCISES.map((id) => `#${id}`));
    expect(attribute(all.find((element) => element.tagName === 'html')!, 'lang')).toBe(language);
    const titles = all.filter((element) => element.tagName === 'h1').map((h1) => textOf(h1));
    expect(titles[0]).toBe(language === 'en' ? 'Exercise 1 — computation graph' : 'Упражнение 1 — граф вычислений');
  });

  it.each(pages)('%s: no script, no event handlers, nothing fetched from elsewhere', (_language, html) => {
    const all = elements(parseHtml(html).document);
    expect(all.filter((element) => element.tagName === 'script')).toEqual([]);
    expect(all.flatMap((element) => element.attrs.filter((attr) => /^on/i.test(attr.name) || /^\s*javascript:/i.test(attr.value)))).toEqual([]);
    expect(all.filter((element) => ['link', 'img', 'iframe', 'object', 'embed'].includes(element.tagName))).toEqual([]);
    expect(html).not.toMatch(/url\((?!data:)/);
    expect(html).not.toMatch(/@import/);
  });

  it.each(pages)('%s: KaTeX’s fonts are inlined as data: URLs', (_language, html) => {
    const faces = html.match(/@font-face\{[^}]*\}/g) ?? [];
    expect(faces.length).toBeGreaterThanOrEqual(20);
    for (const face of faces) expect(face, face.slice(0, 80)).toMatch(/src:url\(data:font\/woff2;base64,[A-Za-z0-9+/=]{100,}\)/);
    // The base64 is a real WOFF2 file (its signature is wOF2).
    const first = /data:font\/woff2;base64,([A-Za-z0-9+/=]+)/.exec(html)![1]!;
    expect(Buffer.from(first, 'base64').subarray(0, 4).toString('latin1')).toBe('wOF2');
  });
});

describe('a hostile title is escaped', () => {
  const HOSTILE = ['<script>alert(1)</script>', '"&\''];
  const problem = (title: string) => solveText(`title: ${JSON.stringify(title)}\nexpression: x*y\nat: { x: 1, y: 2 }\n`);

  it.each(HOSTILE)('%s in HTML: shown as text, no element made of it', (title) => {
    for (const language of LANGUAGES) {
      const html = renderSolution(problem(title), { format: 'html', language });
      const { document, errors } = parseHtml(html);
      expect(errors).toEqual([]);
      const all = elements(document);
      expect(all.filter((element) => element.tagName === 'script')).toEqual([]);
      expect(textOf(all.find((element) => element.tagName === 'title')!)).toBe(title);
      expect(textOf(all.find((element) => element.tagName === 'h1')!)).toBe(title);
    }
    const book = renderBook([{ id: 'a"b', trace: problem(title) }, { id: 'c', trace: problem(title) }], 'en', title);
    const { document, errors } = parseHtml(book);
    expect(errors).toEqual([]);
    expect(elements(document).filter((element) => element.tagName === 'script')).toEqual([]);
    expect(elements(document).filter((element) => element.tagName === 'a').map((link) => textOf(link))).toEqual([title, title]);
  });

  it.each(HOSTILE)('%s in Markdown: no raw HTML tag', (title) => {
    const md = renderSolution(problem(title), { format: 'md', language: 'en' });
    const heading = md.split('\n')[0]!;
    expect(heading.startsWith('# ')).toBe(true);
    expect(heading, 'an unescaped <').not.toMatch(/(^|[^\\])<[a-z/]/i);
    // Unescaping Markdown's backslash escapes gives the title back.
    expect(heading.slice(2).replace(/\\([\\`*_{}[\]<>#|$!&"'])/g, '$1')).toBe(title);
  });

  it.each(HOSTILE)('%s in LaTeX: special characters escaped', (title) => {
    const tex = renderSolution(problem(title), { format: 'tex', language: 'en' });
    const section = tex.split('\n').find((line) => line.startsWith('\\section*{'))!;
    expect(section).toBe(`\\section*{${title.replace(/&/g, '\\&')}}`);
  });

  it('a title with $ in Markdown does not open a formula', () => {
    const md = renderSolution(problem('Costs $5 and $6'), { format: 'md', language: 'en' });
    expect(md.split('\n')[0]).toBe('# Costs \\$5 and \\$6');
  });

  it('every LaTeX special character in a title is escaped', () => {
    const tex = renderSolution(problem('50% of $x_1 & {y} # ~ ^ \\'), { format: 'tex', language: 'en' });
    expect(tex).toContain('\\section*{50\\% of \\$x\\_1 \\& \\{y\\} \\# \\textasciitilde{} \\textasciicircum{} \\textbackslash{}}');
  });
});

describe('npm start: mashagrad solve examples --out DIR', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mashagrad-out-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes index.html, index.ru.html and a Markdown file per exercise and language', async () => {
    const { exitCode, stdout } = await runMashagrad('solve', new URL('../examples', import.meta.url).pathname, '--out', dir);
    expect(exitCode).toBe(0);
    expect(stdout).toContain(join(dir, 'index.html'));
    for (const id of EXERCISES) {
      expect(existsSync(join(dir, `${id}.md`)), `${id}.md`).toBe(true);
      expect(existsSync(join(dir, `${id}.ru.md`)), `${id}.ru.md`).toBe(true);
    }
    for (const [page, language] of [['index.html', 'en'], ['index.ru.html', 'ru']] as const) {
      const html = readFileSync(join(dir, page), 'utf8');
      const { document, errors } = parseHtml(html);
      expect(errors).toEqual([]);
      // One article per example: the sheet's exercises and the layers beyond it (#19).
      const examples = readdirSync(new URL('../examples', import.meta.url).pathname).filter((name) => name.endsWith('.yaml'));
      expect(elements(document).filter((element) => element.tagName === 'article')).toHaveLength(examples.length);
      expect(attribute(elements(document).find((element) => element.tagName === 'html')!, 'lang')).toBe(language);
    }
    expect(readFileSync(join(dir, 'exercise-1.ru.md'), 'utf8')).toContain('Прямой проход');
    expect(readFileSync(join(dir, 'exercise-1.md'), 'utf8')).toContain('\\frac{\\partial f}{\\partial x}');
  });
});

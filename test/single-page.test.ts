import { describe, expect, it } from 'vitest';
import { renderBook } from '../src/explain/render.js';
import { solutionFigures } from '../src/draw/solution-figures.js';
import { BODY_TEXT_PX } from '../src/explain/svg-size.js';
import { EXERCISES, solveExample } from './worked-solutions.js';

/**
 * Each picture of a page with the size of its smallest text as shown: the shown width (style) over
 * the viewBox width gives CSS pixels per unit, times the smallest font-size of its text.
 */
function shownTextSizes(page: string): { picture: number; smallestPx: number }[] {
  return [...page.matchAll(/<svg\b[^>]*>[\s\S]*?<\/svg>/g)].map((match, picture) => {
    const svg = match[0];
    const open = /<svg\b[^>]*>/.exec(svg)![0];
    const shown = Number(/style="width: ([\d.]+)px/.exec(open)?.[1] ?? NaN);
    const viewBoxWidth = Number(/viewBox="\S+\s+\S+\s+(\S+)/.exec(open)?.[1] ?? NaN);
    const sizes = [...svg.matchAll(/font-size(?:="|:\s*)([\d.]+)/g)].map((size) => Number(size[1]));
    return { picture, smallestPx: (shown / viewBoxWidth) * Math.min(...sizes) };
  });
}

describe('the single page (npm start)', () => {
  it('links the English and the Russian page to each other, each link in its own language', () => {
    const entries = [{ id: 'exercise-1', trace: solveExample('exercise-1') }];
    const english = renderBook(entries, 'en', 'T', undefined, { href: 'index.ru.html', language: 'ru', label: 'Русская версия' });
    const russian = renderBook(entries, 'ru', 'T', undefined, { href: 'index.html', language: 'en', label: 'English version' });
    expect(english).toContain('<a href="index.ru.html" hreflang="ru" lang="ru">Русская версия</a>');
    expect(russian).toContain('<a href="index.html" hreflang="en" lang="en">English version</a>');
  });

  it('shows no Graphviz ids on hover: the pictures have no <title>', async () => {
    const trace = solveExample('exercise-2');
    const figures = await solutionFigures(trace, 'en');
    // The pictures as drawn do have them (l0u0, value 2->value 3): the page removes them.
    expect(Object.values(figures).join('')).toContain('<title>');
    const page = renderBook([{ id: 'exercise-2', trace, figures }], 'en', 'T');
    expect(page).toContain('<svg');
    expect(page.replace(/<head>[\s\S]*<\/head>/, '')).not.toContain('<title>');
  });

  it('shows every picture’s text at least as large as the body text: big pictures scroll in their figure instead of shrinking', async () => {
    const entries = [];
    for (const id of EXERCISES) {
      const trace = solveExample(id);
      entries.push({ id, trace, figures: await solutionFigures(trace, 'en') });
    }
    const page = renderBook(entries, 'en', 'T');
    const sizes = shownTextSizes(page);
    // Exercise 1's graph, exercise 2's network, flow and loss chart, exercise 4's and 5's pictures.
    expect(sizes.length).toBeGreaterThanOrEqual(8);
    for (const { picture, smallestPx } of sizes) expect(smallestPx, `picture ${picture}`).toBeGreaterThanOrEqual(BODY_TEXT_PX - 0.01);
    expect(page).toMatch(/figure \{[^}]*overflow-x: auto/);
    expect(page).not.toMatch(/figure svg \{[^}]*max-width: 100%/);
  });
});

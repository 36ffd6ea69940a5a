import { describe, expect, it } from 'vitest';
import { renderBook } from '../src/explain/render.js';
import { solutionFigures } from '../src/draw/solution-figures.js';
import { solveExample } from './worked-solutions.js';

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
});

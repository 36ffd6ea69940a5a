import katex from 'katex';
import { describe, expect, it } from 'vitest';
import { explainExpression, renderHtmlArticle, useKatex } from '../src/explain/index.js';
import { traceExpression } from '../src/record/expression.js';

// The playground's page brings KaTeX in a script of its own (web/src/katex-page.ts) and hands it over with useKatex.
describe('useKatex', () => {
  it('the KaTeX handed over is the one that typesets, and the article is the same as with the package', () => {
    const solution = explainExpression(traceExpression('x^2 + x*y', { x: 1, y: 2 }), { language: 'en' });
    const withPackage = renderHtmlArticle(solution, 'en');
    const typeset: string[] = [];
    useKatex({ ...katex, renderToString: (latex, options) => (typeset.push(latex), katex.renderToString(latex, options)) });
    expect(renderHtmlArticle(solution, 'en')).toBe(withPackage);
    expect(typeset.length).toBeGreaterThan(3);
    expect(typeset.some((latex) => latex.includes('partial f'))).toBe(true);
  });
});

import { describe, expect, it } from 'vitest';
import { htmlArticleBody, renderHtmlArticle } from '../src/explain/render-html.js';
import { explainExpression } from '../src/explain/index.js';
import { traceExpression } from '../src/record/expression.js';
import { EXERCISES, LANGUAGES, alignedRows, elements, explainIn, parseHtml, recordTypesetting, solveExample, textOf } from './worked-solutions.js';

/**
 * The playground puts a long worked solution on the page a piece at a time
 * (web/src/formula-worker.ts, web/src/piecewise-html.ts): the pieces must add up to the same
 * solution, and with rowsPerPiece no piece may hold more rows than that.
 */

/** The rows of every displayed equation block KaTeX typeset while `render` ran, block by block. */
const displayedBlocks = (render: () => unknown) =>
  recordTypesetting(render).calls.filter((call) => call.display).map((call) => alignedRows(call.latex));

// Twenty terms: 56 nodes, aligned runs of dozens of rows and lists of dozens of paths.
const BIG = Array.from({ length: 20 }, (_, i) => ['sin(x)*y', 'cos(y)*x', 'x*y', 'exp(x)*y'][i % 4]).join(' + ');

describe('a worked solution in pieces', () => {
  it.each(EXERCISES)('%s: the pieces joined are the article renderHtmlArticle writes, in both languages', (id) => {
    const trace = solveExample(id);
    for (const language of LANGUAGES) {
      const solution = explainIn(trace, language);
      expect(renderHtmlArticle(solution, language)).toBe([`<article lang="${language}">`, ...htmlArticleBody(solution, language), '</article>'].join('\n'));
    }
  });

  it('a 20-term formula cut at 4 rows: every displayed equation and every list item is there once, in order, and no piece holds more than 4', () => {
    const solution = explainExpression(traceExpression(BIG, { x: 1, y: 2 }), { language: 'en' });
    const whole = displayedBlocks(() => renderHtmlArticle(solution, 'en'));
    let pieces: string[] = [];
    const cut = displayedBlocks(() => (pieces = [...htmlArticleBody(solution, 'en', { rowsPerPiece: 4 })]));
    expect(cut.flat()).toEqual(whole.flat());
    expect(whole.flat().length).toBeGreaterThan(100);
    expect(Math.max(...whole.map((rows) => rows.length))).toBeGreaterThan(4);
    expect(Math.max(...cut.map((rows) => rows.length))).toBeLessThanOrEqual(4);

    const items = (html: string) => elements(parseHtml(html).document).filter((element) => element.tagName === 'li').map((item) => textOf(item));
    const wholeItems = items(renderHtmlArticle(solution, 'en'));
    expect(items(pieces.join('\n'))).toEqual(wholeItems);
    expect(wholeItems.length).toBeGreaterThan(4 * 4);

    for (const piece of pieces) {
      expect((piece.match(/<li>/g) ?? []).length).toBeLessThanOrEqual(4);
      expect((piece.match(/<div class="equation">/g) ?? []).length).toBeLessThanOrEqual(1);
    }
    // More pieces than blocks: the long runs and lists were cut.
    expect(pieces.length).toBeGreaterThan([...htmlArticleBody(solution, 'en')].length);
  });
});

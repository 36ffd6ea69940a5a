import type Katex from 'katex';
import { escapeHtml } from '../escape.js';
import { loadOptional, requireOptional } from '../optional.js';
import type { Block, Inline, Tone, WorkedSolution } from './document.js';
import { sizedSvg } from './svg-size.js';
import { alignedLatex, equationRuns, type EquationRun } from './equation-runs.js';
import { say, type Language } from './i18n.js';


let katex: typeof Katex | undefined;

/**
 * Load KaTeX (an optional package) before rendering HTML where it cannot be required on the
 * spot: in browsers. Node loads it by itself on first use.
 */
export async function loadKatex(): Promise<void> {
  katex ??= (await loadOptional('katex', () => import('katex'))).default;
}

/** KaTeX loaded by the caller (a page that brings it in a script of its own) instead of loadKatex(). */
export function useKatex(loaded: typeof Katex): void {
  katex = loaded;
}

function katexNow(): typeof Katex {
  katex ??= requireOptional('katex') as typeof Katex | undefined;
  if (katex === undefined) throw new Error('KaTeX is not loaded: await loadKatex() once before rendering HTML in a browser');
  return katex;
}

/** LaTeX typeset by KaTeX on our side; a formula KaTeX rejects is an error, never silently raw. */
export function typeset(latex: string, displayMode: boolean): string {
  return katexNow().renderToString(latex, { displayMode, throwOnError: true, output: 'html', strict: 'ignore' });
}

/** An SVG document as an element inside HTML: no XML declaration or DOCTYPE. */
function inlineSvg(svg: string): string {
  // Graphviz titles every node and edge with its id (l0u0, value 2->value 3): a hover says nothing to a reader.
  return sizedSvg(svg.replace(/^\s*<\?xml[^>]*\?>\s*/, '').replace(/<!DOCTYPE[^>]*>\s*/i, '').replace(/<title>[^<]*<\/title>\s*/g, ''));
}

const TONE_CLASS: Record<Tone, string> = { info: 'note', warning: 'warning', right: 'right', wrong: 'wrong' };

/** A worked solution as an HTML fragment (an <article>); formulas already typeset. */
export function renderHtmlArticle(solution: WorkedSolution, language: Language, id?: string): string {
  return [`<article${id === undefined ? '' : ` id="${escapeHtml(id)}"`} lang="${language}">`, ...htmlArticleBody(solution, language), '</article>'].join('\n');
}

/**
 * What goes inside renderHtmlArticle's <article>: the title, then one piece of HTML per block,
 * typeset only when asked for the next piece, so a page can typeset and show a long solution a
 * piece at a time without blocking. With `rowsPerPiece`, a long aligned run of equations or a
 * long list is cut into pieces of at most that many rows (each run aligned on its own), so no
 * one piece takes long to lay out; without it the pieces join into renderHtmlArticle's article.
 */
export function* htmlArticleBody(solution: WorkedSolution, language: Language, { rowsPerPiece = Infinity }: { readonly rowsPerPiece?: number } = {}): Generator<string, void, undefined> {
  const inline = (content: readonly Inline[]) =>
    content.map((part) => (part.kind === 'math' ? typeset(part.math.latex, false) : part.kind === 'strong' ? `<strong>${escapeHtml(part.text)}</strong>` : escapeHtml(part.text))).join('');
  const render = (block: Block | EquationRun): string => {
    switch (block.kind) {
      case 'heading': return `<h${block.level + 1}>${inline(block.content)}</h${block.level + 1}>`;
      case 'paragraph': return `<p>${inline(block.content)}</p>`;
      case 'equation': return `<div class="equation">${typeset(block.parts.map((part) => part.latex).join(' = '), true)}</div>`;
      case 'equations': return `<div class="equation">${typeset(alignedLatex(block.rows), true)}</div>`;
      case 'list': return ['<ul>', ...block.items.map((item) => `<li>${inline(item)}</li>`), '</ul>'].join('\n');
      case 'table': {
        const cells = (row: readonly (readonly Inline[])[], tag: 'th' | 'td') => `<tr>${row.map((cell) => `<${tag}>${inline(cell)}</${tag}>`).join('')}</tr>`;
        return ['<table>', `<thead>${cells(block.header, 'th')}</thead>`, '<tbody>', ...block.rows.map((row) => cells(row, 'td')), '</tbody>', '</table>'].join('\n');
      }
      case 'note': {
        const label = say(language, `tone.${block.tone}`).map((part) => (part.kind === 'text' ? part.text : '')).join('');
        return `<p class="${TONE_CLASS[block.tone]}"><strong>${escapeHtml(label)}.</strong> ${inline(block.content)}</p>`;
      }
      // The SVG is mashagrad's own output (labels escaped when it was drawn), so it goes in as markup.
      case 'figure': return `<figure>${inlineSvg(block.svg)}<figcaption>${inline(block.caption)}</figcaption></figure>`;
    }
  };
  yield `<h1>${escapeHtml(solution.title)}</h1>`;
  // Consecutive equations read as one aligned block.
  for (const block of equationRuns(solution.blocks)) {
    if (block.kind === 'equations') for (const rows of cut(block.rows, rowsPerPiece)) yield render(rows.length === 1 ? { kind: 'equation', parts: rows[0]! } : { kind: 'equations', rows });
    else if (block.kind === 'list') for (const items of cut(block.items, rowsPerPiece)) yield render({ ...block, items });
    else yield render(block);
  }
}

/** Consecutive runs of at most `size` items (all of them in one run when size is Infinity). */
function cut<T>(items: readonly T[], size: number): (readonly T[])[] {
  if (items.length <= size) return [items];
  const runs: T[][] = [];
  for (let start = 0; start < items.length; start += size) runs.push(items.slice(start, start + size));
  return runs;
}

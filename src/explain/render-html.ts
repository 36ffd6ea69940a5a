import type Katex from 'katex';
import { escapeHtml } from '../escape.js';
import { loadOptional, requireOptional } from '../optional.js';
import type { Block, Inline, Tone, WorkedSolution } from './document.js';
import { say, type Language } from './i18n.js';


let katex: typeof Katex | undefined;

/**
 * Load KaTeX (an optional package) before rendering HTML where it cannot be required on the
 * spot: in browsers. Node loads it by itself on first use.
 */
export async function loadKatex(): Promise<void> {
  katex ??= (await loadOptional('katex', () => import('katex'))).default;
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
  return svg.replace(/^\s*<\?xml[^>]*\?>\s*/, '').replace(/<!DOCTYPE[^>]*>\s*/i, '').replace(/<title>[^<]*<\/title>\s*/g, '');
}

const TONE_CLASS: Record<Tone, string> = { info: 'note', warning: 'warning', right: 'right', wrong: 'wrong' };

/** A worked solution as an HTML fragment (an <article>); formulas already typeset. */
export function renderHtmlArticle(solution: WorkedSolution, language: Language, id?: string): string {
  const inline = (content: readonly Inline[]) =>
    content.map((part) => (part.kind === 'math' ? typeset(part.math.latex, false) : part.kind === 'strong' ? `<strong>${escapeHtml(part.text)}</strong>` : escapeHtml(part.text))).join('');
  const out: string[] = [`<article${id === undefined ? '' : ` id="${escapeHtml(id)}"`} lang="${language}">`, `<h1>${escapeHtml(solution.title)}</h1>`];
  const render = (block: Block) => {
    switch (block.kind) {
      case 'heading': return out.push(`<h${block.level + 1}>${inline(block.content)}</h${block.level + 1}>`);
      case 'paragraph': return out.push(`<p>${inline(block.content)}</p>`);
      case 'equation': return out.push(`<div class="equation">${typeset(block.parts.map((part) => part.latex).join(' = '), true)}</div>`);
      case 'list': return out.push('<ul>', ...block.items.map((item) => `<li>${inline(item)}</li>`), '</ul>');
      case 'table': {
        const cells = (row: readonly (readonly Inline[])[], tag: 'th' | 'td') => `<tr>${row.map((cell) => `<${tag}>${inline(cell)}</${tag}>`).join('')}</tr>`;
        return out.push('<table>', `<thead>${cells(block.header, 'th')}</thead>`, '<tbody>', ...block.rows.map((row) => cells(row, 'td')), '</tbody>', '</table>');
      }
      case 'note': {
        const label = say(language, `tone.${block.tone}`).map((part) => (part.kind === 'text' ? part.text : '')).join('');
        return out.push(`<p class="${TONE_CLASS[block.tone]}"><strong>${escapeHtml(label)}.</strong> ${inline(block.content)}</p>`);
      }
      // The SVG is mashagrad's own output (labels escaped when it was drawn), so it goes in as markup.
      case 'figure': return out.push(`<figure>${inlineSvg(block.svg)}<figcaption>${inline(block.caption)}</figcaption></figure>`);
    }
  };
  for (const block of solution.blocks) render(block);
  out.push('</article>');
  return out.join('\n');
}

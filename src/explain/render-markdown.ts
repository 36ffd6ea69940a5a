import type { Block, Inline, WorkedSolution } from './document.js';
import { alignedLatex, equationRuns, type EquationRun } from './equation-runs.js';
import { say, type Language } from './i18n.js';

export interface MarkdownOptions {
  readonly language: Language;
  /** Where each figure was written (its file name), by figure name; figures without one are left out. */
  readonly figureFiles?: Readonly<Record<string, string>>;
}

/** Characters that Markdown would read as markup. */
function escapeMarkdown(text: string): string {
  // $ too: a title with a dollar sign must not open a formula.
  return text.replace(/([\\`*_{}[\]<>#|$])/g, '\\$1');
}

/** GitHub-flavoured Markdown with $…$ math. */
export function renderMarkdown(solution: WorkedSolution, options: MarkdownOptions): string {
  const inline = (content: readonly Inline[]) =>
    content.map((part) => (part.kind === 'math' ? `$${part.math.latex}$` : part.kind === 'strong' ? `**${escapeMarkdown(part.text)}**` : escapeMarkdown(part.text))).join('');
  const out: string[] = [`# ${escapeMarkdown(solution.title)}`, ''];
  const render = (block: Block | EquationRun) => {
    switch (block.kind) {
      case 'heading': return out.push(`${'#'.repeat(block.level + 1)} ${inline(block.content)}`, '');
      case 'paragraph': return out.push(inline(block.content), '');
      case 'equation': return out.push('$$', block.parts.map((part) => part.latex).join(' = '), '$$', '');
      case 'equations': return out.push('$$', alignedLatex(block.rows), '$$', '');
      case 'list': return out.push(...block.items.map((item) => `- ${inline(item)}`), '');
      case 'table': {
        const row = (cells: readonly (readonly Inline[])[]) => `| ${cells.map(inline).join(' | ')} |`;
        return out.push(row(block.header), `|${block.header.map(() => ' --- |').join('')}`, ...block.rows.map(row), '');
      }
      case 'note': {
        const label = say(options.language, `tone.${block.tone}`).map((part) => (part.kind === 'text' ? part.text : '')).join('');
        return out.push(`> **${label}.** ${inline(block.content)}`, '');
      }
      case 'figure': {
        const file = options.figureFiles?.[block.name];
        return file === undefined ? 0 : out.push(`![${inline(block.caption)}](${encodeURI(file)})`, '');
      }
    }
  };
  // Consecutive equations read as one aligned block.
  for (const block of equationRuns(solution.blocks)) render(block);
  return out.join('\n');
}

import type { Block, Inline, WorkedSolution } from './document.js';
import { alignedLatex, equationRuns, type EquationRun } from './equation-runs.js';
import { say, type Language } from './i18n.js';

/** Text made safe for LaTeX. */
export function escapeLatex(text: string): string {
  return text.replace(/[\\{}$&#^_%~]/g, (ch) => ({ '\\': '\\textbackslash{}', '^': '\\textasciicircum{}', '~': '\\textasciitilde{}' })[ch] ?? `\\${ch}`);
}

/** A LaTeX document for xelatex (fontspec + polyglossia, so Russian needs nothing else). */
export function renderLatex(solution: WorkedSolution, language: Language): string {
  const inline = (content: readonly Inline[]) =>
    content.map((part) => (part.kind === 'math' ? `$${part.math.latex}$` : part.kind === 'strong' ? `\\textbf{${escapeLatex(part.text)}}` : escapeLatex(part.text))).join('');
  const body: string[] = [];
  const render = (block: Block | EquationRun) => {
    switch (block.kind) {
      case 'heading': return body.push(`\\${block.level === 1 ? 'section' : block.level === 2 ? 'subsection' : 'subsubsection'}*{${inline(block.content)}}`);
      case 'paragraph': return body.push(`${inline(block.content)}\n`);
      case 'equation': return body.push(`\\[ ${block.parts.map((part) => part.latex).join(' = ')} \\]`);
      case 'equations': return body.push(`\\[ ${alignedLatex(block.rows)} \\]`);
      case 'list': return body.push('\\begin{itemize}', ...block.items.map((item) => `  \\item ${inline(item)}`), '\\end{itemize}');
      case 'table': {
        const row = (cells: readonly (readonly Inline[])[]) => `${cells.map(inline).join(' & ')} \\\\`;
        return body.push(`\\begin{tabular}{${'l'.repeat(block.header.length)}}`, row(block.header), '\\hline', ...block.rows.map(row), '\\end{tabular}\n');
      }
      case 'note': {
        const label = say(language, `tone.${block.tone}`).map((part) => (part.kind === 'text' ? part.text : '')).join('');
        return body.push(`\\noindent\\textbf{${escapeLatex(label)}.} ${inline(block.content)}\n`);
      }
      case 'figure': return 0;
    }
  };
  // Consecutive equations read as one aligned block.
  for (const block of equationRuns(solution.blocks)) render(block);
  return [
    '\\documentclass[11pt]{article}',
    '\\usepackage{amsmath,amssymb}',
    '\\usepackage{fontspec}',
    '\\usepackage{polyglossia}',
    `\\setmainlanguage{${language === 'ru' ? 'russian' : 'english'}}`,
    ...(language === 'ru' ? ['\\setotherlanguage{english}'] : []),
    '\\setmainfont{DejaVu Serif}',
    '\\setsansfont{DejaVu Sans}',
    '\\usepackage[margin=2cm]{geometry}',
    '\\begin{document}',
    `\\section*{${escapeLatex(solution.title)}}`,
    ...body,
    '\\end{document}',
    '',
  ].join('\n');
}

import pc from 'picocolors';
import type { Block, Inline, Tone, WorkedSolution } from './document.js';
import { say, type Language } from './i18n.js';
import { formatTable } from './table.js';

export interface TextOptions {
  readonly language: Language;
  /** Colours (bold headings, red/green verdicts); off when the output is not a terminal. */
  readonly colour?: boolean;
}

/** A worked solution for the terminal: formulas in Unicode, equations one per line. */
export function renderText(solution: WorkedSolution, options: TextOptions): string {
  const colours = pc.createColors(options.colour ?? false);
  const inline = (content: readonly Inline[]) =>
    content.map((part) => (part.kind === 'math' ? part.math.pretty : part.kind === 'strong' ? colours.bold(part.text) : part.text)).join('');
  const tone: Record<Tone, (text: string) => string> = { info: colours.cyan, warning: colours.yellow, right: colours.green, wrong: colours.red };
  const lines: string[] = [colours.bold(solution.title), '═'.repeat([...solution.title].length)];
  const render = (block: Block) => {
    switch (block.kind) {
      case 'heading': {
        const title = inline(block.content);
        return lines.push('', colours.bold(title), (block.level === 1 ? '═' : '─').repeat([...title].length));
      }
      case 'paragraph': return lines.push(inline(block.content));
      case 'equation': return lines.push(`  ${block.parts.map((part) => part.pretty).join(' = ')}`);
      case 'list': return lines.push(...block.items.map((item) => `  • ${inline(item)}`));
      case 'table': return lines.push(formatTable(block.header.map(inline), block.rows.map((row) => row.map(inline))));
      case 'note': {
        const label = say(options.language, `tone.${block.tone}`).map((part) => (part.kind === 'text' ? part.text : '')).join('');
        return lines.push(`${tone[block.tone](`${label}.`)} ${inline(block.content)}`);
      }
      case 'figure': return 0;
    }
  };
  for (const block of solution.blocks) render(block);
  return lines.join('\n');
}

import type { ProblemTrace } from '../trace/types.js';
import type { WorkedSolution } from './document.js';
import { htmlPage, type PageLink } from './html-page.js';
import type { Language } from './i18n.js';
import { renderHtmlArticle } from './render-html.js';
import { renderLatex } from './render-latex.js';
import { renderMarkdown } from './render-markdown.js';
import { renderText } from './render-text.js';
import { explain } from './solution.js';
import { checkTypesetSize } from './typeset-limit.js';
import type { NumberStyle } from '../formula/numbers.js';

export type Format = 'text' | 'md' | 'tex' | 'html';
export const FORMATS: readonly Format[] = ['text', 'md', 'tex', 'html'];
export const EXTENSIONS: Readonly<Record<Format, string>> = { text: 'txt', md: 'md', tex: 'tex', html: 'html' };

export interface RenderOptions {
  readonly format: Format;
  readonly language: Language;
  readonly numbers?: NumberStyle;
  readonly colour?: boolean;
  readonly figures?: Readonly<Record<string, string>>;
  readonly figureFiles?: Readonly<Record<string, string>>;
}

/** One trace's worked solution in one format and language. */
export function renderSolution(trace: ProblemTrace, options: RenderOptions): string {
  checkTypesetSize(trace, options.format);
  return renderDocument(explain(trace, { language: options.language, numbers: options.numbers, figures: options.figures }), options);
}

/** Any document (a worked solution, the summary `grad` prints) in one format. */
export function renderDocument(solution: WorkedSolution, options: RenderOptions): string {
  switch (options.format) {
    case 'text': return renderText(solution, { language: options.language, colour: options.colour });
    case 'md': return renderMarkdown(solution, { language: options.language, figureFiles: options.figureFiles });
    case 'tex': return renderLatex(solution, options.language);
    case 'html': return htmlPage(solution.title, [renderHtmlArticle(solution, options.language)], options.language);
  }
}

/** Several traces on one self-contained page, with a table of contents. */
export function renderBook(
  traces: readonly { id: string; trace: ProblemTrace; figures?: Readonly<Record<string, string>> }[], language: Language, title: string, numbers?: NumberStyle, translation?: PageLink,
): string {
  for (const { trace } of traces) checkTypesetSize(trace, 'html');
  const solutions = traces.map(({ id, trace, figures }) => ({ id, solution: explain(trace, { language, numbers, figures }) }));
  return htmlPage(title, solutions.map(({ id, solution }) => renderHtmlArticle(solution, language, id)), language,
    solutions.map(({ id, solution }) => ({ id, title: solution.title })), translation);
}

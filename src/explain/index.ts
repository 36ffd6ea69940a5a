/**
 * mashagrad/explain: worked solutions of traces as a plain document, rendered as terminal
 * text, Markdown, LaTeX or an HTML article. Runs in browsers as in Node (in a browser, await
 * loadKatex() once before rendering HTML, or hand it a KaTeX of your own with useKatex); whole HTML pages and files are mashagrad/node.
 */
export { explain, type ExplainOptions } from './solution.js';
export { explainExpression } from './expression-solution.js';
export { summarizeExpression } from './expression-summary.js';
export type { WorkedSolution, Block, Inline, MathText, Tone } from './document.js';
export { renderText, type TextOptions } from './render-text.js';
export { renderMarkdown, type MarkdownOptions } from './render-markdown.js';
export { renderLatex, escapeLatex } from './render-latex.js';
export { renderHtmlArticle, htmlArticleBody, loadKatex, useKatex } from './render-html.js';
export { escapeHtml } from '../escape.js';
export { LANGUAGES, type Language } from './i18n.js';

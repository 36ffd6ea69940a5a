/**
 * Helpers shared by the worked-solution tests (explanations, answers, LaTeX): solving the
 * sheet's example files and small problems written here, rendering them in every format and
 * language, and pulling out what a reader sees — the displayed equations of each format, the
 * LaTeX that KaTeX typeset for the HTML page, and the prose outside formulas.
 */
import katex from 'katex';
import { html as htmlSpec, parse, type DefaultTreeAdapterTypes, type ParserError } from 'parse5';
import { vi } from 'vitest';
import type { Block, Inline, MathText, WorkedSolution } from '../src/explain/document.js';
import type { Language } from '../src/explain/i18n.js';
import { FORMATS, renderSolution, type Format } from '../src/explain/render.js';
import { loadKatex } from '../src/explain/render-html.js';
import { explain } from '../src/explain/solution.js';
import { ALIGNED_ROW_BREAK } from '../src/explain/equation-runs.js';
import { parseProblem } from '../src/files/load-problem.js';
import { loadProblem } from '../src/files/read-problem.js';
import { solvePlan } from '../src/problem/solve.js';
import type { ProblemTrace } from '../src/trace/types.js';

// The renderer then typesets with the same KaTeX module this file spies on (not Node's require'd copy).
await loadKatex();

export const LANGUAGES: readonly Language[] = ['en', 'ru'];
export { FORMATS, type Format };

/** The sheet's exercises as shipped in examples/. */
export const EXERCISES = [
  'exercise-1', 'exercise-2', 'exercise-4-regression', 'exercise-4-classification', 'exercise-5-symbolic',
  'exercise-4-layer-1', 'exercise-4-layer-2', 'exercise-4-layer-3',
] as const;
export type ExerciseId = (typeof EXERCISES)[number];

export const examplePath = (id: ExerciseId) => new URL(`../examples/${id}.yaml`, import.meta.url).pathname;
export const solveExample = (id: ExerciseId): ProblemTrace => solvePlan(loadProblem(examplePath(id)));
export const solveText = (text: string, file = 'test.yaml'): ProblemTrace => solvePlan(parseProblem(text, file));

/**
 * Small problems that make the remarks and the number formatting show, each with its
 * expected behaviour derived by hand where the test uses it.
 */
export const PROBLEMS = {
  /** Two sigmoid units with zero weights, a zero output layer: the two units stay copies. */
  symmetry: [
    'title: { en: "Symmetric units", ru: "Симметричные нейроны" }',
    'model:',
    '  - linear: { weights: [[0, 0]], bias: [0, 0] }',
    '  - sigmoid',
    '  - linear: { weights: [[0], [0]], bias: [0] }',
    'loss: mse',
    'data: { x: [[1]], y: [[1]] }',
    'train: { lr: 1 }',
  ].join('\n'),
  /** σ(10·1) = 0.99995: the sigmoid is saturated, its derivative 4.5e-5. */
  saturated: [
    'title: { en: "Saturated sigmoid", ru: "Насыщенная сигмоида" }',
    'model:',
    '  - linear: { weights: [[10]] }',
    '  - sigmoid',
    'loss: mse',
    'data: { x: [[1]], y: [[0]] }',
    'train: { lr: 1 }',
  ].join('\n'),
  /**
   * ŷ = w·x, x = 1, y = 0, w = 1, L = (ŷ − y)², γ = 2, full batch, two epochs:
   * step 1: L = 1, ∂L/∂w = 2 → w = 1 − 2·2 = −3; step 2: L = 9 > 1 (the loss went up), w = −3 − 2·(−6) = 9.
   */
  lossUp: [
    'title: { en: "Too large a step", ru: "Слишком большой шаг" }',
    'model:',
    '  - linear: { weights: [[1]] }',
    'loss: mse',
    'data: { x: [[1]], y: [[0]] }',
    'train: { lr: 2, epochs: 2 }',
  ].join('\n'),
  /**
   * Numbers as a person writes them: (−0.5)⁵ = −1/32 exactly, and 0.7 − 0.2 is
   * 0.49999999999999994 in floating point but 0.5 on paper; c = −1/32 + 1/2 = 15/32.
   */
  fractions: [
    'title: { en: "Fractions", ru: "Дроби" }',
    'expression: x^5 + (u - v)',
    'at: { x: -0.5, u: 0.7, v: 0.2 }',
  ].join('\n'),
  /**
   * ŷ = 0.7·1 + (−0.2) = 0.49999999999999994 (0.5 on paper); L = ½(ŷ − y)² with y = 17/32:
   * d = ŷ − y = 16/32 − 17/32 = −1/32; ∂L/∂w = x·d = −1/32, ∂L/∂b = −1/32;
   * w ← 0.7 + 1/32 = 117/160, b ← −0.2 + 1/32 = −27/160.
   */
  networkFractions: [
    'title: { en: "Fractions in a network", ru: "Дроби в нейросети" }',
    'model:',
    '  - linear: { weights: [[0.7]], bias: [-0.2] }',
    'loss: half_sse',
    'data: { x: [[1]], y: [[0.53125]] }',
    'train: { lr: 1 }',
  ].join('\n'),
} as const;
export type ProblemId = keyof typeof PROBLEMS;
export const solveProblemText = (id: ProblemId): ProblemTrace => solveText(PROBLEMS[id], `${id}.yaml`);

/** A formula in both of its written forms: Unicode for the terminal, LaTeX for md/tex/html. */
export interface Both {
  readonly pretty: string;
  readonly latex: string;
}

/** One rendering, with what the reader sees in it. */
export interface Rendered {
  readonly format: Format;
  readonly language: Language;
  readonly output: string;
  /** LaTeX sources KaTeX typeset for this page (html only), display equations and inline math apart. */
  readonly displayed: readonly string[];
  readonly inlineMath: readonly string[];
}

interface TypesetCall {
  readonly latex: string;
  readonly display: boolean;
  readonly html: string;
}

/** Run `render` while recording every formula KaTeX typesets (and what it returned). */
export function recordTypesetting<T>(render: () => T): { result: T; calls: TypesetCall[] } {
  const original = katex.renderToString.bind(katex);
  const calls: TypesetCall[] = [];
  const spy = vi.spyOn(katex, 'renderToString').mockImplementation((latex, options) => {
    const html = original(latex, options);
    calls.push({ latex, display: options?.displayMode === true, html });
    return html;
  });
  try {
    return { result: render(), calls };
  } finally {
    spy.mockRestore();
  }
}

export function render(trace: ProblemTrace, format: Format, language: Language): Rendered {
  const { result: output, calls } = recordTypesetting(() => renderSolution(trace, { format, language }));
  return {
    format, language, output,
    displayed: calls.filter((call) => call.display).map((call) => call.latex),
    inlineMath: calls.filter((call) => !call.display).map((call) => call.latex),
  };
}

/** Every format in every language. */
export function renderAll(trace: ProblemTrace): Rendered[] {
  return LANGUAGES.flatMap((language) => FORMATS.map((format) => render(trace, format, language)));
}

/**
 * The displayed equations of a rendering, one string each: lines indented under a paragraph
 * in text, $$ blocks in Markdown, \[ … \] in LaTeX, display-mode KaTeX sources in HTML.
 */
export function equations(rendered: Rendered): string[] {
  const lines = rendered.output.split('\n');
  switch (rendered.format) {
    case 'text': return lines.filter((line) => /^ {2}\S/.test(line) && !line.startsWith('  • ')).map((line) => line.trim());
    case 'md': return lines.flatMap((line, i) => (lines[i - 1] === '$$' && line !== '$$' ? [line] : [])).flatMap(alignedRows);
    case 'tex': return lines.flatMap((line) => /^\\\[ (.*) \\\]$/.exec(line)?.[1] ?? []).flatMap(alignedRows);
    case 'html': return rendered.displayed.flatMap(alignedRows);
  }
}

/** An aligned block of several equations (equation-runs.ts) as its equations, each as it would stand alone. */
export function alignedRows(latex: string): string[] {
  const inner = /^\\begin\{aligned\} (.*) \\end\{aligned\}$/.exec(latex)?.[1];
  if (inner === undefined) return [latex];
  return inner.split(ALIGNED_ROW_BREAK).map((row) => row.replace(' &= ', ' = ').replace(/ &$/, ''));
}

/** The form of a formula this rendering uses. */
export const formOf = (rendered: Rendered, both: Both) => (rendered.format === 'text' ? both.pretty : both.latex);

/** All formulas of a rendering as one searchable string (inline and displayed). */
export function mathText(rendered: Rendered): string {
  return rendered.format === 'html' ? [...rendered.displayed, ...rendered.inlineMath].join('\n') : rendered.output;
}

/** The one displayed equation that starts with `start` and ends with `end` (in this rendering's form). */
export function findEquation(rendered: Rendered, start: Both, end: Both): string | undefined {
  const [head, tail] = [formOf(rendered, start), formOf(rendered, end)];
  return equations(rendered).find((line) => line.startsWith(head) && line.endsWith(tail));
}

// ---------------------------------------------------------------------------------------
// HTML, read with a real parser.

export type Element = DefaultTreeAdapterTypes.Element;
type Node = DefaultTreeAdapterTypes.Node;

export function parseHtml(html: string): { document: DefaultTreeAdapterTypes.Document; errors: ParserError[] } {
  const errors: ParserError[] = [];
  const document = parse(html, { sourceCodeLocationInfo: true, onParseError: (error) => errors.push(error) });
  return { document, errors };
}

const isElement = (node: Node): node is Element => 'tagName' in node;
const childrenOf = (node: Node): Node[] => ('childNodes' in node ? node.childNodes : []);

export function elements(root: Node): Element[] {
  const found: Element[] = [];
  const walk = (node: Node) => {
    if (isElement(node)) found.push(node);
    if (isElement(node) && node.tagName === 'template') walk((node as DefaultTreeAdapterTypes.Template).content);
    childrenOf(node).forEach(walk);
  };
  walk(root);
  return found;
}

export const attribute = (element: Element, name: string) => element.attrs.find((attr) => attr.name === name)?.value;
export const hasClass = (element: Element, name: string) => (attribute(element, 'class') ?? '').split(/\s+/).includes(name);

/** The text of a node; with `skipMath`, KaTeX's typeset formulas are left out (the prose only). */
export function textOf(node: Node, skipMath = false): string {
  if (node.nodeName === '#text' && 'value' in node) return node.value;
  if (isElement(node) && (node.tagName === 'style' || node.tagName === 'script' || (skipMath && hasClass(node, 'katex')))) return '';
  return childrenOf(node).map((child) => textOf(child, skipMath)).join('');
}

const VOID = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'source', 'track', 'wbr']);

/**
 * Elements written in the source that the parser had to close by itself (a missing end tag):
 * every non-void element that starts in the source must end there too, or be self-closed
 * foreign content (<path … />).
 */
export function unclosedElements(html: string, document: DefaultTreeAdapterTypes.Document): string[] {
  return elements(document).flatMap((element) => {
    const location = element.sourceCodeLocation;
    if (location === undefined || location === null || VOID.has(element.tagName)) return [];
    if (location.endTag !== undefined) return [];
    const start = location.startTag;
    if (start !== undefined && html.slice(start.startOffset, start.endOffset).endsWith('/>') && element.namespaceURI !== htmlSpec.NS.HTML) return [];
    return [`<${element.tagName}> at line ${location.startLine}`];
  });
}

/** End tags in the source that close no element (the parser drops them): `</div>` with no <div> open. */
export function strayEndTags(html: string, document: DefaultTreeAdapterTypes.Document): number {
  const written = [...html.matchAll(/<\/[A-Za-z][\w-]*\s*>/g)].length;
  const matched = elements(document).filter((element) => element.sourceCodeLocation?.endTag !== undefined).length;
  return written - matched;
}

// ---------------------------------------------------------------------------------------
// The document model.

/** Every formula of a worked solution: inline math and the parts of displayed equations. */
export function documentMath(solution: WorkedSolution): MathText[] {
  const fromInline = (content: readonly Inline[]) => content.flatMap((part) => (part.kind === 'math' ? [part.math] : []));
  return solution.blocks.flatMap((block: Block): MathText[] => {
    switch (block.kind) {
      case 'heading':
      case 'paragraph':
      case 'note': return fromInline(block.content);
      case 'equation': return [...block.parts, { pretty: block.parts.map((part) => part.pretty).join(' = '), latex: block.parts.map((part) => part.latex).join(' = ') }];
      case 'list': return block.items.flatMap(fromInline);
      case 'table': return [...block.header, ...block.rows.flat()].flatMap(fromInline);
      case 'figure': return fromInline(block.caption);
    }
  });
}

/** Every piece of prose of a worked solution (title, text and strong inlines), with where it stands. */
export function documentProse(solution: WorkedSolution): { where: string; text: string }[] {
  const fromInline = (where: string, content: readonly Inline[]) => content.flatMap((part) => (part.kind === 'math' ? [] : [{ where, text: part.text }]));
  return [{ where: 'title', text: solution.title }, ...solution.blocks.flatMap((block, i) => {
    const where = `${block.kind} ${i}`;
    switch (block.kind) {
      case 'heading':
      case 'paragraph':
      case 'note': return fromInline(where, block.content);
      case 'equation': return [];
      case 'list': return block.items.flatMap((item) => fromInline(where, item));
      case 'table': return [...block.header, ...block.rows.flat()].flatMap((cell) => fromInline(where, cell));
      case 'figure': return fromInline(where, block.caption);
    }
  })];
}

export const explainIn = (trace: ProblemTrace, language: Language) => explain(trace, { language });

/** The blocks of one network step: from its heading to the next step's heading. */
export function stepBlocks(solution: WorkedSolution, step: number): Block[] {
  const isStepHeading = (block: Block) => block.kind === 'heading' && block.level === 2;
  const headings = solution.blocks.flatMap((block, i) => (isStepHeading(block) ? [i] : []));
  const start = headings[step - 1];
  if (start === undefined) throw new Error(`no step ${step}`);
  return solution.blocks.slice(start, headings[step] ?? solution.blocks.length);
}

export const inlineText = (content: readonly Inline[]) => content.map((part) => (part.kind === 'math' ? part.math.pretty : part.text)).join('');

// ---------------------------------------------------------------------------------------
// The CLI, with its output captured.

export { runMashagrad } from './support/run-cli.js';

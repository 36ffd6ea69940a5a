/**
 * A worked solution as plain data, independent of language and format: the explainers build
 * it from a trace (with sentences from a message catalogue) and the renderers turn it into
 * text, Markdown, LaTeX or HTML. Formulas carry a Unicode and a LaTeX form.
 */

export interface MathText {
  readonly pretty: string;
  readonly latex: string;
}

export type Inline =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'math'; readonly math: MathText }
  | { readonly kind: 'strong'; readonly text: string };

export type Tone = 'info' | 'warning' | 'right' | 'wrong';

export type Block =
  | { readonly kind: 'heading'; readonly level: 1 | 2 | 3; readonly content: readonly Inline[] }
  | { readonly kind: 'paragraph'; readonly content: readonly Inline[] }
  /** One displayed equation chain: formula = substitution = … = result. */
  | { readonly kind: 'equation'; readonly parts: readonly MathText[] }
  | { readonly kind: 'table'; readonly header: readonly (readonly Inline[])[]; readonly rows: readonly (readonly (readonly Inline[])[])[] }
  | { readonly kind: 'list'; readonly items: readonly (readonly Inline[])[] }
  | { readonly kind: 'note'; readonly tone: Tone; readonly content: readonly Inline[] }
  /** A picture as SVG markup produced by mashagrad itself (never user text). */
  | { readonly kind: 'figure'; readonly name: string; readonly svg: string; readonly caption: readonly Inline[] };

export interface WorkedSolution {
  readonly title: string;
  readonly blocks: readonly Block[];
}

export const text = (value: string): Inline => ({ kind: 'text', text: value });
export const math = (value: MathText): Inline => ({ kind: 'math', math: value });
export const strong = (value: string): Inline => ({ kind: 'strong', text: value });

import { dotString, escapeHtmlLabel } from './escape.js';

/**
 * Writing DOT. Labels are Graphviz HTML-like labels built from escaped pieces: a label is a
 * list of lines, each a list of spans with an optional colour, size and weight.
 */

export interface Span {
  readonly text: string;
  readonly color?: string;
  readonly size?: number;
  readonly bold?: boolean;
}

export type Line = readonly Span[] | string;

/** An attribute value: a plain value is quoted; `{ html }` is written as an HTML-like label. */
export type DotValue = string | number | boolean | { readonly html: string };

export type DotAttributes = Readonly<Record<string, DotValue | undefined>>;

function spanHtml(span: Span): string {
  let html = escapeHtmlLabel(span.text);
  if (span.bold === true) html = `<B>${html}</B>`;
  const font = [span.color === undefined ? '' : ` COLOR="${escapeHtmlLabel(span.color)}"`, span.size === undefined ? '' : ` POINT-SIZE="${span.size}"`].join('');
  return font === '' ? html : `<FONT${font}>${html}</FONT>`;
}

/** An HTML-like label of several lines; every piece of text is escaped. */
export function htmlLabel(lines: readonly Line[]): { html: string } {
  const html = lines
    .map((line) => (typeof line === 'string' ? escapeHtmlLabel(line) : line.map(spanHtml).join('')))
    .join('<BR/>');
  // An empty HTML label would be `<>`, which Graphviz rejects; a space keeps the shape.
  return { html: html === '' ? ' ' : html };
}

function valueText(value: DotValue): string {
  if (typeof value === 'object') return `<${value.html}>`;
  if (typeof value === 'number') return String(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  return dotString(value);
}

export function dotAttributes(attributes: DotAttributes): string {
  const parts = Object.entries(attributes).flatMap(([name, value]) => (value === undefined ? [] : [`${name}=${valueText(value)}`]));
  return parts.length === 0 ? '' : ` [${parts.join(', ')}]`;
}

/**
 * A DOT graph assembled statement by statement. Node names are always quoted; every node and
 * edge gets an `id` (node_1, edge_1…), which the SVG keeps, so labels can be found again.
 */
export class DotWriter {
  private readonly statements: string[] = [];
  private nodes = 0;
  private edges = 0;

  constructor(private readonly name: string) {}

  defaults(kind: 'graph' | 'node' | 'edge', attributes: DotAttributes): this {
    this.statements.push(`${kind}${dotAttributes(attributes)};`);
    return this;
  }

  node(id: string, attributes: DotAttributes): this {
    this.statements.push(`${dotString(id)}${dotAttributes({ id: `node_${++this.nodes}`, ...attributes })};`);
    return this;
  }

  edge(from: string, to: string, attributes: DotAttributes = {}): this {
    this.statements.push(`${dotString(from)} -> ${dotString(to)}${dotAttributes({ id: `edge_${++this.edges}`, ...attributes })};`);
    return this;
  }

  /** Nodes placed side by side (one rank). */
  sameRank(ids: readonly string[]): this {
    if (ids.length > 1) this.statements.push(`{ rank=same; ${ids.map(dotString).join('; ')}; }`);
    return this;
  }

  toString(): string {
    return `digraph ${dotString(this.name)} {\n${this.statements.map((statement) => `  ${statement}`).join('\n')}\n}\n`;
  }
}

/**
 * Graphviz writes each piece of an HTML-like label as `<text text-anchor="start">` at an x it
 * computed from its own estimate of the text's width. For ∂, ₁, ŷ… the estimate is far off,
 * so lines come out shifted. This puts every line back in the middle of its label: the
 * pieces of one line become <tspan>s of one `text-anchor="middle"` text at the label's
 * centre, which Graphviz reports in its JSON output of the same layout.
 */

interface Layout {
  /** Label centre x for every element id (nodes and edges), and for the graph label. */
  readonly centers: ReadonlyMap<string, number>;
  readonly graphCenter: number | undefined;
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;

function xOf(point: unknown): number | undefined {
  if (typeof point !== 'string') return undefined;
  const x = Number(point.split(',')[0]);
  return Number.isFinite(x) ? x : undefined;
}

/** The label centres of a layout, from Graphviz's `json` output. */
export function labelCenters(json: string): Layout {
  const layout: unknown = JSON.parse(json);
  const centers = new Map<string, number>();
  if (!isRecord(layout)) return { centers, graphCenter: undefined };
  const list = (value: unknown): readonly unknown[] => (Array.isArray(value) ? (value as unknown[]) : []);
  const entries = [...list(layout.objects), ...list(layout.edges)];
  for (const entry of entries) {
    if (!isRecord(entry) || typeof entry.id !== 'string') continue;
    const x = xOf(entry.lp) ?? xOf(entry.pos);
    if (x !== undefined) centers.set(entry.id, x);
  }
  return { centers, graphCenter: xOf(layout.lp) };
}

const TEXT = /^<text ([^>]*)>(.*)<\/text>$/;
const GROUP = /^<g id="([^"]*)" class="([^"]*)"/;
const ATTRIBUTE = /([\w:-]+)="([^"]*)"/g;
/** Attributes that belong to the line, not to one piece of it. */
const LINE_ATTRIBUTES = new Set(['text-anchor', 'x', 'y', 'xml:space', 'font-family']);

function attributesOf(text: string): [string, string][] {
  return [...text.matchAll(ATTRIBUTE)].map((match) => [match[1]!, match[2]!]);
}

interface Piece {
  readonly attributes: [string, string][];
  readonly content: string;
}

function mergeLine(pieces: readonly Piece[], center: number): string {
  const first = new Map(pieces[0]!.attributes);
  const ownAttributes = (piece: Piece) => piece.attributes.filter(([name]) => !LINE_ATTRIBUTES.has(name)).map(([name, value]) => ` ${name}="${value}"`).join('');
  const family = first.get('font-family');
  const line = `<text xml:space="preserve" text-anchor="middle" x="${center.toFixed(2)}" y="${first.get('y') ?? '0'}"${family === undefined ? '' : ` font-family="${family}"`}`;
  // A line of one piece carries that piece's attributes itself: the same picture with one element
  // fewer per label (a big formula's graph has hundreds, which a browser restyles and lays out).
  if (pieces.length === 1) return `${line}${ownAttributes(pieces[0]!)}>${pieces[0]!.content}</text>`;
  const spans = pieces.map((piece) => {
    const own = ownAttributes(piece);
    return own === '' ? piece.content : `<tspan${own}>${piece.content}</tspan>`;
  });
  return `${line}>${spans.join('')}</text>`;
}

/** Re-centre the start-anchored text lines of Graphviz's SVG (see the comment at the top). */
export function centerLabelLines(svg: string, layout: Layout): string {
  const output: string[] = [];
  let center: number | undefined = layout.graphCenter;
  let pending: Piece[] = [];
  let pendingY: string | undefined;
  const flush = () => {
    if (pending.length > 0 && center !== undefined) output.push(mergeLine(pending, center));
    else for (const piece of pending) output.push(`<text ${piece.attributes.map(([name, value]) => `${name}="${value}"`).join(' ')}>${piece.content}</text>`);
    pending = [];
    pendingY = undefined;
  };
  for (const line of svg.split('\n')) {
    const text = TEXT.exec(line);
    if (text !== null) {
      const attributes = attributesOf(text[1]!);
      const values = new Map(attributes);
      if (values.get('text-anchor') === 'start') {
        if (pendingY !== undefined && values.get('y') !== pendingY) flush();
        pending.push({ attributes, content: text[2]! });
        pendingY = values.get('y');
        continue;
      }
    }
    flush();
    const group = GROUP.exec(line);
    if (group !== null) center = group[2] === 'graph' ? layout.graphCenter : layout.centers.get(group[1]!);
    output.push(line);
  }
  flush();
  return output.join('\n');
}

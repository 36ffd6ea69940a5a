import { XMLParser, XMLValidator } from 'fast-xml-parser';

/** What a test looks at in an SVG: every element's name, and the text of every line. */
export interface ParsedSvg {
  readonly elements: readonly string[];
  /** Text of each <text> element (its tspans joined), entities decoded, no-break spaces as spaces. */
  readonly texts: readonly string[];
  /** Count of <g> elements by their class attribute. */
  readonly groups: ReadonlyMap<string, number>;
}

type Node = Record<string, unknown>;
const isNode = (value: unknown): value is Node => typeof value === 'object' && value !== null && !Array.isArray(value);

const ENTITIES: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decode(text: string): string {
  return text
    .replace(/&#(\d+);/g, (_, code: string) => String.fromCodePoint(Number(code)))
    .replace(/&#x([0-9a-f]+);/gi, (_, code: string) => String.fromCodePoint(parseInt(code, 16)))
    .replace(/&(amp|lt|gt|quot|apos);/g, (_, name: string) => ENTITIES[name]!)
    .replace(/\u00a0/g, ' ');
}

function textOf(children: unknown): string {
  if (!Array.isArray(children)) return '';
  return children.map((child) => {
    if (!isNode(child)) return '';
    if (typeof child['#text'] === 'string' || typeof child['#text'] === 'number') return String(child['#text']);
    return Object.entries(child).filter(([key]) => key !== ':@').map(([, value]) => textOf(value)).join('');
  }).join('');
}

/** Validate an SVG as XML (throws with the parser's message if it is not) and collect what tests need. */
export function parseSvg(svg: string): ParsedSvg {
  const valid = XMLValidator.validate(svg);
  if (valid !== true) throw new Error(`not well-formed XML: ${valid.err.msg} (line ${valid.err.line})`);
  const tree: unknown = new XMLParser({ preserveOrder: true, ignoreAttributes: false, processEntities: false }).parse(svg);
  const elements: string[] = [];
  const texts: string[] = [];
  const groups = new Map<string, number>();
  const walk = (nodes: unknown): void => {
    if (!Array.isArray(nodes)) return;
    for (const node of nodes) {
      if (!isNode(node)) continue;
      for (const [name, children] of Object.entries(node)) {
        if (name === ':@' || name === '#text') continue;
        elements.push(name);
        const attributes = node[':@'];
        if (name === 'g' && isNode(attributes) && typeof attributes['@_class'] === 'string') {
          groups.set(attributes['@_class'], (groups.get(attributes['@_class']) ?? 0) + 1);
        }
        if (name === 'text') texts.push(decode(textOf(children)));
        else walk(children);
      }
    }
  };
  walk(tree);
  return { elements, texts, groups };
}

/** The PNG's width and height from its IHDR chunk, after checking the 8-byte signature. */
export function pngSize(png: Buffer): { width: number; height: number } {
  const signature = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (!signature.every((byte, k) => png[k] === byte)) throw new Error('not a PNG: wrong signature');
  if (png.toString('latin1', 12, 16) !== 'IHDR') throw new Error('not a PNG: the first chunk is not IHDR');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

/**
 * Latin words a Russian picture may keep: the sheet's own terms and the names in its formulas
 * (functions, losses, the optimizer). Anything else of three or more Latin letters is English
 * that should have come from the catalogue.
 */
export const SHEET_LATIN_WORDS: readonly string[] = [
  'backpropagation', 'ReLU', 'MSE', 'mse', 'logloss', 'sgd', 'mean', 'sum', 'exp', 'log', 'sqrt', 'tanh', 'sin', 'cos', 'abs',
  'sigmoid', 'softmax', 'softplus', 'max', 'min',
];

/** The Latin words (3+ letters) in a picture's text that are not the sheet's own terms. */
export function foreignWords(texts: readonly string[]): string[] {
  const words = texts.flatMap((text) => text.match(/[A-Za-z]{3,}/g) ?? []);
  return [...new Set(words.filter((word) => !SHEET_LATIN_WORDS.includes(word)))];
}

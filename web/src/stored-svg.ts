/*
 * The check a layout read back from localStorage must pass before it goes on the page.
 *
 * Storage is not the page's own: over file:// Chromium keeps one storage for every local file, so
 * any .html opened from disk can write an entry for a DOT text it knows (the playground's DOT is
 * public). A stored SVG is therefore untrusted input. It is parsed as XML and accepted only if it
 * has nothing but what Graphviz and the SVG finishing (src/draw/render.ts, center-text.ts) write;
 * what goes on the page is that parsed picture written out again (markupOf), never the
 * stored text: the text is later parsed as HTML, which reads a CDATA section, a processing
 * instruction or a DOCTYPE differently from XML, and could find markup the XML check never saw.
 */

const SVG_NAMESPACE = 'http://www.w3.org/2000/svg';
const XLINK_NAMESPACE = 'http://www.w3.org/1999/xlink';
const XML_NAMESPACE = 'http://www.w3.org/XML/1998/namespace';
const XMLNS_NAMESPACE = 'http://www.w3.org/2000/xmlns/';

/** The elements Graphviz draws our graphs with (and a few more of its shapes: polyline, arrowheads). */
const ELEMENTS: ReadonlySet<string> = new Set(['svg', 'g', 'title', 'polygon', 'polyline', 'ellipse', 'path', 'text', 'tspan']);

/** Plain (no namespace) attributes of those elements: geometry and paint, nothing that loads or runs. */
const ATTRIBUTES: ReadonlySet<string> = new Set([
  'width', 'height', 'viewBox', 'class', 'id', 'transform',
  'points', 'cx', 'cy', 'rx', 'ry', 'd', 'x', 'y',
  'fill', 'fill-opacity', 'stroke', 'stroke-width', 'stroke-dasharray', 'stroke-opacity',
  'font-family', 'font-size', 'font-weight', 'font-style', 'text-anchor', 'style',
]);

/** A link only within the picture. */
const LOCAL_REFERENCE = /^#/;
/** url(...) that is not url(#...): a resource from elsewhere. */
const OUTSIDE_URL = /url\s*\(\s*['"]?\s*(?!#)/i;
/** Inline style Graphviz could write: properties and plain values, no escapes, quotes or url(). */
const PLAIN_STYLE = /^[\w\s:;.,#%()-]*$/;

/**
 * The stored SVG as markup safe to put on the page (the picture checked, written out again), or
 * undefined if it is anything but Graphviz's kind of picture.
 */
export function checkedSvg(svg: string): string | undefined {
  const parsed = new DOMParser().parseFromString(svg, 'image/svg+xml');
  const root = parsed.documentElement;
  // A document that is not well-formed XML comes back as a <parsererror> document.
  if (root.localName !== 'svg' || parsed.getElementsByTagNameNS('*', 'parsererror').length > 0) return undefined;
  return allowedElement(root) ? markupOf(root) : undefined;
}

function allowedElement(element: Element): boolean {
  if (element.namespaceURI !== SVG_NAMESPACE || !ELEMENTS.has(element.localName)) return false;
  for (const attribute of Array.from(element.attributes)) if (!allowedAttribute(attribute)) return false;
  for (const child of Array.from(element.childNodes)) {
    if (child.nodeType === Node.TEXT_NODE) continue;
    // A title is text only: in an HTML page an element inside it would be an HTML element.
    if (child.nodeType === Node.ELEMENT_NODE && element.localName !== 'title') {
      if (!allowedElement(child as Element)) return false;
      continue;
    }
    // Graphviz's comments name nodes and edges (`x&#45;&gt;a`); one with < or > or that starts with - could end early in HTML.
    if (child.nodeType === Node.COMMENT_NODE && /^(?:[^<>-][^<>]*)?$/.test((child as Comment).data)) continue;
    // CDATA sections, processing instructions, anything else.
    return false;
  }
  return true;
}

function allowedAttribute({ namespaceURI, name, value }: Attr): boolean {
  if (OUTSIDE_URL.test(value)) return false;
  if (namespaceURI === null) {
    if (name === 'href') return LOCAL_REFERENCE.test(value);
    if (name === 'style') return PLAIN_STYLE.test(value);
    return ATTRIBUTES.has(name);
  }
  if (namespaceURI === XLINK_NAMESPACE) return name === 'xlink:href' && LOCAL_REFERENCE.test(value);
  if (namespaceURI === XML_NAMESPACE) return name === 'xml:space';
  if (namespaceURI === XMLNS_NAMESPACE) return (name === 'xmlns' && value === SVG_NAMESPACE) || (name === 'xmlns:xlink' && value === XLINK_NAMESPACE);
  return false;
}

/**
 * A checked element written out as markup, text and values escaped. The XML parser lists the
 * namespace declarations (xmlns, xmlns:xlink) first; Graphviz writes them last, and so does this,
 * so a picture read back is the same markup as the one Graphviz drew.
 */
function markupOf(node: Node): string {
  if (node.nodeType === Node.TEXT_NODE) return escaped((node as Text).data, /[&<>]/g);
  if (node.nodeType === Node.COMMENT_NODE) return `<!--${(node as Comment).data}-->`;
  const element = node as Element;
  const declaration = ({ namespaceURI }: Attr) => namespaceURI === XMLNS_NAMESPACE;
  const inOrder = [...Array.from(element.attributes).filter((attribute) => !declaration(attribute)), ...Array.from(element.attributes).filter(declaration)];
  const attributes = inOrder.map(({ name, value }) => ` ${name}="${escaped(value, /[&<>"]/g)}"`).join('');
  return `<${element.localName}${attributes}>${Array.from(element.childNodes, markupOf).join('')}</${element.localName}>`;
}

const ENTITIES: ReadonlyMap<string, string> = new Map([['&', '&amp;'], ['<', '&lt;'], ['>', '&gt;'], ['"', '&quot;']]);

function escaped(text: string, special: RegExp): string {
  return text.replace(special, (character) => ENTITIES.get(character)!);
}

/**
 * Escaping for the markup languages mashagrad writes: SVG and DOT labels (draw/), HTML pages and
 * articles (explain/). Every string that comes from a person (variable names, titles, formulas)
 * passes through one of these before it becomes markup, so `<script>` in a title stays text.
 */

const ENTITIES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text for XML and SVG, as element content or a quoted attribute value: & < > " ' become entities. */
export function escapeXml(text: string): string {
  // Control characters other than tab and newline are not allowed in XML 1.0 at all.
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '').replace(/[&<>"']/g, (char) => ENTITIES[char]!);
}

/**
 * Text for HTML, as element content or a quoted attribute value. The same five entities as
 * XML; the control characters XML forbids are parse errors in HTML too, so they go as well.
 */
export const escapeHtml: (text: string) => string = escapeXml;

/**
 * Escaping for the two languages pictures are written in. Every string that comes from a
 * person (variable names, titles, formulas) passes through one of these before it becomes
 * part of DOT or SVG, so `<script>` in a title stays text.
 */

const XML_ENTITIES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text for XML, SVG and HTML: & < > " ' become entities. */
export function escapeXml(text: string): string {
  // Control characters other than tab and newline are not allowed in XML 1.0 at all.
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '').replace(/[&<>"']/g, (char) => XML_ENTITIES[char]!);
}

/**
 * Text for a Graphviz HTML-like label: escaped as XML, and every backslash doubled, since
 * Graphviz replaces \G, \N… with the graph's or node's name even inside HTML labels (and
 * reads \\ as one backslash).
 */
export function escapeHtmlLabel(text: string): string {
  return escapeXml(text).replace(/\\/g, '\\\\');
}

/**
 * A DOT double-quoted string. Inside one, Graphviz reads `\"` and backslash escapes such as
 * `\N` (the node's name) and `\n`; a backslash is doubled so a title cannot use them, and
 * newlines become `\n`.
 */
export function dotString(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\r?\n/g, '\\n')}"`;
}

/**
 * Escaping for DOT, the language Graphviz reads. Every string that comes from a person
 * (variable names, titles, formulas) passes through one of these (or escapeXml, for SVG)
 * before it becomes part of a picture, so `<script>` in a title stays text.
 */
import { escapeXml } from '../escape.js';

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

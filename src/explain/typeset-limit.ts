import { InputError } from '../errors.js';
import type { ExpressionTrace, ProblemTrace } from '../trace/types.js';
import type { Format } from './render.js';

/**
 * The most nodes a formula's graph may have for its worked solution or summary to be typeset
 * (Markdown, LaTeX, HTML). Each node brings several typeset formulas, so these outputs grow far
 * faster than the text: measured on a sum of 19,000 terms, HTML took 24.5 s, 1.9 GB and wrote
 * 207 MB (the worked solution in HTML ran past 100 s and 3 GB), while the text took 3.7 s.
 * A formula a person writes has tens of nodes; text and --json keep the parser's own limit.
 */
export const MAX_TYPESET_NODES = 2_000;

/** Refuses, before any rendering, a typeset output of a formula too large to typeset (docs/limits.md). */
export function checkTypesetSize(trace: ProblemTrace | ExpressionTrace, format: Format): void {
  if (format === 'text' || trace.kind !== 'expression' || trace.nodes.length <= MAX_TYPESET_NODES) return;
  throw new InputError(
    `the formula has ${trace.nodes.length.toLocaleString('en-US')} nodes, too many to typeset as ${format}: ` +
    `the limit for md, tex and html is ${MAX_TYPESET_NODES.toLocaleString('en-US')} nodes; the text output and --json have no such limit`,
  );
}

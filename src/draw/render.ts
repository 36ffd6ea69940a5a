import type { Viz } from '@viz-js/viz';
import { loadOptional } from '../optional.js';
import { centerLabelLines, labelCenters } from './center-text.js';
import { FONT, FONT_STACK } from './theme.js';

/*
 * DOT → SVG with Graphviz compiled to WebAssembly: the same renderer in Node and the browser,
 * no system Graphviz. (SVG → PNG is in png.ts, which only runs in Node.)
 */

let vizInstance: Promise<Viz> | undefined;

/** Graphviz, loaded once on first use (an optional package; compiling its WebAssembly takes a moment). */
export function loadGraphviz(): Promise<Viz> {
  if (vizInstance === undefined) {
    const loading = loadOptional('@viz-js/viz', () => import('@viz-js/viz')).then((viz) => viz.instance());
    // A failed load (the package missing) is not kept, so installing it and retrying works.
    loading.catch(() => {
      if (vizInstance === loading) vizInstance = undefined;
    });
    vizInstance = loading;
  }
  return vizInstance;
}

/** Thrown when Graphviz rejects DOT: a bug in a DOT builder, never the user's fault. */
export class DotRenderError extends Error {
  override readonly name = 'DotRenderError';
}

/**
 * Lay out and draw DOT with an already loaded Graphviz. One layout gives the SVG and the JSON
 * that says where each label's centre is (see center-text.ts).
 */
export function dotToSvgWith(viz: Viz, dot: string): string {
  const result = viz.renderFormats(dot, ['svg', 'json']);
  if (result.status !== 'success') {
    throw new DotRenderError(`Graphviz could not draw the graph: ${result.errors.map((error) => error.message).join('; ')}`);
  }
  const { svg, json } = result.output;
  if (svg === undefined || json === undefined) throw new DotRenderError('Graphviz returned no SVG');
  return centerLabelLines(svg, labelCenters(json)).replaceAll(`font-family="${FONT}"`, `font-family="${FONT_STACK}"`);
}

export async function dotToSvg(dot: string): Promise<string> {
  return dotToSvgWith(await loadGraphviz(), dot);
}

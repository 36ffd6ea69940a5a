import type { Resvg as ResvgClass } from '@resvg/resvg-js';
import { requireOptional } from '../optional.js';
import { fontFiles } from './fonts.js';
import { FONT } from './theme.js';

/* SVG → PNG with resvg (Node only: a native addon, an optional package loaded on first use). */

export interface PngOptions {
  /** Pixels per SVG unit (Graphviz writes points): 2 gives crisp text on ordinary screens. */
  readonly scale?: number;
}

/** Rasterise an SVG with the shipped DejaVu fonts only (no system fonts), on white. */
export function svgToPng(svg: string, options: PngOptions = {}): Buffer {
  const { Resvg } = requireOptional('@resvg/resvg-js') as { Resvg: typeof ResvgClass };
  const resvg = new Resvg(svg, {
    fitTo: { mode: 'zoom', value: options.scale ?? 2 },
    background: 'white',
    font: { loadSystemFonts: false, fontFiles: fontFiles(), defaultFontFamily: FONT, sansSerifFamily: FONT, serifFamily: FONT, monospaceFamily: FONT },
    logLevel: 'off',
  });
  return resvg.render().asPng();
}

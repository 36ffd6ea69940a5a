/**
 * The size a picture is shown at on a page: never smaller than its natural size, and large enough
 * that its smallest text is at least the body's text size. A picture wider than the page then
 * scrolls sideways inside its figure instead of being shrunk until its text is unreadable.
 */

/** The page's body text size in CSS pixels (the browser default the page keeps; no prose is set smaller). */
export const BODY_TEXT_PX = 16;

/** CSS pixels per SVG length unit: Graphviz writes pt (4/3 px), Vega px. */
const PX_PER_UNIT: Readonly<Record<string, number>> = { pt: 4 / 3, px: 1, '': 1 };

/** The smallest font size written in an SVG, in its user units (font-size="10.00", font-size: 11px). */
export function smallestFontSize(svg: string): number | null {
  const sizes = [...svg.matchAll(/font-size(?:="|:\s*)([\d.]+)/g)].map((match) => Number(match[1]));
  const finite = sizes.filter((size) => Number.isFinite(size) && size > 0);
  return finite.length === 0 ? null : Math.min(...finite);
}

/** The width in CSS pixels at which the picture's smallest text is at least BODY_TEXT_PX, or its natural width if that is larger. */
export function displayWidth(svg: string): number | null {
  const open = /<svg\b[^>]*>/.exec(svg)?.[0];
  if (open === undefined) return null;
  const width = /\swidth="([\d.]+)(pt|px|)"/.exec(open);
  const viewBox = /\sviewBox="[\d.\s-]+?\s([\d.]+)\s[\d.]+"/.exec(open);
  if (width === null) return null;
  const naturalPx = Number(width[1]) * PX_PER_UNIT[width[2]!]!;
  // One user unit (what font-size counts in) is naturalPx / viewBox width pixels at natural size.
  const unitPx = viewBox === null ? PX_PER_UNIT[width[2]!]! : naturalPx / Number(viewBox[1]);
  const smallest = smallestFontSize(svg);
  const scale = smallest === null ? 1 : Math.max(1, BODY_TEXT_PX / (smallest * unitPx));
  return Math.ceil(naturalPx * scale);
}

/** The SVG with its shown width set (height follows the viewBox), ready to sit in a scrolling figure. */
export function sizedSvg(svg: string): string {
  const width = displayWidth(svg);
  if (width === null) return svg;
  return svg.replace(/<svg\b/, `<svg style="width: ${width}px; height: auto; max-width: none"`);
}

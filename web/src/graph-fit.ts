/**
 * A Graphviz picture fits its box (on a 390 px phone too): style.css scales it down to the box's
 * width, and this floor stops it at a third of its own size, where its smallest labels (11 pt
 * edge labels, about 15 px) are still about 5 px; a picture that needs more scrolls in its box.
 * Exercise 1's graph (1023 px wide) needs 0.37 to fit a phone's 374 px box.
 */
const SMALLEST_SCALE = 1 / 3;

/** Sets the floor for the picture just put in `box`; call it after each new picture. */
export function fitGraph(box: HTMLElement): void {
  const svg = box.querySelector('svg');
  if (svg === null) return;
  // The width Graphviz wrote (e.g. 767pt), in CSS pixels.
  const width = svg.width.baseVal.value;
  if (width > 0) svg.style.minWidth = `${Math.round(width * SMALLEST_SCALE)}px`;
}

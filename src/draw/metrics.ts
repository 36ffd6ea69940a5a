import type { DotAttributes, Line, Span } from './dot.js';
import { htmlLabel } from './dot.js';
import { DEJAVU_SANS_WIDTHS } from './font-widths.js';
import { sizes } from './theme.js';

/*
 * Sizes of labels in DejaVu Sans, from the font's own advance widths. Graphviz estimates ∂, ₁,
 * ŷ… as nearly 1 em wide, which makes circles much too big; nodes get their size from here.
 */

/** Graphviz's line spacing in labels: 1.2 × the font size. */
const LINE_SPACING = 1.2;
/** Characters the table does not have are taken as this wide (a wide letter). */
const UNKNOWN_WIDTH = 0.75;
/** Space between the text and a node's outline, in points. */
const PADDING = 7;

export function textWidth(text: string, size: number, bold = false): number {
  const table = bold ? DEJAVU_SANS_WIDTHS.bold : DEJAVU_SANS_WIDTHS.regular;
  let em = 0;
  for (const char of text) em += table[char] ?? UNKNOWN_WIDTH;
  return em * size;
}

interface LineBox {
  readonly width: number;
  readonly height: number;
}

function spansOf(line: Line): readonly Span[] {
  return typeof line === 'string' ? [{ text: line }] : line;
}

function lineBoxes(lines: readonly Line[], fontSize: number): LineBox[] {
  return lines.map((line) => {
    const spans = spansOf(line);
    const width = spans.reduce((sum, span) => sum + textWidth(span.text, span.size ?? fontSize, span.bold), 0);
    const height = LINE_SPACING * Math.max(...spans.map((span) => span.size ?? fontSize));
    return { width, height };
  });
}

/**
 * A node whose size fits its label: a box just around the lines, or the smallest circle
 * around them (each line's corners inside it), in inches as Graphviz wants.
 */
export function fittedNode(lines: readonly Line[], shape: 'circle' | 'box', fontSize: number = sizes.node): DotAttributes {
  const boxes = lineBoxes(lines, fontSize);
  const total = boxes.reduce((sum, box) => sum + box.height, 0);
  let width: number;
  let height: number;
  if (shape === 'box') {
    width = Math.max(...boxes.map((box) => box.width)) + 2 * PADDING + 4;
    height = total + 2 * PADDING - 4;
  } else {
    // Lines are stacked around the centre; the circle must reach every line's far corners.
    let top = -total / 2;
    let radius = 0;
    for (const box of boxes) {
      const far = Math.max(Math.abs(top), Math.abs(top + box.height));
      radius = Math.max(radius, Math.hypot(box.width / 2, far));
      top += box.height;
    }
    width = height = 2 * radius + 2 * PADDING;
  }
  return { label: htmlLabel(lines), shape, width: round(width / 72), height: round(height / 72), fixedsize: true };
}

const round = (inches: number) => Math.round(inches * 1000) / 1000;

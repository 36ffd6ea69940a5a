import type { DotAttributes, DotWriter } from './dot.js';

/**
 * One look for every picture. The font is DejaVu Sans: Graphviz has its metrics (so boxes fit
 * their text), it has ∂, ², ᵀ, σ, ⊙, and PNGs are rendered with the copy shipped in the
 * dejavu-fonts-ttf package, so they look the same on every machine.
 */
export const FONT = 'DejaVu Sans';
/** What the SVG asks for: DejaVu Sans where it is installed, a similar sans-serif elsewhere. */
export const FONT_STACK = `${FONT}, Verdana, Arial, sans-serif`;

export const colors = {
  text: '#1a1a1a',
  line: '#333333',
  /** The backward pass: gradients and the arrows that carry them. */
  backward: '#c0392b',
  /** The paths of a path sum. */
  highlight: '#1f5fbf',
  /** Everything not on the highlighted paths. */
  dimmed: '#a8a8a8',
  inputFill: '#eef3fb',
  outputFill: '#fdf1e6',
  activationFill: '#f4f4f4',
  weightFill: '#fbf8e8',
  note: '#555555',
} as const;

export const sizes = { node: 13, edge: 11, small: 10, title: 15 } as const;

/** Graph-wide defaults every picture starts from. */
export function applyTheme(dot: DotWriter, graph: DotAttributes = {}): DotWriter {
  return dot
    .defaults('graph', { fontname: FONT, fontsize: sizes.node, fontcolor: colors.text, bgcolor: 'white', pad: 0.25, ...graph })
    .defaults('node', { fontname: FONT, fontsize: sizes.node, fontcolor: colors.text, color: colors.line, penwidth: 1.2 })
    .defaults('edge', { fontname: FONT, fontsize: sizes.edge, fontcolor: colors.text, color: colors.line, arrowsize: 0.7 });
}

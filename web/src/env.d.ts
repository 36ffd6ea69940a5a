/// <reference types="vite/client" />

/** Built by web/shipped-layouts.ts: the first picture of a cold load, laid out when the page was built. */
declare module 'virtual:shipped-layouts' {
  /** DOT text → SVG, as the page's Graphviz worker would draw it. */
  export const SHIPPED_LAYOUTS: readonly (readonly [dot: string, svg: string])[];
  /** What layouts stored in the browser must belong to: Graphviz's version and a hash of the graph worker's code. */
  export const LAYOUT_VERSION: string;
}

import katex from 'katex';
import { KATEX_GLOBAL } from './separate-scripts.js';

/*
 * A script of its own (katex.js, built beside the page by web/vite.config.ts): KaTeX is loaded
 * only when the page's own thread typesets (problem mode); it leaves KaTeX on globalThis.
 */
(globalThis as unknown as Record<typeof KATEX_GLOBAL, typeof katex>)[KATEX_GLOBAL] = katex;

import type Katex from 'katex';
import { useKatex } from '../../src/explain/index.js';
import { loadScript } from './script-element.js';
import { KATEX_GLOBAL, KATEX_SCRIPT } from './separate-scripts.js';

let loading: Promise<void> | undefined;

/** KaTeX for rendering HTML on the page's thread, loaded by katex.js on first use. */
export function loadPageKatex(): Promise<void> {
  loading ??= loadScript(KATEX_SCRIPT.file).then(() => {
    const katex = (globalThis as unknown as Partial<Record<typeof KATEX_GLOBAL, typeof Katex>>)[KATEX_GLOBAL];
    if (katex === undefined) throw new Error(`${KATEX_SCRIPT.file} did not load KaTeX`);
    useKatex(katex);
  });
  loading.catch(() => (loading = undefined));
  return loading;
}

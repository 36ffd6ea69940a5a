import { createHash } from 'node:crypto';
import type { Plugin } from 'vite';
import type { WorkerSource } from './src/separate-scripts.js';
import { dotToSvg, loadGraphviz } from '../src/draw/index.js';
import { parseFormula, variablesOf } from '../src/index.js';
import { traceFormula } from './src/formula-answer.js';
import { readState, valueOf, variableValues } from './src/state.js';

/*
 * Layouts shipped with the page: when the page is built, the first picture a cold load draws is
 * laid out here, by the same Graphviz and the same SVG finishing (src/draw/render.ts) as the
 * page's Graphviz worker, and the page's layOut (web/src/graph-layout.ts) answers that exact DOT
 * text without starting Graphviz. Nothing generated is committed: every build lays out again,
 * so a change to the formula, the tracer or the DOT writer can only make a miss.
 */

/** What web/src/graph-layout.ts imports (declared in web/src/env.d.ts). */
export const SHIPPED_LAYOUTS_MODULE = 'virtual:shipped-layouts';

/**
 * The links whose first picture ships: the page opened without a fragment (DEFAULT_STATE), and
 * the same in Russian (the DOT has words in it). Only the backward picture, the one shown when
 * not walking: the forward one is needed only when the walk enters the forward pass, and until it
 * comes the walk marks the backward one (formula-mode.ts); asking Graphviz for it also starts
 * Graphviz for the next edit.
 */
export const SHIPPED_LINKS: readonly string[] = ['', '#lang=ru'];

/**
 * The DOT a cold load of the link draws first, by formula mode's own steps: the state read from
 * the link (readState), each of the formula's variables given its value or 1 (FormulaMode's
 * update), then traceFormula, which the page and its formula worker both call.
 */
export function firstPictureDot(link: string): string {
  const { formula, at, language } = readState(link);
  const values = variableValues(variablesOf(parseFormula(formula)).map((name) => [name, valueOf(at, name) ?? 1]));
  return traceFormula({ id: 0, formula, at: values, language }).dots.backward;
}

/** DOT → SVG for every shipped link's first picture (a DOT drawn by two links once). */
export async function shippedLayouts(): Promise<[dot: string, svg: string][]> {
  const dots = [...new Set(SHIPPED_LINKS.map(firstPictureDot))];
  return Promise.all(dots.map(async (dot): Promise<[string, string]> => [dot, await dotToSvg(dot)]));
}

/**
 * What the layouts stored in a browser belong to: Graphviz's version and a hash of the graph
 * worker's whole code (Graphviz, its WebAssembly and the SVG finishing), so a page whose layout
 * code differs in any way never uses another's stored layouts (web/src/layout-store.ts).
 */
export async function layoutVersion({ code, wasm = '' }: WorkerSource): Promise<string> {
  const { graphvizVersion } = await loadGraphviz();
  return `${graphvizVersion}+${createHash('sha256').update(code).update('\0').update(wasm).digest('hex').slice(0, 16)}`;
}

/** The module's text: the pairs as JSON. */
export function shippedLayoutsModule(layouts: readonly (readonly [string, string])[], version: string): string {
  return `export const SHIPPED_LAYOUTS = ${JSON.stringify(layouts)};\nexport const LAYOUT_VERSION = ${JSON.stringify(version)};\n`;
}

/**
 * The Vite plugin: `virtual:shipped-layouts` for the page. In the dev server (which has no
 * worker scripts) it ships nothing and the version is 'dev'.
 */
export function shippedLayoutsPlugin(graphWorkerCode: () => Promise<WorkerSource>): Plugin {
  const resolved = `\0${SHIPPED_LAYOUTS_MODULE}`;
  let building = false;
  return {
    name: 'mashagrad-shipped-layouts',
    configResolved: (config) => {
      building = config.command === 'build';
    },
    resolveId: (id) => (id === SHIPPED_LAYOUTS_MODULE ? resolved : null),
    async load(id) {
      if (id !== resolved) return null;
      if (!building) return shippedLayoutsModule([], 'dev');
      const [layouts, version] = await Promise.all([shippedLayouts(), graphWorkerCode().then(layoutVersion)]);
      return shippedLayoutsModule(layouts, version);
    },
  };
}

import type { Plugin } from 'vite';
import { GRAPHVIZ_WASM_GLOBAL } from './src/separate-scripts.js';

/*
 * viz-js carries Graphviz's WebAssembly (1 MB) as a string literal in its loader,
 * `binaryDecode('…')`. In a worker that literal was scanned twice (with the script, and again
 * when the loader's function first ran), about 90 ms of the worker's start on this 2-core
 * machine. In the graph worker's build this plugin cuts the literal out of the code, as its
 * source text (so nothing about its encoding is assumed here), and puts a read of
 * GRAPHVIZ_WASM_GLOBAL in its place: graph-worker.js hands the literal to the page, which posts
 * it to the worker as its first message (web/src/script-worker.ts), and the worker sets the global.
 */

interface AstNode {
  readonly type: string;
  readonly start: number;
  readonly end: number;
  readonly [key: string]: unknown;
}

const isNode = (value: unknown): value is AstNode => typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string';

/** Every `binaryDecode('…')` call's string argument in the tree. */
function embeddedBinaries(node: AstNode, found: AstNode[] = []): AstNode[] {
  const callee = node['callee'];
  const args = node['arguments'];
  if (node.type === 'CallExpression' && isNode(callee) && callee.type === 'Identifier' && callee['name'] === 'binaryDecode'
    && Array.isArray(args) && args.length === 1 && isNode(args[0]) && args[0].type === 'Literal' && typeof args[0]['value'] === 'string') {
    found.push(args[0]);
  }
  for (const value of Object.values(node)) {
    for (const child of Array.isArray(value) ? value : [value]) if (isNode(child)) embeddedBinaries(child, found);
  }
  return found;
}

const VIZ_MODULE = /[\\/]@viz-js[\\/]viz[\\/]/;

/**
 * The plugin: `cut` receives the literal's source text (quotes included) when the built script
 * has viz-js's loader in it (another worker's build may read viz-js and leave it out).
 */
export function graphvizWasmOutside(cut: (literal: string) => void): Plugin {
  const literals = new Map<string, string>();
  return {
    name: 'mashagrad-graphviz-wasm-outside',
    transform(code, id) {
      if (!VIZ_MODULE.test(id) || !code.includes('binaryDecode(')) return null;
      const found = embeddedBinaries(this.parse(code) as unknown as AstNode);
      if (found.length !== 1) {
        this.error(`${id}: expected Graphviz's WebAssembly in one binaryDecode('…') call, found ${found.length}; has @viz-js/viz changed how it embeds it?`);
      }
      const { start, end } = found[0]!;
      literals.set(id, code.slice(start, end));
      return { code: `${code.slice(0, start)}self.${GRAPHVIZ_WASM_GLOBAL}${code.slice(end)}`, map: null };
    },
    generateBundle(_options, bundle) {
      for (const output of Object.values(bundle)) {
        if (output.type !== 'chunk') continue;
        for (const [id, literal] of literals) if ((output.modules[id]?.renderedLength ?? 0) > 0) cut(literal);
      }
    },
  };
}

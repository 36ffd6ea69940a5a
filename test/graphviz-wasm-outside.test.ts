import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseAst, type Plugin } from 'vite';
import { afterAll, describe, expect, it } from 'vitest';
import { graphvizWasmOutside } from '../web/graphviz-wasm-outside.js';
import { GRAPHVIZ_WASM_GLOBAL } from '../web/src/separate-scripts.js';

/** viz-js's loader as the page's build reads it (the package's default export, beside its CommonJS one). */
const VIZ_FILE = join(dirname(createRequire(import.meta.url).resolve('@viz-js/viz')), 'viz.js');

type Transform = (this: { parse: typeof parseAst; error: (message: string) => never }, code: string, id: string) => { code: string } | null;
type GenerateBundle = (options: unknown, bundle: Record<string, unknown>) => void;

const context = {
  parse: parseAst,
  error: (message: string): never => {
    throw new Error(message);
  },
};

function plugin(): { transform: (code: string, id: string) => { code: string } | null; generateBundle: GenerateBundle; cut: string[] } {
  const cut: string[] = [];
  const built: Plugin = graphvizWasmOutside((literal) => cut.push(literal));
  return { transform: (code, id) => (built.transform as Transform).call(context, code, id), generateBundle: built.generateBundle as GenerateBundle, cut };
}

/** A bundle of one chunk that has `id` in it, rendered to `length` characters (0: tree-shaken away). */
const bundleWith = (id: string, length: number) => ({ 'graph-worker.js': { type: 'chunk', modules: { [id]: { renderedLength: length } } } });

/** The value of a JavaScript string literal, read by the parser (no evaluation). */
function literalValue(literal: string): string {
  const program = parseAst(`(${literal});`) as unknown as { body: [{ expression: { type: string; value: unknown } }] };
  const { expression } = program.body[0];
  if (expression.type !== 'Literal' || typeof expression.value !== 'string') throw new Error('not a string literal');
  return expression.value;
}

const temporary = mkdtempSync(join(tmpdir(), 'mashagrad-wasm-outside-'));
afterAll(() => rmSync(temporary, { recursive: true, force: true }));

describe('Graphviz\'s WebAssembly kept out of the graph worker\'s code (web/graphviz-wasm-outside.ts)', () => {
  it('cuts the one binaryDecode literal out of viz-js as it is, and the loader draws with that string put in the global instead', async () => {
    const source = readFileSync(VIZ_FILE, 'utf8');
    const { transform, generateBundle, cut } = plugin();
    const result = transform(source, VIZ_FILE);
    expect(result).not.toBeNull();
    const code = result!.code;
    // Only the literal changed: 1 MB of it out, one read of the global in.
    expect(source.length - code.length).toBeGreaterThan(900_000);
    expect(code.split(`self.${GRAPHVIZ_WASM_GLOBAL}`)).toHaveLength(2);
    expect(code).not.toContain('binaryDecode(\'');
    // Handed on only when the loader is in the built script.
    generateBundle({}, bundleWith(VIZ_FILE, 0));
    expect(cut).toEqual([]);
    generateBundle({}, bundleWith(VIZ_FILE, code.length));
    expect(cut).toHaveLength(1);
    const literal = cut[0]!;
    expect(source).toContain(`binaryDecode(${literal})`);
    expect(code.replace(`self.${GRAPHVIZ_WASM_GLOBAL}`, () => literal)).toBe(source);

    // The changed loader, given the literal's string as the worker gives it, is Graphviz.
    const file = join(temporary, 'viz.mjs');
    writeFileSync(file, code);
    const scope = globalThis as unknown as { self?: unknown } & Partial<Record<string, unknown>>;
    const hadSelf = 'self' in scope;
    scope.self ??= globalThis;
    scope[GRAPHVIZ_WASM_GLOBAL] = literalValue(literal);
    try {
      const viz = (await import(pathToFileURL(file).href)) as typeof import('@viz-js/viz');
      const svg = (await viz.instance()).renderString('digraph { masha -> gradient }', { format: 'svg' });
      expect(svg).toContain('<title>masha&#45;&gt;gradient</title>');
    } finally {
      delete scope[GRAPHVIZ_WASM_GLOBAL];
      if (!hadSelf) delete scope.self;
    }
  });

  it('fails the build when viz-js embeds its WebAssembly in another way, and leaves other code alone', () => {
    const { transform } = plugin();
    const id = '/x/node_modules/@viz-js/viz/dist/viz.js';
    expect(() => transform("function binaryDecode(s){return s}binaryDecode('a');binaryDecode('b')", id)).toThrow(/found 2; has @viz-js\/viz changed/);
    expect(() => transform('function binaryDecode(s){return s}binaryDecode(bytes)', id)).toThrow(/found 0/);
    expect(transform("binaryDecode('a')", '/x/src/elsewhere.js')).toBeNull();
    expect(transform('const viz = 1;', id)).toBeNull();
  });
});

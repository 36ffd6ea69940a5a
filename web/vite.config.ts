import { fileURLToPath } from 'node:url';
import type { RollupOutput } from 'rollup';
import { build, defineConfig, type Plugin } from 'vite';
import { graphvizWasmOutside } from './graphviz-wasm-outside.js';
import { shippedLayoutsPlugin } from './shipped-layouts.js';
import { PAGE_SCRIPTS, TYPESET_WITH_KATEX_SCRIPT, WORKER_SCRIPTS, WORKER_SOURCES_GLOBAL, type WorkerSource } from './src/separate-scripts.js';

const webDir = fileURLToPath(new URL('.', import.meta.url));

/**
 * The built page must also work from file://, where Chromium refuses module scripts (their
 * origin is "null"): the bundle is one classic IIFE script, loaded with defer.
 */
function classicScript(): Plugin {
  return {
    name: 'mashagrad-classic-script',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler: (html) => html.replace(/<script type="module" crossorigin/g, '<script defer').replace(/ crossorigin(?=[ >])/g, ''),
    },
  };
}

// src/files/load-problem.ts reads files with node:fs in loadProblem; the page only calls
// parseProblem, so node:fs is replaced by a stub that says so if it is ever reached.
const alias = { 'node:fs': fileURLToPath(new URL('./src/node-fs-stub.ts', import.meta.url)) };
/** KaTeX comes in katex.js (web/src/katex-page.ts), not in the page's own script nor in problem-mode.js. */
const katexStub = { find: /^katex$/, replacement: fileURLToPath(new URL('./src/katex-stub.ts', import.meta.url)) };
const pageAlias = [...Object.entries(alias).map(([find, replacement]) => ({ find, replacement })), katexStub];

const ESCAPES: Readonly<Record<string, string>> = { '\\': '\\\\', "'": "\\'", '\n': '\\n', '\r': '\\r', '\0': '\\x00', '\u2028': '\\u2028', '\u2029': '\\u2029' };

/**
 * Code as a JavaScript string literal, escaping only what a literal cannot hold (JSON.stringify
 * would write every control character as \u00XX).
 */
function stringLiteral(code: string): string {
  return `'${code.replace(/[\\'\n\r\0\u2028\u2029]/g, (character) => ESCAPES[character]!)}'`;
}

/** import.meta.url in a worker's code (Graphviz's loader reads it): a worker has no document.currentScript. */
const workerImportMeta: Plugin = {
  name: 'mashagrad-worker-import-meta',
  resolveImportMeta: (property) => (property === 'url' ? 'self.location.href' : null),
};

/** One build of each separate script per page build, shared by the plugins that need its code. */
function scriptBuilder(): (entry: string, worker: boolean) => Promise<WorkerSource> {
  const started = new Map<string, Promise<WorkerSource>>();
  const buildScript = async (entry: string, worker: boolean): Promise<WorkerSource> => {
    let wasm: string | undefined;
    const built = await build({
      configFile: false,
      logLevel: 'error',
      resolve: { alias: TYPESET_WITH_KATEX_SCRIPT.includes(entry) ? pageAlias : alias },
      plugins: worker ? [workerImportMeta, graphvizWasmOutside((literal) => { wasm = literal; })] : [],
      build: { write: false, target: 'es2022', modulePreload: false, rollupOptions: { input: fileURLToPath(new URL(`./src/${entry}`, import.meta.url)), output: { format: 'iife', inlineDynamicImports: true } } },
    });
    const outputs = (Array.isArray(built) ? built : [built]) as RollupOutput[];
    const chunks = outputs.flatMap((result) => result.output).filter((output) => output.type === 'chunk');
    if (chunks.length !== 1) throw new Error(`${entry} built into ${chunks.length} scripts, not one`);
    // Only the graph worker takes WebAssembly as its first message (graph-worker.ts), and it must.
    if ((entry === WORKER_SCRIPTS.graph.entry) !== (wasm !== undefined)) {
      throw new Error(`${entry}: ${wasm === undefined ? "Graphviz's WebAssembly was not found in @viz-js/viz (web/graphviz-wasm-outside.ts)" : 'bundles Graphviz, which only the graph worker may'}`);
    }
    return { code: chunks[0]!.code, ...(wasm === undefined ? {} : { wasm }) };
  };
  return (entry, worker) => {
    let code = started.get(entry);
    if (code === undefined) {
      code = buildScript(entry, worker);
      started.set(entry, code);
    }
    return code;
  };
}

/**
 * Scripts built beside the page, not into it, loaded by a script element when first needed
 * (the page is one classic script, which cannot split off chunks of its own): KaTeX and the
 * model encoders as they are, each worker as its code in a string (web/src/script-worker.ts makes a
 * blob worker of it) beside the WebAssembly kept out of it, a literal as viz-js wrote it.
 */
function separateScripts(script: ReturnType<typeof scriptBuilder>): Plugin {
  return {
    name: 'mashagrad-separate-scripts',
    apply: 'build',
    async generateBundle() {
      for (const { file, entry } of PAGE_SCRIPTS) this.emitFile({ type: 'asset', fileName: file, source: (await script(entry, false)).code });
      for (const [name, { file, entry }] of Object.entries(WORKER_SCRIPTS)) {
        const { code, wasm } = await script(entry, true);
        const source = `{ code: ${stringLiteral(code)}${wasm === undefined ? '' : `, wasm: ${wasm}`} }`;
        this.emitFile({ type: 'asset', fileName: file, source: `(globalThis.${WORKER_SOURCES_GLOBAL} ??= {})[${JSON.stringify(name)}] = ${source};\n` });
      }
    },
  };
}

const script = scriptBuilder();

export default defineConfig({
  root: webDir,
  base: './',
  resolve: { alias: pageAlias },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    modulePreload: false,
    chunkSizeWarningLimit: 4096,
    rollupOptions: {
      output: { format: 'iife', inlineDynamicImports: true },
      // zod's sources carry /*@__PURE__*/ comments where Rollup cannot use them: harmless noise.
      onwarn: (warning, warn) => {
        if (warning.code === 'INVALID_ANNOTATION' && warning.id?.includes('node_modules/zod/')) return;
        warn(warning);
      },
    },
  },
  // The workers, problem mode and the safetensors/ONNX encoders load only when needed (web/src/separate-scripts.ts);
  // the first picture of a cold load ships laid out (web/shipped-layouts.ts), stamped with the graph worker's code.
  plugins: [classicScript(), separateScripts(script), shippedLayoutsPlugin(() => script(WORKER_SCRIPTS.graph.entry, true))],
  preview: { host: '127.0.0.1' },
});

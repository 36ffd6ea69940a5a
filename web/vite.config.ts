import { fileURLToPath } from 'node:url';
import type { RollupOutput } from 'rollup';
import { build, defineConfig, type Plugin } from 'vite';

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

/**
 * A script built beside the page, not into it: loaded by a script element when first needed
 * (the page is one classic script, which cannot split off chunks of its own).
 */
function separateScript(fileName: string, entry: string): Plugin {
  return {
    name: 'mashagrad-separate-script',
    apply: 'build',
    async generateBundle() {
      const built = await build({
        configFile: false,
        logLevel: 'error',
        build: { write: false, target: 'es2022', lib: { entry, formats: ['iife'], name: 'mashagradSeparateScript', fileName: () => fileName } },
      });
      const outputs = (Array.isArray(built) ? built : [built]) as RollupOutput[];
      for (const output of outputs.flatMap((result) => result.output)) {
        if (output.type === 'chunk') this.emitFile({ type: 'asset', fileName, source: output.code });
      }
    },
  };
}

export default defineConfig({
  root: webDir,
  base: './',
  resolve: {
    // src/files/load-problem.ts reads files with node:fs in loadProblem; the page only calls
    // parseProblem, so node:fs is replaced by a stub that says so if it is ever reached.
    alias: { 'node:fs': fileURLToPath(new URL('./src/node-fs-stub.ts', import.meta.url)) },
  },
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
  // The Graphviz worker loads @viz-js/viz with a dynamic import: one file per worker, as the page.
  worker: { format: 'iife', rollupOptions: { output: { inlineDynamicImports: true } } },
  // The safetensors and ONNX encoders load only when a trained network is downloaded.
  plugins: [classicScript(), separateScript('model-export.js', fileURLToPath(new URL('./src/training/model-export-script.ts', import.meta.url)))],
  preview: { host: '127.0.0.1' },
});

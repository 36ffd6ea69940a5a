import { build, type Metafile } from 'esbuild';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { OPTIONAL_PACKAGES } from '../src/optional.js';

/*
 * The package as a browser app's bundler sees it (esbuild, in-process): the core must build
 * for the browser, stay within its size budget and carry none of the problem-file machinery;
 * every browser-safe entry must reach no Node module.
 */

const root = new URL('..', import.meta.url).pathname;
const BUDGET_GZIPPED = 30_000;

/** The entries a browser may import (package.json's exports, as sources). */
const BROWSER_ENTRIES = { mashagrad: './src/index.ts', 'mashagrad/problem': './src/problem/index.ts', 'mashagrad/draw': './src/draw/index.ts', 'mashagrad/explain': './src/explain/index.ts', 'mashagrad/interop': './src/interop/index.ts' };

async function bundleForBrowser(contents: string, external: readonly string[] = []): Promise<{ code: Uint8Array; metafile: Metafile }> {
  const result = await build({
    stdin: { contents, resolveDir: root, loader: 'ts', sourcefile: 'app.ts' },
    bundle: true, platform: 'browser', format: 'esm', minify: true, write: false, metafile: true, logLevel: 'silent', external: [...external],
  });
  return { code: result.outputFiles[0]!.contents, metafile: result.metafile };
}

/** The packages whose code ended up in the bundle (not merely parsed and shaken off). */
function packagesInOutput(metafile: Metafile): Set<string> {
  const packages = new Set<string>();
  for (const output of Object.values(metafile.outputs)) {
    for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
      const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input);
      if (match !== null && bytesInOutput > 0) packages.add(match[1]!);
    }
  }
  return packages;
}

/** Every import the bundle still makes (what esbuild left external). */
function remainingImports(metafile: Metafile): string[] {
  return Object.values(metafile.outputs).flatMap((output) => output.imports.map((entry) => entry.path));
}

describe('the package in a browser bundle', () => {
  it(`tensor, grad, Sequential, Linear and Adam bundle to at most ${BUDGET_GZIPPED / 1000} kB gzipped, without zod, YAML or mathjs`, async () => {
    const { code, metafile } = await bundleForBrowser(
      "import { tensor, grad, Sequential, Linear, Adam } from './src/index.ts';\nexport const used = [tensor, grad, Sequential, Linear, Adam];",
    );
    const gzipped = gzipSync(code).length;
    expect(gzipped).toBeLessThanOrEqual(BUDGET_GZIPPED);
    // Not vacuous: the five really are in it (a tensor's class and the Adam update rule).
    expect(gzipped).toBeGreaterThan(3_000);
    const packages = packagesInOutput(metafile);
    for (const heavy of ['zod', 'yaml', 'mathjs', 'katex', '@viz-js/viz', 'vega']) expect(packages, heavy).not.toContain(heavy);
    expect(remainingImports(metafile)).toEqual([]);
  });

  it.each(Object.entries(BROWSER_ENTRIES))('%s builds for the browser and imports nothing from Node', async (_name, source) => {
    // The optional packages are the app's to bundle or leave out; everything else is followed.
    const optional = Object.keys(OPTIONAL_PACKAGES);
    const { metafile } = await bundleForBrowser(`export * from '${source}';`, optional);
    expect(remainingImports(metafile).filter((path) => !optional.includes(path))).toEqual([]);
  });

  it('the check fails when an entry reaches a Node module', async () => {
    await expect(bundleForBrowser("export { readFileSync } from 'node:fs';")).rejects.toThrow(/node:fs/);
  });

  it('the problem schema (zod) is in mashagrad/problem, not in the core', async () => {
    const core = await bundleForBrowser("export * from './src/index.ts';", Object.keys(OPTIONAL_PACKAGES));
    const problem = await bundleForBrowser("export * from './src/problem/index.ts';", Object.keys(OPTIONAL_PACKAGES));
    expect(packagesInOutput(core.metafile)).not.toContain('zod');
    expect(packagesInOutput(problem.metafile)).toContain('zod');
  });
});

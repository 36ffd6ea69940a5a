import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { OPTIONAL_PACKAGES } from '../src/optional.js';

/*
 * What `npm pack` puts in the tarball, read from npm itself: the entries package.json points
 * at, the license, and nothing that only makes sense in the repository (sources, tests, source
 * maps that point at them, build tools). Needs the built dist/ (npm run build).
 */

const root = new URL('..', import.meta.url).pathname;
const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  main: string; types: string; bin: Record<string, string>; sideEffects: unknown;
  exports: Record<string, string | Record<string, string>>;
  dependencies: Record<string, string>; optionalDependencies: Record<string, string>;
};

function packedFiles(): string[] {
  const output = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  const [pack] = JSON.parse(output) as { files: { path: string }[] }[];
  return pack!.files.map((file) => file.path);
}

/** Every file package.json names: main, types, bin and each condition of each export. */
function namedFiles(): string[] {
  const targets = Object.values(manifest.exports).flatMap((target) => (typeof target === 'string' ? [target] : Object.values(target)));
  return [manifest.main, manifest.types, ...Object.values(manifest.bin), ...targets].map((path) => path.replace(/^\.\//, ''));
}

describe('the tarball', () => {
  const files = packedFiles();

  it('holds every file package.json points at, the license and the readme', () => {
    expect(files, 'dist/ is missing: run npm run build').toContain('dist/index.js');
    for (const file of [...namedFiles(), 'LICENSE', 'README.md', 'package.json']) expect(files, file).toContain(file);
    expect(readFileSync(new URL('../LICENSE', import.meta.url), 'utf8')).toMatch(/^MIT License\n\nCopyright \(c\) \d{4} mashagrad contributors\n/);
  });

  it('holds no sources, tests, source maps or build tools of the repository', () => {
    const allowed = (file: string) => /^dist\/.*\.(js|d\.ts)$/.test(file) || /^native\/(binding\.gyp|src\/[\w-]+\.[ch])$/.test(file)
      || ['LICENSE', 'README.md', 'package.json', 'tools/native/build.mjs', 'tools/native/failure-reason.mjs'].includes(file);
    expect(files.filter((file) => !allowed(file))).toEqual([]);
    expect(files.filter((file) => /\.test\.|\.map$|^dist\/kernels\/wasm\/build\./.test(file))).toEqual([]);
  });

  it('declares no side effects, and the heavy packages as optional ones', () => {
    expect(manifest.sideEffects).toBe(false);
    const optional = Object.keys(OPTIONAL_PACKAGES);
    expect(Object.keys(manifest.optionalDependencies).sort()).toEqual([...optional].sort());
    expect(Object.keys(manifest.dependencies).filter((name) => optional.includes(name))).toEqual([]);
  });
});

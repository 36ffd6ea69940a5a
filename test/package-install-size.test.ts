import { lstatSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/*
 * The size budget of issue #15: what a consumer installs without the optional parts (pictures,
 * charts, typesetting) must stay at or under 25 MB. Measured offline from this checkout's
 * node_modules: the closure of package.json's `dependencies` (not optional, not dev), each
 * package's files on disk (the tarball's own dist/ is checked by package-files).
 */
const ROOT = join(import.meta.dirname, '..');
const BUDGET_BYTES = 25 * 1024 * 1024;

interface Manifest { dependencies?: Record<string, string>; optionalDependencies?: Record<string, string> }
const manifest = (folder: string): Manifest => JSON.parse(readFileSync(join(folder, 'package.json'), 'utf8')) as Manifest;

function folderBytes(folder: string): number {
  let total = 0;
  const pending = [folder];
  while (pending.length > 0) {
    const current = pending.pop()!;
    for (const entry of readdirSync(current)) {
      const path = join(current, entry);
      const stats = lstatSync(path);
      if (stats.isDirectory()) {
        // A package's own nested node_modules is counted when its dependencies are walked.
        if (entry !== 'node_modules') pending.push(path);
      } else total += stats.size;
    }
  }
  return total;
}

/** Where Node would find `name` from a package in `from`: its own node_modules, then upwards. */
function resolvePackage(name: string, from: string): string | undefined {
  let folder = from;
  for (;;) {
    const candidate = join(folder, 'node_modules', name);
    try { if (lstatSync(join(candidate, 'package.json')).isFile()) return candidate; } catch { /* look further up */ }
    const parent = join(folder, '..');
    if (parent === folder || !parent.startsWith(ROOT)) return undefined;
    folder = parent;
  }
}

function requiredClosure(): Map<string, number> {
  const sizes = new Map<string, number>();
  const pending: { name: string; from: string }[] = Object.keys(manifest(ROOT).dependencies ?? {}).map((name) => ({ name, from: ROOT }));
  while (pending.length > 0) {
    const { name, from } = pending.pop()!;
    const folder = resolvePackage(name, from);
    if (folder === undefined || sizes.has(folder)) continue;
    sizes.set(folder, folderBytes(folder));
    const own = manifest(folder);
    const optional = new Set(Object.keys(own.optionalDependencies ?? {}));
    for (const dependency of Object.keys(own.dependencies ?? {})) {
      if (!optional.has(dependency)) pending.push({ name: dependency, from: folder });
    }
  }
  return sizes;
}

describe('what a consumer installs without the optional parts', () => {
  it(`stays within ${BUDGET_BYTES / 1024 / 1024} MB`, () => {
    const sizes = requiredClosure();
    const total = [...sizes.values()].reduce((sum, bytes) => sum + bytes, 0);
    // Every declared dependency was found, so the sum cannot be vacuously small.
    expect(sizes.size).toBeGreaterThanOrEqual(Object.keys(manifest(ROOT).dependencies ?? {}).length);
    expect(total).toBeGreaterThan(1024 * 1024);
    expect(total).toBeLessThanOrEqual(BUDGET_BYTES);
  });
});

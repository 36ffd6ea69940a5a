import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/**
 * The folders of src/ are layers (docs/architecture.md): a file imports its own folder or a
 * folder of a LOWER layer, never one beside or above it, so there are no import cycles between
 * folders. Imports are read with the TypeScript compiler's own scanner (static, type-only,
 * re-exports and import() with a literal path), from the files as they are on disk.
 */
const LAYERS: readonly (readonly string[])[] = [
  ['errors.ts', 'escape.ts', 'by-name.ts', 'printable.ts', 'messages', 'tensor'],
  ['kernels', 'data', 'optional.ts'],
  ['ops'],
  ['autograd'],
  ['formula', 'nn', 'optim', 'compile'],
  ['trace', 'train', 'interop', 'matrix'],
  ['files'],
  ['record'],
  ['problem'],
  ['explain', 'draw'],
  ['cli', 'index.ts', 'node.ts'],
];

const SRC = fileURLToPath(new URL('../src', import.meta.url));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

/** The folder of src/ a path lies in: its first part (a file directly in src/ is its own folder). */
const folderOf = (path: string): string => relative(SRC, path).split(sep)[0] ?? path;

interface FolderImport {
  readonly from: string;
  readonly to: string;
  /** file -> imported path, both relative to src/. */
  readonly where: string;
}

/** Every import of a src/ file that crosses into another folder of src/. */
function folderImports(): FolderImport[] {
  return sourceFiles(SRC).flatMap((file) =>
    ts.preProcessFile(readFileSync(file, 'utf8'), true, true).importedFiles.flatMap(({ fileName }) => {
      if (!fileName.startsWith('.')) return [];
      const target = resolve(dirname(file), fileName);
      const from = folderOf(file);
      const to = folderOf(target.endsWith('.js') ? target.replace(/\.js$/, '.ts') : target);
      return from === to ? [] : [{ from, to, where: `${relative(SRC, file)} -> ${relative(SRC, target)}` }];
    }),
  );
}

/** The folder cycles: each strongly connected set of two or more folders (Tarjan). */
function folderCycles(imports: readonly FolderImport[]): string[][] {
  const next = new Map<string, Set<string>>();
  for (const { from, to } of imports) next.set(from, (next.get(from) ?? new Set()).add(to));
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const cycles: string[][] = [];
  const visit = (folder: string): void => {
    index.set(folder, index.size);
    low.set(folder, index.get(folder)!);
    stack.push(folder);
    for (const to of next.get(folder) ?? []) {
      if (!index.has(to)) visit(to);
      if (stack.includes(to)) low.set(folder, Math.min(low.get(folder)!, low.get(to)!));
    }
    if (low.get(folder) !== index.get(folder)) return;
    const members = stack.splice(stack.indexOf(folder));
    if (members.length > 1) cycles.push(members.sort());
  };
  for (const folder of next.keys()) if (!index.has(folder)) visit(folder);
  return cycles;
}

const layerOf = new Map(LAYERS.flatMap((folders, layer) => folders.map((folder) => [folder, layer] as const)));
/** An import into the same layer or a higher one (a folder in no layer counts as both). */
const runsUpward = ({ from, to }: FolderImport): boolean => !((layerOf.get(from) ?? -1) > (layerOf.get(to) ?? Infinity));

describe('the folders of src/ are layers', () => {
  const imports = folderImports();

  it('reads the imports (the check cannot pass on nothing)', () => {
    expect(imports.some(({ from, to }) => from === 'autograd' && to === 'ops')).toBe(true);
  });

  it('has no import cycle between folders', () => {
    const cycles = folderCycles(imports).map((folders) => {
      const inside = imports.filter(({ from, to }) => folders.includes(from) && folders.includes(to));
      const upward = inside.filter(runsUpward);
      return `${folders.join(' <-> ')}: ${(upward.length > 0 ? upward : inside).map(({ where }) => where).join('; ')}`;
    });
    expect(cycles).toEqual([]);
  });

  it('names every folder in a layer', () => {
    const folders = readdirSync(SRC).filter((name) => !name.endsWith('.test.ts'));
    expect(folders.filter((folder) => !layerOf.has(folder))).toEqual([]);
  });

  it('imports only from lower layers', () => {
    const upward = imports.filter(runsUpward);
    expect(upward.map(({ from, to, where }) => `${from} -> ${to} (${where})`)).toEqual([]);
  });
});

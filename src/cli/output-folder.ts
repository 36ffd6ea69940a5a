import { mkdirSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { InputError } from '../errors.js';

/**
 * Create the folder `--out` names, or refuse with one line saying why. The path is checked
 * first from the root down: a part that is a file (ENOTDIR, EEXIST) or a folder no one may
 * create in (/proc, /sys: Node 20's recursive mkdir spins on them) is refused before mkdir.
 */
export function prepareOutputFolder(dir: string, flag = '--out'): void {
  prepareFolder(resolve(dir), `${flag} ${dir}`);
}

/** The folder of a file `--out` names (graph's picture), prepared as above; a folder in the file's place is refused too. */
export function prepareOutputFile(file: string, flag = '--out'): void {
  const label = `${flag} ${file}`;
  prepareFolder(dirname(resolve(file)), label);
  if (statSync(file, { throwIfNoEntry: false })?.isDirectory() === true) throw new InputError(`${label}: cannot write there (it is a folder, not a file)`);
}

function prepareFolder(target: string, label: string): void {
  const refuse = (why: string): never => {
    throw new InputError(`${label}: cannot write there (${why})`);
  };
  const chain: string[] = [];
  for (let path = target; ; path = dirname(path)) {
    chain.unshift(path);
    if (dirname(path) === path) break;
  }
  for (const path of chain) {
    let stats;
    try {
      stats = statSync(path);
    } catch {
      // The first part that does not exist: its parent must be a real, writable folder.
      const parent = dirname(path);
      if (parent.startsWith('/proc') || parent.startsWith('/sys') || parent.startsWith('/dev')) refuse(`${parent} is a system folder`);
      break;
    }
    if (!stats.isDirectory()) refuse(path === target ? 'it is a file, not a folder' : `${path} is a file, not a folder`);
  }
  try {
    mkdirSync(target, { recursive: true });
  } catch (error) {
    refuse((error as NodeJS.ErrnoException).code ?? (error as Error).message);
  }
}

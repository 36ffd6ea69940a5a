import { readFileSync, statSync } from 'node:fs';
import { InputError } from '../errors.js';
import { readFileReferences } from './file-references.js';
import { parseProblem } from './load-problem.js';
import type { ProblemPlan } from './plan.js';

/* Problem files from disk (Node only); parsing a problem from text is load-problem.ts, which browsers use. */

/** The largest problem or training file read (docs/limits.md). */
export const MAX_PROBLEM_BYTES = 1_000_000;

/** Read and check a problem file (YAML or JSON); every problem is reported at once. */
export function loadProblem(file: string): ProblemPlan {
  return parseProblem(readProblemText(file), file, readFileReferences);
}

/** Read a file of ours, saying which file when it cannot be read. */
export function readProblemText(file: string): string {
  try {
    // Checked before reading: a device (/dev/zero) or a huge file is refused at once.
    const stats = statSync(file);
    if (!stats.isFile() && !stats.isDirectory()) throw new InputError(`cannot read ${file}: it is not a regular file (a device, pipe or socket)`);
    if (stats.size > MAX_PROBLEM_BYTES) {
      throw new InputError(`cannot read ${file}: it has ${stats.size.toLocaleString('en-US')} bytes; a problem or training file may have at most ${MAX_PROBLEM_BYTES.toLocaleString('en-US')} (data sets belong in IDX or CSV files)`);
    }
    return readFileSync(file, 'utf8');
  } catch (error) {
    if (error instanceof InputError) throw error;
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message;
    throw new InputError(`cannot read ${file}: ${reason}`);
  }
}

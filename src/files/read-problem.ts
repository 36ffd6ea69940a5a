import { readFileSync } from 'node:fs';
import { InputError } from '../errors.js';
import { readFileReferences } from './file-references.js';
import { parseProblem } from './load-problem.js';
import type { ProblemPlan } from './plan.js';

/* Problem files from disk (Node only); parsing a problem from text is load-problem.ts, which browsers use. */

/** Read and check a problem file (YAML or JSON); every problem is reported at once. */
export function loadProblem(file: string): ProblemPlan {
  return parseProblem(readProblemText(file), file, readFileReferences);
}

/** Read a file of ours, saying which file when it cannot be read. */
export function readProblemText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message;
    throw new InputError(`cannot read ${file}: ${reason}`);
  }
}

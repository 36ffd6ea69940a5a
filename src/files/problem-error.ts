import { InputError } from '../errors.js';

export interface Problem {
  /** Where in the file: model[2].linear.weights, or line:column for syntax errors. */
  readonly path: string;
  readonly message: string;
}

/** Everything wrong with a problem file at once, each with its path. */
export class ProblemFileError extends InputError {
  override readonly name = 'ProblemFileError';

  constructor(readonly file: string, readonly problems: readonly Problem[]) {
    const count = problems.length === 1 ? 'a problem' : `${problems.length} problems`;
    super(`${file} has ${count}:\n${problems.map((problem) => `  ${problem.path}: ${problem.message}`).join('\n')}`);
  }
}

/** model[2].linear.weights from ['model', 2, 'linear', 'weights']. */
export function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((text, key) => (typeof key === 'number' ? `${text}[${key}]` : text === '' ? String(key) : `${text}.${String(key)}`), '') || '(the file)';
}

import { FormulaError } from '../../src/index.js';
import { ProblemFileError } from '../../src/problem/index.js';
import { element } from './dom.js';
import { word, type Language } from './i18n.js';

/**
 * Bad input is shown, never thrown: a formula error underlines the spot, a problem file
 * lists every problem, anything else says its message.
 */
export function showError(target: HTMLElement, error: unknown, language: Language): void {
  target.replaceChildren(...errorContent(error, language));
  target.hidden = false;
}

export function clearError(target: HTMLElement): void {
  target.replaceChildren();
  target.hidden = true;
}

interface ComputeView {
  readonly error: HTMLElement;
  readonly results: HTMLElement;
  readonly language: Language;
  readonly changed: () => void;
}

/**
 * Compute a mode's result from its input. On bad input: show the error and mark the last good
 * results stale (they stay visible); otherwise clear the error. Either way the state changed.
 */
export function computeOrShowError<T>(compute: () => T, view: ComputeView): T | null {
  let result: T;
  try {
    result = compute();
  } catch (error) {
    showComputeError(error, view);
    return null;
  }
  clearError(view.error);
  view.results.classList.remove('stale');
  view.changed();
  return result;
}

/** Bad input found later (by a worker): the same as computeOrShowError's failure. */
export function showComputeError(error: unknown, view: ComputeView): void {
  showError(view.error, error, view.language);
  view.results.classList.add('stale');
  view.changed();
}

function errorContent(error: unknown, language: Language): Node[] {
  if (error instanceof FormulaError) {
    const { formula, index, length } = error;
    const end = Math.min(formula.length, index + Math.max(1, length));
    // Past the end (a formula that stops too soon): underline a space after it.
    const spot = index >= formula.length ? ' ' : formula.slice(index, end);
    const shown = element('pre', { class: 'formula-shown' }, formula.slice(0, index), element('mark', { class: 'error-spot' }, spot), formula.slice(end));
    const message = element('p', { class: 'error-message' }, `${word(language, 'column')} ${error.column}: ${error.reason}`);
    return [shown, message];
  }
  if (error instanceof ProblemFileError) {
    const items = error.problems.map((problem) => element('li', {}, element('code', {}, problem.path), `: ${problem.message}`));
    return [element('p', { class: 'error-message' }, word(language, 'invalidProblem')), element('ul', { class: 'problem-list' }, ...items)];
  }
  return [element('p', { class: 'error-message' }, error instanceof Error ? error.message : String(error))];
}

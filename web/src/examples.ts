// The sheet's exercises, read from examples/ when the page is built.
import type { Language } from '../../src/explain/index.js';
import { parseProblem } from '../../src/problem/index.js';
import exercise1 from '../../examples/exercise-1.yaml?raw';
import exercise2 from '../../examples/exercise-2.yaml?raw';
import exercise4Classification from '../../examples/exercise-4-classification.yaml?raw';
import exercise4Regression from '../../examples/exercise-4-regression.yaml?raw';
import exercise5Symbolic from '../../examples/exercise-5-symbolic.yaml?raw';

export interface Example {
  readonly name: string;
  readonly text: string;
}

export const EXAMPLES: readonly Example[] = [
  { name: 'exercise-1', text: exercise1 },
  { name: 'exercise-2', text: exercise2 },
  { name: 'exercise-4-regression', text: exercise4Regression },
  { name: 'exercise-4-classification', text: exercise4Classification },
  { name: 'exercise-5-symbolic', text: exercise5Symbolic },
];

/** An example's title in a language, as its problem file gives it. */
export function exampleTitle(example: Example, language: Language): string {
  const plan = parseProblem(example.text, example.name);
  return plan.titles?.[language] ?? plan.title;
}

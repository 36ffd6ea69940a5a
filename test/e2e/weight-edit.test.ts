import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseProblem } from '../../src/files/load-problem.js';
import { solvePlan } from '../../src/problem/solve.js';
import type { NetworkTrace } from '../../src/trace/types.js';
import { withWeight } from '../../web/src/weight-edit.js';
import { ROOT } from './browser.js';

// Problem mode's weight boxes rewrite the problem text: one number changes, nothing else.
function solved(text: string): NetworkTrace {
  const trace = solvePlan(parseProblem(text));
  if (trace.kind !== 'network') throw new Error('expected a network problem');
  return trace;
}

describe('editing a starting weight', () => {
  it('exercise 4: W₁[1, 1] = 2 changes those characters only', () => {
    const text = readFileSync(join(ROOT, 'examples/exercise-4-regression.yaml'), 'utf8');
    const edited = withWeight(text, solved(text).initialParams, { name: '0.weight', index: [0, 0] }, 2);
    expect(edited).toBe(text.replace('weights: [[1, -1], [0.5, 0]]', 'weights: [[2, -1], [0.5, 0]]'));
  });

  it('exercise 2: a bias, b₃ = −0.5', () => {
    const text = readFileSync(join(ROOT, 'examples/exercise-2.yaml'), 'utf8');
    const edited = withWeight(text, solved(text).initialParams, { name: '4.bias', index: [0] }, -0.5);
    expect(solved(edited).initialParams['4.bias']).toEqual([-0.5]);
    expect(solved(edited).initialParams['0.bias']).toEqual([0]);
  });

  it('weights from an initialiser are written out as numbers, this one changed, the others as they were', () => {
    const text = 'model:\n  - linear: { in: 2, out: 2, init: uniform, value: 1, seed: 3 }\n  - relu\n  - linear: { in: 2, out: 1, init: xavier }\nloss: mse\ndata: { x: [[1, 2]], y: [[0]] }\ntrain: { optimizer: sgd, lr: 1 }\n';
    const before = solved(text).initialParams;
    const after = solved(withWeight(text, before, { name: '0.weight', index: [1, 0] }, 7)).initialParams;
    const expected = (before['0.weight'] as number[][]).map((row) => [...row]);
    expected[1]![0] = 7;
    expect(after['0.weight']).toEqual(expected);
    expect(after['2.weight']).toEqual(before['2.weight']);
  });
});

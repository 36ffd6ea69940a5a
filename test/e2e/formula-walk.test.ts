import { describe, expect, it } from 'vitest';
import { traceExpression } from '../../src/record/expression.js';
import { walkCaption, walkProgress, walkSteps, type WalkWords } from '../../web/src/formula-walk.js';

// Formula mode's walk through the passes, without the browser: its order and its sums.
const words: WalkWords = { forward: 'forward', backward: 'backward', seed: 'seed', soFar: 'so far', complete: 'all in:', done: 'done' };

describe('the walk through the forward and backward passes', () => {
  const trace = traceExpression('x^2 + x*y + (x+y)^2', { x: 1, y: 2 });
  const steps = walkSteps(trace);

  it('exercise 1: 8 nodes forward, the seed, each of the 10 edges once, then done', () => {
    expect(steps.map((step) => step.phase)).toEqual([...Array<string>(8).fill('forward'), 'seed', ...Array<string>(10).fill('backward'), 'done']);
    const edges = steps.flatMap((step) => (step.phase === 'backward' ? [step.edgeIndex] : []));
    expect([...edges].sort((a, b) => a - b)).toEqual(trace.edges.map((_, k) => k));
  });

  it('a node passes its gradient down only after every node that uses it has passed its own', () => {
    const passed: string[] = [];
    for (const step of steps) {
      if (step.phase !== 'backward') continue;
      const users = trace.edges.filter((edge) => edge.from === step.edge.to).map((edge) => `${edge.from}->${edge.to}`);
      for (const user of users) expect(passed).toContain(user);
      passed.push(`${step.edge.from}->${step.edge.to}`);
    }
  });

  it('the contributions add up to the gradients the trace recorded: ∂f/∂x = 10, ∂f/∂y = 7', () => {
    const last = new Map<string, number>();
    for (const step of steps) if (step.phase === 'backward' && step.complete) last.set(step.edge.from, step.accumulated);
    for (const node of trace.nodes.slice(0, -1)) expect(last.get(node.id)).toBeCloseTo(node.grad, 12);
    expect(last.get('x')).toBe(10);
    expect(last.get('y')).toBe(7);
  });

  it('captions: c = x + y = 1 + 2 = 3 forward; ∂f/∂c += ∂f/∂e · ∂e/∂c = 1 · 6 = 6 backward', () => {
    const forwardC = steps.find((step) => step.phase === 'forward' && step.node.id === 'c')!;
    expect(walkCaption(trace, forwardC, words).head).toBe('forward: c = x + y = 1 + 2 = 3');
    const intoC = steps.find((step) => step.phase === 'backward' && step.edge.from === 'c')!;
    expect(walkCaption(trace, intoC, words)).toEqual({ head: 'backward: ∂f/∂c += ∂f/∂e · ∂e/∂c = 1 · 6 = 6', detail: '∂e/∂c = 2c = 2·3 = 6; all in: ∂f/∂c = 6' });
    expect(walkCaption(trace, steps.at(-1), words).head).toBe('done: ∂f/∂x = 10, ∂f/∂y = 7');
  });

  it('after 12 steps (the edge c → e passed back): every node computed; f, e, d and c have their whole gradient', () => {
    const progress = walkProgress(steps, 12);
    expect([...progress.computed]).toEqual(['x', 'y', 'a', 'b', 'c', 'd', 'e', 'f']);
    expect([...progress.gradientsComplete].sort()).toEqual(['c', 'd', 'e', 'f']);
    expect(progress.passedEdges.size).toBe(3);
  });

  it('x·x: two edges join x and a, and both contributions are added (∂a/∂x = 3 + 3 at x = 3)', () => {
    const square = traceExpression('x*x', { x: 3 });
    const backward = walkSteps(square).filter((step) => step.phase === 'backward');
    expect(backward.map((step) => [step.edgeIndex, step.contribution, step.accumulated, step.complete])).toEqual([[0, 3, 3, false], [1, 3, 6, true]]);
  });
});

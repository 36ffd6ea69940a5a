import { describe, expect, it } from 'vitest';
import { tensorAlgebra } from '../src/autograd/apply.js';
import { tensor } from '../src/autograd/create.js';
import type { Tensor } from '../src/autograd/tensor.js';
import { createOptimizer, OPTIMIZER_NAMES, type OptimizerName } from '../src/optim/create.js';
import { updateRule } from '../src/optim/update-rule.js';
import { ruleText, UpdateRecorder } from '../src/record/update.js';
import { Random } from '../src/tensor/random.js';

/**
 * Each optimizer's update is declared once (src/optim/update-rule.ts); its loop or kernel is the
 * fast form. Three steps of each optimizer, with and without weight decay, must give what the
 * declaration gives when its formulas run on tensors.
 */
const SETTINGS = { lr: 0.05, momentum: 0.8, betas: [0.85, 0.99] as const, eps: 1e-6, alpha: 0.9 };

function declaredSteps(name: OptimizerName, decay: number, start: number[], gradients: number[][]): number[] {
  const rule = updateRule(name, decay !== 0);
  const optimizer = createOptimizer([tensor([0])], { optimizer: name, ...SETTINGS, weightDecay: decay });
  const hyper = optimizer.hyperparameters();
  let weights: Tensor = tensor(start);
  const states = new Map<string, Tensor>(rule.state.map((state) => [state, tensor(start.map(() => 0))]));
  gradients.forEach((gradient, step) => {
    const values = new Map<string, Tensor>([['W', weights], ['dL_dW', tensor(gradient)], ['t', tensor(step + 1)], ...states]);
    for (const [key, value] of Object.entries(hyper) as [string, number | undefined][]) if (value !== undefined) values.set(key, tensor(value));
    for (const line of rule.lines) {
      const value = line.formula(tensorAlgebra, (key) => values.get(key)!);
      values.set(line.target, value);
      if (rule.state.includes(line.target)) states.set(line.target, value);
    }
    weights = values.get('W')!;
  });
  return [...weights.data];
}

describe('the optimizers do what their declared update rule says', () => {
  const random = new Random(7);
  const start = Array.from({ length: 5 }, () => random.normal());
  const gradients = Array.from({ length: 3 }, () => start.map(() => random.normal()));
  for (const name of OPTIMIZER_NAMES) {
    for (const decay of [0, 0.1]) {
      it(`${name}${decay === 0 ? '' : ' with weight decay'}: three steps agree with the declaration`, () => {
        const parameter = tensor(start);
        const optimizer = createOptimizer([parameter], { optimizer: name, ...SETTINGS, weightDecay: decay });
        for (const gradient of gradients) optimizer.stepWith([Float64Array.from(gradient)]);
        const declared = declaredSteps(name, decay, start, gradients);
        [...parameter.data].forEach((value, i) => expect(value).toBeCloseTo(declared[i]!, 12));
        // The step moved the weights: the comparison is not between two untouched copies.
        expect([...parameter.data]).not.toEqual(start);
      });
    }
  }

  it('a wrong declaration would be caught: plain SGD read as momentum disagrees', () => {
    const parameter = tensor(start);
    const optimizer = createOptimizer([parameter], { optimizer: 'momentum', ...SETTINGS });
    for (const gradient of gradients) optimizer.stepWith([Float64Array.from(gradient)]);
    const declared = declaredSteps('sgd', 0, start, gradients);
    expect(Math.max(...[...parameter.data].map((value, i) => Math.abs(value - declared[i]!)))).toBeGreaterThan(1e-3);
  });

  it('the rule as printed: momentum writes the velocity first, then the parameter', () => {
    expect(ruleText(updateRule('momentum', false)).pretty).toBe('v ← μ·v + ∂L/∂W;  W ← W − γ·v');
    expect(ruleText(updateRule('sgd', true)).pretty).toBe('g = ∂L/∂W + λ·W;  W ← W − γ·g');
  });

  it('the recorder writes the velocity with numbers: v ← μv + ∂L/∂W = 0.9·… + … = …, then W', () => {
    const recorder = new UpdateRecorder(updateRule('momentum', false));
    const hyper = { gamma: 0.1, mu: 0.9 };
    recorder.record('0.weight', 'W1', 1, [[1], [2]], [[6], [-0.5]], [[0.4], [2.05]], hyper);
    const lines = recorder.record('0.weight', 'W1', 2, [[0.4], [2.05]], [[1], [1]], [[-0.04], [2.005]], hyper);
    expect(lines.map((line) => `${line.target.pretty} ${line.assigns ? '←' : '='} ${line.formula.pretty} = ${line.substituted.pretty}`)).toEqual([
      'v_W₁ ← μ·v_W₁ + ∂L/∂W₁ = 0.9·[[6], [−0.5]] + [[1], [1]]',
      'W₁ ← W₁ − γ·v_W₁ = [[0.4], [2.05]] − 0.1·[[6.4], [0.55]]',
    ]);
    expect(lines[0]!.result).toEqual([[6.4], [0.55]]);
  });
});

import { describe, expect, it } from 'vitest';
import { tensor } from '../src/autograd/create.js';
import { createOptimizer, OPTIMIZER_NAMES } from '../src/optim/create.js';
import { parseProblem, ProblemFileError, solvePlan } from '../src/problem/index.js';
import { Random } from '../src/tensor/random.js';

/**
 * An optimizer's memory (steps taken, momentum or moments) can be saved and loaded, and a problem
 * file's `train.state` starts its step from it: the playground explains a step in the middle of
 * training with the optimizer's real state, not a fresh one.
 */
const SETTINGS = { lr: 0.05, momentum: 0.8, betas: [0.85, 0.99] as const, eps: 1e-6, alpha: 0.9 };
const random = new Random(11);
const start = Array.from({ length: 4 }, () => random.normal());
const gradients = Array.from({ length: 3 }, () => Float64Array.from(start, () => random.normal()));

describe('saveState / loadState', () => {
  for (const name of OPTIMIZER_NAMES) {
    it(`${name}: two steps, the state carried into a fresh optimizer, a third step: the same weights as three steps in one`, () => {
      const whole = tensor(start);
      const one = createOptimizer([whole], { optimizer: name, ...SETTINGS });
      for (const gradient of gradients) one.stepWith([gradient]);

      const parameter = tensor(start);
      const first = createOptimizer([parameter], { optimizer: name, ...SETTINGS });
      first.stepWith([gradients[0]!]);
      first.stepWith([gradients[1]!]);
      const saved = first.saveState();
      // Every state the rule names is kept for the parameter (a rule and a class that disagree on names would lose it).
      expect([...saved.buffers.keys()]).toEqual([...first.rule.state]);
      for (const buffers of saved.buffers.values()) expect(buffers[0]).toBeInstanceOf(Float64Array);
      const second = createOptimizer([parameter], { optimizer: name, ...SETTINGS });
      second.loadState(saved);
      second.stepWith([gradients[2]!]);
      expect([...parameter.data]).toEqual([...whole.data]);

      // Without the state the third step differs for every optimizer that keeps one.
      const fresh = tensor(start);
      const afresh = createOptimizer([fresh], { optimizer: name, ...SETTINGS });
      afresh.stepWith([gradients[0]!]);
      afresh.stepWith([gradients[1]!]);
      const restarted = createOptimizer([fresh], { optimizer: name, ...SETTINGS });
      restarted.stepWith([gradients[2]!]);
      if (first.rule.state.length > 0) expect([...fresh.data]).not.toEqual([...whole.data]);
    });
  }
});

const network = (train: object): string => JSON.stringify({
  model: [{ linear: { weights: [[0.5], [-0.25]], bias: [0.1] } }, 'sigmoid'],
  loss: 'logloss',
  data: { x: [[1, 2], [0.5, -1]], y: [[1], [0]] },
  train,
});

describe('train.state in a problem file', () => {
  it('Adam\'s step from a saved state: the weights after it are the optimizer\'s own third step, its moments and t go on', () => {
    const fresh = solvePlan(parseProblem(network({ optimizer: 'adam', lr: 0.1 })));
    if (fresh.kind !== 'network') throw new Error('expected a network problem');
    const flat = (values: unknown) => Float64Array.from((values as number[] | number[][]).flat());
    const weight = tensor([[0.5], [-0.25]]);
    const bias = tensor([0.1]);
    const adam = createOptimizer([weight, bias], { optimizer: 'adam', lr: 0.1 });
    // Two steps by hand (on the first step's gradient), then the file's step from the saved state.
    const g = [flat(fresh.steps[0]!.grads['0.weight']), flat(fresh.steps[0]!.grads['0.bias'])];
    adam.stepWith(g);
    adam.stepWith(g);
    const saved = adam.saveState();
    const column = (values: Float64Array) => [...values].map((value) => [value]);
    const m = saved.buffers.get('m')!;
    const v = saved.buffers.get('v')!;
    const state = { steps: 2, parameters: [{ parameter: '0.weight', m: column(m[0]!), v: column(v[0]!) }, { parameter: '0.bias', m: [...m[1]!], v: [...v[1]!] }] };
    const file = JSON.parse(network({ optimizer: 'adam', lr: 0.1, state })) as { model: unknown[] };
    file.model[0] = { linear: { weights: column(weight.data as Float64Array), bias: [...bias.data] } };
    const solved = solvePlan(parseProblem(JSON.stringify(file)));
    if (solved.kind !== 'network') throw new Error('expected a network problem');
    const gradient = [flat(solved.steps[0]!.grads['0.weight']), flat(solved.steps[0]!.grads['0.bias'])];
    adam.stepWith(gradient);
    expect(flat(solved.params['0.weight'])).toEqual(Float64Array.from(weight.data));
    expect(flat(solved.params['0.bias'])).toEqual(Float64Array.from(bias.data));
    // The worked lines: m from the saved m, and m̂ = m/(1 − β₁³) — the third step, not the first.
    const lines = solved.steps[0]!.layers[0]!.worked.updates['0.bias']!;
    const mNext = 0.9 * m[1]![0]! + 0.1 * gradient[1]![0]!;
    expect(flat(lines.find((line) => line.target.pretty.startsWith('m'))!.result)[0]).toBeCloseTo(mNext, 14);
    expect(flat(lines.find((line) => line.target.pretty.startsWith('m̂'))!.result)[0]).toBeCloseTo(mNext / (1 - 0.9 ** 3), 12);
  });

  it('a wrong state is refused with its path: an unknown parameter, a state the optimizer does not keep, a wrong shape', () => {
    const refused = (state: object, optimizer = 'adam') => {
      try {
        parseProblem(network({ optimizer, lr: 0.1, state }));
      } catch (error) {
        if (error instanceof ProblemFileError) return error.problems.map((problem) => problem.path);
        throw error;
      }
      return [];
    };
    expect(refused({ steps: 1, parameters: [{ parameter: '7.weight', m: [1] }] })).toEqual(['train.state.parameters[0].parameter']);
    expect(refused({ steps: 1, parameters: [{ parameter: '0.bias', s: [1] }] })).toEqual(['train.state.parameters[0].s']);
    expect(refused({ steps: 1, parameters: [{ parameter: '0.bias', v: [1] }] }, 'sgd')).toEqual(['train.state.parameters[0].v']);
    expect(refused({ steps: 1, parameters: [{ parameter: '0.weight', m: [1, 2, 3] }] })).toEqual(['train.state.parameters[0].m']);
    expect(refused({ steps: -1 })).toEqual(['train.state.steps']);
    expect(refused({ steps: 1, parameters: [{ parameter: '0.weight', m: [[1], [2]] }] })).toEqual([]);
  });

  it('lr = 0 is a step that learns nothing (the playground explains such a step): the weights stay', () => {
    const solved = solvePlan(parseProblem(network({ optimizer: 'sgd', lr: 0 })));
    if (solved.kind !== 'network') throw new Error('expected a network problem');
    expect(solved.params).toEqual(solved.initialParams);
    expect(() => parseProblem(network({ optimizer: 'sgd', lr: -0.1 }))).toThrow(ProblemFileError);
  });
});

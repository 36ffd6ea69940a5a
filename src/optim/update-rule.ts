import type { Algebra } from '../ops/algebra.js';
import type { OptimizerName } from './create.js';

/**
 * Each optimizer's update, declared once as formulas over its state, written over `Algebra<T>`
 * like the registry's vjp rules: run on symbols it is the rule the worked solutions print, run
 * on tensors it gives the numbers they print. The optimizers' loops and kernels (sgd.ts,
 * adaptive.ts) are the fast form of the same rule; test/update-rule.test.ts proves that they
 * agree with this declaration for every optimizer, with and without weight decay.
 *
 * Names: `W` the parameter, `dL_dW` its gradient, `g` the gradient with weight decay added;
 * the states `v` (velocity, or second moment), `m` (first moment), `s` (sum of squares);
 * `mhat`, `vhat` Adam's bias-corrected moments; hyperparameters `gamma` (learning rate),
 * `mu`, `beta1`, `beta2`, `alpha`, `eps`, `lambda` (weight decay) and `t` (the step, from 1).
 */
export interface UpdateLine {
  /** What the line computes: `W`, a state, or an intermediate (`g`, `mhat`). */
  readonly target: string;
  readonly formula: <T>(algebra: Algebra<T>, get: (name: string) => T) => T;
}

export interface UpdateRule {
  /** The states the optimizer remembers between steps, each zero before the first step. */
  readonly state: readonly string[];
  /** The lines in order; the last one computes `W`. */
  readonly lines: readonly UpdateLine[];
}

/** The hyperparameters of a rule, by the names its formulas read. */
export interface UpdateHyperparameters {
  readonly gamma: number;
  readonly mu?: number;
  readonly beta1?: number;
  readonly beta2?: number;
  readonly alpha?: number;
  readonly eps?: number;
  readonly lambda?: number;
}

const line = (target: string, formula: UpdateLine['formula']): UpdateLine => ({ target, formula });

/** γ·x/(√s + ε): the adaptive optimizers' step. */
const adaptiveStep = <T>(A: Algebra<T>, get: (name: string) => T, numerator: T, root: string): T =>
  A.sub(get('W'), A.div(A.mul(get('gamma'), numerator), A.add(A.sqrt(get(root)), get('eps'))));

/** 1 − βᵗ: Adam's bias correction. */
const correction = <T>(A: Algebra<T>, get: (name: string) => T, beta: string): T =>
  A.sub(A.constant(1, get(beta)), A.pow(get(beta), get('t')));

/** The update rule of an optimizer as PyTorch defines it; `decay` adds g = ∂L/∂W + λW first. */
export function updateRule(optimizer: OptimizerName, decay: boolean): UpdateRule {
  // Without weight decay the rule reads the gradient itself, as the sheet writes it.
  const g = decay ? 'g' : 'dL_dW';
  const decayLines = decay ? [line('g', (A, get) => A.add(get('dL_dW'), A.mul(get('lambda'), get('W'))))] : [];
  const one = <T>(A: Algebra<T>, like: T) => A.constant(1, like);
  switch (optimizer) {
    case 'sgd':
      return { state: [], lines: [...decayLines, line('W', (A, get) => A.sub(get('W'), A.mul(get('gamma'), get(g))))] };
    case 'momentum':
    case 'nesterov':
      return {
        state: ['v'],
        lines: [
          ...decayLines,
          // PyTorch starts the velocity at the first gradient: μ·0 + g.
          line('v', (A, get) => A.add(A.mul(get('mu'), get('v')), get(g))),
          optimizer === 'momentum'
            ? line('W', (A, get) => A.sub(get('W'), A.mul(get('gamma'), get('v'))))
            : line('W', (A, get) => A.sub(get('W'), A.mul(get('gamma'), A.add(get(g), A.mul(get('mu'), get('v')))))),
        ],
      };
    case 'adam':
      return {
        state: ['m', 'v'],
        lines: [
          ...decayLines,
          line('m', (A, get) => A.add(A.mul(get('beta1'), get('m')), A.mul(A.sub(one(A, get('beta1')), get('beta1')), get(g)))),
          line('v', (A, get) => A.add(A.mul(get('beta2'), get('v')), A.mul(A.sub(one(A, get('beta2')), get('beta2')), A.pow(get(g), A.constant(2, get(g)))))),
          line('mhat', (A, get) => A.div(get('m'), correction(A, get, 'beta1'))),
          line('vhat', (A, get) => A.div(get('v'), correction(A, get, 'beta2'))),
          line('W', (A, get) => adaptiveStep(A, get, get('mhat'), 'vhat')),
        ],
      };
    case 'rmsprop':
      return {
        state: ['v'],
        lines: [
          ...decayLines,
          line('v', (A, get) => A.add(A.mul(get('alpha'), get('v')), A.mul(A.sub(one(A, get('alpha')), get('alpha')), A.pow(get(g), A.constant(2, get(g)))))),
          line('W', (A, get) => adaptiveStep(A, get, get(g), 'v')),
        ],
      };
    case 'adagrad':
      return {
        state: ['s'],
        lines: [...decayLines, line('s', (A, get) => A.add(get('s'), A.pow(get(g), A.constant(2, get(g))))), line('W', (A, get) => adaptiveStep(A, get, get(g), 's'))],
      };
  }
}

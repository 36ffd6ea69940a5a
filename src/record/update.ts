import { tensor } from '../autograd/create.js';
import type { Tensor } from '../autograd/tensor.js';
import { evaluateSym } from '../formula/evaluate.js';
import { formulaText, type FormulaText } from '../formula/formula-text.js';
import { matrixVar, symbolicAlgebra, symNames, symVar, type Sym } from '../formula/symbolic.js';
import type { Values } from '../formula/values-text.js';
import { substitutedText } from './printed-digits.js';
import { latexName, prettyName } from '../formula/write.js';
import type { UpdateHyperparameters, UpdateRule } from '../optim/update-rule.js';
import type { UpdateWorked } from '../trace/types.js';

/** The rule's scalar names: hyperparameters and the step t. The rest are matrices. */
const SCALARS: Readonly<Record<string, { readonly pretty: string; readonly latex: string }>> = {
  gamma: { pretty: 'γ', latex: '\\gamma' },
  mu: { pretty: 'μ', latex: '\\mu' },
  beta1: { pretty: 'β₁', latex: '\\beta_1' },
  beta2: { pretty: 'β₂', latex: '\\beta_2' },
  alpha: { pretty: 'α', latex: '\\alpha' },
  eps: { pretty: 'ε', latex: '\\varepsilon' },
  lambda: { pretty: 'λ', latex: '\\lambda' },
  t: { pretty: 't', latex: 't' },
};

const HATS: Readonly<Record<string, { readonly pretty: string; readonly latex: string }>> = {
  mhat: { pretty: 'm̂', latex: '\\hat{m}' },
  vhat: { pretty: 'v̂', latex: '\\hat{v}' },
};

/**
 * How a name of the rule is written for one parameter: W → W₁, dL_dW → ∂L/∂W₁, and a state or
 * intermediate gets the parameter as its index (v_W₁), since every parameter has its own.
 * Without a parameter (the optimizer's rule in general) the names stay W, ∂L/∂W, v.
 */
function written(name: string, parameter: string | undefined): { pretty: string; latex: string } {
  const scalar = SCALARS[name];
  if (scalar !== undefined) return scalar;
  if (parameter === undefined) return writtenFor(name, undefined);
  return writtenFor(name, { pretty: prettyName(parameter), latex: latexName(parameter) });
}

/** A name of the rule for a parameter already written (W₁): v → v_W₁, mhat → m̂_W₁. */
export function writtenFor(name: string, parameter: { pretty: string; latex: string } | undefined): { pretty: string; latex: string } {
  const scalar = SCALARS[name];
  if (scalar !== undefined) return scalar;
  const p = parameter ?? { pretty: 'W', latex: 'W' };
  if (name === 'W') return p;
  if (name === 'dL_dW') return { pretty: `∂L/∂${p.pretty}`, latex: `\\frac{\\partial L}{\\partial ${p.latex}}` };
  const base = HATS[name] ?? { pretty: name, latex: name };
  return parameter === undefined ? base : { pretty: `${base.pretty}_${p.pretty}`, latex: `${base.latex}_{${p.latex}}` };
}

/** A hyperparameter's symbol: gamma → γ, beta1 → β₁. */
export const hyperparameterSymbol = (name: string): { pretty: string; latex: string } => SCALARS[name] ?? { pretty: name, latex: name };

/** Each line of the rule as symbols: a formula over matrices named as in the rule. */
function symbolicLines(rule: UpdateRule): { target: string; formula: Sym }[] {
  const get = (name: string): Sym => (SCALARS[name] !== undefined ? symVar(name) : matrixVar(name));
  return rule.lines.map((line) => ({ target: line.target, formula: line.formula(symbolicAlgebra, get) }));
}


/** The rule's lines for one parameter, with its names (W₁ ← W₁ − γ·∂L/∂W₁), without numbers. */
export function parameterRuleLines(rule: UpdateRule, parameter: string): { target: FormulaText; formula: FormulaText }[] {
  return symbolicLines(rule).map(({ target, formula }) => ({
    target: formulaText(symVar(target), new Map([[target, written(target, parameter)]])),
    formula: formulaText(formula, new Map([...symNames(formula)].map((name) => [name, written(name, parameter)]))),
  }));
}

/** The rule for people, with the general names: `v ← μv + ∂L/∂W;  W ← W − γv`. */
export function ruleText(rule: UpdateRule): { pretty: string; latex: string } {
  const lines = symbolicLines(rule).map(({ target, formula }) => {
    const substitute = new Map([...symNames(formula)].map((name) => [name, written(name, undefined)]));
    const text = formulaText(formula, substitute);
    const arrow = target === 'W' || rule.state.includes(target);
    const name = written(target, undefined);
    return { pretty: `${name.pretty} ${arrow ? '←' : '='} ${text.pretty}`, latex: `${name.latex} ${arrow ? '\\leftarrow' : '='} ${text.latex}` };
  });
  return { pretty: lines.map((line) => line.pretty).join(';  '), latex: lines.map((line) => line.latex).join(';\\; ') };
}

/** The hyperparameters the rule's formulas read, with their numbers (μ only with momentum, λ only with weight decay). */
export function ruleHyperparameters(rule: UpdateRule, hyper: UpdateHyperparameters): Record<string, number> {
  const used = new Set(symbolicLines(rule).flatMap(({ formula }) => [...symNames(formula)]));
  return Object.fromEntries((Object.entries(hyper) as [string, number | undefined][]).filter((entry): entry is [string, number] => used.has(entry[0]) && entry[1] !== undefined));
}

/**
 * Writes each parameter's update with this step's numbers, line by line as its optimizer's rule
 * declares it: the state's update (v ← μv + ∂L/∂W = 0.9·… + … = …), then the parameter's. It
 * keeps each parameter's state between steps by evaluating the same formulas on tensors.
 */
export class UpdateRecorder {
  readonly #lines: { target: string; formula: Sym }[];
  readonly #states = new Map<string, Map<string, Tensor>>();

  constructor(private readonly rule: UpdateRule) {
    this.#lines = symbolicLines(rule);
  }

  /** Start a parameter's state from given numbers (a file's `train.state`) instead of zero. */
  start(key: string, state: string, values: Values): void {
    const states = this.#states.get(key) ?? new Map<string, Tensor>();
    this.#states.set(key, states);
    states.set(state, tensor(values));
  }

  /**
   * The worked lines of one parameter's update at step t (counted from 1). The last line's
   * result is the optimizer's own (`after`), which the rule's evaluation reproduces.
   */
  record(key: string, parameter: string, t: number, before: Values, gradient: Values, after: Values, hyper: UpdateHyperparameters): UpdateWorked[] {
    const states = this.#states.get(key) ?? new Map<string, Tensor>();
    this.#states.set(key, states);
    const weights = tensor(before);
    const values = new Map<string, Tensor>([['W', weights], ['dL_dW', tensor(gradient)], ['t', tensor(t)]]);
    for (const [name, value] of Object.entries(hyper) as [string, number | undefined][]) if (value !== undefined) values.set(name, tensor(value));
    for (const state of this.rule.state) values.set(state, states.get(state) ?? weights.mul(0));
    return this.#lines.map(({ target, formula }) => {
      const used = [...symNames(formula)];
      const symbols = new Map(used.map((name) => [name, written(name, parameter)]));
      const value = evaluateSym(formula, values);
      const result = target === 'W' ? after : value.toArray();
      // The numbers read before the line's own target is replaced: W₁ ← W₁ − … reads the old W₁.
      const substituted = substitutedText(formula, new Map(used.map((name) => [name, values.get(name)!.toArray()])), result);
      values.set(target, value);
      if (this.rule.state.includes(target)) states.set(target, value);
      const text: FormulaText = formulaText(formula, symbols);
      return {
        target: formulaText(symVar(target), new Map([[target, written(target, parameter)]])),
        assigns: target === 'W' || this.rule.state.includes(target),
        formula: text,
        substituted,
        result,
      };
    });
  }
}

import { diagnosticText } from '../src/trace/diagnostic.js';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { parseProblem } from '../src/files/load-problem.js';
import { loadProblem } from '../src/files/read-problem.js';
import { solvePlan } from '../src/problem/solve.js';
import type { NetworkTrace, Values } from '../src/trace/types.js';

/**
 * Whole training runs against PyTorch (float64): test/fixtures/networks.json, written by
 * tools/fixtures/networks.py (`/usr/bin/python3 tools/fixtures/networks.py`). Each case is a
 * problem file's content plus every number PyTorch computed for it; the problem goes through
 * the public path (problem text → parseProblem → solvePlan) and every recorded number must
 * agree to 1e-10, relative and absolute.
 */

interface LayerRecord {
  index: number;
  kind: string;
  input: Values;
  output: Values;
  gradOutput: Values;
  gradInput: Values;
}
interface StepRecord {
  step: number;
  epoch: number;
  observations: number[];
  x: Values;
  y: Values;
  prediction: Values;
  /** The loss on the probabilities (BCELoss, −Σ y·ln p / n, MSELoss…). */
  loss: number;
  /** The same loss from the logits (BCEWithLogitsLoss, CrossEntropyLoss) when the loss is fused. */
  lossFromLogits?: number;
  gradPrediction: Values;
  layers: LayerRecord[];
  grads: Record<string, Values>;
  paramsBefore: Record<string, Values>;
  params: Record<string, Values>;
  fused?: { activation: number; gradLogits: Values };
}
interface NetworkCase {
  name: string;
  /** The example file this case reproduces, if any. */
  note: string;
  problem: Record<string, unknown> & { loss: string };
  initialParams: Record<string, Values>;
  steps: StepRecord[];
  params: Record<string, Values>;
}
interface NetworksFixture { torch: string; dtype: string; cases: NetworkCase[] }

const fixture = JSON.parse(readFileSync(new URL('fixtures/networks.json', import.meta.url), 'utf8')) as NetworksFixture;
const TOLERANCE = 1e-10;

/** Every place where `actual` differs from `expected` by more than 1e-10·(1 + |expected|). */
function mismatches(actual: unknown, expected: unknown, path: string, out: string[] = []): string[] {
  if (typeof expected === 'number') {
    if (typeof actual !== 'number' || !(Math.abs(actual - expected) <= TOLERANCE + TOLERANCE * Math.abs(expected))) {
      out.push(`${path}: got ${JSON.stringify(actual)}, PyTorch ${expected}`);
    }
    return out;
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual) || actual.length !== expected.length) {
      out.push(`${path}: got ${JSON.stringify(actual)}, PyTorch ${JSON.stringify(expected)}`);
      return out;
    }
    expected.forEach((value, i) => mismatches(actual[i], value, `${path}[${i}]`, out));
    return out;
  }
  if (typeof expected === 'object' && expected !== null) {
    if (typeof actual !== 'object' || actual === null || Array.isArray(actual)) {
      out.push(`${path}: got ${JSON.stringify(actual)}, expected an object`);
      return out;
    }
    const keys = Object.keys(expected).sort();
    const actualKeys = Object.keys(actual).sort();
    if (keys.join() !== actualKeys.join()) out.push(`${path}: keys ${actualKeys.join(', ')}, PyTorch ${keys.join(', ')}`);
    for (const key of keys) mismatches((actual as Record<string, unknown>)[key], (expected as Record<string, unknown>)[key], `${path}.${key}`, out);
    return out;
  }
  if (actual !== expected) out.push(`${path}: got ${JSON.stringify(actual)}, expected ${JSON.stringify(expected)}`);
  return out;
}

function solveText(text: string, file: string): NetworkTrace {
  const trace = solvePlan(parseProblem(text, file));
  if (trace.kind !== 'network') throw new Error(`${file}: expected a network trace, got ${trace.kind}`);
  return trace;
}

/** Every number of the trace that PyTorch recorded, as a list of differences (empty when all agree). */
function compareTrace(trace: NetworkTrace, expected: NetworkCase): string[] {
  const out: string[] = [];
  mismatches(trace.initialParams, expected.initialParams, 'initialParams', out);
  if (trace.steps.length !== expected.steps.length) out.push(`steps: ${trace.steps.length}, PyTorch ${expected.steps.length}`);
  expected.steps.forEach((want, i) => {
    const got = trace.steps[i];
    const at = `step ${want.step}`;
    if (got === undefined) return;
    mismatches(got.step, want.step, `${at}.step`, out);
    mismatches(got.epoch, want.epoch, `${at}.epoch`, out);
    mismatches(got.observations, want.observations, `${at}.observations`, out);
    mismatches(got.x, want.x, `${at}.x`, out);
    mismatches(got.y, want.y, `${at}.y`, out);
    mismatches(got.prediction, want.prediction, `${at}.prediction`, out);
    // Fused losses: both PyTorch values (from probabilities and from logits) must match ours.
    mismatches(got.loss, want.loss, `${at}.loss`, out);
    if (want.lossFromLogits !== undefined) mismatches(got.loss, want.lossFromLogits, `${at}.loss (from logits)`, out);
    mismatches(got.gradPrediction, want.gradPrediction, `${at}.gradPrediction`, out);
    // The numbers of each layer; `worked` (formulas with numbers) is checked in the explanation tests.
    mismatches(got.layers.map(({ worked: _worked, ...numbers }) => numbers), want.layers, `${at}.layers`, out);
    mismatches(got.grads, want.grads, `${at}.grads`, out);
    mismatches(got.paramsBefore, want.paramsBefore, `${at}.paramsBefore`, out);
    mismatches(got.params, want.params, `${at}.params`, out);
    if (want.fused === undefined) {
      if (got.fused !== undefined) out.push(`${at}.fused: set, but the loss is not fused`);
    } else {
      mismatches(got.fused === undefined ? undefined : { activation: got.fused.activation, gradLogits: got.fused.gradLogits }, want.fused, `${at}.fused`, out);
    }
    // Teacher's remarks (dead ReLU, vanishing gradient…) are expected; a non-finite number is not.
    const failures = got.diagnostics.filter((d) => d.kind === 'non-finite-value' || d.kind === 'non-finite-gradient');
    if (failures.length > 0) out.push(`${at}.diagnostics: ${failures.map((d) => diagnosticText(d, 'en')).join('; ')}`);
  });
  mismatches(trace.params, expected.params, 'params', out);
  if (trace.diverged !== undefined) out.push(`diverged at step ${trace.diverged.step}`);
  return out;
}

const byName = new Map(fixture.cases.map((c) => [c.name, c]));
function fixtureCase(name: string): NetworkCase {
  const found = byName.get(name);
  if (found === undefined) throw new Error(`networks.json has no case ${name}: run /usr/bin/python3 tools/fixtures/networks.py`);
  return found;
}

describe('the networks fixture', () => {
  it('holds every case the script writes, from float64 PyTorch', () => {
    expect(fixture.dtype).toBe('float64');
    const optimizers = ['sgd', 'momentum', 'nesterov', 'adam', 'rmsprop', 'adagrad'].flatMap((o) => [`optimizer-${o}`, `optimizer-${o}-weight-decay`]);
    expect(fixture.cases.map((c) => c.name).sort()).toEqual([
      'exercise-2', 'exercise-4-classification', 'exercise-4-regression',
      'leaky-relu-half_mse', 'leaky-relu-half_sse', 'leaky-relu-mse', 'leaky-relu-sse',
      ...optimizers, 'softmax-cross-entropy',
      ...['logloss_sum', 'logistic', 'logistic_sum'].flatMap((loss) => [`book-${loss}`, `book-${loss}-l2`]),
      ...['sgd', 'adam'].flatMap((optimizer) => [`layerwise-${optimizer}`, `layerwise-${optimizer}-l2`]),
    ].sort());
    for (const c of fixture.cases) expect(c.steps.length, c.name).toBeGreaterThan(0);
  });

  it('records exercise 4 as the sheet does it by hand', () => {
    // H = (1, 2)·W₁ = (2, −1); ReLU → (2, 0); ŷ = 2·0.5 = 1; MSE = 1, d = 2(ŷ − y) = 2;
    // ∂L/∂W₂ = (2, 0)ᵀ·2; d below ReLU = 2·W₂ᵀ ⊙ [H > 0] = (1, 0); ∂L/∂W₁ = (1, 2)ᵀ·(1, 0).
    const [step] = fixtureCase('exercise-4-regression').steps;
    expect(step?.prediction).toEqual([[1]]);
    expect(step?.loss).toBe(1);
    expect(step?.grads).toEqual({ '0.weight': [[1, 0], [2, 0]], '2.weight': [[4], [0]] });
    expect(step?.params).toEqual({ '0.weight': [[0, -1], [-1.5, 0]], '2.weight': [[-3.5], [1]] });
  });
});

describe.each(fixture.cases.map((c) => [c.name, c] as const))('%s against PyTorch', (name, expected) => {
  it('agrees on every layer value, gradient, loss and parameter of every step (problem given as YAML)', () => {
    const trace = solveText(stringify(expected.problem), `${name}.yaml`);
    expect(compareTrace(trace, expected)).toEqual([]);
    expect(trace.loss).toBe(expected.problem.loss);
    expect(trace.model.flatMap((layer) => layer.parameters)).toEqual(Object.keys(expected.initialParams));
  });
});

describe('problem text and example files', () => {
  it('gives the same trace for the problem as JSON text as for YAML', () => {
    const expected = fixtureCase('optimizer-adam-weight-decay');
    const fromJson = solveText(JSON.stringify(expected.problem), 'adam.json');
    expect(compareTrace(fromJson, expected)).toEqual([]);
    expect(fromJson).toEqual(solveText(stringify(expected.problem), 'adam.yaml'));
  });

  it.each([
    ['exercise-4-regression', 'examples/exercise-4-regression.yaml'],
    ['exercise-4-classification', 'examples/exercise-4-classification.yaml'],
    ['exercise-2', 'examples/exercise-2.yaml'],
  ])('%s: the example file %s trains as PyTorch does', (name, file) => {
    const expected = fixtureCase(name);
    expect(expected.note).toBe(file);
    const trace = solvePlan(loadProblem(new URL(`../${file}`, import.meta.url).pathname));
    if (trace.kind !== 'network') throw new Error(`${file}: not a network trace`);
    expect(compareTrace(trace, expected)).toEqual([]);
  });

  it('exercise 2 takes the second observation first, then the first, one at a time', () => {
    const expected = fixtureCase('exercise-2');
    expect(expected.steps.map((step) => step.observations)).toEqual([[2], [1]]);
    // All weights 0: every neuron outputs σ(0) = ½, log-loss ln 2; for y = 0 the output neuron
    // gets d = p − y = ½, so its weight becomes −½·½ and its bias −½; the others do not move.
    const [first] = expected.steps;
    expect(first?.loss).toBeCloseTo(Math.LN2, 15);
    expect(first?.params).toEqual({ '0.weight': [[0]], '0.bias': [0], '2.weight': [[0]], '2.bias': [0], '4.weight': [[-0.25]], '4.bias': [-0.5] });
  });
});

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { agrees } from '../src/problem/check-answers.js';
import { renderSolution } from '../src/explain/render.js';
import type { AnswerCheck, AnswerReport, ProblemTrace } from '../src/trace/types.js';
import { runMashagrad, solveText } from './worked-solutions.js';

/**
 * "Check my answer": a student's numbers and formulas in the problem file, each marked right,
 * wrong or carried over from an earlier mistake; the first wrong one named in the order the
 * computation goes; --json reports the verdicts; bad answer entries exit 2 with a message.
 */

const EXERCISE_1 = 'expression: x^2 + x*y + (x+y)^2\nat: { x: 1, y: 2 }\n';
/** Exercise 4: H₁ = (2, −1), O₁ = (2, 0), ŷ = 1, L = 1, d = 2, then (1, 2), (1, 0), (1, 0.5) going down. */
const REGRESSION = [
  'model:', '  - linear: { weights: [[1, -1], [0.5, 0]] }', '  - relu', '  - linear: { weights: [[0.5], [1]] }',
  'loss: mse', 'data: { x: [[1, 2]], y: [[0]] }', 'train: { lr: 1 }', '',
].join('\n');
/** The same with a sigmoid and logloss: p = σ(1) = 0.7310585786…, L = −ln(1 − p) = 1.3132616875… */
const CLASSIFICATION = [
  'model:', '  - linear: { weights: [[1, -1], [0.5, 0]] }', '  - relu', '  - linear: { weights: [[0.5], [1]] }', '  - sigmoid',
  'loss: logloss', 'data: { x: [[1, 2]], y: [[0]] }', 'train: { lr: 1 }', '',
].join('\n');

function report(trace: ProblemTrace): AnswerReport {
  if (trace.answers === undefined) throw new Error('no answers were checked');
  return trace.answers;
}
const checked = (problem: string, answers: string) => report(solveText(`${problem}answers: ${answers}\n`));
const verdicts = (answers: AnswerReport) => Object.fromEntries(answers.checks.map((check) => [check.path, check.verdict]));
const verdictOf = (answers: AnswerReport, path: string): AnswerCheck['verdict'] | undefined => answers.checks.find((check) => check.path === path)?.verdict;
const text = (problem: string, answers: string, language: 'en' | 'ru' = 'en') => renderSolution(solveText(`${problem}answers: ${answers}\n`), { format: 'text', language });

describe('right answers are marked right', () => {
  it('every quantity of exercise 1', () => {
    const answers = checked(EXERCISE_1, [
      '{ nodes: { a: 1, b: 2, c: 3, d: 3, e: 9, f: 12 },',
      '  edges: { "a/x": "2*x", "b/x": "y", "b/y": 1, "c/x": 1, "e/c": "2*c", "f/e": 1 },',
      '  gradient: { x: 10, y: 7 }, derivatives: { x: "4*x + 3*y", y: "3*x + 2*y" }, value: 12 }',
    ].join('\n'));
    // 6 nodes, 6 edges, 2 gradient components, 2 formulas and the value.
    expect(answers.checks).toHaveLength(17);
    expect(answers.checks.filter((check) => check.verdict !== 'right')).toEqual([]);
    expect(answers.firstWrong).toBeNull();
  });

  it('say so in both languages', () => {
    const answers = '{ nodes: { a: 1 }, gradient: { x: 10 }, value: 12 }';
    expect(text(EXERCISE_1, answers)).toContain('All 3 answers are right.');
    expect(text(EXERCISE_1, answers, 'ru')).toContain('Все ответы верны (всего 3).');
    // Two answers: “both”, as a teacher says it, not “all 2”.
    expect(text(EXERCISE_1, '{ nodes: { a: 1 }, value: 12 }')).toContain('Both answers are right.');
    expect(text(EXERCISE_1, '{ nodes: { a: 1 }, value: 12 }', 'ru')).toContain('Оба ответа верны.');
  });

  it('every quantity of a network step, by the names of the --json output', () => {
    // W₁ after = [[1, −1], [0.5, 0]] − [[1, 0], [2, 0]] = [[0, −1], [−1.5, 0]]; W₂ after = [[0.5], [1]] − [[4], [0]].
    const answers = checked(REGRESSION, [
      '{ steps: [ { step: 1,',
      '  layers: { 0: { output: [[2, -1]], gradOutput: [1, 0], gradInput: [1, 0.5] }, 1: { output: [2, 0], gradOutput: [1, 2], gradInput: [1, 0] }, 2: { output: 1, gradOutput: 2, gradInput: [1, 2] } },',
      '  prediction: 1, loss: 1, gradPrediction: 2,',
      '  grads: { "0.weight": [[1, 0], [2, 0]], "2.weight": [[4], [0]] },',
      '  params: { "0.weight": [[0, -1], [-1.5, 0]], "2.weight": [[-3.5], [1]] } } ] }',
    ].join('\n'));
    expect(answers.checks).toHaveLength(16);
    expect(answers.checks.filter((check) => check.verdict !== 'right')).toEqual([]);
  });
});

describe('numbers agree to the digits the student wrote', () => {
  const prediction = (value: string) => verdictOf(checked(CLASSIFICATION, `{ steps: [ { prediction: ${value} } ] }`), 'steps[1].prediction');

  it('0.7311, 0.731, 0.73 for σ(1) = 0.73106 are right', () => {
    expect(prediction('0.7311')).toBe('right');
    expect(prediction('0.731')).toBe('right');
    expect(prediction('0.73')).toBe('right');
  });

  it('0.75, 0.74 and a wrongly rounded 0.7312 are wrong', () => {
    expect(prediction('0.75')).toBe('wrong');
    expect(prediction('0.74')).toBe('wrong');
    expect(prediction('0.7312')).toBe('wrong');
  });

  it('a fraction written as text is a number: d = −1/32', () => {
    const problem = 'model:\n  - linear: { weights: [[0.7]], bias: [-0.2] }\nloss: half_sse\ndata: { x: [[1]], y: [[0.53125]] }\ntrain: { lr: 1 }\n';
    const given = (value: string) => verdictOf(checked(problem, `{ steps: [ { gradPrediction: ${value} } ] }`), 'steps[1].gradPrediction');
    expect(given('"-1/32"')).toBe('right');
    expect(given('-0.03125')).toBe('right');
    expect(given('-0.031')).toBe('right');
    expect(given('"1/32"')).toBe('wrong');
  });

  it('the rule itself: half a unit in the last digit written', () => {
    expect(agrees(0.7311, 0.7310585786300049)).toBe(true);
    expect(agrees(0.7312, 0.7310585786300049)).toBe(false);
    expect(agrees(1.313, 1.3132616875182228)).toBe(true);
    expect(agrees(1.31, 1.3132616875182228)).toBe(true);
    expect(agrees(1.32, 1.3132616875182228)).toBe(false);
    expect(agrees(0.5, 0.49999999999999994)).toBe(true);
  });

  it('a whole number is not a rounding of a small fraction: 1 for σ(1) = 0.7311 and 0 for a gradient of 0.25 are wrong', () => {
    expect(prediction('1')).toBe('wrong');
    // Exercise 2, step 1: ∂L/∂W₃ = O₂·(p − y) = 0.5·0.5 = 0.25, not 0 (the classic "it vanished" mistake).
    const exercise2 = [
      'model:', '  - linear: { weights: [[0]], bias: [0] }', '  - sigmoid', '  - linear: { weights: [[0]], bias: [0] }', '  - sigmoid',
      '  - linear: { weights: [[0]], bias: [0] }', '  - sigmoid', 'loss: logloss', 'data: { x: [[1], [5]], y: [[1], [0]] }',
      'train: { lr: 1, batch: 1, order: [2, 1] }', '',
    ].join('\n');
    expect(verdictOf(checked(exercise2, '{ steps: [ { grads: { "4.weight": 0 } } ] }'), 'steps[1].grads.4.weight')).toBe('wrong');
  });
});

describe('formula answers are compared as functions', () => {
  const derivative = (formula: string) => verdictOf(checked(EXERCISE_1, `{ derivatives: { x: ${JSON.stringify(formula)} } }`), 'derivatives.x');

  it('equivalent forms of ∂f/∂x = 4x + 3y are right', () => {
    for (const formula of ['4*x + 3*y', 'x*3 + 4*x - 3*x + 3*y', '2*x + y + 2*(x + y)', '3*y + 4*x', '(8*x + 6*y)/2']) {
      expect(derivative(formula), formula).toBe('right');
    }
  });

  it('wrong formulas are wrong, also one that only agrees at the point (1, 2)', () => {
    for (const formula of ['4*x + 3', '3*x + 4*y', '4*x + 3*y + (x - 1)*(y - 2)', '10']) {
      expect(derivative(formula), formula).toBe('wrong');
    }
  });

  it('edge derivatives: 2*x and x + x for ∂a/∂x are right, c for ∂e/∂c is wrong', () => {
    const answers = checked(EXERCISE_1, '{ edges: { "a/x": "x + x", "e/c": "c", "b/x": "y" } }');
    expect(verdicts(answers)).toEqual({ 'edges.a/x': 'right', 'edges.b/x': 'right', 'edges.e/c': 'wrong' });
  });

  it('x·x feeds x into a twice: "a/x" is the whole ∂a/∂x = x + x, "a/x:1" and "a/x:2" each edge on its own', () => {
    const SQUARE = 'expression: x*x + x*y\nat: { x: 3, y: 2 }\n';
    // ∂a/∂x = x + x = 6 as the solution writes it; each edge's part is x = 3.
    expect(verdicts(checked(SQUARE, '{ edges: { "a/x": "2*x", "a/x:1": 3, "a/x:2": "x", "b/x": "y" } }')))
      .toEqual({ 'edges.a/x': 'right', 'edges.a/x:1': 'right', 'edges.a/x:2': 'right', 'edges.b/x': 'right' });
    // One edge's part given for the pair is wrong; the pair's sum given for one edge is wrong.
    expect(verdicts(checked(SQUARE, '{ edges: { "a/x": 3, "a/x:2": 6 } }'))).toEqual({ 'edges.a/x': 'wrong', 'edges.a/x:2': 'wrong' });
    // x − x: the two edges are +1 and −1, told apart by argument.
    expect(verdicts(checked('expression: x - x + y\nat: { x: 1, y: 2 }\n', '{ edges: { "a/x:1": 1, "a/x:2": 1, "a/x": 0 } }')))
      .toEqual({ 'edges.a/x': 'right', 'edges.a/x:1': 'right', 'edges.a/x:2': 'wrong' });
  });

  it('∂e/∂c = 2(x + y) is right: c = x + y in this graph (the sheet writes 2(x + y) itself)', () => {
    expect(verdictOf(checked(EXERCISE_1, '{ edges: { "e/c": "2*(x + y)" } }'), 'edges.e/c')).toBe('right');
  });
});

describe('the first wrong number, in the order the computation goes', () => {
  it('is named whatever order the file lists the answers in', () => {
    // The student wrote b = 3 (instead of x·y = 2); d = a + b = 1 + 3 = 4 and f = d + e = 4 + 9 = 13 follow from it.
    const answers = checked(EXERCISE_1, '{ value: 13, nodes: { f: 13, d: 4, b: 3, a: 1 } }');
    expect(answers.checks.map((check) => check.path).slice(0, 4)).toEqual(['nodes.a', 'nodes.b', 'nodes.d', 'nodes.f']);
    expect(answers.firstWrong).toBe('nodes.b');
    expect(text(EXERCISE_1, '{ nodes: { f: 13, d: 4, b: 3, a: 1 } }')).toContain('The first wrong number is node b');
    expect(text(EXERCISE_1, '{ nodes: { f: 13, d: 4, b: 3, a: 1 } }', 'ru')).toContain('Первое неверное число — узел b');
  });

  it('a wrong forward number comes before a wrong backward one', () => {
    const answers = checked(REGRESSION, '{ steps: [ { gradPrediction: 3, layers: { 1: { output: [2, 1] } } } ] }');
    expect(answers.firstWrong).toBe('steps[1].layers.1.output');
  });

  it('the value of f (forward pass) comes before the local derivatives', () => {
    const answers = checked(EXERCISE_1, '{ edges: { "e/c": "c" }, value: 13 }');
    expect(answers.firstWrong).toBe('value');
  });

  it('going back, a layer’s parameter gradient comes before the layers below it', () => {
    // Layer 2 is done first on the way back: ∂L/∂W₂ = O₁ᵀ·d = [[4], [0]] (the student wrote [[2], [0]]),
    // then layer 0 passes (1, 0.5) down (the student wrote (1, 3)).
    const answers = checked(REGRESSION, '{ steps: [ { layers: { 0: { gradInput: [1, 3] } }, grads: { "2.weight": [[2], [0]] } } ] }');
    expect(verdicts(answers)).toEqual({ 'steps[1].layers.0.gradInput': 'wrong', 'steps[1].grads.2.weight': 'wrong' });
    expect(answers.firstWrong).toBe('steps[1].grads.2.weight');
  });

  it('shows the right value next to the wrong one, with the step', () => {
    const answers = '{ steps: [ { layers: { 0: { output: [2, 1] } } } ] }';
    expect(text(REGRESSION, answers)).toContain('The output of layer 1 at step 1: you have (2, 1), the right value is (2, −1).');
    expect(text(REGRESSION, answers, 'ru')).toContain('Выход слоя 1 на шаге 1: у вас (2, 1), правильно (2, −1).');
  });
});

describe('a later answer that follows from an earlier mistake is carried', () => {
  it('exercise 1: d and f built on a wrong b', () => {
    // b = 3 is wrong; d = 1 + 3 = 4 and f = 4 + 9 = 13 follow from it; d = 5 would follow from nothing.
    expect(verdicts(checked(EXERCISE_1, '{ nodes: { a: 1, b: 3, d: 4, f: 13 } }'))).toEqual({ 'nodes.a': 'right', 'nodes.b': 'wrong', 'nodes.d': 'carried', 'nodes.f': 'carried' });
    expect(verdicts(checked(EXERCISE_1, '{ nodes: { b: 3, d: 5 } }'))).toEqual({ 'nodes.b': 'wrong', 'nodes.d': 'wrong' });
  });

  it('a network’s forward pass: H₁ = (2, 1) with the sign lost, then ReLU, ŷ and L from it', () => {
    // O₁ = ReLU((2, 1)) = (2, 1); ŷ = 2·0.5 + 1·1 = 2; L = (2 − 0)² = 4.
    const answers = checked(REGRESSION, '{ steps: [ { layers: { 0: { output: [2, 1] }, 1: { output: [2, 1] }, 2: { output: 2 } }, loss: 4 } ] }');
    expect(verdicts(answers)).toEqual({
      'steps[1].layers.0.output': 'wrong', 'steps[1].layers.1.output': 'carried', 'steps[1].layers.2.output': 'carried', 'steps[1].loss': 'carried',
    });
    expect(text(REGRESSION, '{ steps: [ { layers: { 0: { output: [2, 1] }, 1: { output: [2, 1] } } } ] }'))
      .toContain('The output of layer 2 at step 1: (2, 1) is computed correctly, but from the wrong number above; the right value is (2, 0).');
    expect(text(REGRESSION, '{ steps: [ { layers: { 0: { output: [2, 1] }, 1: { output: [2, 1] } } } ] }', 'ru'))
      .toContain('Выход слоя 2 на шаге 1: (2, 1) — посчитано верно, но из неверного значения выше; правильное значение (2, 0).');
  });

  it('the prediction written as `prediction` is carried like the last layer’s output', () => {
    const answers = checked(REGRESSION, '{ steps: [ { layers: { 0: { output: [2, 1] }, 1: { output: [2, 1] } }, prediction: 2 } ] }');
    expect(verdictOf(answers, 'steps[1].prediction')).toBe('carried');
  });

  it('the backward pass: forgetting the 2 of the MSE derivative (d = 1) carries into what the layers pass down', () => {
    // d = 1 instead of 2(ŷ − y) = 2: the last layer passes 1·W₂ᵀ = (0.5, 1) down and ∂L/∂W₂ = O₁ᵀ·1 = [[2], [0]].
    const answers = checked(REGRESSION, '{ steps: [ { gradPrediction: 1, layers: { 2: { gradInput: [0.5, 1] } }, grads: { "2.weight": [[2], [0]] } } ] }');
    expect(verdicts(answers)).toEqual({ 'steps[1].gradPrediction': 'wrong', 'steps[1].layers.2.gradInput': 'carried', 'steps[1].grads.2.weight': 'carried' });
  });
});

describe('the CLI', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mashagrad-answers-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  let count = 0;
  const file = (text: string) => {
    const path = join(dir, `problem-${++count}.yaml`);
    writeFileSync(path, text);
    return path;
  };

  it('--json reports answers.checks with their verdicts and the first wrong one', async () => {
    const { exitCode, stdout } = await runMashagrad('solve', file(`${EXERCISE_1}answers: { nodes: { a: 1, b: 3, d: 4 }, derivatives: { x: "4*x + 3*y" } }\n`), '--json');
    expect(exitCode).toBe(0);
    const trace = JSON.parse(stdout) as { answers: AnswerReport };
    expect(trace.answers.firstWrong).toBe('nodes.b');
    expect(trace.answers.checks).toEqual([
      expect.objectContaining({ path: 'nodes.a', given: 1, expected: 1, verdict: 'right' }),
      expect.objectContaining({ path: 'nodes.b', given: 3, expected: 2, verdict: 'wrong' }),
      expect.objectContaining({ path: 'nodes.d', given: 4, expected: 3, verdict: 'carried' }),
      expect.objectContaining({ path: 'derivatives.x', given: '4*x + 3*y', expected: '4*x + 3*y', verdict: 'right' }),
    ]);
  });

  it('--json for a network step has full-precision expected values', async () => {
    const { exitCode, stdout } = await runMashagrad('solve', file(`${CLASSIFICATION}answers: { steps: [ { prediction: 0.7311, loss: 1.3 } ] }\n`), '--json');
    expect(exitCode).toBe(0);
    const checks = (JSON.parse(stdout) as { answers: AnswerReport }).answers.checks;
    expect(checks).toEqual([
      expect.objectContaining({ path: 'steps[1].prediction', given: 0.7311, expected: [[1 / (1 + Math.exp(-1))]], verdict: 'right' }),
      expect.objectContaining({ path: 'steps[1].loss', given: 1.3, verdict: 'right' }),
    ]);
  });

  const BAD: [string, string, string, RegExp][] = [
    ['a parameter that does not exist', REGRESSION, '{ steps: [ { grads: { "9.weight": 1 } } ] }', /9\.weight is not in this problem.*0\.weight, 2\.weight/],
    ['an updated parameter that does not exist', REGRESSION, '{ steps: [ { params: { "1.weight": 1 } } ] }', /1\.weight is not in this problem/],
    ['a word where a number goes', REGRESSION, '{ steps: [ { loss: "abc" } ] }', /steps\[1\]\.loss.*should be a number/],
    ['true where a number goes', REGRESSION, '{ steps: [ { loss: [true] } ] }', /expected a number/],
    ['a mapping where a number goes', REGRESSION, '{ steps: [ { prediction: { a: 1 } } ] }', /expected a number/],
    ['a step the run does not have', REGRESSION, '{ steps: [ { step: 4, loss: 1 } ] }', /no step 4/],
    ['steps that are not a list', REGRESSION, '{ steps: { loss: 1 } }', /steps should be a list/],
    ['a node value that is a formula with names', EXERCISE_1, '{ nodes: { a: "x^2" } }', /nodes\.a.*should be a number/],
    ['an optimizer line under plain gradient descent', REGRESSION, '{ steps: [ { updates: { "0.weight": { v: 1 } } } ] }', /plain gradient descent keeps no state; its update is written under params/],
    ['a step answered twice', REGRESSION, '{ steps: [ { step: 1, loss: 1 }, { step: 1, loss: 2 } ] }', /step 1 is answered twice/],
    ['a step number that is not one', REGRESSION, '{ steps: [ { step: "first", loss: 1 } ] }', /step should be a step number/],
    ['answers to a symbolic problem (weights as names)', 'model:\n  - linear: { weights: W1 }\n  - relu\n  - linear: { weights: W2 }\nloss: sse\n', '{ steps: [ { loss: 1 } ] }', /answers: a symbolic problem .* symbolic answers are not checked yet/],
  ];

  it.each(BAD)('%s: exit 2 with a message', async (_name, problem, answers, message) => {
    const { exitCode, stderr } = await runMashagrad('solve', file(`${problem}answers: ${answers}\n`));
    expect(exitCode).toBe(2);
    expect(stderr).toMatch(message);
    expect(stderr).not.toContain('internal error');
    expect(stderr).not.toMatch(/at .*\.ts:\d+/);
  });

  it('a formula answer with a syntax error: exit 2, naming the answer', async () => {
    const { exitCode, stderr } = await runMashagrad('solve', file(`${EXERCISE_1}answers: { derivatives: { x: "4*x +" } }\n`));
    expect(exitCode).toBe(2);
    expect(stderr).toContain('derivatives.x');
  });

  const UNKNOWN: [string, string, string][] = [
    ['a node the graph does not have', EXERCISE_1, '{ nodes: { z: 1 } }'],
    ['an edge the graph does not have', EXERCISE_1, '{ edges: { "a/y": 0 } }'],
    ['a misspelt section', EXERCISE_1, '{ gradients: { x: 10 } }'],
    ['a layer the model does not have', REGRESSION, '{ steps: [ { layers: { 7: { output: 1 } } } ] }'],
    ['a misspelt quantity of a layer', REGRESSION, '{ steps: [ { layers: { 0: { outptu: [2, -1] } } } ] }'],
    ['a misspelt quantity of a step', REGRESSION, '{ steps: [ { lossy: 1 } ] }'],
  ];

  it.each(UNKNOWN)('%s is an error (exit 2), not silently skipped', async (_name, problem, answers) => {
    const { exitCode, stdout } = await runMashagrad('solve', file(`${problem}answers: ${answers}\n`));
    expect(stdout).not.toContain('All 0 answers are right');
    expect(exitCode).toBe(2);
  });

  it('a wrong edge by argument is named in the report, en and ru; an argument the pair does not have is an error listing the names', async () => {
    const SQUARE = 'expression: x*x + y\nat: { x: 3, y: 2 }\n';
    expect(text(SQUARE, '{ edges: { "a/x:2": 5 } }')).toContain('the derivative ∂a/∂x along the edge into argument 2');
    expect(text(SQUARE, '{ edges: { "a/x:2": 5 } }', 'ru')).toContain('производная ∂a/∂x вдоль ребра, идущего в аргумент 2');
    const { exitCode, stderr } = await runMashagrad('solve', file(`${SQUARE}answers: { edges: { "a/x:3": 3 } }\n`));
    expect(exitCode).toBe(2);
    expect(stderr).toContain('a/x:3 is not in this problem; the names here are a/x, a/x:1, a/x:2');
  });
});

describe('a wrong number is carried through the update into later steps', () => {
  // ŷ = x·w, x = 1, y = 0, w = 1, MSE, γ = 0.1, two steps. Step 1: ∂L/∂w = 2, w ← 1 − 0.1·2 = 0.8.
  // The student writes w = 0.7 after step 1; from it step 2 gives ŷ = 0.7, L = 0.49, ∂L/∂w = 2·0.7 = 1.4
  // and w ← 0.7 − 0.1·1.4 = 0.56 (the right values: 0.8, 0.64, 1.6, 0.64).
  const PROBLEM = 'model:\n  - linear: { weights: [[1]] }\nloss: mse\ndata: { x: [[1]], y: [[0]] }\ntrain: { lr: 0.1, epochs: 2 }\n';
  const answers = '{ steps: [ { params: { "0.weight": [[0.7]] } }, { layers: { 0: { output: 0.7 } }, prediction: 0.7, loss: 0.49, gradPrediction: 1.4, params: { "0.weight": [[0.56]] }, grads: { "0.weight": [[1.4]] } } ] }';

  it('step 2 follows from the student’s own w after step 1: its forward and backward pass and update are carried, not plain wrong', () => {
    expect(verdicts(checked(PROBLEM, answers))).toEqual({
      'steps[1].params.0.weight': 'wrong',
      'steps[2].layers.0.output': 'carried', 'steps[2].prediction': 'carried', 'steps[2].loss': 'carried', 'steps[2].gradPrediction': 'carried',
      'steps[2].grads.0.weight': 'carried', 'steps[2].params.0.weight': 'carried',
    });
  });

  it('a step left unanswered in between is gone through with the student’s numbers', () => {
    // Three steps; w = 0.7 after step 1, nothing written for step 2 (w ← 0.7 − 0.1·1.4 = 0.56), then step 3's ŷ = 0.56.
    const three = PROBLEM.replace('epochs: 2', 'epochs: 3');
    expect(verdicts(checked(three, '{ steps: [ { step: 1, params: { "0.weight": [[0.7]] } }, { step: 3, prediction: 0.56 } ] }'))).toEqual({
      'steps[1].params.0.weight': 'wrong', 'steps[3].prediction': 'carried',
    });
  });

  it('a step answered twice is an error that says so', () => {
    expect(() => checked(PROBLEM, '{ steps: [ { step: 1, loss: 1 }, { step: 1, loss: 1 } ] }')).toThrow(/step 1 is answered twice/);
  });

  it('a number that follows from nothing the student wrote stays wrong', () => {
    const other = answers.replace('prediction: 0.7', 'prediction: 0.6');
    expect(verdicts(checked(PROBLEM, other))['steps[2].prediction']).toBe('wrong');
  });
});

describe('every optimizer carries the student’s numbers and its own state into the next step', () => {
  // ŷ = x·w with x = 1, y = 0, w = 1, MSE, γ = 0.1: ∂L/∂w = 2w at every step.
  const scalar = (train: string) => `model:\n  - linear: { weights: [[1]] }\nloss: mse\ndata: { x: [[1]], y: [[0]] }\ntrain: { lr: 0.1, epochs: 2, ${train} }\n`;
  const MOMENTUM = scalar('optimizer: momentum, momentum: 0.9');

  it('momentum: a wrong w after step 1 carries into step 2’s passes, velocity and update', () => {
    // Right: v₁ = 2, w₁ = 0.8. The student writes w₁ = 0.7; then ŷ = 0.7, ∂L/∂w = 1.4, v₂ = 0.9·2 + 1.4, w₂ = 0.7 − 0.1·v₂.
    const v2 = 0.9 * 2 + 1.4;
    const answers = `{ steps: [ { params: { "0.weight": 0.7 } }, { prediction: 0.7, loss: ${0.7 ** 2}, gradPrediction: 1.4, grads: { "0.weight": 1.4 }, updates: { "0.weight": { v: ${v2} } }, params: { "0.weight": ${0.7 - 0.1 * v2} } } ] }`;
    expect(verdicts(checked(MOMENTUM, answers))).toEqual({
      'steps[1].params.0.weight': 'wrong',
      'steps[2].prediction': 'carried', 'steps[2].loss': 'carried', 'steps[2].gradPrediction': 'carried', 'steps[2].grads.0.weight': 'carried',
      'steps[2].updates.0.weight.v': 'carried', 'steps[2].params.0.weight': 'carried',
    });
  });

  it('momentum: a wrong velocity carries into the parameter and into the next step’s velocity', () => {
    // The student writes v₁ = 3 (right: 2), so w₁ = 1 − 0.1·3 = 0.7; step 2 from w₁ = 0.7 and v₁ = 3.
    const v2 = 0.9 * 3 + 1.4;
    const answers = `{ steps: [ { updates: { "0.weight": { v: 3 } }, params: { "0.weight": 0.7 } }, { updates: { "0.weight": { v: ${v2} } }, params: { "0.weight": ${0.7 - 0.1 * v2} } } ] }`;
    expect(verdicts(checked(MOMENTUM, answers))).toEqual({
      'steps[1].updates.0.weight.v': 'wrong', 'steps[1].params.0.weight': 'carried',
      'steps[2].updates.0.weight.v': 'carried', 'steps[2].params.0.weight': 'carried',
    });
    // The velocity alone wrong, w₁ right: step 2's velocity is 0.9·3 + 1.6 from the student's v₁ and the right gradient.
    const alone = `{ steps: [ { updates: { "0.weight": { v: 3 } }, params: { "0.weight": 0.8 } }, { updates: { "0.weight": { v: ${0.9 * 3 + 1.6} } } } ] }`;
    expect(verdicts(checked(MOMENTUM, alone))).toEqual({ 'steps[1].updates.0.weight.v': 'wrong', 'steps[1].params.0.weight': 'right', 'steps[2].updates.0.weight.v': 'carried' });
  });

  it('Adam: a first moment without its (1 − β₁) carries through m̂, the update and step 2’s moments', () => {
    const [beta1, beta2, eps] = [0.9, 0.999, 1e-8];
    // The student writes m₁ = g = 2 (right: (1 − β₁)·2 = 0.2); v₁ = (1 − β₂)·4 is right.
    const v1 = (1 - beta2) * 4;
    const mhat1 = 2 / (1 - beta1);
    const w1 = 1 - (0.1 * mhat1) / (Math.sqrt(v1 / (1 - beta2)) + eps);
    // Step 2 from the student's w₁ and m₁: g = 2w₁.
    const g2 = 2 * w1;
    const m2 = beta1 * 2 + (1 - beta1) * g2;
    const v2 = beta2 * v1 + (1 - beta2) * g2 ** 2;
    const mhat2 = m2 / (1 - beta1 ** 2);
    const w2 = w1 - (0.1 * mhat2) / (Math.sqrt(v2 / (1 - beta2 ** 2)) + eps);
    const answers = `{ steps: [ { updates: { "0.weight": { m: 2, v: ${v1}, mhat: ${mhat1} } }, params: { "0.weight": ${w1} } },`
      + ` { prediction: ${w1}, grads: { "0.weight": ${g2} }, updates: { "0.weight": { m: ${m2}, v: ${v2}, mhat: ${mhat2} } }, params: { "0.weight": ${w2} } } ] }`;
    expect(verdicts(checked(scalar('optimizer: adam'), answers))).toEqual({
      'steps[1].updates.0.weight.m': 'wrong', 'steps[1].updates.0.weight.v': 'right', 'steps[1].updates.0.weight.mhat': 'carried', 'steps[1].params.0.weight': 'carried',
      'steps[2].prediction': 'carried', 'steps[2].grads.0.weight': 'carried',
      'steps[2].updates.0.weight.m': 'carried', 'steps[2].updates.0.weight.v': 'carried', 'steps[2].updates.0.weight.mhat': 'carried', 'steps[2].params.0.weight': 'carried',
    });
  });

  it('plain gradient descent has no state to answer: updates is an error that says where its update goes', () => {
    expect(() => checked(scalar('optimizer: sgd'), '{ steps: [ { updates: { "0.weight": { v: 1 } } } ] }')).toThrow(/no state.*params/);
  });

  it('an update line the optimizer does not have is an error that lists the right ones', () => {
    expect(() => checked(MOMENTUM, '{ steps: [ { updates: { "0.weight": { m: 1 } } } ] }')).toThrow(/m is not in this problem; the names here are v/);
  });

  for (const optimizer of ['momentum', 'adam'] as const) {
    it(`${optimizer}, exercise 4’s network: step 2 from the student’s wrong W₂ is carried layer by layer, forward and back`, () => {
      const problem = REGRESSION.replace('train: { lr: 1 }', `train: { lr: 0.1, epochs: 2, optimizer: ${optimizer} }`);
      const right = solveText(problem);
      if (right.kind !== 'network') throw new Error('not a network');
      // The student slips on W₂ after step 1 (0.5 too much in each entry); W₁ is right.
      const theirW2 = (right.steps[0]!.params['2.weight'] as number[][]).map(([value]) => [value! + 0.5]);
      // Step 2's passes from the student's parameters are step 1 of the same network started there.
      const started = REGRESSION.replace('[[0.5], [1]]', JSON.stringify(theirW2)).replace('[[1, -1], [0.5, 0]]', JSON.stringify(right.steps[0]!.params['0.weight']));
      const theirs = solveText(started);
      if (theirs.kind !== 'network') throw new Error('not a network');
      const their = theirs.steps[0]!;
      const layer = (index: number) => their.layers[index]!;
      const answers = JSON.stringify({
        steps: [
          { step: 1, params: { '2.weight': theirW2 } },
          {
            step: 2,
            layers: { 0: { output: layer(0).output }, 1: { output: layer(1).output, gradOutput: layer(1).gradOutput, gradInput: layer(1).gradInput }, 2: { gradInput: layer(2).gradInput } },
            prediction: their.prediction, loss: their.loss, gradPrediction: their.gradPrediction,
            grads: { '0.weight': their.grads['0.weight'], '2.weight': their.grads['2.weight'] },
          },
        ],
      });
      const report = checked(problem, answers);
      expect(report.firstWrong).toBe('steps[1].params.2.weight');
      const later = report.checks.filter((check) => check.path.startsWith('steps[2]'));
      expect(later).toHaveLength(10);
      // H₁ and O₁ do not depend on W₂: they are right; everything from ŷ on follows from the student's W₂.
      const verdictsLater = Object.fromEntries(later.map((check) => [check.path, check.verdict]));
      expect(verdictsLater).toEqual({
        'steps[2].layers.0.output': 'right', 'steps[2].layers.1.output': 'right',
        'steps[2].prediction': 'carried', 'steps[2].loss': 'carried', 'steps[2].gradPrediction': 'carried', 'steps[2].layers.2.gradInput': 'carried',
        'steps[2].layers.1.gradOutput': 'carried', 'steps[2].layers.1.gradInput': 'carried', 'steps[2].grads.2.weight': 'carried', 'steps[2].grads.0.weight': 'carried',
      });
      expect(text(problem, answers)).toContain('and later numbers built on it are off too');
    });
  }
});

describe('“later numbers are off too” only where they are', () => {
  it('a slip a ReLU hides: H₁ = (2, −3) instead of (2, −1) still gives O₁ = (2, 0), ŷ = 1', () => {
    const answers = '{ steps: [ { layers: { 0: { output: [2, -3] }, 1: { output: [2, 0] } }, prediction: 1, loss: 1 } ] }';
    expect(verdicts(checked(REGRESSION, answers))).toEqual({
      'steps[1].layers.0.output': 'wrong', 'steps[1].layers.1.output': 'right', 'steps[1].prediction': 'right', 'steps[1].loss': 'right',
    });
    expect(text(REGRESSION, answers)).toContain('The first wrong number is the output of layer 1 at step 1: the computation went off there.');
    expect(text(REGRESSION, answers)).not.toContain('off too');
    expect(text(REGRESSION, answers, 'ru')).not.toContain('тоже неверны');
  });

  it('a ReLU hides the first slip and a later one is carried: the first is not said to spread', () => {
    // H₁ = (2, −3) is hidden by the ReLU; d = 1 (right: 2) is a second slip, and (0.5, 1) = 1·W₂ᵀ is carried from it.
    const answers = '{ steps: [ { layers: { 0: { output: [2, -3] }, 2: { gradInput: [0.5, 1] } }, gradPrediction: 1 } ] }';
    const report = checked(REGRESSION, answers);
    expect(report.firstWrong).toBe('steps[1].layers.0.output');
    expect(verdictOf(report, 'steps[1].layers.2.gradInput')).toBe('carried');
    expect(report.carriedFromFirst).toEqual([]);
    expect(text(REGRESSION, answers)).toContain('The first wrong number is the output of layer 1 at step 1: the computation went off there.');
    expect(text(REGRESSION, answers)).not.toContain('off too');
  });

  it('a first slip that spreads is said to: H₁ = (2, 1) carries into O₁ and ŷ', () => {
    const report = checked(REGRESSION, '{ steps: [ { layers: { 0: { output: [2, 1] }, 1: { output: [2, 1] } }, prediction: 2 } ] }');
    expect(report.carriedFromFirst).toEqual(['steps[1].layers.1.output', 'steps[1].prediction']);
  });

  it('an update line has a label a reader knows: v_W₁ at step 1', () => {
    const problem = 'model:\n  - linear: { weights: [[1]] }\nloss: mse\ndata: { x: [[1]], y: [[0]] }\ntrain: { lr: 0.1, optimizer: momentum }\n';
    expect(text(problem, '{ steps: [ { updates: { "0.weight": { v: 3 } } } ] }')).toContain('The value of v_W₁ at step 1: you have 3, the right value is 2.');
    expect(text(problem, '{ steps: [ { updates: { "0.weight": { v: 3 } } } ] }', 'ru')).toContain('Значение v_W₁ на шаге 1: у вас 3, правильно 2.');
  });
});

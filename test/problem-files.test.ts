import { diagnosticText } from '../src/trace/diagnostic.js';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { runMashagrad } from './support/run-cli.js';
import { parseProblem } from '../src/files/load-problem.js';
import { ProblemFileError, type Problem } from '../src/files/problem-error.js';
import { solvePlan } from '../src/problem/solve.js';
import type { NetworkTrace, SymbolicTrace } from '../src/trace/types.js';

/**
 * Problem files: every mistake in a bad file reported at once with its path; a run that
 * diverges stops and says where; the symbolic exercise 5 writes the sheet's formulas; the CLI
 * solves every example and exits 2 for a bad file.
 */

/** The problems a file is rejected with (fails the test when it is accepted). */
function problemsOf(text: string, file = 'bad.yaml'): readonly Problem[] {
  try {
    parseProblem(text, file);
  } catch (error) {
    if (error instanceof ProblemFileError) {
      // The message lists every problem with its path, so a person sees them all too.
      for (const problem of error.problems) expect(error.message).toContain(`${problem.path}: ${problem.message}`);
      expect(error.file).toBe(file);
      return error.problems;
    }
    throw error;
  }
  throw new Error('the file was accepted, but it has mistakes');
}

/** A network problem file around `model` (YAML lines), with the rest fixed and valid. */
const file = (model: string, rest = 'loss: mse\ndata: { x: [[1, 2]], y: [[0]] }\ntrain: { lr: 1 }') => `model:\n${model}\n${rest}\n`;
const EXERCISE_4 = '  - linear: { weights: [[1, -1], [0.5, 0]] }\n  - relu\n  - linear: { weights: [[0.5], [1]] }';

describe('a good file', () => {
  it('is accepted (so the mistakes below are what the other tests reject)', () => {
    expect(parseProblem(file(EXERCISE_4)).kind).toBe('network');
  });
});

describe('bad problem files', () => {
  it('a weights matrix with 3 rows after a layer that outputs 2 columns', () => {
    const problems = problemsOf(file('  - linear: { weights: [[1, -1], [0.5, 0]] }\n  - relu\n  - linear: { weights: [[0.5], [1], [2]] }'));
    expect(problems).toHaveLength(1);
    expect(problems[0]!.path).toBe('model[2].linear.weights');
    expect(`${problems[0]!.path}: ${problems[0]!.message}`).toContain('model[2].linear.weights: 3 rows, but the layer before outputs 2 columns');
  });

  it('a first layer whose rows do not match the columns of data.x', () => {
    const problems = problemsOf(file('  - linear: { weights: [[1], [2], [3]] }'));
    expect(problems).toEqual([{ path: 'model[0].linear.weights', message: expect.stringContaining('3 rows, but data.x has 2 columns') as unknown }]);
  });

  it('ragged rows in weights and in data', () => {
    expect(problemsOf(file('  - linear: { weights: [[1, -1], [0.5]] }', 'loss: mse\ndata: { x: [[1, 2]], y: [[0, 0]] }\ntrain: { lr: 1 }')))
      .toEqual([{ path: 'model[0].linear.weights[1]', message: expect.stringContaining('every row needs the same length') as unknown }]);
    const data = problemsOf(file('  - linear: { weights: [[1], [2]] }', 'loss: mse\ndata: { x: [[1, 2], [3]], y: [[0], [1]] }\ntrain: { lr: 1 }'));
    expect(data.map((problem) => problem.path)).toContain('data.x[1]');
  });

  it('an unknown layer name, listing the known ones', () => {
    const problems = problemsOf(file('  - linear: { weights: [[1], [2]] }\n  - softplus'));
    expect(problems).toHaveLength(1);
    expect(problems[0]!.path).toBe('model[1]');
    expect(problems[0]!.message).toContain("unknown layer 'softplus'");
    for (const known of ['linear', 'relu', 'sigmoid', 'tanh', 'softmax', 'leaky_relu']) expect(problems[0]!.message).toContain(known);
  });

  it('a YAML syntax error, with its line and column', () => {
    // Line 4 is "data: x: [[1, 2]]": a second mapping starts at column 7, the x.
    const text = file('  - linear: { weights: [[1], [2]] }', 'loss: mse\ndata: x: [[1, 2]]\ntrain: { lr: 1 }');
    const problems = problemsOf(text);
    expect(problems.map((problem) => problem.path)).toContain('line 4, column 7');
  });

  it('a duplicated key, with its line and column', () => {
    // Line 4: the second x of "data: { x: [[1, 2]], y: [[0]], x: [[3, 4]] }" is at column 32.
    const text = file('  - linear: { weights: [[1], [2]] }', 'loss: mse\ndata: { x: [[1, 2]], y: [[0]], x: [[3, 4]] }\ntrain: { lr: 1 }');
    expect(problemsOf(text)).toEqual([{ path: 'line 4, column 32', message: expect.stringContaining('unique') as unknown }]);
  });

  it('an order that is not a permutation of the observations', () => {
    const problems = problemsOf(file('  - linear: { weights: [[1], [2]] }', 'loss: mse\ndata: { x: [[1, 2], [3, 4]], y: [[0], [1]] }\ntrain: { lr: 1, order: [2, 2] }'));
    expect(problems).toEqual([{ path: 'train.order', message: expect.stringContaining('[2, 2] is not an order of the observations 1..2') as unknown }]);
  });

  it('y with the wrong number of columns', () => {
    const problems = problemsOf(file(EXERCISE_4, 'loss: mse\ndata: { x: [[1, 2]], y: [[0, 1]] }\ntrain: { lr: 1 }'));
    expect(problems).toEqual([{ path: 'data.y', message: expect.stringMatching(/2 columns per target, but the model outputs 1/) as unknown }]);
  });

  it('logloss after a bare linear layer says to add a sigmoid', () => {
    const problems = problemsOf(file(EXERCISE_4, 'loss: logloss\ndata: { x: [[1, 2]], y: [[0]] }\ntrain: { lr: 1 }'));
    expect(problems).toHaveLength(1);
    expect(problems[0]!.path).toBe('loss');
    expect(problems[0]!.message).toMatch(/add "- sigmoid"/);
  });

  it('a misspelled key anywhere: the schema is strict', () => {
    const inTrain = problemsOf(file(EXERCISE_4, 'loss: mse\ndata: { x: [[1, 2]], y: [[0]] }\ntrain: { lr: 1, epochz: 2 }'));
    expect(inTrain).toEqual([{ path: 'train', message: expect.stringContaining('epochz') as unknown }]);
    const atTop = problemsOf(file(EXERCISE_4, 'loss: mse\ndata: { x: [[1, 2]], y: [[0]] }\ntrian: { lr: 1 }'));
    expect(atTop.map((problem) => problem.message).join('\n')).toContain('trian');
  });

  it('a misspelled key in a linear layer is reported alone, without follow-on mistakes', () => {
    // Only "weigths" is wrong; the layer then has no known size, so nothing about data.y
    // (whose one column does match the layer the user meant) should be reported.
    const problems = problemsOf(file('  - linear: { weigths: [[1], [2]] }'));
    expect(problems).toEqual([{ path: 'model[0].linear', message: expect.stringContaining('weigths') as unknown }]);
  });

  it('several problems in one file are reported together', () => {
    const problems = problemsOf(file(
      '  - linear: { weights: [[1, -1], [0.5, 0]] }\n  - rleu\n  - linear: { weights: [[0.5], [1], [2]] }\n  - sigmoid',
      'loss: cross_entropy\ndata: { x: [[1, 2], [3, 4]], y: [[0]] }\ntrain: { lr: 1, order: [1, 3] }',
    ));
    expect(problems.map((problem) => problem.path)).toEqual(['model[1]', 'model[2].linear.weights', 'loss', 'data.y', 'train.order']);
    expect(problems[2]!.message).toContain('add "- softmax"');
  });

  it('problems of the file’s shape and of its layers are reported together', () => {
    // A negative learning rate (schema) and a layer of the wrong size (model check): both.
    const problems = problemsOf(file(
      '  - linear: { weights: [[1, -1], [0.5, 0]] }\n  - relu\n  - linear: { weights: [[0.5], [1], [2]] }',
      'loss: mse\ndata: { x: [[1, 2]], y: [[0]] }\ntrain: { lr: -1 }',
    ));
    expect(problems.map((problem) => problem.path).sort()).toEqual(['model[2].linear.weights', 'train.lr']);
  });
});

describe('a diverging run', () => {
  it('stops at the step where the loss stops being a finite number, and says so', () => {
    // ŷ = w·1, L = (w − 1000)², w ← w − 10⁶·2(w − 1000), w₀ = 1: |w − 1000| grows about
    // 2·10⁶ times per step until L overflows. The same recurrence by hand:
    let w = 1;
    let expectedStep = 0;
    for (let step = 1; step <= 200; step++) {
      const loss = (w - 1000) ** 2;
      if (!Number.isFinite(loss)) {
        expectedStep = step;
        break;
      }
      w -= 1e6 * 2 * (w - 1000);
    }
    expect(expectedStep).toBeGreaterThan(2);
    expect(expectedStep).toBeLessThan(100);

    const trace = solvePlan(parseProblem(file('  - linear: { weights: [[1]] }', 'loss: mse\ndata: { x: [[1]], y: [[1000]] }\ntrain: { lr: 1000000, epochs: 100 }'))) as NetworkTrace;
    expect(trace.kind).toBe('network');
    expect(trace.diverged).toBeDefined();
    expect(trace.diverged!.step).toBe(expectedStep);
    expect(trace.diverged!.layer).toBeNull();
    // The trace holds the code and the step; each language words it in full when it is shown.
    const remark = trace.diagnostics.find((d) => d.code === 'divergedLoss')!;
    expect(remark.params).toEqual({ step: expectedStep });
    expect(diagnosticText(remark, 'en')).toBe(`Training diverged at step ${expectedStep}: the loss is not a finite number. Try a smaller learning rate.`);
    expect(diagnosticText(remark, 'ru')).toBe(`Обучение разошлось на шаге ${expectedStep}: значение функции потерь — не конечное число. Попробуйте уменьшить скорость обучения.`);
    expect(trace.steps).toHaveLength(expectedStep);
    expect(trace.steps.slice(0, -1).every((step) => Number.isFinite(step.loss))).toBe(true);
    const last = trace.steps[expectedStep - 1]!;
    expect(Number.isFinite(last.loss)).toBe(false);
    expect(last.params).toEqual(last.paramsBefore); // no update from a non-finite step
    expect(trace.diagnostics.map((d) => d.kind)).toContain('non-finite-value');
  });
});

describe('exercise 5: the algorithm in matrix form', () => {
  const trace = solvePlan(parseProblem(file('  - linear: { weights: W2 }\n  - relu\n  - linear: { weights: W1 }', 'loss: sse'))) as SymbolicTrace;
  const line = (l: { name: { pretty: string }; formula: { pretty: string } }) => `${l.name.pretty} = ${l.formula.pretty}`;

  it('writes the forward pass: H₁ = X·W₂, O₁ = ReLU(H₁), ŷ = O₁·W₁', () => {
    expect(trace.kind).toBe('symbolic');
    expect(trace.forward.map(line)).toEqual(['H₁ = X·W₂', 'O₁ = ReLU(H₁)', 'ŷ = O₁·W₁']);
    expect(trace.network.pretty).toBe('ReLU(X·W₂)·W₁');
  });

  it('starts the backward pass at d = 2(ŷ − y) for L = Σ(ŷ − y)²', () => {
    expect(line(trace.start)).toBe('d = 2(ŷ − y)');
  });

  it('goes down the layers: ∂L/∂W₁ = O₁ᵀ·d, d ← d ⊙ [H₁ > 0] through ReLU, ∂L/∂W₂ = Xᵀ·d', () => {
    expect(trace.backward.map((step) => step.kind)).toEqual(['linear', 'relu', 'linear']);
    const [top, relu, bottom] = trace.backward;
    expect(top!.grads.W1?.pretty).toBe('O₁ᵀ·d');
    expect(top!.gradInput.pretty).toBe('d·W₁ᵀ');
    expect(relu!.gradInput.pretty).toBe('d ⊙ [H₁ > 0]');
    expect(relu!.grads).toEqual({});
    expect(bottom!.grads.W2?.pretty).toBe('Xᵀ·d');
  });

  it('refuses a name the solution writes itself, a name given twice, and an activation’s name, naming the path', () => {
    const problems = (model: string) => {
      try {
        parseProblem(file(model, 'loss: sse\nl2: 0.1'));
      } catch (error) {
        if (error instanceof ProblemFileError) return error.problems.map((problem) => `${problem.path}: ${problem.message}`);
        throw error;
      }
      return [];
    };
    for (const name of ['d', 'lambda', 'X', 'y', 'H1', 'O2']) {
      expect(problems(`  - linear: { weights: W1 }\n  - relu\n  - linear: { weights: ${name} }`)).toEqual([
        `model[2].linear.weights: "${name}" is a name the solution uses itself (X, y, yhat, d, L, n, lambda, H1, O1, …); choose another, e.g. W2`,
      ]);
    }
    expect(problems('  - linear: { weights: W1, bias: b1 }\n  - relu\n  - linear: { weights: W2, bias: b1 }')).toEqual([
      'model[2].linear.bias: "b1" also names model[0].linear.bias: give every weight and bias its own name',
    ]);
    expect(problems('  - linear: { weights: f }\n  - activation: f\n  - linear: { weights: W2 }')).toEqual([
      'model[0].linear.weights: "f" also names an activation: give the matrix another name',
    ]);
    expect(problems('  - linear: { weights: W1, bias: b1 }\n  - activation: f\n  - linear: { weights: W2 }')).toEqual([]);
  });

  it('ends with the gradient-descent step for each weight', () => {
    expect(trace.updates.map((update) => `${update.name.pretty} ← ${update.formula.pretty}`)).toEqual(['W₂ ← W₂ − γ·∂L/∂W₂', 'W₁ ← W₁ − γ·∂L/∂W₁']);
  });
});

describe('mashagrad solve, in-process', () => {
  const run = runMashagrad;

  const examplesDir = fileURLToPath(new URL('../examples/', import.meta.url));
  const examples = readdirSync(examplesDir).filter((name) => name.endsWith('.yaml')).sort();

  it('finds the sheet’s examples', () => {
    expect(examples).toEqual(expect.arrayContaining([
      'exercise-1.yaml', 'exercise-2.yaml', 'exercise-4-classification.yaml', 'exercise-4-regression.yaml', 'exercise-5-symbolic.yaml',
    ]));
  });

  it.each(examples)('solves examples/%s with --json: exit 0, one JSON trace', async (name) => {
    const { exitCode, stdout, stderr } = await run('solve', join(examplesDir, name), '--json');
    expect(stderr).toBe('');
    expect(exitCode).toBe(0);
    const trace = JSON.parse(stdout) as { kind: string; title: string };
    expect(['expression', 'network', 'symbolic', 'layer', 'conv']).toContain(trace.kind);
    // The sheet's exercises keep their numbers; the examples beyond it (#19) are titled by topic.
    expect(trace.title).toMatch(name.startsWith('exercise-') ? /^Exercise \d/ : /^\S/);
  });

  it('prints exercise 4’s step as the sheet computes it by hand', async () => {
    const { stdout } = await run('solve', join(examplesDir, 'exercise-4-regression.yaml'), '--json');
    const trace = JSON.parse(stdout) as NetworkTrace;
    // W₁ − Xᵀ·(1, 0) and W₂ − (2, 0)ᵀ·2 (see test/layers.test.ts).
    expect(trace.params).toEqual({ '0.weight': [[0, -1], [-1.5, 0]], '2.weight': [[-3.5], [1]] });
  });

  const dir = mkdtempSync(join(tmpdir(), 'mashagrad-problems-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('exits 2 for a bad file, naming the file and the path of each problem', async () => {
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, file('  - linear: { weights: [[1, -1], [0.5, 0]] }\n  - relu\n  - linear: { weights: [[0.5], [1], [2]] }', 'loss: mse\ndata: { x: [[1, 2]], y: [[0]] }\ntrain: { lr: 1, order: [2] }'));
    const { exitCode, stdout, stderr } = await run('solve', bad, '--json');
    expect(exitCode).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain(bad);
    expect(stderr).toContain('model[2].linear.weights: 3 rows');
    expect(stderr).toContain('train.order');
    expect(stderr).not.toContain('internal error');
  });

  it('exits 2 for a file that does not exist', async () => {
    const missing = join(dir, 'missing.yaml');
    const { exitCode, stderr } = await run('solve', missing);
    expect(exitCode).toBe(2);
    expect(stderr).toContain(missing);
    expect(stderr).toContain('no such file');
  });
});

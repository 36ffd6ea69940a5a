import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tensor } from '../src/autograd/create.js';
import { gradients } from '../src/autograd/functional.js';
import { evaluateSym } from '../src/formula/evaluate.js';
import { matrixVar, symbolicAlgebra } from '../src/formula/symbolic.js';
import { computeLoss, LOSSES } from '../src/nn/losses.js';
import { Random } from '../src/tensor/random.js';
import { parseProblem } from '../src/files/load-problem.js';
import type { NetworkTrace, SymbolicTrace } from '../src/trace/types.js';
import { runMashagrad, solveText } from './worked-solutions.js';

/**
 * The book's conventions (#18): the summed logloss, the logistic loss with labels ±1, an L2 term
 * written into the loss, and the layer-wise update of "Nesterov and backprop". Values come from
 * PyTorch in test/pytorch-networks.test.ts; here the formulas and the rules are checked by hand.
 */

const problem = (loss: string, lines: { y?: string; last?: string; l2?: number; train?: string } = {}) => [
  'model:',
  '  - linear: { weights: [[0.5, -1], [1, 0.25]], bias: [0.1, -0.2] }',
  '  - relu',
  '  - linear: { weights: [[0.5], [1]], bias: [0.1] }',
  ...(lines.last === undefined ? [] : [`  - ${lines.last}`]),
  `loss: ${loss}`,
  ...(lines.l2 === undefined ? [] : [`l2: ${lines.l2}`]),
  `data: { x: [[1, 2], [2, -1], [0.5, 1]], y: ${lines.y ?? '[[1], [-1], [1]]'} }`,
  `train: { lr: 0.1${lines.train ?? ''} }`,
].join('\n');

const matmul = (a: number[][], b: number[][]) => a.map((row) => b[0]!.map((_, j) => row.reduce((sum, x, k) => sum + x * b[k]![j]!, 0)));
const transpose = (a: number[][]) => a[0]!.map((_, j) => a.map((row) => row[j]!));

describe('the logistic loss with labels ±1', () => {
  it('is ln(1 + e^(−y·z)), averaged (logistic) or summed (logistic_sum)', () => {
    const z = [[1.5], [-0.25], [3]];
    const y = [[1], [-1], [-1]];
    const terms = z.map((row, i) => Math.log(1 + Math.exp(-y[i]![0]! * row[0]!)));
    const sum = terms.reduce((a, b) => a + b, 0);
    expect(computeLoss('logistic_sum', tensor(z), tensor(y)).item()).toBeCloseTo(sum, 14);
    expect(computeLoss('logistic', tensor(z), tensor(y)).item()).toBeCloseTo(sum / 3, 14);
  });

  it('has the derivative it prints, −y·σ(−y·z) (over n for the mean), equal to the registry’s gradient at random points', () => {
    const random = new Random(18);
    for (let trial = 0; trial < 20; trial++) {
      const z = Array.from({ length: 4 }, () => [random.uniform(-6, 6)]);
      const y = Array.from({ length: 4 }, () => [random.uniform(0, 1) < 0.5 ? -1 : 1]);
      for (const name of ['logistic', 'logistic_sum'] as const) {
        const leaf = tensor(z).requireGrad();
        const [registry] = gradients(computeLoss(name, leaf, tensor(y)), [leaf]);
        const printed = evaluateSym(LOSSES[name].derivative!(symbolicAlgebra, matrixVar('yhat'), matrixVar('y')), new Map([['yhat', tensor(z)], ['y', tensor(y)]]));
        const scale = LOSSES[name].reduction === 'mean' ? 1 / 4 : 1;
        Array.from(printed.data).forEach((value, i) => expect(registry!.data[i]).toBeCloseTo(value * scale, 13));
      }
    }
  });

  it('refuses targets that are not −1 or +1, and a sigmoid before it, each with the fix', () => {
    expect(() => parseProblem(problem('logistic', { y: '[[1], [0], [1]]' }))).toThrow(/data\.y\[1\]: has 0, but logistic takes labels −1 or \+1/);
    expect(() => parseProblem(problem('logistic_sum', { last: 'sigmoid' }))).toThrow(/ends with a sigmoid; remove the sigmoid, or use logloss/);
  });

  it('the other way round: logloss refuses a target of −1 or 2, since it compares probabilities with targets in [0, 1]', () => {
    expect(() => parseProblem(problem('logloss', { last: 'sigmoid' }))).toThrow(/data\.y\[1\]: has -1, but logloss compares probabilities with targets between 0 and 1/);
    expect(() => parseProblem(problem('logloss_sum', { last: 'sigmoid', y: '[[1], [2], [0]]' }))).toThrow(/data\.y\[1\]: has 2, but logloss_sum/);
    expect(() => parseProblem(problem('logloss', { last: 'sigmoid', y: '[[1], [0], [0.25]]' }))).not.toThrow();
  });

  it('is written in the worked solution with −y·σ(−y·ŷ) and 1/n, and n given', () => {
    const trace = solveText(problem('logistic')) as NetworkTrace;
    expect(trace.lossGradient.pretty).toBe('−y ⊙ σ(−y ⊙ ŷ)/n');
    expect(trace.lossCount).toBe(3);
    expect((solveText(problem('logistic_sum')) as NetworkTrace).lossGradient.pretty).toBe('−y ⊙ σ(−y ⊙ ŷ)');
  });
});

describe('logloss as a sum', () => {
  it('is n times the mean logloss, and its gradient through the sigmoid is σ(z) − y without 1/n', () => {
    const y = '[[1], [0], [1]]';
    const sum = solveText(problem('logloss_sum', { y, last: 'sigmoid' })) as NetworkTrace;
    const mean = solveText(problem('logloss', { y, last: 'sigmoid' })) as NetworkTrace;
    expect(sum.steps[0]!.loss).toBeCloseTo(3 * mean.steps[0]!.loss, 14);
    expect(sum.steps[0]!.fused!.product.formula.pretty).toBe('σ(H₂) − y');
    expect(mean.steps[0]!.fused!.product.formula.pretty).toBe('(σ(H₂) − y)/n');
  });
});

describe('an L2 term written into the loss (l2: λ)', () => {
  it('adds λ·Σw² over the weights (not the biases) to the loss and 2λ·W to each weight’s gradient', () => {
    const lambda = 0.05;
    const plain = solveText(problem('mse', { y: '[[1], [0], [2]]' })) as NetworkTrace;
    const withL2 = solveText(problem('mse', { y: '[[1], [0], [2]]', l2: lambda })) as NetworkTrace;
    const before = withL2.steps[0]!.paramsBefore;
    const squares = (['0.weight', '2.weight'] as const).reduce((sum, key) => sum + (before[key] as number[][]).flat().reduce((s, w) => s + w * w, 0), 0);
    expect(withL2.steps[0]!.loss).toBeCloseTo(plain.steps[0]!.loss + lambda * squares, 14);
    for (const key of ['0.weight', '2.weight']) {
      const expected = (plain.steps[0]!.grads[key] as number[][]).map((row, i) => row.map((g, j) => g + 2 * lambda * (before[key] as number[][])[i]![j]!));
      (withL2.steps[0]!.grads[key] as number[][]).flat().forEach((g, i) => expect(g).toBeCloseTo(expected.flat()[i]!, 14));
    }
    expect(withL2.steps[0]!.grads['0.bias']).toEqual(plain.steps[0]!.grads['0.bias']);
    expect(withL2.formulas[0]!.grads['0.weight']!.pretty).toBe('Xᵀ·d + 2λ·W₁');
    expect(withL2.lossFormula.pretty).toContain('λ·(Σ(W₁²) + Σ(W₂²))');
  });

  it('without biases, steps as weight_decay: 2λ does under every optimizer (which adds λ·W to the gradient)', () => {
    const noBias = (extra: string, train: string) => problem('mse', { y: '[[1], [0], [2]]', train: `, optimizer: ${train}, epochs: 2` })
      .replace(', bias: [0.1, -0.2]', '').replace(', bias: [0.1]', '').replace('loss: mse', `loss: mse${extra}`);
    for (const optimizer of ['sgd', 'momentum', 'adam', 'rmsprop', 'adagrad']) {
      const l2 = solveText(noBias('\nl2: 0.05', optimizer)) as NetworkTrace;
      const decay = solveText(noBias('', `${optimizer}, weight_decay: 0.1`)) as NetworkTrace;
      for (const key of ['0.weight', '2.weight']) {
        (l2.params[key] as number[][]).flat().forEach((w, i) => expect(w, `${optimizer} ${key}`).toBeCloseTo((decay.params[key] as number[][]).flat()[i]!, 12));
      }
    }
  });

  it('works in a symbolic problem, and a mean loss there is refused with the summed ones named', () => {
    const symbolic = 'model:\n  - linear: { weights: W1 }\n  - relu\n  - linear: { weights: W2 }\nloss: logistic_sum\nl2: 0.1';
    const trace = solveText(symbolic) as SymbolicTrace;
    expect(trace.start.formula.pretty).toBe('−y ⊙ σ(−y ⊙ ŷ)');
    expect(trace.backward[0]!.grads.W2!.pretty).toBe('O₁ᵀ·d + 2λ·W₂');
    expect(() => solveText(symbolic.replace('logistic_sum', 'logistic'))).toThrow(/sse, half_sse, logloss_sum, logistic_sum/);
  });
});

describe('the layer-wise update ("Nesterov and backprop")', () => {
  const exercise4 = (update: string) => [
    'model:', '  - linear: { weights: [[1, -1], [0.5, 0]] }', '  - relu', '  - linear: { weights: [[0.5], [1]] }',
    'loss: mse', 'data: { x: [[1, 2]], y: [[0]] }', `train: { lr: 0.1, epochs: 2${update} }`,
  ].join('\n');

  it('steps the top layer as usual, then passes d down through its new weights', () => {
    const layerwise = solveText(exercise4(', update: layerwise')) as NetworkTrace;
    const usual = solveText(exercise4('')) as NetworkTrace;
    const [step] = layerwise.steps;
    // The top layer: the same gradient and the same new W₂ as the usual update.
    expect(step!.grads['2.weight']).toEqual(usual.steps[0]!.grads['2.weight']);
    expect(step!.params['2.weight']).toEqual(usual.steps[0]!.params['2.weight']);
    // Below it, by hand: d = 2(ŷ − y) goes through the new W₂ and the ReLU, and ∂L/∂W₁ = Xᵀ·d.
    const d = [[2 * ((step!.prediction as number[][])[0]![0]! - 0)]];
    const newW2 = step!.params['2.weight'] as number[][];
    const h = step!.layers[0]!.output as number[][];
    const below = matmul(d, transpose(newW2)).map((row, i) => row.map((value, j) => (h[i]![j]! > 0 ? value : 0)));
    expect(step!.grads['0.weight']).toEqual(matmul(transpose(step!.x as number[][]), below));
    expect(step!.grads['0.weight']).not.toEqual(usual.steps[0]!.grads['0.weight']);
  });

  it('records the usual run beside it: the same loss at step 1, another from step 2', () => {
    const layerwise = solveText(exercise4(', update: layerwise')) as NetworkTrace;
    const usual = solveText(exercise4('')) as NetworkTrace;
    expect(layerwise.update).toBe('layerwise');
    expect(layerwise.usual!.steps.map((step) => step.loss)).toEqual(usual.steps.map((step) => step.loss));
    expect(layerwise.usual!.steps[1]!.params).toEqual(usual.params);
    expect(layerwise.steps[0]!.loss).toBe(usual.steps[0]!.loss);
    expect(layerwise.steps[1]!.loss).not.toBe(usual.steps[1]!.loss);
  });

  it('is refused in a training file, as is the logistic loss (a data set’s classes are 0, 1, …)', async () => {
    const { planTraining, trainingFileSchema } = await import('../src/files/training-file.js');
    const data = {
      source: 'two rows', count: 2, features: 2, x: Float32Array.from([1, 2, 3, 4]), labels: Int32Array.from([0, 1]), classes: 2,
      classNames: null, targets: null, targetWidth: 0,
    };
    const file = (loss: string, train: Record<string, unknown>) => {
      const spec = trainingFileSchema.parse({ dataset: 'fashion-mnist', model: [{ linear: { out: 1 } }, 'sigmoid'], loss, train: { lr: 0.1, ...train } });
      return { file: 't.yaml', title: 't', dataset: spec.dataset, model: spec.model, loss: spec.loss, train: spec.train, dtype: spec.dtype };
    };
    expect(() => planTraining(file('logloss', {}), data)).not.toThrow();
    expect(() => planTraining(file('logloss', { update: 'layerwise' }), data)).toThrow(/train\.update: a layer-wise update is for problems worked by hand/);
    expect(() => planTraining(file('logistic', {}), data)).toThrow(/logistic takes labels −1 and \+1/);
  });
});

describe('a symbolic network with an activation known only by its name (- activation: f)', () => {
  const file = 'model:\n  - linear: { weights: W1, bias: b1 }\n  - activation: f\n  - linear: { weights: W2 }\n  - activation: g\nloss: half_sse';

  it('writes the network, the forward pass and the backward pass with f(·) and f′(·)', () => {
    const trace = solveText(file) as SymbolicTrace;
    expect(trace.network.pretty).toBe('g(f(X·W₁ + b₁)·W₂)');
    expect(trace.forward.map((line) => `${line.name.pretty} = ${line.formula.pretty}`)).toEqual(['H₁ = X·W₁ + b₁', 'O₁ = f(H₁)', 'H₂ = O₁·W₂', 'ŷ = g(H₂)']);
    const activations = trace.backward.filter((step) => step.kind === 'activation');
    expect(activations.map((step) => [step.localDerivative.pretty, step.gradInput.pretty])).toEqual([['g′(H₂)', 'd ⊙ g′(H₂)'], ['f′(H₁)', 'd ⊙ f′(H₁)']]);
    expect(activations[1]!.localDerivative.latex).toBe("f'(H_{1})");
  });

  it('writes the shape of every matrix under each formula, from the same formulas', () => {
    const trace = solveText(file) as SymbolicTrace;
    expect(trace.forward.map((line) => line.shapes?.pretty)).toEqual(['[n×k₁] = [n×k₀]·[k₀×k₁] + [1×k₁]', '[n×k₁] = [n×k₁]', '[n×k₂] = [n×k₁]·[k₁×k₂]', '[n×k₂] = [n×k₂]']);
    const first = trace.backward.find((step) => step.index === 0)!;
    expect(first.shapes?.grads.W1?.pretty).toBe('[k₀×k₁] = [n×k₀]ᵀ·[n×k₁]');
    expect(first.shapes?.grads.b1?.pretty).toBe('[1×k₁] = [1×n]·[n×k₁]');
    expect(first.shapes?.gradInput.pretty).toBe('[n×k₀] = [n×k₁]·[k₀×k₁]ᵀ');
  });

  it('writes the elementwise form beside the matrix form', () => {
    const trace = solveText(file) as SymbolicTrace;
    expect(trace.forward.map((line) => line.elementwise?.pretty)).toEqual(['(H₁)ᵢⱼ = Σₖ Xᵢₖ·(W₁)ₖⱼ + (b₁)ⱼ', '(O₁)ᵢⱼ = f((H₁)ᵢⱼ)', '(H₂)ᵢⱼ = Σₖ (O₁)ᵢₖ·(W₂)ₖⱼ', 'ŷᵢⱼ = g((H₂)ᵢⱼ)']);
    const first = trace.backward.find((step) => step.index === 0)!;
    expect(first.elementwise?.grads.W1?.pretty).toBe('∂L/∂(W₁)ᵢⱼ = Σₖ Xₖᵢ·dₖⱼ');
    expect(first.elementwise?.grads.b1?.pretty).toBe('∂L/∂(b₁)ⱼ = Σᵢ dᵢⱼ');
    expect(trace.backward.find((step) => step.index === 1)!.elementwise?.gradInput?.pretty).toBe('dᵢⱼ ← dᵢⱼ·f′((H₁)ᵢⱼ)');
  });

  it('reads a known name as that activation, and is refused where numbers are needed', () => {
    const known = solveText('model:\n  - linear: { weights: W1 }\n  - activation: sigmoid\nloss: sse') as SymbolicTrace;
    expect(known.network.pretty).toBe('σ(X·W₁)');
    const numeric = 'model:\n  - linear: { weights: [[1]] }\n  - activation: f\nloss: mse\ndata: { x: [[1]], y: [[1]] }\ntrain: { lr: 1 }';
    expect(() => parseProblem(numeric)).toThrow(/model\[1\]\.activation: f is a function known only by its name/);
    expect(() => parseProblem(file.replace('activation: f', 'activation: 3'))).toThrow(/expected the function's name/);
  });
});


describe('the book’s settings given wrongly: exit 2 and one whole line naming the path', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mashagrad-book-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const symbolic = (lines: string) => `model:\n  - linear: { weights: W1 }\n  - activation: f\n  - linear: { weights: W2 }\n${lines}`;
  const BAD: [string, string, string, RegExp][] = [
    ['logistic with labels 0 and 1', problem('logistic', { y: '[[1], [0], [1]]' }), 'data.y[1]', /has 0, but logistic takes labels −1 or \+1/],
    ['a negative L2 coefficient', problem('mse', { l2: -1 }), 'l2', /the L2 coefficient λ must be 0 or more/],
    ['activation: f with numbers', problem('mse', { last: 'activation: f' }), 'model[3].activation', /f is a function known only by its name, .* or give the weights as names \(a symbolic problem\)$/],
    ['activation: f in a layer question', 'model:\n  - linear: { weights: [[1, 2]] }\n  - activation: f\nlayer: 2\nx: [[1, 2]]\ngradient: [[1, 1]]', 'model[1].activation',
      /f is a function known only by its name, which a layer question with numbers cannot compute; name a concrete activation \(relu, sigmoid, tanh, softmax, leaky_relu\)$/],
    ['l2 with weight_decay (both written λ)', problem('mse', { l2: 0.05, train: ', weight_decay: 0.01' }), 'l2', /is written λ, and so is train\.weight_decay: one solution cannot show both/],
    ['data in a symbolic problem', symbolic('loss: sse\ndata: { x: [[1, 2]], y: [[1]] }'), 'data', /is solved for any X and y and does not use data/],
    ['adam in a symbolic problem', symbolic('loss: sse\ntrain: { optimizer: adam, lr: 0.1 }'), 'train.optimizer', /writes plain gradient descent .*; adam's rule is not written/],
    ['a mean loss in a symbolic problem', symbolic('loss: logistic'), 'loss', /logistic divides by the number of observations, .*\(sse, half_sse, logloss_sum, logistic_sum\)/],
    ['a layer-wise update in a symbolic problem', symbolic('loss: sse\ntrain: { lr: 0.1, update: layerwise }'), 'train.update', /a symbolic problem writes the usual update/],
  ];

  it.each(BAD)('%s', async (name, text, path, message) => {
    const file = join(dir, `${name.replaceAll(/\W+/g, '-')}.yaml`);
    writeFileSync(file, text);
    const { exitCode, stderr } = await runMashagrad('solve', file);
    expect(exitCode).toBe(2);
    const lines = stderr.trimEnd().split('\n');
    expect(lines[0]).toBe(`mashagrad: ${file} has a problem:`);
    expect(lines).toHaveLength(2);
    expect(lines[1]!.startsWith(`  ${path}: `)).toBe(true);
    expect(lines[1]).toMatch(message);
    expect(lines[1]).not.toContain('…'); // not cut in the middle for being too long
  });
});

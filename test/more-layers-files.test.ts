import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tensor } from '../src/autograd/create.js';
import { buildModel, seedLayers } from '../src/files/build-model.js';
import { parseProblem } from '../src/files/load-problem.js';
import type { NetworkProblem } from '../src/files/plan.js';
import { ProblemFileError } from '../src/files/problem-error.js';
import { loadSavedModel, savedModel } from '../src/files/saved-model.js';

/** The problem-file spelling of dropout, layernorm, batchnorm1d, residual, rnn, gru and lstm (#19): what is accepted, and the one-line messages for what is not. */

const problem = (model: string[], x = '[[1, 2], [0, 1]]', y = '[[1], [0]]') =>
  ['model:', ...model.map((line) => `  - ${line}`), 'loss: mse', `data: { x: ${x}, y: ${y} }`, 'train: { lr: 0.1 }'].join('\n');
const problemsOf = (text: string): string[] => {
  try {
    parseProblem(text, 'p.yaml');
  } catch (error) {
    if (error instanceof ProblemFileError) return error.problems.map((p) => `${p.path}: ${p.message}`);
    throw error;
  }
  return [];
};

describe('the new layers in model:', () => {
  it('reads every one, with the widths flowing through', () => {
    const plan = parseProblem(problem([
      'linear: { weights: [[1, -1, 0], [0.5, 0, 1]] }', 'batchnorm1d', 'layernorm: { weight: [1, 2, 1] }',
      'residual: [ { linear: { in: 3, out: 3 } }, relu ]', 'dropout: { p: 0.25, seed: 3 }', 'rnn: { hidden: 2, inputs: 3 }', 'linear: { out: 1 }',
    ])) as NetworkProblem;
    expect(plan.layers.map((layer) => layer.kind)).toEqual(['linear', 'batchnorm1d', 'layernorm', 'residual', 'dropout', 'rnn', 'linear']);
    const model = buildModel(plan.layers);
    expect(model.forward(tensor([[1, 2], [0, 1]])).shape).toEqual([2, 1]);
    expect(model.namedParameters().map(([name]) => name)).toEqual([
      '0.weight', '1.weight', '1.bias', '2.weight', '2.bias', '3.body.0.weight', '5.weight_ih', '5.weight_hh', '5.bias_ih', '5.bias_hh', '6.weight',
    ]);
    expect(model.namedBuffers().map(([name]) => name)).toEqual(['1.running_mean', '1.running_var', '4.mask', '5.h0']);
  });

  it('says what is wrong, where, and what would be right', () => {
    expect(problemsOf(problem(['rnn: { hidden: 2, inputs: 3 }', 'linear: { out: 1 }']))[0]).toBe('model[0]: each row has 2 numbers, which is not a whole number of steps of 3 (inputs: 3)');
    expect(problemsOf(problem(['residual: [ { linear: { in: 2, out: 3 } } ]', 'linear: { out: 1 }']))[0]).toBe('model[0]: the layers inside turn 2 columns into 3, but y = x + f(x) needs f(x) as wide as x');
    expect(problemsOf(problem(['residual: [ { linear: { weights: [[1, 2], [3, 4], [5, 6]] } } ]', 'linear: { out: 1 }']))[0]).toMatch(/^model\[0\]\.residual\[0\]\.linear\.weights: 3 rows, but/);
    expect(problemsOf(problem(['batchnorm1d: { features: 3 }', 'linear: { out: 1 }']))[0]).toBe('model[0].batchnorm1d.features: is 3, but the layer\'s input has 2 columns');
    expect(problemsOf(problem(['dropout: { p: 1 }', 'linear: { out: 1 }']))[0]).toMatch(/^model\[0\]\.dropout\.p: p is the probability of dropping an input/);
    expect(problemsOf(problem(['dropout: { mask: [[1, 0, 1]] }', 'linear: { out: 1 }']))[0]).toBe('model[0].dropout.mask: every row needs 2 numbers (0 to drop, 1 to keep), one per column of the layer\'s input');
    expect(problemsOf(problem(['rnn: { inputs: 1 }', 'linear: { out: 1 }']))[0]).toBe('model[0].rnn.hidden: needed: the size of the hidden state (or weight_ih, [hidden, inputs])');
    expect(problemsOf(problem(['rnn: { hidden: 2, weight_hh: [[1]] }', 'linear: { out: 1 }']))[0]).toBe("model[0].rnn.weight_hh: must be 2×2 (hidden × hidden, as PyTorch's weight_hh_l0)");
    // GRU and LSTM stack their gates in the weights, as PyTorch: 3·hidden and 4·hidden rows.
    expect(problemsOf(problem(['gru: { hidden: 2, weight_hh: [[1, 0], [0, 1]] }', 'linear: { out: 1 }']))[0]).toBe("model[0].gru.weight_hh: must be 6×2 (3·hidden × hidden, as PyTorch's weight_hh_l0)");
    expect(problemsOf(problem(['lstm: { weight_ih: [[1], [2], [3]] }', 'linear: { out: 1 }']))[0]).toBe('model[0].lstm.weight_ih: has 3 rows, which is not 4 gates of a hidden state: 4·hidden rows');
    expect(problemsOf(problem(['lstm: { hidden: 2, c0: [0] }', 'linear: { out: 1 }']))[0]).toBe('model[0].lstm.c0: has 1 number, but the hidden state has 2');
    expect(problemsOf(problem(['gru: { hidden: 2, nonlinearity: relu }', 'linear: { out: 1 }']))[0]).toMatch(/^model\[0\]\.gru: Unrecognized key/);
    expect(problemsOf(problem(['gru: { hidden: 2, inputs: 1 }', 'linear: { out: 1 }']))).toEqual(["model[0].gru: a worked solution through a GRU is not written yet (an rnn's is); train it from a training file (mashagrad train) or use the library's GRU"]);
    // A prediction at every step: the targets give every step (steps × outputs numbers per row).
    expect(problemsOf(problem(['rnn: { hidden: 2, inputs: 1, output: steps }', 'linear: { out: 1 }']))[0]).toBe('data.y: 1 column per target, but the model outputs 2');
    expect(problemsOf(problem(['rnn: { hidden: 2, inputs: 1, output: steps }', 'linear: { out: 1 }'], '[[1, 2], [0, 1]]', '[[1, 0], [0, 1]]'))).toEqual([]);
    expect(problemsOf(problem(['residual: {}', 'linear: { out: 1 }']))[0]).toMatch(/^model\[0\]: a residual block lists its layers/);
    expect(problemsOf(problem(['layernorm: { shape: 2 }', 'linear: { out: 1 }']))[0]).toMatch(/^model\[0\]\.layernorm: Unrecognized key/);
  });

  it('seeds dropout and RNN weights from the run\'s seed, each layer its own, and a saved model reads back the same numbers', () => {
    const plan = parseProblem(problem(['batchnorm1d', 'rnn: { hidden: 2, inputs: 1 }', 'dropout: { p: 0.5 }', 'linear: { out: 1 }'])) as NetworkProblem;
    const seeded = seedLayers(plan.layers, 7);
    expect(seeded.map((layer) => ('seed' in layer ? layer.seed : 'init' in layer ? layer.init.seed : null))).toEqual([null, 701, 702, 703]);
    const model = buildModel(seeded);
    const x = tensor([[1, 2], [0, 1], [2, -1]]);
    model.forward(x);
    model.setTraining(false);
    const before = model.forward(x).toArray();
    const folder = mkdtempSync(join(tmpdir(), 'mashagrad-saved-'));
    const file = join(folder, 'model.json');
    writeFileSync(file, JSON.stringify(savedModel(model, { title: 't', loss: 'mse', dtype: 'float64', classNames: null, training: {} })));
    const { model: loaded } = loadSavedModel(file);
    loaded.setTraining(false);
    expect(loaded.forward(x).toArray()).toEqual(before);
  });
});

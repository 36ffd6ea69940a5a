import * as tf from '@tensorflow/tfjs';
import { scalar } from '../../src/autograd/create.js';
import type { Tensor } from '../../src/autograd/tensor.js';
import type { Contender } from './measure.js';

/**
 * (b) micrograd's MLP, every weight its own 0-d tensor: 2 inputs, two tanh layers of 16, one
 * linear output; squared-error loss summed over 100 samples; backward; plain SGD.
 * The network is written once over `ScalarOps`, so both libraries build the same graph.
 */
const SIZES = [2, 16, 16, 1];
const SAMPLES = 100;
const LEARNING_RATE = 0.001;

interface ScalarOps<T> {
  add(a: T, b: T): T;
  sub(a: T, b: T): T;
  mul(a: T, b: T): T;
  tanh(a: T): T;
}

interface Layer<T> {
  /** weights[j][i]: input i → neuron j. */
  weights: T[][];
  biases: T[];
}

/** A small seeded generator (LCG), so both libraries start from the same numbers. */
function uniforms(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return (state / 2 ** 32) * 2 - 1;
  };
}

function makeLayers<T>(leaf: (value: number) => T): Layer<T>[] {
  const next = uniforms(1);
  const layers: Layer<T>[] = [];
  for (let l = 1; l < SIZES.length; l++) {
    const fanIn = SIZES[l - 1]!;
    const fanOut = SIZES[l]!;
    layers.push({
      weights: Array.from({ length: fanOut }, () => Array.from({ length: fanIn }, () => leaf(next()))),
      biases: Array.from({ length: fanOut }, () => leaf(next())),
    });
  }
  return layers;
}

/** XOR-like data: x ∈ [−1, 1]², y = ±1 by the sign of x₀·x₁. */
function makeData<T>(constant: (value: number) => T): { xs: T[][]; ys: T[] } {
  const next = uniforms(2);
  const xs: T[][] = [];
  const ys: T[] = [];
  for (let s = 0; s < SAMPLES; s++) {
    const x0 = next();
    const x1 = next();
    xs.push([constant(x0), constant(x1)]);
    ys.push(constant(x0 * x1 > 0 ? 1 : -1));
  }
  return { xs, ys };
}

/** micrograd's neuron: b + Σ wᵢ·xᵢ, then tanh except on the output layer. */
function predict<T>(ops: ScalarOps<T>, layers: readonly Layer<T>[], input: readonly T[]): T {
  let activations = input;
  layers.forEach((layer, l) => {
    const last = l === layers.length - 1;
    activations = layer.weights.map((row, j) => {
      let act: T = layer.biases[j]!;
      row.forEach((w, i) => {
        act = ops.add(act, ops.mul(w, activations[i]!));
      });
      return last ? act : ops.tanh(act);
    });
  });
  return activations[0]!;
}

function loss<T>(ops: ScalarOps<T>, layers: readonly Layer<T>[], xs: readonly T[][], ys: readonly T[]): T {
  let total: T | null = null;
  xs.forEach((x, s) => {
    const error = ops.sub(predict(ops, layers, x), ys[s]!);
    const squared = ops.mul(error, error);
    total = total === null ? squared : ops.add(total, squared);
  });
  if (total === null) throw new Error('scalar MLP: no samples');
  return total;
}

const mashagradOps: ScalarOps<Tensor> = {
  add: (a, b) => a.add(b),
  sub: (a, b) => a.sub(b),
  mul: (a, b) => a.mul(b),
  tanh: (a) => a.tanh(),
};

const tfjsOps: ScalarOps<tf.Tensor> = {
  add: (a, b) => tf.add(a, b),
  sub: (a, b) => tf.sub(a, b),
  mul: (a, b) => tf.mul(a, b),
  tanh: (a) => tf.tanh(a),
};

/** Op results one forward pass creates: the graph size each iteration differentiates. */
export function mlpNodesPerIteration(): number {
  let count = 0;
  const counting: ScalarOps<number> = {
    add: () => ++count,
    sub: () => ++count,
    mul: () => ++count,
    tanh: () => ++count,
  };
  const { xs, ys } = makeData(() => 0);
  loss(counting, makeLayers(() => 0), xs, ys);
  return count;
}

/** Losses of successive iterations, so the two libraries can be checked against each other. */
interface Trainer {
  step(): number;
}

function mashagradTrainer(): Trainer {
  const layers = makeLayers((value) => scalar(value, { requiresGrad: true }));
  const parameters = layers.flatMap((layer) => [...layer.weights.flat(), ...layer.biases]);
  const { xs, ys } = makeData((value) => scalar(value));
  return {
    step() {
      const total = loss(mashagradOps, layers, xs, ys);
      total.backward();
      for (const w of parameters) {
        if (w.grad === null) throw new Error('scalar MLP: a weight got no gradient');
        const data = w.data;
        data[0] = data[0]! - LEARNING_RATE * w.grad.item();
        w.grad = null;
      }
      return total.item();
    },
  };
}

function tfjsTrainer(): Trainer {
  const layers = makeLayers((value) => tf.variable(tf.scalar(value)));
  const parameters = layers.flatMap((layer) => [...layer.weights.flat(), ...layer.biases]);
  const { xs, ys } = makeData((value) => tf.scalar(value));
  return {
    step() {
      return tf.tidy(() => {
        const { value, grads } = tf.variableGrads(() => loss(tfjsOps, layers, xs, ys) as tf.Scalar, parameters);
        for (const w of parameters) w.assign(tf.sub(w, tf.mul(grads[w.name]!, LEARNING_RATE)));
        return value.dataSync()[0]!;
      });
    },
  };
}

function contender(name: string, trainer: Trainer, iterations: number): Contender {
  const nodes = mlpNodesPerIteration() * iterations;
  return {
    name,
    run: () => {
      for (let i = 0; i < iterations; i++) trainer.step();
      return nodes;
    },
  };
}

export function mashagradMlpContender(iterations: number): Contender {
  return contender('mashagrad MLP', mashagradTrainer(), iterations);
}

export function tfjsMlpContender(iterations: number): Contender {
  return contender('TF.js MLP', tfjsTrainer(), iterations);
}

/** Three SGD steps in each library: the losses must agree (TF.js computes in float32). */
export function checkMlp(): void {
  const ours = mashagradTrainer();
  const theirs = tfjsTrainer();
  for (let i = 0; i < 3; i++) {
    const a = ours.step();
    const b = theirs.step();
    if (Math.abs(a - b) > 1e-4 * Math.abs(a)) throw new Error(`scalar MLP: loss of step ${i} differs: mashagrad ${a}, TF.js ${b}`);
  }
}

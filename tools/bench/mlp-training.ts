import { existsSync } from 'node:fs';
import type { Dataset } from '../../src/data/dataset.js';
import * as tf from '@tensorflow/tfjs';
import { zeros } from '../../src/autograd/create.js';
import { FASHION_MNIST_DIR, loadMnistFormat } from '../../src/data/mnist.js';
import { ReLU, Softmax } from '../../src/nn/activations.js';
import { initialise } from '../../src/nn/init.js';
import { Linear } from '../../src/nn/linear.js';
import { Sequential } from '../../src/nn/sequential.js';
import { createOptimizer } from '../../src/optim/create.js';
import { setBackend } from '../../src/kernels/active.js';
import type { Backend } from '../../src/kernels/backend.js';
import { Random } from '../../src/tensor/random.js';
import { epochOrder, fillBatch } from '../../src/train/batches.js';
import { compileTrainingStep } from '../../src/train/training-step.js';
import type { Contender } from './measure.js';
import { useTfBackend } from './matmul.js';

/**
 * (d) Training the MLP 784-256-128-10 (ReLU, softmax + cross-entropy, Adam γ = 0.001,
 * float32, batches of 64): forward, backward and the update, the batches drawn from Fashion-MNIST
 * in a shuffled order. Each sample of the benchmark trains STEPS batches; rates are samples/s.
 */
export const BATCH = 64;
const STEPS = 20;
const SIZES = [784, 256, 128, 10] as const;
const ROWS = 6400;

/** The rows to train on, and where they came from (for the report). */
export interface TrainingData {
  readonly rows: Dataset;
  readonly source: string;
}

/** The first ROWS rows of Fashion-MNIST's training split, or random rows of its shape when it is not installed. */
export function trainingData(): TrainingData {
  if (existsSync(FASHION_MNIST_DIR)) {
    const { train } = loadMnistFormat(FASHION_MNIST_DIR, { limit: ROWS });
    return { rows: train, source: `Fashion-MNIST (${FASHION_MNIST_DIR}), its first ${train.count} training rows` };
  }
  const random = new Random(3);
  const rows: Dataset = {
    source: 'random', count: ROWS, features: 784, classes: 10, classNames: null, targets: null, targetWidth: 0,
    x: Float32Array.from({ length: ROWS * 784 }, () => random.next()),
    labels: Int32Array.from({ length: ROWS }, () => Math.floor(random.next() * 10)),
  };
  return { rows, source: `random data of Fashion-MNIST's shape (${FASHION_MNIST_DIR} is not installed: apt-get install dataset-fashion-mnist)` };
}

/** Batches of BATCH rows in one seeded shuffled order, for every contender alike, copied into x and y (one-hot). */
function batches(data: Dataset): (x: Float32Array | Float64Array, y: Float32Array | Float64Array) => void {
  const order = epochOrder(data.count, new Random(1));
  let cursor = 0;
  return (x, y) => {
    if (cursor + BATCH > data.count) cursor = 0;
    fillBatch(data, order, cursor, BATCH, 10, x, y);
    cursor += BATCH;
  };
}

/** mashagrad's compiled training step on one backend. */
export function mashagradTraining(data: TrainingData, name: string, on: Backend): Contender {
  const linear = (inputs: number, outputs: number, seed: number) =>
    new Linear(initialise([inputs, outputs], { init: 'he', seed }, inputs, outputs, 'float32'), zeros([outputs], 'float32'));
  const model = new Sequential([linear(784, 256, 1), new ReLU(), linear(256, 128, 2), new ReLU(), linear(128, 10, 3), new Softmax()]);
  const step = compileTrainingStep(model, 'cross_entropy', { batch: BATCH, features: 784, outputs: 10, dtype: 'float32' });
  const optimizer = createOptimizer(model.parameters(), { optimizer: 'adam', lr: 0.001 });
  const nextBatch = batches(data.rows);
  return {
    name,
    run: () => {
      setBackend(on);
      for (let s = 0; s < STEPS; s++) {
        nextBatch(step.x, step.y);
        step.run();
        optimizer.stepWith(step.gradients);
      }
      if (!Number.isFinite(step.loss[0]!)) throw new Error(`${name}: the loss is ${step.loss[0]}`);
      return STEPS * BATCH;
    },
  };
}

/** The same model and loop in TF.js: a Keras-style sequential model, optimizer.minimize per batch. */
export function tfjsTraining(data: TrainingData, backend: 'cpu' | 'wasm'): Contender & { dispose(): void } {
  useTfBackend(backend);
  const model = tf.sequential({
    layers: [
      tf.layers.dense({ inputShape: [SIZES[0]], units: SIZES[1], activation: 'relu', kernelInitializer: 'heNormal' }),
      tf.layers.dense({ units: SIZES[2], activation: 'relu', kernelInitializer: 'heNormal' }),
      tf.layers.dense({ units: SIZES[3] }),
    ],
  });
  const optimizer = tf.train.adam(0.001);
  const nextBatch = batches(data.rows);
  const x = new Float32Array(BATCH * 784);
  const y = new Float32Array(BATCH * 10);
  return {
    name: `TF.js ${backend}`,
    run: () => {
      useTfBackend(backend);
      let last = 0;
      for (let s = 0; s < STEPS; s++) {
        nextBatch(x, y);
        const loss = tf.tidy((): tf.Scalar => {
          const xs = tf.tensor2d(x, [BATCH, 784]);
          const ys = tf.tensor2d(y, [BATCH, 10]);
          const value = optimizer.minimize(() => tf.losses.softmaxCrossEntropy<tf.Tensor2D, tf.Scalar>(ys, model.apply(xs) as tf.Tensor2D), true);
          if (value === null) throw new Error('TF.js: minimize returned no loss');
          return value;
        });
        if (s === STEPS - 1) last = loss.dataSync()[0]!;
        loss.dispose();
      }
      if (!Number.isFinite(last)) throw new Error(`TF.js ${backend}: the loss is ${last}`);
      return STEPS * BATCH;
    },
    dispose: () => {
      model.dispose();
      optimizer.dispose();
    },
  };
}

import { sigmoid } from '../../../src/autograd/api.js';
import { tensor } from '../../../src/autograd/create.js';
import { noGrad } from '../../../src/autograd/grad-mode.js';
import type { Tensor } from '../../../src/autograd/tensor.js';
import { ReLU, Sigmoid, Tanh } from '../../../src/nn/activations.js';
import { initialise } from '../../../src/nn/init.js';
import type { Layer } from '../../../src/nn/layer.js';
import { Linear } from '../../../src/nn/linear.js';
import { computeLoss } from '../../../src/nn/losses.js';
import { Sequential } from '../../../src/nn/sequential.js';
import { createOptimizer, type OptimizerName } from '../../../src/optim/create.js';
import type { Optimizer } from '../../../src/optim/optimizer.js';
import { Random } from '../../../src/tensor/random.js';
import { makeDataset, type Dataset, type DatasetName } from './datasets.js';

export type ActivationName = 'tanh' | 'relu' | 'sigmoid';
/** logloss on the logit (PyTorch's BCEWithLogitsLoss), or mse on σ(logit) as TensorFlow Playground's squared error. */
export type TrainingLoss = 'logloss' | 'mse';
export const TRAINING_LOSSES: readonly TrainingLoss[] = ['logloss', 'mse'];
export const ACTIVATION_NAMES: readonly ActivationName[] = ['tanh', 'relu', 'sigmoid'];

export interface TrainingSettings {
  readonly dataset: DatasetName;
  /** Widths of the hidden layers: [8, 8]. */
  readonly hidden: readonly number[];
  readonly activation: ActivationName;
  readonly optimizer: OptimizerName;
  readonly loss: TrainingLoss;
  readonly lr: number;
  readonly batch: number;
  readonly seed: number;
}

export const DEFAULT_TRAINING: TrainingSettings = { dataset: 'xor', hidden: [8, 8], activation: 'tanh', optimizer: 'adam', loss: 'logloss', lr: 0.03, batch: 10, seed: 1 };

export interface TrainingReport {
  readonly step: number;
  readonly loss: number;
  readonly accuracy: number;
  /** Set when the loss stopped being a finite number: training stops. */
  readonly diverged: boolean;
  /** Why training could not go on, when it was not a divergence. */
  readonly reason?: string;
}

/** One linear layer's numbers, for the picture of the network: W is [inputs, outputs], row by row. */
export interface LayerWeights {
  readonly inputs: number;
  readonly outputs: number;
  readonly weight: Float64Array;
  readonly bias: Float64Array;
}

const ACTIVATIONS: Readonly<Record<ActivationName, () => Layer>> = { tanh: () => new Tanh(), relu: () => new ReLU(), sigmoid: () => new Sigmoid() };

/** The chosen loss of the network's logits against the labels (both [n, 1]). */
function lossOf(kind: TrainingLoss, logits: Tensor, labels: Tensor): Tensor {
  return kind === 'logloss' ? computeLoss('logloss', logits, labels, true) : computeLoss('mse', sigmoid(logits), labels);
}

/**
 * Binary classification in the plane with mashagrad's own layers, loss and optimizers: the
 * network ends in one logit; the loss is logloss computed from the logits, or mse on σ(logit).
 */
export class Trainer {
  readonly dataset: Dataset;
  readonly model: Sequential;
  private readonly optimizer: Optimizer;
  private readonly random: Random;
  private readonly x: Tensor;
  private readonly y: Tensor;
  private steps = 0;
  private stopped = false;

  constructor(readonly settings: TrainingSettings) {
    this.dataset = makeDataset(settings.dataset, 200, settings.seed);
    this.random = new Random(settings.seed + 1);
    const widths = [2, ...settings.hidden, 1];
    const layers: Layer[] = [];
    for (let i = 0; i + 1 < widths.length; i++) {
      const [inputs, outputs] = [widths[i]!, widths[i + 1]!];
      const weight = initialise([inputs, outputs], { init: 'xavier', seed: settings.seed * 100 + i }, inputs, outputs);
      layers.push(new Linear(weight, initialise([outputs], { init: 'zeros' }, inputs, outputs)));
      if (i + 2 < widths.length) layers.push(ACTIVATIONS[settings.activation]());
    }
    this.model = new Sequential(layers);
    this.optimizer = createOptimizer(this.model.parameters(), { optimizer: settings.optimizer, lr: settings.lr });
    const count = this.dataset.labels.length;
    this.x = tensor(this.dataset.points, { shape: [count, 2] });
    this.y = tensor(this.dataset.labels, { shape: [count, 1] });
  }

  /** One optimizer step on a random batch. */
  step(): TrainingReport {
    if (this.stopped) return this.report();
    const count = this.dataset.labels.length;
    const size = Math.max(1, Math.min(count, Math.round(this.settings.batch)));
    const points = new Float64Array(2 * size);
    const labels = new Float64Array(size);
    for (let i = 0; i < size; i++) {
      const pick = Math.floor(this.random.next() * count);
      points[2 * i] = this.dataset.points[2 * pick]!;
      points[2 * i + 1] = this.dataset.points[2 * pick + 1]!;
      labels[i] = this.dataset.labels[pick]!;
    }
    this.model.zeroGrad();
    const logits = this.model.forward(tensor(points, { shape: [size, 2] }));
    const loss = lossOf(this.settings.loss, logits, tensor(labels, { shape: [size, 1] }));
    loss.backward();
    this.optimizer.step();
    this.steps++;
    return this.report();
  }

  /** Loss and accuracy on the whole dataset. */
  report(): TrainingReport {
    return noGrad(() => {
      const logits = this.model.forward(this.x);
      const loss = lossOf(this.settings.loss, logits, this.y).item();
      const logit = logits.data;
      let right = 0;
      for (let i = 0; i < this.dataset.labels.length; i++) if ((logit[i]! > 0 ? 1 : 0) === this.dataset.labels[i]) right++;
      const finiteParameters = this.model.parameters().every((parameter) => parameter.data.every(Number.isFinite));
      this.stopped ||= !Number.isFinite(loss) || !finiteParameters;
      return { step: this.steps, loss, accuracy: right / this.dataset.labels.length, diverged: this.stopped };
    });
  }

  /** The current weights and biases of every linear layer (copies: they are sent to the page). */
  weights(): LayerWeights[] {
    return this.model.layers.flatMap((layer) => layer instanceof Linear
      ? [{ inputs: layer.inputs, outputs: layer.outputs, weight: Float64Array.from(layer.weight.data), bias: Float64Array.from(layer.bias?.data ?? new Float64Array(layer.outputs)) }]
      : []);
  }

  /** P(label 1) on a size×size grid over [−1, 1]², row by row from the top: the decision boundary's heat map. */
  probabilities(size: number): Float64Array {
    const grid = new Float64Array(2 * size * size);
    for (let row = 0; row < size; row++) {
      for (let column = 0; column < size; column++) {
        const i = row * size + column;
        grid[2 * i] = -1 + (2 * (column + 0.5)) / size;
        grid[2 * i + 1] = 1 - (2 * (row + 0.5)) / size;
      }
    }
    return noGrad(() => Float64Array.from(sigmoid(this.model.forward(tensor(grid, { shape: [size * size, 2] }))).data));
  }
}

import {
  BlowUpWatch, evaluator, Linear, noGrad, Random, Stepper, takeRows, tensor,
  type Dataset, type LossName, type OptimizerName, type Sequential, type StepOutcome, type Tensor,
} from '../../../src/index.js';
import { buildModel, seedLayers, type LayerPlan } from '../../../src/problem/index.js';
import { readCsv } from './csv-data.js';
import { FEATURES, isRegression, makeDataset, type DataName, type FeatureName } from './datasets.js';

export type ActivationName = 'tanh' | 'relu' | 'sigmoid' | 'linear';
export const ACTIVATION_NAMES: readonly ActivationName[] = ['tanh', 'relu', 'sigmoid', 'linear'];
/** logloss on the logit (PyTorch's BCEWithLogitsLoss), or mse on σ(logit) as TensorFlow Playground's squared error; regression is always mse. */
export type TrainingLoss = 'logloss' | 'mse';
export const TRAINING_LOSSES: readonly TrainingLoss[] = ['logloss', 'mse'];
export type RegularizationName = 'none' | 'l1' | 'l2';
export const REGULARIZATION_NAMES: readonly RegularizationName[] = ['none', 'l1', 'l2'];

export interface TrainingSettings {
  readonly dataset: DataName;
  /** Your own points as CSV text (x₁, x₂, label), trained on when dataset is 'csv'. */
  readonly csv: string;
  /** Widths of the hidden layers: [8, 8]. */
  readonly hidden: readonly number[];
  readonly activation: ActivationName;
  readonly optimizer: OptimizerName;
  readonly loss: TrainingLoss;
  readonly lr: number;
  readonly batch: number;
  /** Seed of the initial weights and of the batches' order. */
  readonly seed: number;
  /** Seed of the points: "regenerate" draws new ones. */
  readonly dataSeed: number;
  /** TensorFlow Playground's noise, 0–50. */
  readonly noise: number;
  /** Percent of the points used for training, 10–90; the rest are the test points. */
  readonly trainPercent: number;
  readonly features: readonly FeatureName[];
  readonly regularization: RegularizationName;
  readonly regularizationRate: number;
}

export const DEFAULT_TRAINING: TrainingSettings = {
  dataset: 'xor', csv: '', hidden: [8, 8], activation: 'tanh', optimizer: 'adam', loss: 'logloss', lr: 0.03, batch: 10, seed: 1,
  dataSeed: 1, noise: 5, trainPercent: 50, features: ['x1', 'x2'], regularization: 'none', regularizationRate: 0,
};

/** Points in the plane: 200 of them, as in TensorFlow Playground (half train, half test by default). */
export const POINT_COUNT = 200;

/** Why training stopped: the loss stopped being a number, or stayed far above where it began. */
export type StopReason = 'diverged' | 'blownUp';

export interface TrainingReport {
  readonly step: number;
  /** Epochs completed (passes over the training points). */
  readonly epoch: number;
  readonly loss: number;
  readonly testLoss: number | null;
  /** Null for regression. */
  readonly accuracy: number | null;
  readonly testAccuracy: number | null;
  /** The training loss before any step, which a blow-up is measured against. */
  readonly startLoss: number;
  readonly stopped: StopReason | null;
}

/** One linear layer's numbers, for the picture of the network: W is [inputs, outputs], row by row. */
export interface LayerWeights {
  readonly inputs: number;
  readonly outputs: number;
  readonly weight: Float64Array;
  readonly bias: Float64Array;
}

/**
 * The layers of the page's network as a problem file would list them (the library builds and
 * seeds them): one output and a sigmoid for two classes, a softmax over `classes` outputs for
 * more, one output and nothing after it for regression (classes 0).
 */
export function layerPlans(settings: TrainingSettings, classes = isRegression(settings.dataset) ? 0 : 2): LayerPlan[] {
  const widths = [settings.features.length, ...settings.hidden, classes > 2 ? classes : 1];
  const plans: LayerPlan[] = [];
  for (let i = 0; i + 1 < widths.length; i++) {
    plans.push({ kind: 'linear', inputs: widths[i]!, outputs: widths[i + 1]!, weights: null, bias: { init: true }, init: { init: 'xavier' } });
    // 'linear' is no layer at all: the identity.
    if (i + 2 < widths.length && settings.activation !== 'linear') plans.push({ kind: settings.activation });
  }
  if (classes > 2) plans.push({ kind: 'softmax' });
  else if (classes === 2) plans.push({ kind: 'sigmoid' });
  return plans;
}

/** The feature columns of the points (each row the chosen features of one point). */
function featureRows(points: Float64Array, features: readonly FeatureName[]): Float32Array {
  const count = points.length / 2;
  const x = new Float32Array(count * features.length);
  for (let i = 0; i < count; i++) {
    features.forEach((name, f) => (x[i * features.length + f] = FEATURES[name](points[2 * i]!, points[2 * i + 1]!)));
  }
  return x;
}

/** The points as the library's Dataset: class labels (classes of them), or regression targets (classes 0). */
export function planeDataset(points: Float64Array, labels: Float64Array, features: readonly FeatureName[], classes: number, source = 'playground'): Dataset {
  const count = labels.length;
  const regression = classes === 0;
  return {
    source, count, features: features.length, x: featureRows(points, features),
    labels: regression ? null : Int32Array.from(labels), classes, classNames: null,
    targets: regression ? Float32Array.from(labels) : null, targetWidth: regression ? 1 : 0,
  };
}

/**
 * The training mode's run, with the library's parts only: the model a problem file would
 * describe (buildModel, seedLayers), the library's training step (Stepper: batches, loss,
 * regularization, optimizer), its evaluation and its blow-up watch.
 */
export class Trainer {
  readonly points: Float64Array;
  readonly labels: Float64Array;
  /** Per point: true when it is a test point. */
  readonly isTest: Uint8Array;
  readonly model: Sequential;
  readonly regression: boolean;
  /** Classes of the labels: 2 for the generated sets, as many as your CSV has, 0 for regression. */
  readonly classes: number;
  /** Your CSV's labels as written, in class order (null for the generated sets). */
  readonly classNames: readonly string[] | null;
  readonly loss: LossName;
  readonly train: Dataset;
  readonly test: Dataset | null;
  readonly stepper: Stepper;
  private readonly scoreTrain: () => { loss: number; accuracy: number | null };
  private readonly scoreTest: (() => { loss: number; accuracy: number | null }) | null;
  private readonly watch = new BlowUpWatch();
  private steps = 0;
  private stopped: StopReason | null = null;
  private readonly startLoss: number;
  /** The last step's outcome (its batch), for the worked step of that batch. */
  last: StepOutcome | null = null;

  constructor(readonly settings: TrainingSettings) {
    const own = settings.dataset === 'csv' ? readCsv(settings.csv) : null;
    const made = own ?? makeDataset(settings.dataset as Exclude<DataName, 'csv'>, POINT_COUNT, settings.dataSeed, settings.noise);
    this.points = made.points;
    this.labels = made.labels;
    this.regression = isRegression(settings.dataset);
    this.classes = this.regression ? 0 : own?.classNames.length ?? 2;
    this.classNames = own?.classNames ?? null;
    // Several classes: softmax's cross-entropy (the logloss of many classes), or mse on its probabilities.
    this.loss = this.regression ? 'mse' : this.classes > 2 && settings.loss === 'logloss' ? 'cross_entropy' : settings.loss;
    const all = planeDataset(made.points, made.labels, settings.features, this.classes);
    const count = made.labels.length;
    this.isTest = testMask(count, settings.trainPercent, settings.dataSeed);
    const rows = (test: number) => Int32Array.from({ length: count }, (_, i) => i).filter((i) => this.isTest[i] === test);
    this.train = takeRows(all, rows(0), 'training points');
    this.test = this.train.count === count ? null : takeRows(all, rows(1), 'test points');
    this.model = buildModel(seedLayers(layerPlans(settings, this.classes), settings.seed));
    this.stepper = new Stepper(this.model, this.train, {
      loss: this.loss, optimizer: { optimizer: settings.optimizer, lr: settings.lr },
      batch: Math.min(settings.batch, this.train.count), shuffle: true, seed: settings.seed, dtype: 'float64',
      regularization: settings.regularization === 'none' ? null : { kind: settings.regularization, rate: settings.regularizationRate },
    });
    this.scoreTrain = evaluator(this.model, this.train, this.loss, 'float64');
    this.scoreTest = this.test === null ? null : evaluator(this.model, this.test, this.loss, 'float64');
    this.startLoss = this.scoreTrain().loss;
    this.watch.observe(this.startLoss);
  }

  /** Steps taken so far. */
  get stepsDone(): number {
    return this.steps;
  }

  get isStopped(): boolean {
    return this.stopped !== null;
  }

  /** One step of the library's Stepper on the next batch; false once training has stopped. */
  step(): boolean {
    if (this.stopped !== null) return false;
    const outcome = this.stepper.step();
    this.last = outcome;
    this.steps++;
    if (!outcome.updated) this.stopped = 'diverged';
    else if (this.watch.observe(outcome.loss)) this.stopped = 'blownUp';
    return this.stopped === null;
  }

  /** Loss and accuracy on the training and the test points. */
  report(): TrainingReport {
    const train = this.scoreTrain();
    const test = this.scoreTest?.() ?? null;
    if (this.stopped === null && !Number.isFinite(train.loss)) this.stopped = 'diverged';
    return {
      // The stepper's epoch is the one its next step belongs to: the ones before it are complete.
      step: this.steps, epoch: this.stepper.epoch - 1,
      loss: train.loss, testLoss: test?.loss ?? null, accuracy: train.accuracy, testAccuracy: test?.accuracy ?? null,
      startLoss: this.startLoss, stopped: this.stopped,
    };
  }

  /** The current weights and biases of every linear layer (copies: they are sent to the page). */
  weights(): LayerWeights[] {
    return this.linears().map((layer) => ({ inputs: layer.weight.shape[0]!, outputs: layer.weight.shape[1]!, weight: Float64Array.from(layer.weight.data), bias: Float64Array.from(layer.bias?.data ?? []) }));
  }

  /** Set one weight (layer k, from input i to output j) or, with `to` null, the bias of output i. */
  setWeight(layer: number, from: number, to: number | null, value: number): void {
    const linear = this.linears()[layer];
    if (linear === undefined || !Number.isFinite(value)) return;
    if (to === null) {
      if (linear.bias !== null && from < linear.bias.data.length) linear.bias.data[from] = value;
    } else if (from < linear.weight.shape[0]! && to < linear.weight.shape[1]!) {
      linear.weight.data[from * linear.weight.shape[1]! + to] = value;
    }
  }

  private linears(): Linear[] {
    return this.model.layers.filter((layer): layer is Linear => layer instanceof Linear);
  }

  /**
   * The network's output on a size×size grid over [−1, 1]², row by row from the top: P(label 1)
   * for two classes, each class's probability (`classes` numbers a cell) for more, the value for
   * regression; and, per neuron (inputs first, then each
   * hidden layer after its activation), its own output on the grid, for the small heat maps.
   */
  grid(size: number, withNeurons: boolean): { output: Float64Array; neurons: Float64Array[] } {
    const count = size * size;
    const points = new Float64Array(2 * count);
    for (let row = 0; row < size; row++) {
      for (let column = 0; column < size; column++) {
        const i = row * size + column;
        points[2 * i] = -1 + (2 * (column + 0.5)) / size;
        points[2 * i + 1] = 1 - (2 * (row + 0.5)) / size;
      }
    }
    const features = this.settings.features.length;
    const x = featureRows(points, this.settings.features);
    return noGrad(() => {
      let h: Tensor = tensor(Float64Array.from(x), { shape: [count, features] });
      const neurons: Float64Array[] = withNeurons ? columns(h) : [];
      const layers = this.model.layers;
      layers.forEach((layer, index) => {
        h = layer.forward(h);
        // A hidden layer's neurons are its output after the activation (or after the linear layer for 'linear').
        const next = layers[index + 1];
        const hiddenEnd = index < layers.length - 1 && (next === undefined || next.kind === 'linear') && index < layers.length - 2;
        if (withNeurons && hiddenEnd) neurons.push(...columns(h));
      });
      return { output: Float64Array.from(h.data), neurons };
    });
  }
}

/** Column j of a [rows, width] tensor, for each j. */
function columns(h: Tensor): Float64Array[] {
  const [rows, width] = [h.shape[0]!, h.shape[1]!];
  return Array.from({ length: width }, (_, j) => Float64Array.from({ length: rows }, (_v, r) => h.data[r * width + j]!));
}

/** Which points are test points: a seeded shuffle holds out (100 − trainPercent)% of them (at least one train point). */
function testMask(count: number, trainPercent: number, seed: number): Uint8Array {
  const mask = new Uint8Array(count);
  const order = Int32Array.from({ length: count }, (_, row) => row);
  new Random(seed + 1).shuffle(order);
  const testCount = Math.min(count - 1, Math.round((count * (100 - trainPercent)) / 100));
  for (const row of order.subarray(0, testCount)) mask[row] = 1;
  return mask;
}

import { dirname, isAbsolute, resolve } from 'node:path';
import { z } from 'zod';
import type { Dataset } from '../data/dataset.js';
import { LOSSES, LOSS_NAMES, type LossName } from '../nn/losses.js';
import { outputWidth } from '../train/batches.js';
import { readFileReferences } from './file-references.js';
import { checkLayers, checkLossPlacement, checkNoGenericActivation, labelsText, parseYamlMapping, titlesOf, zodProblems } from './load-problem.js';
import { isRecurrentPlan } from './more-layers.js';
import { readProblemText } from './read-problem.js';
import type { LayerPlan, Titles } from './plan.js';
import { ProblemFileError, type Problem } from './problem-error.js';
import { checkModelSize } from './size-limits.js';
import { titleSchema, trainSchema, type TrainSpec } from './schema.js';

/*
 * A training file: a problem file's model, loss and train settings, with a data set to read
 * instead of numbers written out. `mashagrad train FILE` runs it.
 */

/** standardize: shift and scale every feature by the training split's mean and standard deviation (one pair for all). */
const standardize = z.boolean().optional();

export const datasetSchema = z.union([
  z.literal('fashion-mnist'),
  z.strictObject({ name: z.literal('fashion-mnist'), standardize }),
  z.strictObject({ idx: z.string().min(1), standardize }),
  /** Two .npy files: observations (rows) and their class labels or targets. */
  z.strictObject({
    npy: z.strictObject({ x: z.string().min(1), y: z.string().min(1) }),
    standardize,
    task: z.enum(['classification', 'regression']).optional(),
    test_fraction: z.number().min(0).lt(1).optional(),
  }),
  z.strictObject({
    csv: z.string().min(1),
    standardize,
    target: z.union([z.string(), z.number().int().min(0)]).optional(),
    task: z.enum(['classification', 'regression']).optional(),
    test_fraction: z.number().min(0).lt(1).optional(),
  }),
]);
export type DatasetSpec = z.infer<typeof datasetSchema>;

export const trainingFileSchema = z.strictObject({
  title: titleSchema.optional(),
  description: z.string().optional(),
  dataset: datasetSchema,
  model: z.array(z.unknown()).min(1, 'the model needs at least one layer'),
  loss: z.enum(LOSS_NAMES),
  // A training run starts its optimizer afresh: `state` is for a problem file's single step.
  train: trainSchema.omit({ state: true }).extend({
    /** Multiply the learning rate by this after every epoch (PyTorch's ExponentialLR(gamma)). */
    lr_decay: z.number().gt(0).max(1).optional(),
  }),
  /** float32 (default: twice the speed, half the memory) or float64. */
  dtype: z.enum(['float32', 'float64']).default('float32'),
});

/** A checked training file whose data set has not been read yet. */
export interface TrainingFile {
  readonly file: string;
  readonly title: string;
  readonly titles?: Titles;
  /** Paths in the data set are resolved against the file's folder. */
  readonly dataset: DatasetSpec;
  readonly model: readonly unknown[];
  readonly loss: LossName;
  readonly train: TrainSpec & { readonly lr_decay?: number | undefined };
  readonly dtype: 'float32' | 'float64';
}

/** A training file checked against its data: layers with their widths. */
export interface TrainingPlan extends TrainingFile {
  readonly layers: readonly LayerPlan[];
}

function resolveDataset(spec: DatasetSpec, file: string): DatasetSpec {
  const near = (path: string) => (isAbsolute(path) ? path : resolve(dirname(file), path));
  if (spec === 'fashion-mnist' || 'name' in spec) return spec;
  if ('npy' in spec) return { ...spec, npy: { x: near(spec.npy.x), y: near(spec.npy.y) } };
  return 'idx' in spec ? { ...spec, idx: near(spec.idx) } : { ...spec, csv: near(spec.csv) };
}

/** Read and check a training file up to what needs the data (layer widths come from it). */
export function loadTrainingFile(file: string): TrainingFile {
  const data = readFileReferences(parseYamlMapping(readProblemText(file), file), file);
  const parsed = trainingFileSchema.safeParse(data);
  if (!parsed.success) throw new ProblemFileError(file, zodProblems(parsed.error.issues));
  const spec = parsed.data;
  return {
    file, ...titlesOf(spec.title, file), dataset: resolveDataset(spec.dataset, file),
    model: spec.model, loss: spec.loss, train: spec.train, dtype: spec.dtype,
  };
}

/**
 * A linear layer of a training file has a bias unless it says `bias: false` (PyTorch's default;
 * the sheet's problems, whose layers have none, are problem files, not training files).
 */
function withBiasByDefault(entry: unknown): unknown {
  if (typeof entry !== 'object' || entry === null) return entry;
  // Convolutions too (conv2d, conv1d): PyTorch's nn.Conv2d has a bias unless told not to.
  const kind = (['linear', 'conv2d', 'conv1d'] as const).find((name) => name in entry);
  if (kind === undefined) return entry;
  const options = (entry as Record<string, unknown>)[kind];
  if (typeof options !== 'object' || options === null || 'bias' in options) return entry;
  return { ...entry, [kind]: { ...options, bias: true } };
}

/** The model's layers checked against the data: input width, output width and loss. */
export function planTraining(training: TrainingFile, data: Dataset): TrainingPlan {
  const problems: Problem[] = [];
  const { layers, width } = checkLayers(training.model.map(withBiasByDefault), data.features, problems, 'the data set');
  layers.forEach((layer, index) => {
    if (layer.kind !== 'linear') return;
    if (typeof layer.weights === 'string' || typeof layer.bias === 'string') {
      problems.push({ path: `model[${index}].linear`, message: 'weights and biases given as names make a symbolic problem (mashagrad solve); a training file needs numbers or an initialiser (in, out, init)' });
    }
  });
  layers.forEach((layer, index) => {
    // The targets of a data set are one class or value per row, not one per step.
    if (isRecurrentPlan(layer) && layer.output === 'steps') problems.push({ path: `model[${index}].${layer.kind}.output`, message: 'steps (a prediction at every step) is for problem files, whose targets give every step; a training file takes output: last or all' });
  });
  if (training.train.update === 'layerwise') {
    problems.push({ path: 'train.update', message: 'a layer-wise update is for problems worked by hand (mashagrad solve); a training file updates every layer after the whole backward pass' });
  }
  if (training.train.order !== undefined) {
    problems.push({ path: 'train.order', message: 'a hand-worked order of observations is for problem files; a training file takes its rows in file order, or shuffled with shuffle: true' });
  }
  const wanted = outputWidth(data);
  const what = data.labels !== null ? `${data.classes} classes` : `${data.targetWidth} target column${data.targetWidth === 1 ? '' : 's'}`;
  const lastLinear = [...layers].reverse().find((layer) => layer.kind === 'linear');
  if (lastLinear === undefined && problems.length === 0) {
    problems.push({ path: 'model', message: 'needs at least one linear layer: there is nothing to train' });
  }
  // Two classes fit one output (the probability of class 1) under every loss but cross-entropy, whose softmax of one number is always 1.
  const oneForTwo = data.classes === 2 && width === 1 && training.loss !== 'cross_entropy';
  if (problems.length === 0 && width !== null && lastLinear !== undefined && width !== wanted && !oneForTwo) {
    problems.push({ path: 'model', message: `the model gives ${width} output${width === 1 ? '' : 's'}, but ${data.source} has ${what}: the last linear layer needs out: ${wanted}${data.classes === 2 ? ' (or out: 1 with logloss)' : ''}` });
  }
  checkLossPlacement(training.loss, layers, problems);
  checkNoGenericActivation(layers, problems, 'a training run');
  checkModelSize(layers, problems);
  const { labels } = LOSSES[training.loss];
  if (labels !== undefined) {
    problems.push({ path: 'loss', message: `${training.loss} takes labels ${labelsText(labels, 'and')}, and a data set's classes are 0, 1, …; use logloss (after a sigmoid) for two classes` });
  }
  if (data.labels === null && LOSSES[training.loss].after !== undefined) {
    problems.push({ path: 'loss', message: `${training.loss} is a classification loss, but ${data.source} has numeric targets; use mse or half_mse, or a classification target` });
  }
  if (problems.length > 0) throw new ProblemFileError(training.file, problems);
  return { ...training, layers };
}

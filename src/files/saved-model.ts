import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { InputError } from '../errors.js';
import { LeakyReLU } from '../nn/activations.js';
import { Linear } from '../nn/linear.js';
import { LOSS_NAMES, type LossName } from '../nn/losses.js';
import type { Sequential } from '../nn/sequential.js';
import type { Layer } from '../nn/layer.js';
import type { Tensor } from '../autograd/tensor.js';
import { savedMoreLayer } from './more-layers.js';
import { buildModel } from './build-model.js';
import { savedSpatialLayer } from './build-conv.js';
import { checkLayers, zodProblems } from './load-problem.js';
import type { Problem } from './problem-error.js';
import { ProblemFileError } from './problem-error.js';
import type { DType, Storage } from '../tensor/dtype.js';
import { jsonNumber } from '../trace/json-text.js';

/**
 * A trained model on disk: its layers in the problem-file syntax (linear: { weights, bias },
 * relu, …), so the file reads like the problem it came from and its `model` can be pasted into
 * one, plus what it was trained for.
 */
export interface SavedModel {
  readonly format: 'mashagrad-model';
  readonly version: 1;
  readonly title: string;
  readonly loss: LossName;
  readonly dtype: DType;
  readonly classNames: readonly string[] | null;
  readonly model: readonly unknown[];
  readonly training: Readonly<Record<string, unknown>>;
}

/**
 * Numbers as short as they can be and still read back to the same value: 9 significant digits
 * give every float32 back exactly; float64 keeps all 17.
 */
function rows(data: Storage, rowCount: number, columns: number, dtype: DType): number[][] {
  const digits = dtype === 'float32' ? 9 : 17;
  return Array.from({ length: rowCount }, (_, r) => Array.from(data.subarray(r * columns, (r + 1) * columns), (value) => Number(value.toPrecision(digits))));
}

export function savedModel(model: Sequential, about: Omit<SavedModel, 'format' | 'version' | 'model'>): SavedModel {
  return { format: 'mashagrad-model', version: 1, ...about, model: savedLayers(model.layers, about.dtype) };
}

function savedLayers(layers: readonly Layer[], dtype: DType): unknown[] {
  const numbers = (t: Tensor) => rows(t.data, 1, t.size, dtype)[0]!;
  return layers.map((layer): unknown => {
    const more = savedMoreLayer(layer, numbers, (body) => savedLayers(body, dtype));
    if (more !== null) return more;
    if (layer instanceof Linear) {
      const weights = rows(layer.weight.data, layer.inputs, layer.outputs, dtype);
      return { linear: layer.bias === null ? { weights, bias: false } : { weights, bias: rows(layer.bias.data, 1, layer.outputs, dtype)[0] } };
    }
    if (layer instanceof LeakyReLU) return { leaky_relu: { slope: layer.slope } };
    return savedSpatialLayer(layer, dtype) ?? layer.kind;
  });
}

const savedModelSchema = z.object({
  format: z.literal('mashagrad-model'),
  version: z.literal(1),
  loss: z.enum(LOSS_NAMES),
  dtype: z.enum(['float32', 'float64']),
  model: z.array(z.unknown()).min(1, 'the model needs at least one layer'),
});

/** The strings lossless JSON writes for NaN and ±∞ (docs/json-output.md) read back as numbers: in weights, biases and the test results. */
function withNumbers(data: unknown): unknown {
  if (typeof data !== 'object' || data === null) return data;
  const number = (value: unknown) => jsonNumber(value) ?? value;
  const list = (value: unknown) => (Array.isArray(value) ? value.map((item: unknown) => (Array.isArray(item) ? item.map(number) : number(item))) : value);
  const { model, training } = data as { model?: unknown; training?: unknown };
  const layers = Array.isArray(model) ? model.map((entry: unknown) => {
    const linear = (entry as { linear?: unknown } | null)?.linear;
    if (typeof linear !== 'object' || linear === null) return entry;
    const { weights, bias } = linear as { weights?: unknown; bias?: unknown };
    return { linear: { ...linear, weights: list(weights), bias: list(bias) } };
  }) : model;
  const results = typeof training === 'object' && training !== null
    ? { ...training, ...Object.fromEntries((['testAccuracy', 'testLoss'] as const).filter((key) => key in training).map((key) => [key, number((training as Record<string, unknown>)[key])])) }
    : training;
  return { ...data, model: layers, training: results };
}

/** Read a saved model back into a Sequential (checked as a problem file's model is, weights required). */
export function loadSavedModel(file: string): { saved: SavedModel; model: Sequential } {
  let data: unknown;
  try {
    data = withNumbers(JSON.parse(readFileSync(file, 'utf8')));
  } catch (error) {
    throw new InputError(`cannot read the model ${file}: ${(error as Error).message}`);
  }
  const parsed = savedModelSchema.safeParse(data);
  if (!parsed.success) {
    const problems = zodProblems(parsed.error.issues);
    throw new ProblemFileError(file, [...problems, { path: '(the file)', message: 'is it a model.json written by mashagrad train?' }]);
  }
  const problems: Problem[] = [];
  const { layers } = checkLayers(parsed.data.model, null, problems);
  layers.forEach((layer, index) => {
    // A saved model carries its numbers: a layer without them would silently start from random ones.
    if (layer.kind === 'linear' && !Array.isArray(layer.weights)) problems.push({ path: `model[${index}].linear.weights`, message: 'missing: a saved model gives every weight' });
    if ((layer.kind === 'conv2d' || layer.kind === 'conv1d') && layer.weights === null) problems.push({ path: `model[${index}].${layer.kind}.weights`, message: 'missing: a saved model gives every weight' });
  });
  if (problems.length > 0) throw new ProblemFileError(file, problems);
  const saved = data as SavedModel;
  return { saved, model: buildModel(layers, parsed.data.dtype) };
}

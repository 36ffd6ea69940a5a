import { readFileSync } from 'node:fs';
import { InputError } from '../errors.js';
import { LeakyReLU } from '../nn/activations.js';
import { Linear } from '../nn/linear.js';
import type { LossName } from '../nn/losses.js';
import type { Sequential } from '../nn/sequential.js';
import { buildModel } from '../problem/build-model.js';
import { checkLayers } from '../problem/load.js';
import type { Problem } from '../problem/problem-error.js';
import { ProblemFileError } from '../problem/problem-error.js';
import type { DType, Storage } from '../tensor/dtype.js';

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
  const layers = model.layers.map((layer): unknown => {
    if (layer instanceof Linear) {
      const weights = rows(layer.weight.data, layer.inputs, layer.outputs, about.dtype);
      return { linear: layer.bias === null ? { weights, bias: false } : { weights, bias: rows(layer.bias.data, 1, layer.outputs, about.dtype)[0] } };
    }
    if (layer instanceof LeakyReLU) return { leaky_relu: { slope: layer.slope } };
    return layer.kind;
  });
  return { format: 'mashagrad-model', version: 1, ...about, model: layers };
}

/** Read a saved model back into a Sequential (checked as a problem file's model is). */
export function loadSavedModel(file: string): { saved: SavedModel; model: Sequential } {
  let saved: SavedModel;
  try {
    saved = JSON.parse(readFileSync(file, 'utf8')) as SavedModel;
  } catch (error) {
    throw new InputError(`cannot read the model ${file}: ${(error as Error).message}`);
  }
  if (saved.format !== 'mashagrad-model' || saved.version !== 1 || !Array.isArray(saved.model)) {
    throw new InputError(`${file} is not a model saved by mashagrad train (format: mashagrad-model, version: 1)`);
  }
  const problems: Problem[] = [];
  const { layers } = checkLayers(saved.model, null, problems);
  if (problems.length > 0) throw new ProblemFileError(file, problems);
  return { saved, model: buildModel(layers, saved.dtype) };
}

import { dirname, isAbsolute, resolve } from 'node:path';
import { readModelFile, readNpyFile } from '../interop/files.js';
import { problemFileModel, type PortableLayer } from '../interop/layers.js';
import { InteropError, matrixRows } from '../interop/named-array.js';
import { ProblemFileError, type Problem } from './problem-error.js';

/*
 * Files named inside a problem or training file (Node only), read before the file is checked, so
 * every later check sees plain numbers:
 *   weights: model.safetensors | model.onnx   fills every linear layer's weights and bias (the model
 *                                             may be left out: it is then the file's own)
 *   model[i].linear.weights / bias: w.npy     a matrix [inputs, outputs] / a vector
 *   data.x / data.y: x.npy                    observations and targets
 * Paths are relative to the file that names them.
 */

const isNpy = (value: unknown): value is string => typeof value === 'string' && value.toLowerCase().endsWith('.npy');
const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The layer list a problem file's model spells (linear,relu,leaky_relu:0.2), or undefined where it cannot be read. */
function layerListOf(model: readonly unknown[]): string | undefined {
  const names = model.map((entry) => {
    if (typeof entry === 'string') return entry;
    if (!isRecord(entry)) return undefined;
    const [kind] = Object.keys(entry);
    const options = kind === undefined ? undefined : entry[kind];
    return kind === 'leaky_relu' && isRecord(options) && typeof options.slope === 'number' ? `leaky_relu:${options.slope}` : kind;
  });
  return names.every((name) => name !== undefined) ? names.join(',') : undefined;
}

/** Fill the model's linear layers from the layers a weights file holds, reporting mismatches by path. */
function fillModel(model: unknown[], layers: readonly PortableLayer[], weightsFile: string, problems: Problem[]): unknown[] {
  if (model.length !== layers.length) {
    problems.push({ path: 'weights', message: `${weightsFile} holds ${layers.length} layers, but model lists ${model.length}` });
    return model;
  }
  return model.map((entry, index) => {
    const layer = layers[index]!;
    const given = isRecord(entry) && isRecord(entry.linear) ? entry.linear : isRecord(entry) && 'linear' in entry ? {} : null;
    if (layer.kind !== 'linear' || given === null) {
      if ((layer.kind === 'linear') !== (given !== null)) problems.push({ path: `model[${index}]`, message: `is ${given === null ? 'not ' : ''}a linear layer, but layer ${index} of ${weightsFile} is ${layer.kind === 'linear' ? '' : 'not '}one` });
      return entry;
    }
    if ('weights' in given || (Array.isArray(given.bias) || typeof given.bias === 'string')) {
      problems.push({ path: `model[${index}].linear`, message: `gives weights or bias, and so does ${weightsFile}: keep one` });
    }
    return { linear: { ...given, weights: layer.weights, bias: layer.bias ?? false } };
  });
}

/** The file's data with every file reference replaced by the numbers it names; a ProblemFileError lists what could not be read. */
export function readFileReferences(data: object, file: string): object {
  const near = (path: string) => (isAbsolute(path) ? path : resolve(dirname(file), path));
  const problems: Problem[] = [];
  const attempt = <T>(path: string, read: () => T): T | undefined => {
    try {
      return read();
    } catch (error) {
      if (!(error instanceof InteropError)) throw error;
      problems.push({ path, message: error.message });
      return undefined;
    }
  };
  const result: Record<string, unknown> = { ...(data as Record<string, unknown>) };

  if (Array.isArray(result.model)) {
    result.model = result.model.map((entry: unknown, index) => {
      if (!isRecord(entry) || !isRecord(entry.linear)) return entry;
      const linear = { ...entry.linear };
      if (isNpy(linear.weights)) linear.weights = attempt(`model[${index}].linear.weights`, () => matrixRows(readNpyFile(near(linear.weights as string)), linear.weights as string));
      if (isNpy(linear.bias)) linear.bias = attempt(`model[${index}].linear.bias`, () => Array.from(readNpyFile(near(linear.bias as string)).data));
      return { linear };
    });
  }

  if ('weights' in result) {
    const weightsFile = result.weights;
    delete result.weights;
    if (typeof weightsFile !== 'string') {
      problems.push({ path: 'weights', message: 'names a model file: weights: model.safetensors (a PyTorch nn.Sequential state dict) or model.onnx' });
    } else {
      const model = Array.isArray(result.model) ? (result.model as unknown[]) : null;
      const layerList = model === null ? undefined : layerListOf(model);
      const layers = attempt('weights', () => readModelFile(near(weightsFile), layerList === undefined ? {} : { layers: layerList }));
      if (layers !== undefined) result.model = model === null ? problemFileModel(layers) : fillModel(model, layers, weightsFile, problems);
    }
  }

  if (isRecord(result.data)) {
    const given = { ...result.data };
    for (const key of ['x', 'y'] as const) {
      const value = given[key];
      if (!isNpy(value)) continue;
      given[key] = attempt(`data.${key}`, () => {
        const array = readNpyFile(near(value));
        // A list of targets (one per observation) is a column, as written out in a problem file.
        return array.shape.length === 1 && key === 'y' ? Array.from(array.data, (target) => [target]) : matrixRows(array, value);
      });
    }
    result.data = given;
  }
  if (problems.length > 0) throw new ProblemFileError(file, problems);
  return result;
}

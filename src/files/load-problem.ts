import { LineCounter, parseDocument } from 'yaml';
import type { z } from 'zod';
import { LOSSES, LOSS_NAMES, type LossName } from '../nn/losses.js';
import type { ActivationPlan, LayerPlan, LayerProblem, LinearPlan, Note, ProblemPlan, Titles } from './plan.js';
import { formatPath, ProblemFileError, type Problem } from './problem-error.js';
import { checkModelSize } from './size-limits.js';
import { observationsOf, planSpatialLayer, SPATIAL_KINDS, type SpatialKind } from './conv-layers.js';
import { checkOptimizerState } from './optimizer-state.js';
import { isMoreLayer, MORE_LAYERS, planMoreLayer, targetWidth, type MoreLayerName } from './more-layers.js';
import { byName } from '../by-name.js';
import { hasMatrixValues } from '../matrix/values.js';
import {
  ACTIVATIONS, activationOptionSchemas, NAME, expressionProblemSchema, matrixProblemSchema, layerProblemSchema, linearSchema, networkProblemSchema, trainSchema,
  type ActivationName, type LayerProblemSpec, type NetworkProblemSpec,
} from './schema.js';

/** The one mapping a problem or training file holds; syntax errors with line and column. */
export function parseYamlMapping(text: string, file: string): object {
  // YAML is a superset of JSON, so one parser serves both, with line and column for errors.
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { prettyErrors: false, uniqueKeys: true, lineCounter });
  if (document.errors.length > 0) {
    throw new ProblemFileError(file, document.errors.map((error) => {
      const position = error.linePos?.[0] ?? lineCounter.linePos(error.pos[0]);
      return { path: position === undefined ? '(syntax)' : `line ${position.line}, column ${position.col}`, message: error.message.split('\n')[0]! };
    }));
  }
  let data: unknown;
  try {
    // The yaml library stops alias bombs (billion laughs) itself, with an exception: an input error.
    data = document.toJS({ maxAliasCount: 100 });
  } catch (error) {
    throw new ProblemFileError(file, [{ path: '(aliases)', message: `the file cannot be expanded: ${(error as Error).message.split('\n')[0]!}` }]);
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new ProblemFileError(file, [{ path: '(the file)', message: 'expected a mapping with either expression/at or model/loss/data/train' }]);
  }
  return data;
}

/** A vector or matrix among the values makes an expression problem one of matrix calculus. */
function hasMatrixAt(data: object): boolean {
  const at = (data as { at?: unknown }).at;
  return typeof at === 'object' && at !== null && !Array.isArray(at) && hasMatrixValues(at as Record<string, unknown>);
}

/**
 * `readFiles` replaces the files a problem names (weights:, .npy arrays) by their numbers; it is
 * given where files can be read (Node: read-problem.ts), and without it such a file is an error.
 */
export function parseProblem(text: string, file = '(problem)', readFiles?: (data: object, file: string) => object): ProblemPlan {
  const given = parseYamlMapping(text, file);
  if (readFiles === undefined && namesFiles(given)) {
    throw new ProblemFileError(file, [{ path: 'weights', message: 'names a file (weights: or a .npy array); files are read where the problem is read from disk (mashagrad solve, loadProblem)' }]);
  }
  const data = readFiles === undefined ? given : readFiles(given, file);
  if ('dataset' in data) {
    throw new ProblemFileError(file, [{ path: 'dataset', message: 'this is a training file (it names a data set): run it with mashagrad train, not solve' }]);
  }
  if ('expression' in data && (hasMatrixAt(data) || 'hessian' in data || 'variables' in data || 'stationary' in data)) {
    const parsed = matrixProblemSchema.safeParse(data);
    if (!parsed.success) throw new ProblemFileError(file, zodProblems(parsed.error.issues));
    const { title, description, expression, at, variables, hessian, stationary, note, answers } = parsed.data;
    if (at === undefined && variables === undefined) {
      throw new ProblemFileError(file, [{ path: 'at', message: 'give the values (at:) or declare the variables without values (variables: { x: vector, A: matrix }), one of the two' }]);
    }
    // With values, variables: only says which of them are symmetric (their shapes come from the values).
    const symmetric = at === undefined ? [] : Object.entries(variables ?? {}).map(([name, declaration]) => {
      if (!/^\s*symmetric\s+matrix\b/.test(declaration)) {
        throw new ProblemFileError(file, [{ path: `variables.${name}`, message: `with values (at:), variables: only declares symmetric matrices ("symmetric matrix"); the values give the other shapes, got ${JSON.stringify(declaration)}` }]);
      }
      return name;
    });
    const declared = at === undefined ? { variables: byName(Object.entries(variables!)) } : symmetric.length === 0 ? {} : { symmetric };
    return { kind: 'matrix', ...titlesOf(title, expression, description), expression, at: byName(Object.entries(at ?? {})), ...declared, hessian: hessian ?? false, ...(stationary === undefined ? {} : { stationary }), ...(note === undefined ? {} : { note }), answers };
  }
  if ('expression' in data) {
    const parsed = expressionProblemSchema.safeParse(data);
    if (!parsed.success) throw new ProblemFileError(file, zodProblems(parsed.error.issues));
    const { title, description, expression, at, answers } = parsed.data;
    return { kind: 'expression', ...titlesOf(title, expression, description), expression, at, answers };
  }
  // A given gradient arriving from above makes it a question about one layer (exercise 4).
  if ('gradient' in data) {
    const parsed = layerProblemSchema.safeParse(data);
    if (!parsed.success) throw new ProblemFileError(file, zodProblems(parsed.error.issues));
    return checkLayerProblem(parsed.data, file);
  }
  // Images or sequences given as nested lists [N][C][H][W]: rows of numbers, and one observation's shape.
  const observations = observationsOf((data as { data?: { x?: unknown } }).data?.x);
  const parsed = networkProblemSchema.safeParse(observations === null ? data : { ...data, data: { ...(data as { data: object }).data, x: observations.rows } });
  if (!parsed.success) {
    const problems = zodProblems(parsed.error.issues);
    const { model, data: given } = data as { model?: unknown; data?: { x?: unknown } };
    if (Array.isArray(model)) {
      const x = given?.x;
      const width = Array.isArray(x) && Array.isArray(x[0]) ? x[0].length : null;
      checkLayers(model, width, problems, 'data.x', observations?.shape ?? null);
    }
    throw new ProblemFileError(file, problems);
  }
  return checkNetwork(parsed.data, file, observations?.shape ?? null);
}

/** Whether a problem names a file to read: a weights: key or a .npy array. */
function namesFiles(data: object): boolean {
  const npy = (value: unknown) => typeof value === 'string' && value.toLowerCase().endsWith('.npy');
  const { model, data: observations } = data as { model?: unknown; data?: { x?: unknown; y?: unknown } };
  const layers = Array.isArray(model) ? (model as unknown[]) : [];
  const npyInLayer = (entry: unknown) => {
    const linear = (entry as { linear?: { weights?: unknown; bias?: unknown } } | null)?.linear;
    return npy(linear?.weights) || npy(linear?.bias);
  };
  return 'weights' in data || npy(observations?.x) || npy(observations?.y) || layers.some(npyInLayer);
}

export function zodProblems(issues: readonly z.core.$ZodIssue[], prefix: readonly PropertyKey[] = []): Problem[] {
  return issues.map((issue) => ({ path: formatPath([...prefix, ...issue.path]), message: issue.message }));
}

const describeLayer = (plan: LayerPlan | undefined) => (plan === undefined ? 'the data' : `a ${plan.kind} layer`);

/** Per-layer checks and the facts that need more than one field: shapes, order, loss placement. */
function checkNetwork(spec: NetworkProblemSpec, file: string, observationShape: readonly number[] | null): ProblemPlan {
  const problems: Problem[] = [];
  const titled = titlesOf(spec.title, '', spec.description);
  const { layers, width } = checkLayers(spec.model, spec.data?.x[0]?.length ?? null, problems, 'data.x', observationShape);

  const symbolic = layers.some((layer) => layer.kind === 'linear' && typeof layer.weights === 'string');
  if (symbolic && layers.some((layer) => layer.kind === 'linear' && Array.isArray(layer.weights))) {
    problems.push({ path: 'model', message: 'mix of named and numeric weights: give every linear layer numbers, or every one a name (a symbolic problem)' });
  }

  if (symbolic) checkSymbolicNames(layers, problems);
  if (!symbolic) {
    layers.forEach((layer, index) => {
      if (layer.kind === 'linear' && typeof layer.bias === 'string') {
        problems.push({ path: `model[${index}].linear.bias`, message: `"${layer.bias}" is a name, but the weights are numbers: give the bias as numbers (bias: [0.5]), true to initialise it, or false` });
      }
    });
  }
  checkLossPlacement(spec.loss, layers, problems);
  layers.forEach((layer, index) => {
    // The gated cells train, save and run as PyTorch's; their worked solution is not written yet.
    if (layer.kind === 'gru' || layer.kind === 'lstm') {
      problems.push({ path: `model[${index}].${layer.kind}`, message: `a worked solution through a ${layer.kind.toUpperCase()} is not written yet (an rnn's is); train it from a training file (mashagrad train) or use the library's ${layer.kind.toUpperCase()}` });
    }
  });

  if (!symbolic) checkNoGenericActivation(layers, problems, 'a problem with numbers', true);
  // Both are written λ (the loss's λ·Σ‖W‖², the update's g = ∂L/∂W + λ·W): one solution would print two λs.
  if ((spec.l2 ?? 0) !== 0 && (spec.train?.weight_decay ?? 0) !== 0) {
    problems.push({ path: 'l2', message: 'is written λ, and so is train.weight_decay: one solution cannot show both; keep one: l2 adds λ·Σ‖W‖² to the loss, weight_decay adds λ·W to every gradient in the update' });
  }
  if (symbolic && LOSSES[spec.loss].reduction === 'mean') problems.push({ path: 'loss', message: symbolicMeanLoss(spec.loss) });
  // The symbolic solution is the algorithm for any X and y, with plain gradient descent's step.
  if (symbolic && spec.data !== undefined) {
    problems.push({ path: 'data', message: 'a symbolic problem (weights given as names) is solved for any X and y and does not use data; remove data:, or give the weights as numbers' });
  }
  if (symbolic && spec.train !== undefined && spec.train.optimizer !== 'sgd') {
    problems.push({ path: 'train.optimizer', message: `a symbolic problem writes plain gradient descent (W ← W − γ·∂L/∂W); ${spec.train.optimizer}'s rule is not written for named weights yet` });
  }
  if (symbolic && spec.train?.update === 'layerwise') {
    problems.push({ path: 'train.update', message: 'a symbolic problem writes the usual update (every layer after the backward pass); a layer-wise update needs the weights as numbers' });
  }
  // Answers are checked against numbers; a symbolic solution has formulas, so answers: would be dropped.
  if (symbolic && spec.answers !== undefined) {
    problems.push({ path: 'answers', message: 'a symbolic problem (weights given as names) has formulas, not numbers, and symbolic answers are not checked yet; remove answers:, or give the weights as numbers to have answers checked' });
  }
  if (!symbolic) {
    if (spec.data === undefined) problems.push({ path: 'data', message: 'a network problem with numeric weights needs data: x and y' });
    if (spec.train === undefined) problems.push({ path: 'train', message: 'needs at least the learning rate, e.g. train: { lr: 1 }' });
  }
  if (spec.data !== undefined) checkData(spec.data, targetWidth(layers, width), problems);
  if (spec.data !== undefined) checkLabels(spec.loss, spec.data.y, problems);
  if (spec.train !== undefined && spec.data !== undefined) checkOrder(spec.train.order, spec.data.x.length, problems);
  if (!symbolic) checkModelSize(layers, problems);
  if (!symbolic && spec.train !== undefined) checkOptimizerState(spec.train, layers, problems);
  if (spec.train?.state !== undefined && spec.train.update === 'layerwise') {
    problems.push({ path: 'train.state', message: 'a layer-wise update starts each layer\'s optimizer afresh, so it cannot go on from a saved state; use update: together with state, or leave state out' });
  }

  if (problems.length > 0) throw new ProblemFileError(file, problems);
  const l2 = spec.l2 === undefined || spec.l2 === 0 ? {} : { l2: spec.l2 };
  const note = spec.note === undefined ? {} : { note: spec.note };
  if (symbolic) return { kind: 'symbolic', ...titled, layers, loss: spec.loss, ...l2, ...note };
  return {
    kind: 'network', ...titled, layers, loss: spec.loss, ...l2, data: spec.data!, train: spec.train ?? trainSchema.parse({ lr: 1 }),
    ...note, answers: spec.answers,
  };
}

/**
 * Symbols the symbolic solution writes itself: the data X and y, the prediction, d, the loss L,
 * n, the L2 coefficient λ, and the layers' outputs H₁, O₁….
 */
const SOLUTION_SYMBOLS = new Set(['X', 'y', 'yhat', 'd', 'L', 'n', 'lambda']);
const LAYER_OUTPUT = /^[HO][0-9]+$/;

/**
 * A symbolic problem's names each stand for one matrix: a weight or bias named like one of the
 * solution's own symbols (d, λ, H₁) or like another parameter or an activation would be written
 * as that one (ŷ = ReLU(X·W₁)·d), and its gradient would be wrong.
 */
function checkSymbolicNames(layers: readonly LayerPlan[], problems: Problem[]): void {
  const seen = new Map<string, string>();
  const functions = new Set(layers.flatMap((layer) => ('generic' in layer && layer.generic !== undefined ? [layer.generic] : [])));
  let linear = 0;
  layers.forEach((layer, index) => {
    if (layer.kind !== 'linear') return;
    linear += 1;
    for (const [key, name] of [['weights', layer.weights], ['bias', layer.bias]] as const) {
      if (typeof name !== 'string') continue;
      const path = `model[${index}].linear.${key}`;
      const other = seen.get(name);
      if (SOLUTION_SYMBOLS.has(name) || LAYER_OUTPUT.test(name)) {
        problems.push({ path, message: `"${name}" is a name the solution uses itself (X, y, yhat, d, L, n, lambda, H1, O1, …); choose another, e.g. ${key === 'weights' ? 'W' : 'b'}${linear}` });
      } else if (other !== undefined) {
        problems.push({ path, message: `"${name}" also names ${other}: give every weight and bias its own name` });
      } else if (functions.has(name)) {
        problems.push({ path, message: `"${name}" also names an activation: give the matrix another name` });
      }
      seen.set(name, path);
    }
  });
}

/** Why a symbolic problem cannot take a mean loss (also the recorder's guard for plans made elsewhere). */
export const symbolicMeanLoss = (loss: LossName): string =>
  `${loss} divides by the number of observations, which a symbolic problem does not fix; use a summed loss (${LOSS_NAMES.filter((name) => LOSSES[name].reduction === 'sum').join(', ')}), or give numeric weights and data`;

/** The layer asked about exists, has numbers, and x and the gradient fit its input and output. */
function checkLayerProblem(spec: LayerProblemSpec, file: string): LayerProblem {
  const problems: Problem[] = [];
  const { layers } = checkLayers(spec.model, null, problems, 'x');
  checkNoGenericActivation(layers, problems, 'a layer question with numbers');
  if (problems.length > 0) throw new ProblemFileError(file, problems);
  if (spec.layer === undefined && layers.length > 1) {
    throw new ProblemFileError(file, [{ path: 'layer', message: `which of the ${layers.length} layers is asked about? layer: 1 … ${layers.length} (counted from 1, as the sheet does)` }]);
  }
  const number = spec.layer ?? 1;
  const layer = layers[number - 1];
  if (layer === undefined) throw new ProblemFileError(file, [{ path: 'layer', message: `is ${number}, but the model has ${layers.length} layer${layers.length === 1 ? '' : 's'}: 1 … ${layers.length}` }]);
  layers.forEach((plan, index) => {
    if (plan.kind === 'linear' && !Array.isArray(plan.weights)) problems.push({ path: `model[${index}].linear.weights`, message: 'a layer question needs the weights as numbers, e.g. weights: [[1, -1], [0.5, 0]]' });
    if (plan.kind === 'linear' && typeof plan.bias === 'string') problems.push({ path: `model[${index}].linear.bias`, message: 'a layer question needs the bias as numbers (bias: [0.5]) or false' });
  });
  const width = spec.x[0]!.length;
  const ragged = (rows: number[][], name: string) => {
    const index = rows.findIndex((row) => row.length !== rows[0]!.length);
    if (index >= 0) problems.push({ path: `${name}[${index}]`, message: `has ${rows[index]!.length} numbers, but ${name}[0] has ${rows[0]!.length}` });
  };
  ragged(spec.x, 'x');
  ragged(spec.gradient, 'gradient');
  if (layer.kind === 'linear' && width !== layer.inputs) {
    problems.push({ path: 'x', message: `has ${width} number${width === 1 ? '' : 's'} per row, but layer ${number} (linear) takes ${layer.inputs}` });
  }
  const outputs = layer.kind === 'linear' ? layer.outputs : width;
  if (spec.gradient.length !== spec.x.length || spec.gradient[0]!.length !== outputs) {
    problems.push({ path: 'gradient', message: `is ${spec.gradient.length}×${spec.gradient[0]!.length}, but the layer's output is ${spec.x.length}×${outputs}: one number per output (∂L/∂output)` });
  }
  if (problems.length > 0) throw new ProblemFileError(file, problems);
  return { kind: 'layer', ...titlesOf(spec.title, '', spec.description), layers, layer: number - 1, x: spec.x, gradient: spec.gradient, answers: spec.answers };
}

/** logloss and cross-entropy take probabilities: the model must end in the layer that makes them. */
export function checkLossPlacement(lossName: LossName, layers: readonly LayerPlan[], problems: Problem[]): void {
  const loss = LOSSES[lossName];
  const last = layers[layers.length - 1];
  if (loss.after !== undefined && last !== undefined && last.kind !== loss.after) {
    problems.push({ path: 'loss', message: `${lossName} needs probabilities from a ${loss.after} layer, but the model ends with ${describeLayer(last)}; add "- ${loss.after}" as the last layer` });
  }
  // ln(1 + e^(−y·z)) takes a score z of any sign; after a sigmoid z would be a probability in (0, 1).
  if (loss.labels !== undefined && last?.kind === 'sigmoid') {
    problems.push({ path: 'loss', message: `${lossName} takes scores z (the output of a linear layer) with labels ${labelsText(loss.labels, 'and')}, but the model ends with a sigmoid; remove the sigmoid, or use logloss with labels 0 and 1` });
  }
}

/** A loss's labels as a message writes them: −1 and +1. */
export const labelsText = (labels: readonly number[], joiner: 'and' | 'or'): string =>
  labels.map((label) => (label > 0 ? `+${label}` : String(label).replace('-', '−'))).join(` ${joiner} `);

/** Losses defined for some labels only (the logistic loss: −1 and +1) name the first target that is not one. */
function checkLabels(lossName: LossName, y: readonly (readonly number[])[], problems: Problem[]): void {
  const { labels, after } = LOSSES[lossName];
  // A loss over probabilities (after a sigmoid or softmax) compares them with targets in [0, 1].
  if (after !== undefined) {
    for (const [row, values] of y.entries()) {
      const column = values.findIndex((value) => !(value >= 0 && value <= 1));
      if (column >= 0) {
        problems.push({ path: `data.y[${row}]`, message: `has ${values[column]}, but ${lossName} compares probabilities with targets between 0 and 1 (a class is 0 or 1${after === 'softmax' ? ', one 1 per row' : ''})` });
        return;
      }
    }
  }
  if (labels === undefined) return;
  for (const [row, values] of y.entries()) {
    const column = values.findIndex((value) => !labels.includes(value));
    if (column >= 0) {
      problems.push({ path: `data.y[${row}]`, message: `has ${values[column]}, but ${lossName} takes labels ${labelsText(labels, 'or')} (write the classes as ${labelsText(labels, 'and')}, not 0 and 1)` });
      return;
    }
  }
}

/** Each layer's own checks, in order, tracking the width of the data flowing through. */
export function checkLayers(
  model: readonly unknown[], dataWidth: number | null, problems: Problem[], dataName = 'data.x', dataShape: readonly number[] | null = null,
  pathPrefix: readonly PropertyKey[] = ['model'],
): { layers: LayerPlan[]; width: number | null } {
  let width = dataWidth;
  // One observation's shape as it flows: [C, H, W] after a spatial layer, [width] for rows.
  let shape: readonly number[] | null = dataShape ?? (dataWidth === null ? null : [dataWidth]);
  const layers: LayerPlan[] = [];
  model.forEach((entry, index) => {
    const path = formatPath([...pathPrefix, index]);
    const generic = genericActivation(entry);
    if (generic !== null) {
      if (typeof generic !== 'string') return problems.push({ path: `${path}.activation`, message: generic.error });
      // A known name is that activation; any other name is a function f written as f(·), f′(·).
      layers.push((ACTIVATIONS as readonly string[]).includes(generic) ? { kind: generic as ActivationName } : { kind: 'relu', generic });
      return;
    }
    const normalised = normaliseLayer(entry);
    if (typeof normalised === 'string') return problems.push({ path, message: normalised });
    const { kind, options } = normalised;
    if (isSpatial(kind)) {
      const plan = planSpatialLayer(kind, options, shape, index, problems);
      shape = plan?.outputShape ?? null;
      width = shape === null ? null : shape.reduce((product, extent) => product * extent, 1);
      if (plan !== null) layers.push(plan);
      return;
    }
    if (isMoreLayer(kind)) {
      const planned = planMoreLayer(kind, options, {
        path, width, shape, problems,
        zodProblems: (issues) => zodProblems(issues, [...pathPrefix, index, kind]),
        checkBody: (body, bodyWidth) => checkLayers(body, bodyWidth, problems, dataName, null, [...pathPrefix, index, kind]),
      });
      if (planned === null) {
        width = null;
        shape = null;
        return;
      }
      layers.push(planned.plan);
      width = planned.width;
      shape = planned.shape ?? (width === null ? null : [width]);
      return;
    }
    if (kind === 'linear' && shape !== null && shape.length > 1) {
      problems.push({ path: `${path}.linear`, message: `its input has shape [${shape.join(', ')}] per observation, not a row of numbers: put "- flatten" before it` });
      width = null;
      shape = null;
      return;
    }
    if (kind === 'linear') {
      const parsed = linearSchema.safeParse(options);
      if (!parsed.success) {
        width = null;
        return problems.push(...zodProblems(parsed.error.issues, [...pathPrefix, index, 'linear']));
      }
      const plan = planLinear(parsed.data, `${path}.linear`, width, layers[layers.length - 1], problems, dataName);
      if (plan !== null) {
        layers.push(plan);
        width = plan.outputs;
      } else {
        width = null;
      }
      shape = width === null ? null : [width];
      return;
    }
    const parsed = activationOptionSchemas[kind].safeParse(options ?? {});
    if (!parsed.success) return problems.push(...zodProblems(parsed.error.issues, [...pathPrefix, index, kind]));
    const plan: ActivationPlan = 'slope' in parsed.data && parsed.data.slope !== undefined ? { kind, slope: parsed.data.slope } : { kind };
    layers.push(plan);
  });
  return { layers, width };
}

/** A title given as text, or per language. */
/** The title (or the fallback), per language where given, and the problem's statement where the file gives one. */
export function titlesOf(title: Note | undefined, fallback: string, description?: Note): { title: string; titles?: Titles; description?: Note } {
  const described = description === undefined ? {} : { description };
  if (title === undefined) return { title: fallback, ...described };
  if (typeof title === 'string') return { title, ...described };
  return { title: title.en, titles: title.ru === undefined ? { en: title.en } : { en: title.en, ru: title.ru }, ...described };
}

/** `- activation: f`: the function's name, an error, or null when the entry is another layer. */
function genericActivation(entry: unknown): string | { error: string } | null {
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) return null;
  const keys = Object.keys(entry);
  if (keys.length !== 1 || keys[0] !== 'activation') return null;
  const name = (entry as { activation: unknown }).activation;
  if (typeof name !== 'string' || !NAME.test(name)) return { error: `expected the function's name, e.g. activation: f (letters, digits and _), got ${JSON.stringify(name)}` };
  return name;
}

/**
 * The layers that are a function known only by its name: a problem with numbers cannot run them.
 * `symbolicToo`: whether giving the weights as names (a symbolic problem) is a way out here.
 */
export function checkNoGenericActivation(layers: readonly LayerPlan[], problems: Problem[], what: string, symbolicToo = false): void {
  const orNames = symbolicToo ? ', or give the weights as names (a symbolic problem)' : '';
  layers.forEach((layer, index) => {
    if ('generic' in layer && layer.generic !== undefined) {
      problems.push({ path: `model[${index}].activation`, message: `${layer.generic} is a function known only by its name, which ${what} cannot compute; name a concrete activation (${ACTIVATIONS.join(', ')})${orNames}` });
    }
  });
}

/** "relu", {relu: {}}, {relu: null} and {linear: {...}} all name one layer. */
const isSpatial = (kind: string): kind is SpatialKind => (SPATIAL_KINDS as readonly string[]).includes(kind);

function normaliseLayer(entry: unknown): { kind: 'linear' | ActivationName | SpatialKind | MoreLayerName; options: unknown } | string {
  const known = `linear, ${ACTIVATIONS.join(', ')}, ${SPATIAL_KINDS.join(', ')}, ${MORE_LAYERS.join(', ')}`;
  if (typeof entry === 'string') {
    if ((ACTIVATIONS as readonly string[]).includes(entry)) return { kind: entry as ActivationName, options: {} };
    if (entry === 'flatten') return { kind: 'flatten', options: {} };
    // dropout and the normalizations have defaults for everything; an RNN needs its hidden size.
    if (entry === 'dropout' || entry === 'layernorm' || entry === 'batchnorm1d' || entry === 'batchnorm2d') return { kind: entry, options: {} };
    if (entry === 'linear') return 'a linear layer needs its weights: linear: { weights: [[...]] } or { in: 2, out: 1, init: xavier }';
    return `unknown layer '${entry}'; known layers: ${known}`;
  }
  if (typeof entry === 'object' && entry !== null && !Array.isArray(entry)) {
    const keys = Object.keys(entry);
    if (keys.length !== 1) return `a layer is one name with its options (e.g. linear: {...}), got ${keys.length === 0 ? 'nothing' : keys.join(', ')}`;
    const kind = keys[0]!;
    if (kind !== 'linear' && !(ACTIVATIONS as readonly string[]).includes(kind) && !isSpatial(kind) && !isMoreLayer(kind)) return `unknown layer '${kind}'; known layers: ${known}`;
    return { kind: kind as 'linear' | ActivationName | SpatialKind | MoreLayerName, options: (entry as Record<string, unknown>)[kind] ?? {} };
  }
  return `a layer is a name (relu) or a mapping (linear: {...}), got ${JSON.stringify(entry)}`;
}

function planLinear(
  spec: z.infer<typeof linearSchema>, path: string, width: number | null, previous: LayerPlan | undefined, problems: Problem[], dataName: string,
): LinearPlan | null {
  const before = previous === undefined ? `${dataName} has` : 'the layer before outputs';
  const { weights } = spec;
  let inputs: number | null = spec.in ?? width;
  let outputs: number | null = spec.out ?? null;
  if (Array.isArray(weights)) {
    const columns = weights[0]!.length;
    const ragged = weights.findIndex((row) => row.length !== columns);
    if (ragged >= 0) {
      problems.push({ path: `${path}.weights[${ragged}]`, message: `has ${weights[ragged]!.length} numbers, but row 0 has ${columns}: every row needs the same length` });
      return null;
    }
    if (width !== null && weights.length !== width) {
      problems.push({ path: `${path}.weights`, message: `${weights.length} rows, but ${before} ${width} columns (W has shape [inputs, outputs])` });
    }
    if (spec.in !== undefined && spec.in !== weights.length) problems.push({ path: `${path}.in`, message: `is ${spec.in}, but the weights have ${weights.length} rows` });
    if (spec.out !== undefined && spec.out !== columns) problems.push({ path: `${path}.out`, message: `is ${spec.out}, but the weights have ${columns} columns` });
    inputs = weights.length;
    outputs = columns;
  } else if (typeof weights === 'string') {
    inputs ??= 0;
    outputs ??= 0;
  } else {
    if (inputs === null) problems.push({ path: `${path}.in`, message: 'needed: the number of inputs (no data or layer before says it)' });
    if (outputs === null) problems.push({ path: `${path}.out`, message: 'needed when no weights are given: the number of outputs' });
    if (inputs === null || outputs === null) return null;
    if (width !== null && inputs !== width) problems.push({ path: `${path}.in`, message: `is ${inputs}, but ${before} ${width} columns` });
  }
  const { bias } = spec;
  if (Array.isArray(bias) && outputs !== null && typeof weights !== 'string' && bias.length !== outputs) {
    problems.push({ path: `${path}.bias`, message: `${bias.length} numbers, but the layer has ${outputs} outputs` });
  }
  return {
    kind: 'linear',
    inputs: inputs ?? 0,
    outputs: outputs ?? 0,
    weights: weights ?? null,
    bias: bias === undefined || bias === false ? null : bias === true ? { init: true } : bias,
    init: { init: spec.init ?? (weights === undefined ? 'xavier' : undefined), value: spec.value, seed: spec.seed },
  };
}

function checkData(data: { x: number[][]; y: number[][] }, modelWidth: number | null, problems: Problem[]): void {
  const ragged = (rows: number[][], name: string) => {
    const index = rows.findIndex((row) => row.length !== rows[0]!.length);
    if (index >= 0) problems.push({ path: `data.${name}[${index}]`, message: `has ${rows[index]!.length} numbers, but data.${name}[0] has ${rows[0]!.length}` });
  };
  ragged(data.x, 'x');
  ragged(data.y, 'y');
  if (data.x.length !== data.y.length) {
    problems.push({ path: 'data.y', message: `${data.y.length} targets for ${data.x.length} observations: one row of y per row of x` });
  }
  const columns = data.y[0]!.length;
  if (modelWidth !== null && modelWidth !== 0 && columns !== modelWidth) {
    problems.push({ path: 'data.y', message: `${columns} column${columns === 1 ? '' : 's'} per target, but the model outputs ${modelWidth}` });
  }
}

function checkOrder(order: readonly number[] | undefined, n: number, problems: Problem[]): void {
  if (order === undefined) return;
  const sorted = [...order].sort((p, q) => p - q);
  if (sorted.length !== n || sorted.some((value, i) => value !== i + 1)) {
    problems.push({ path: 'train.order', message: `[${order.join(', ')}] is not an order of the observations 1..${n}: each number from 1 to ${n} exactly once` });
  }
}

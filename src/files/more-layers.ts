import { z } from 'zod';
import { tensor } from '../autograd/create.js';
import type { Tensor } from '../autograd/tensor.js';
import { initialise } from '../nn/init.js';
import { Dropout } from '../nn/dropout.js';
import type { Layer } from '../nn/layer.js';
import { BatchNorm1d, BatchNorm2d, LayerNorm } from '../nn/normalization.js';
import { Residual } from '../nn/residual.js';
import { RNN } from '../nn/rnn.js';
import { GRU, LSTM } from '../nn/gated.js';
import type { DType } from '../tensor/dtype.js';
import type { BatchNorm2dPlan, DropoutPlan, LayerPlan, NormalizationPlan, ResidualPlan, RnnPlan } from './plan.js';
import type { Problem } from './problem-error.js';

/*
 * The layers beyond the perceptron in problem and training files (#19): dropout, layernorm,
 * batchnorm1d, batchnorm2d, residual and the recurrent rnn, gru and lstm. Their spelling, their checks against
 * the width flowing through the model, building them, and writing them back into a saved model.
 */

export const MORE_LAYERS = ['dropout', 'layernorm', 'batchnorm1d', 'batchnorm2d', 'residual', 'rnn', 'gru', 'lstm'] as const;
export type MoreLayerName = (typeof MORE_LAYERS)[number];
export const isMoreLayer = (kind: string): kind is MoreLayerName => (MORE_LAYERS as readonly string[]).includes(kind);

const vector = z.array(z.number()).min(1);
const batchnormOptions = {
  features: z.number().int().positive().optional(),
  weight: vector.optional(),
  bias: vector.optional(),
  running_mean: vector.optional(),
  running_var: z.array(z.number().min(0, 'a variance cannot be negative')).min(1).optional(),
  momentum: z.number().min(0).max(1).default(0.1),
  eps: z.number().positive().default(1e-5),
};
const matrix = z.array(z.array(z.number()).min(1)).min(1);

export const moreLayerSchemas = {
  dropout: z.strictObject({
    p: z.number().min(0).lt(1, 'p is the probability of dropping an input: at least 0, below 1').default(0.5),
    seed: z.number().int().optional(),
    /** Keep (1) or drop (0) per element, one row per observation: a worked example's fixed mask. */
    mask: z.array(z.array(z.union([z.literal(0), z.literal(1)])).min(1)).min(1).optional(),
  }),
  layernorm: z.strictObject({
    features: z.number().int().positive().optional(),
    weight: vector.optional(),
    bias: vector.optional(),
    eps: z.number().positive().default(1e-5),
  }),
  batchnorm1d: z.strictObject(batchnormOptions),
  /** features: the channels. image: [H, W], when it is the first layer and the data gives each image as one row. */
  batchnorm2d: z.strictObject({ ...batchnormOptions, image: z.tuple([z.number().int().positive(), z.number().int().positive()]).optional() }),
  rnn: z.strictObject({
    hidden: z.number().int().positive().optional(),
    /** Numbers per time step; each row of the data is steps × inputs numbers. */
    inputs: z.number().int().positive().optional(),
    weight_ih: matrix.optional(),
    weight_hh: matrix.optional(),
    bias_ih: z.union([z.boolean(), vector]).default(true),
    bias_hh: z.union([z.boolean(), vector]).default(true),
    /** PyTorch's one switch for both biases: bias: false is bias_ih: false, bias_hh: false. */
    bias: z.boolean().optional(),
    nonlinearity: z.enum(['tanh', 'relu']).default('tanh'),
    h0: vector.optional(),
    output: z.enum(['last', 'all', 'steps']).default('last'),
    seed: z.number().int().optional(),
  }),
  get gru() {
    return this.rnn.omit({ nonlinearity: true });
  },
  get lstm() {
    return this.rnn.omit({ nonlinearity: true }).extend({ c0: vector.optional() });
  },
} as const;

/** The gates stacked in a recurrent layer's weights: PyTorch's nn.RNN 1, nn.GRU 3 (r, z, n), nn.LSTM 4 (i, f, g, o). */
const GATES = { rnn: 1, gru: 3, lstm: 4 } as const;

/** Where a layer's check reports, and how the layers inside a residual block are checked. */
export interface LayerContext {
  readonly path: string;
  readonly width: number | null;
  /** One observation's shape flowing in: [C, H, W] after a spatial layer or from nested data, [width] for rows. */
  readonly shape: readonly number[] | null;
  readonly problems: Problem[];
  readonly zodProblems: (issues: readonly z.core.$ZodIssue[]) => Problem[];
  /** checkLayers for a residual block's body, with its own path. */
  readonly checkBody: (body: readonly unknown[], width: number | null) => { layers: LayerPlan[]; width: number | null };
}

const count = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** The plan of one of these layers and the width it outputs (and the shape, where it keeps images), or null (problems reported). */
export function planMoreLayer(kind: MoreLayerName, options: unknown, context: LayerContext): { plan: LayerPlan; width: number | null; shape?: readonly number[] } | null {
  const { path, width, problems } = context;
  if (kind === 'residual') {
    if (!Array.isArray(options) || options.length === 0) {
      problems.push({ path, message: 'a residual block lists its layers, e.g. residual: [ { linear: { in: 2, out: 2 } }, relu ]' });
      return null;
    }
    const body = context.checkBody(options, width);
    if (width !== null && body.width !== null && body.width !== width) {
      problems.push({ path, message: `the layers inside turn ${count(width, 'column')} into ${body.width}, but y = x + f(x) needs f(x) as wide as x` });
    }
    const plan: ResidualPlan = { kind, body: body.layers };
    return { plan, width };
  }
  // Where a field of the layer's options is: model[2].batchnorm1d.features.
  const at = `${path}.${kind}`;
  const parsed = moreLayerSchemas[kind].safeParse(options ?? {});
  if (!parsed.success) {
    problems.push(...context.zodProblems(parsed.error.issues));
    return null;
  }
  switch (kind) {
    case 'dropout': {
      const spec = parsed.data as z.infer<typeof moreLayerSchemas.dropout>;
      const plan: DropoutPlan = { kind, p: spec.p, seed: spec.seed, mask: spec.mask ?? null };
      if (plan.mask !== null && width !== null && plan.mask.some((row) => row.length !== width)) {
        problems.push({ path: `${at}.mask`, message: `every row needs ${count(width, 'number')} (0 to drop, 1 to keep), one per column of the layer's input` });
      }
      return { plan, width };
    }
    case 'layernorm':
    case 'batchnorm1d': {
      const spec = parsed.data as z.infer<typeof moreLayerSchemas.batchnorm1d>;
      const given = [spec.weight, spec.bias, spec.running_mean, spec.running_var].find((numbers) => numbers !== undefined);
      const features = spec.features ?? width ?? given?.length ?? null;
      if (features === null) {
        problems.push({ path: `${at}.features`, message: 'needed: how many columns to normalise (no data or layer before says it)' });
        return null;
      }
      if (width !== null && features !== width) problems.push({ path: `${at}.features`, message: `is ${features}, but the layer's input has ${count(width, 'column')}` });
      checkPerFeature(spec, features, 'column', at, problems);
      const plan: NormalizationPlan = { kind, ...normalizationNumbers(spec, features) };
      return { plan, width: features };
    }
    case 'batchnorm2d': {
      const spec = parsed.data as z.infer<typeof moreLayerSchemas.batchnorm2d>;
      const image = imageShape(spec, context, at);
      if (image === null) return null;
      checkPerFeature(spec, image[0]!, 'channel', at, problems);
      const plan: BatchNorm2dPlan = { kind, ...normalizationNumbers(spec, image[0]!), inputShape: image, outputShape: image };
      return { plan, width: image.reduce((product, extent) => product * extent, 1), shape: image };
    }
    case 'rnn':
    case 'gru':
    case 'lstm': {
      const spec = parsed.data as z.infer<typeof moreLayerSchemas.lstm> & { nonlinearity?: 'tanh' | 'relu' };
      const gates = GATES[kind];
      const stackedRows = spec.weight_ih?.length ?? spec.weight_hh?.length;
      const hidden = spec.hidden ?? (stackedRows === undefined ? null : stackedRows / gates);
      const inputs = spec.inputs ?? spec.weight_ih?.[0]?.length ?? 1;
      const stacked = gates === 1 ? '' : `${gates}·`;
      if (hidden === null) {
        problems.push({ path: `${at}.hidden`, message: `needed: the size of the hidden state (or weight_ih, [${stacked}hidden, inputs])` });
        return null;
      }
      const shaped = (name: string, numbers: number[][] | undefined, rows: number, columns: number) => {
        if (numbers !== undefined && (numbers.length !== rows || numbers.some((row) => row.length !== columns))) {
          problems.push({ path: `${at}.${name}`, message: `must be ${rows}×${columns} (${stacked}${name === 'weight_ih' ? 'hidden × inputs' : 'hidden × hidden'}, as PyTorch's ${name}_l0)` });
        }
      };
      if (!Number.isInteger(hidden)) {
        problems.push({ path: `${at}.weight_ih`, message: `has ${stackedRows} rows, which is not ${gates} gates of a hidden state: ${gates}·hidden rows` });
        return null;
      }
      shaped('weight_ih', spec.weight_ih, gates * hidden, inputs);
      shaped('weight_hh', spec.weight_hh, gates * hidden, hidden);
      for (const [name, numbers] of [['bias_ih', spec.bias_ih], ['bias_hh', spec.bias_hh]] as const) {
        if (Array.isArray(numbers) && numbers.length !== gates * hidden) problems.push({ path: `${at}.${name}`, message: `has ${count(numbers.length, 'number')}, but the layer has ${gates * hidden} (${stacked}hidden)` });
      }
      for (const [name, numbers] of [['h0', spec.h0], ['c0', spec.c0]] as const) {
        if (Array.isArray(numbers) && numbers.length !== hidden) problems.push({ path: `${at}.${name}`, message: `has ${count(numbers.length, 'number')}, but the hidden state has ${hidden}` });
      }
      if (width !== null && width % inputs !== 0) {
        problems.push({ path, message: `each row has ${count(width, 'number')}, which is not a whole number of steps of ${inputs} (inputs: ${inputs})` });
        return null;
      }
      if (spec.bias === true && (spec.bias_ih === false || spec.bias_hh === false)) {
        problems.push({ path: `${at}.bias`, message: 'is true, but bias_ih or bias_hh is false: give bias: false for neither bias, or bias_ih and bias_hh alone' });
      }
      const steps = width === null ? null : width / inputs;
      const plan: RnnPlan = {
        kind, gates, inputs, hidden, weightIh: spec.weight_ih ?? null, weightHh: spec.weight_hh ?? null,
        biasIh: spec.bias === false ? false : spec.bias_ih, biasHh: spec.bias === false ? false : spec.bias_hh,
        h0: spec.h0 ?? null, c0: spec.c0 ?? null, output: spec.output, nonlinearity: spec.nonlinearity ?? 'tanh', steps, seed: spec.seed,
      };
      // output: steps passes each step's state on as a row of its own: the width is one state's.
      return { plan, width: spec.output === 'all' ? (steps === null ? null : steps * hidden) : hidden };
    }
  }
}

/** Numbers per target row: after an RNN with output: steps, the model's width at every step. */
export function targetWidth(layers: readonly LayerPlan[], width: number | null): number | null {
  const rnn = layers.find((layer): layer is RnnPlan => isRecurrentPlan(layer) && layer.output === 'steps');
  if (rnn === undefined || width === null) return width;
  return rnn.steps === null ? null : rnn.steps * width;
}

type BatchnormSpec = z.infer<typeof moreLayerSchemas.batchnorm1d>;

/** γ, β and the running statistics as given (null: PyTorch's defaults), ε and the momentum. */
function normalizationNumbers(spec: BatchnormSpec, features: number): Omit<NormalizationPlan, 'kind'> {
  return {
    features, weight: spec.weight ?? null, bias: spec.bias ?? null, runningMean: spec.running_mean ?? null, runningVar: spec.running_var ?? null,
    eps: spec.eps, momentum: 'momentum' in spec ? spec.momentum : 0.1,
  };
}

/** γ, β and the running statistics hold one number per column (per channel for images). */
function checkPerFeature(spec: BatchnormSpec, features: number, unit: 'column' | 'channel', at: string, problems: Problem[]): void {
  for (const [name, numbers] of [['weight', spec.weight], ['bias', spec.bias], ['running_mean', spec.running_mean], ['running_var', spec.running_var]] as const) {
    if (numbers !== undefined && numbers.length !== features) problems.push({ path: `${at}.${name}`, message: `has ${count(numbers.length, 'number')}, but the layer normalises ${count(features, unit)}: one per ${unit}` });
  }
}

/**
 * The image [C, H, W] batchnorm2d normalises: the shape a spatial layer (or nested data) hands it,
 * or rows of C·H·W numbers read as the `image: [H, W]` it names; null, with the problem, otherwise.
 */
function imageShape(spec: z.infer<typeof moreLayerSchemas.batchnorm2d>, context: LayerContext, at: string): number[] | null {
  const { shape, width, problems } = context;
  let image: number[] | null = null;
  if (shape !== null && shape.length === 3) {
    if (spec.image !== undefined && spec.image.join() !== shape.slice(1).join()) problems.push({ path: `${at}.image`, message: `is [${spec.image.join(', ')}], but the layer before gives [${shape.slice(1).join(', ')}]` });
    image = [...shape];
  } else if (spec.image !== undefined && (width !== null || spec.features !== undefined)) {
    // A saved model's first layer knows no data width: its features say the channels.
    const channels = width === null ? spec.features! : width / (spec.image[0] * spec.image[1]);
    if (Number.isInteger(channels)) image = [channels, ...spec.image];
    else problems.push({ path: `${at}.image`, message: `[${spec.image.join(', ')}] does not divide the ${width} numbers of each input into channels` });
    if (image === null) return null;
  } else {
    problems.push({ path: at, message: shape !== null && shape.length !== 1
      ? `normalises images [channels, height, width], but its input has shape [${shape.join(', ')}] per observation (batchnorm1d normalises rows)`
      : 'normalises images [channels, height, width]: put it after conv2d or pooling, give data.x as nested lists [N][C][H][W], or say the image size of each row (image: [28, 28]); batchnorm1d normalises rows' });
    return null;
  }
  if (spec.features !== undefined && spec.features !== image[0]) problems.push({ path: `${at}.features`, message: `is ${spec.features}, but the layer's input has ${count(image[0]!, 'channel')}` });
  return image;
}

/** The trainable numbers of one of these layers (for the size limits). */
export function moreLayerParameters(plan: LayerPlan, parametersOf: (layers: readonly LayerPlan[]) => number): number {
  switch (plan.kind) {
    case 'layernorm': case 'batchnorm1d': case 'batchnorm2d': return 2 * plan.features;
    case 'rnn': case 'gru': case 'lstm': return plan.gates * plan.hidden * (plan.inputs + plan.hidden + 2);
    case 'residual': return parametersOf(plan.body);
    default: return 0;
  }
}

/** rnn, gru or lstm. */
export const isRecurrentPlan = (plan: LayerPlan): plan is RnnPlan => plan.kind === 'rnn' || plan.kind === 'gru' || plan.kind === 'lstm';

/** PyTorch's initialisation of an RNN, GRU or LSTM: every weight and bias from U(−1/√hidden, 1/√hidden). */
function rnnInitial(plan: RnnPlan, shape: number[], offset: number, dtype: DType): Tensor {
  return initialise(shape, { init: 'uniform', value: 1 / Math.sqrt(plan.hidden), seed: (plan.seed ?? 0) * 4 + offset }, plan.inputs, plan.hidden, dtype);
}

/** Build one of these layers; `build` builds a residual block's body. */
export function buildMoreLayer(plan: Exclude<LayerPlan, { kind: 'linear' | 'relu' | 'sigmoid' | 'tanh' | 'softmax' | 'leaky_relu' | 'conv2d' | 'conv1d' | 'maxpool2d' | 'avgpool2d' | 'flatten' }>, dtype: DType, build: (plans: readonly LayerPlan[]) => Layer[]): Layer {
  const numbers = (values: number[] | null) => (values === null ? undefined : tensor(values, { dtype }));
  switch (plan.kind) {
    case 'dropout': {
      const layer = new Dropout(plan.p, plan.seed ?? 0);
      if (plan.mask !== null) layer.fixMask(plan.mask.flat());
      return layer;
    }
    case 'layernorm':
      return new LayerNorm(plan.features, { ...optional('weight', numbers(plan.weight)), ...optional('bias', numbers(plan.bias)), eps: plan.eps });
    case 'batchnorm1d':
    case 'batchnorm2d': {
      const options = {
        ...optional('weight', numbers(plan.weight)), ...optional('bias', numbers(plan.bias)),
        ...optional('runningMean', numbers(plan.runningMean)), ...optional('runningVar', numbers(plan.runningVar)), eps: plan.eps, momentum: plan.momentum,
      };
      return plan.kind === 'batchnorm2d' ? new BatchNorm2d(plan.features, { ...options, observationShape: plan.inputShape }) : new BatchNorm1d(plan.features, options);
    }
    case 'residual':
      return new Residual(build(plan.body));
    case 'rnn':
    case 'gru':
    case 'lstm': {
      const { hidden, inputs } = plan;
      const rows = plan.gates * hidden;
      const bias = (given: number[] | boolean, offset: number) => (given === false ? null : given === true ? rnnInitial(plan, [rows], offset, dtype) : tensor(given, { dtype }));
      const weights = {
        weightIh: plan.weightIh === null ? rnnInitial(plan, [rows, inputs], 0, dtype) : tensor(plan.weightIh, { dtype }),
        weightHh: plan.weightHh === null ? rnnInitial(plan, [rows, hidden], 1, dtype) : tensor(plan.weightHh, { dtype }),
        biasIh: bias(plan.biasIh, 2), biasHh: bias(plan.biasHh, 3),
      };
      const states = { ...optional('h0', numbers(plan.h0)), output: plan.output };
      if (plan.kind === 'gru') return new GRU(weights, states);
      if (plan.kind === 'lstm') return new LSTM(weights, { ...states, ...optional('c0', numbers(plan.c0)) });
      return new RNN(weights, { ...states, nonlinearity: plan.nonlinearity });
    }
  }
}

function optional<K extends string, V>(key: K, value: V | undefined): Partial<Record<K, V>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, V>);
}

/** A layer's entry in a saved model, with every number it holds; null for layers saved elsewhere. */
export function savedMoreLayer(layer: Layer, numbers: (t: Tensor) => number[], save: (layers: readonly Layer[]) => unknown[]): unknown {
  if (layer instanceof Dropout) return { dropout: { p: layer.p, seed: layer.seed } };
  if (layer instanceof LayerNorm) return { layernorm: { features: layer.features, weight: numbers(layer.weight), bias: numbers(layer.bias), eps: layer.eps } };
  if (layer instanceof BatchNorm1d) {
    const saved = { features: layer.features, weight: numbers(layer.weight), bias: numbers(layer.bias), running_mean: numbers(layer.runningMean), running_var: numbers(layer.runningVar), momentum: layer.momentum, eps: layer.eps };
    if (!(layer instanceof BatchNorm2d)) return { batchnorm1d: saved };
    // A first layer reads rows of C·H·W numbers: its image size makes the saved model read them again.
    const shape = layer.observationShape;
    return { batchnorm2d: shape === undefined ? saved : { ...saved, image: shape.slice(1) } };
  }
  if (layer instanceof Residual) return { residual: save(layer.body) };
  if (layer instanceof RNN || layer instanceof GRU || layer instanceof LSTM) {
    const matrix = (t: Tensor) => { const flat = numbers(t); const columns = t.shape[1]!; return Array.from({ length: t.shape[0]! }, (_, r) => flat.slice(r * columns, (r + 1) * columns)); };
    return {
      [layer.kind]: {
        hidden: layer.hidden, inputs: layer.inputs, weight_ih: matrix(layer.weightIh), weight_hh: matrix(layer.weightHh),
        bias_ih: layer.biasIh === null ? false : numbers(layer.biasIh), bias_hh: layer.biasHh === null ? false : numbers(layer.biasHh), h0: numbers(layer.h0), output: layer.returns,
        ...(layer instanceof RNN && layer.nonlinearity !== 'tanh' ? { nonlinearity: layer.nonlinearity } : {}),
        ...(layer instanceof LSTM ? { c0: numbers(layer.c0) } : {}),
      },
    };
  }
  return null;
}

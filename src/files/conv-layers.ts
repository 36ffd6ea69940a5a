import { z } from 'zod';
import { slidingExtent } from '../kernels/reference/im2col.js';
import { INIT_NAMES } from '../nn/init.js';
import type { Problem } from './problem-error.js';
import { formatPath } from './problem-error.js';

/*
 * The spatial layers in problem and training files (docs/layers.md): conv2d, conv1d, maxpool2d,
 * avgpool2d and flatten, with PyTorch's settings and weight layouts. Each layer's plan records the
 * shape of one observation before and after it ([C, H, W] for images, [C, L] for sequences), so
 * the next layer, and a linear layer after flatten, know their sizes.
 */

const positive = z.number().int().positive();
const pair = z.union([positive, z.tuple([positive, positive])]);
const padPair = z.union([z.number().int().min(0), z.tuple([z.number().int().min(0), z.number().int().min(0)])]);
const nested = (depth: number): z.ZodType => (depth === 0 ? z.number() : z.array(nested(depth - 1)).min(1));

const convOptions = {
  in: positive.optional(),
  out: positive.optional(),
  kernel: pair.optional(),
  stride: pair.optional(),
  padding: padPair.optional(),
  dilation: pair.optional(),
  groups: positive.optional(),
  bias: z.union([z.boolean(), z.array(z.number()).min(1)]).optional(),
  init: z.enum(INIT_NAMES).optional(),
  value: z.number().optional(),
  seed: z.number().int().optional(),
};

export const spatialLayerSchemas = {
  conv2d: z.strictObject({
    ...convOptions,
    weights: nested(4).optional(),
    /** The image's height and width, when the data gives each observation as one row of C·H·W numbers. */
    image: z.tuple([positive, positive]).optional(),
  }),
  conv1d: z.strictObject({
    ...convOptions,
    kernel: positive.optional(), stride: positive.optional(), padding: z.number().int().min(0).optional(), dilation: positive.optional(),
    weights: nested(3).optional(),
    /** The sequence's length, when the data gives each observation as one row of C·L numbers. */
    length: positive.optional(),
  }),
  maxpool2d: z.strictObject({ kernel: pair, stride: pair.optional(), padding: padPair.optional(), image: z.tuple([positive, positive]).optional() }),
  avgpool2d: z.strictObject({ kernel: pair, stride: pair.optional(), padding: padPair.optional(), image: z.tuple([positive, positive]).optional() }),
  flatten: z.strictObject({}),
};
export type SpatialKind = keyof typeof spatialLayerSchemas;
export const SPATIAL_KINDS = Object.keys(spatialLayerSchemas) as SpatialKind[];

type Pair = [number, number];

/** A validated convolution: settings as pairs (conv1d: [1, ·]), weights flat in PyTorch's layout, or an initialiser. */
export interface ConvPlan {
  readonly kind: 'conv2d' | 'conv1d';
  readonly inChannels: number;
  readonly outChannels: number;
  readonly kernel: Pair;
  readonly stride: Pair;
  readonly padding: Pair;
  readonly dilation: Pair;
  readonly groups: number;
  /** Row-major numbers of [Cout, Cin/groups, kH, kW] (conv1d: [Cout, Cin/groups, k]), or null to initialise. */
  readonly weights: number[] | null;
  /** null: no bias; numbers; { init: true } to initialise it (zeros for he/xavier). */
  readonly bias: number[] | { readonly init: true } | null;
  readonly init: { readonly init?: (typeof INIT_NAMES)[number] | undefined; readonly value?: number | undefined; readonly seed?: number | undefined };
  /** One observation's shape before and after the layer. */
  readonly inputShape: readonly number[];
  readonly outputShape: readonly number[];
}

export interface PoolPlan {
  readonly kind: 'maxpool2d' | 'avgpool2d';
  readonly kernel: Pair;
  readonly stride: Pair;
  readonly padding: Pair;
  readonly inputShape: readonly number[];
  readonly outputShape: readonly number[];
}

export interface FlattenPlan {
  readonly kind: 'flatten';
  readonly inputShape: readonly number[] | null;
  readonly outputShape: readonly number[] | null;
}

export type SpatialPlan = ConvPlan | PoolPlan | FlattenPlan;

const pairOf = (value: number | readonly number[] | undefined, fallback: number): Pair =>
  value === undefined ? [fallback, fallback] : typeof value === 'number' ? [value, value] : [value[0]!, value[1]!];

/** The extents of a nested list, or null when it is ragged. */
function extentsOf(value: unknown, depth: number): number[] | null {
  if (depth === 0) return typeof value === 'number' ? [] : null;
  if (!Array.isArray(value) || value.length === 0) return null;
  const inner = value.map((item) => extentsOf(item, depth - 1));
  const first = inner[0];
  if (first === null || first === undefined || inner.some((extents) => extents === null || extents.join() !== first.join())) return null;
  return [value.length, ...first];
}

const flat = (value: unknown): number[] => (Array.isArray(value) ? value.flatMap(flat) : [value as number]);
const sizeOf = (shape: readonly number[]) => shape.reduce((product, extent) => product * extent, 1);
const shapeText = (shape: readonly number[]) => `[${shape.join(', ')}]`;

/**
 * One observation's shape as the layer reads it: the shape before it, or a row of numbers read as
 * an image (channels × image) or a sequence (channels × length) when the layer says its size.
 */
function readInput(
  kind: SpatialKind, before: readonly number[] | null, spatial: readonly number[] | undefined, channels: number | undefined, path: string, problems: Problem[],
): number[] | null {
  const rank = kind === 'conv1d' ? 2 : 3;
  const sizeKey = kind === 'conv1d' ? 'length' : 'image';
  if (before !== null && before.length === rank) {
    if (spatial !== undefined && spatial.join() !== before.slice(1).join()) {
      problems.push({ path: `${path}.${sizeKey}`, message: `is ${shapeText(spatial)}, but the layer before gives ${shapeText(before.slice(1))}` });
    }
    return [...before];
  }
  if (spatial === undefined) {
    const example = kind === 'conv1d' ? 'length: 28' : 'image: [28, 28]';
    problems.push({
      path, message: before === null
        ? `needs the size of its input: give the data as nested lists [N][C]${kind === 'conv1d' ? '[L]' : '[H][W]'}, or say it (${example})`
        : `reads ${before.length === 1 ? `rows of ${before[0]} numbers` : `inputs of shape ${shapeText(before)}`}: say the ${kind === 'conv1d' ? 'sequence length' : 'image size'} they are (${example}), or give the data as nested lists`,
    });
    return null;
  }
  const width = before === null ? null : sizeOf(before);
  const perChannel = sizeOf(spatial);
  const c = channels ?? (width === null ? null : width / perChannel);
  if (c === null || !Number.isInteger(c) || (width !== null && c * perChannel !== width)) {
    problems.push({ path: `${path}.${sizeKey}`, message: `${shapeText(spatial)} does not divide the ${width} numbers of each input${channels === undefined ? '' : ` into ${channels} channels`}` });
    return null;
  }
  return [c, ...spatial];
}

function slidingShape(kind: SpatialKind, input: readonly number[], kernel: Pair, stride: Pair, padding: Pair, dilation: Pair, path: string, problems: Problem[]): number[] | null {
  const spatial = kind === 'conv1d' ? [1, input[1]!] : [input[1]!, input[2]!];
  const out = [0, 1].map((axis) => slidingExtent(spatial[axis]!, kernel[axis]!, stride[axis]!, padding[axis]!, dilation[axis]!));
  if (out.some((extent) => extent < 1)) {
    problems.push({ path, message: `a ${kernel.join('×')} window${dilation.some((d) => d > 1) ? ` with dilation ${dilation.join('×')}` : ''} does not fit the input ${shapeText(input)} padded by ${padding.join('×')}` });
    return null;
  }
  return kind === 'conv1d' ? [out[1]!] : out;
}

/**
 * Plan one spatial layer from its validated options and the shape before it (null: unknown).
 * Problems go into `problems`; null when the layer cannot be planned.
 */
export function planSpatialLayer(
  kind: SpatialKind, options: unknown, before: readonly number[] | null, index: number, problems: Problem[],
): SpatialPlan | null {
  const path = formatPath(['model', index, kind]);
  const parsed = spatialLayerSchemas[kind].safeParse(options ?? {});
  if (!parsed.success) {
    problems.push(...parsed.error.issues.map((issue) => ({ path: formatPath(['model', index, kind, ...issue.path]), message: issue.message })));
    return null;
  }
  if (kind === 'flatten') {
    return { kind, inputShape: before, outputShape: before === null ? null : [sizeOf(before)] };
  }
  if (kind === 'maxpool2d' || kind === 'avgpool2d') {
    const spec = parsed.data as z.infer<(typeof spatialLayerSchemas)['maxpool2d']>;
    const input = readInput(kind, before, spec.image, undefined, path, problems);
    const kernel = pairOf(spec.kernel, 1);
    const stride = pairOf(spec.stride, 0).some((v) => v === 0) ? kernel : pairOf(spec.stride, 1);
    const padding = pairOf(spec.padding, 0);
    if (padding.some((pad, axis) => pad * 2 > kernel[axis]!)) problems.push({ path: `${path}.padding`, message: `${padding.join('×')} is more than half the kernel ${kernel.join('×')} (PyTorch's limit: no window may lie in the padding alone)` });
    if (input === null) return null;
    const out = slidingShape(kind, input, kernel, stride, padding, [1, 1], path, problems);
    return out === null ? null : { kind, kernel, stride, padding, inputShape: input, outputShape: [input[0]!, ...out] };
  }
  return planConv(kind, parsed.data, before, path, problems);
}

type ConvOptions = z.infer<(typeof spatialLayerSchemas)['conv2d']> & { length?: number };

function planConv(kind: 'conv2d' | 'conv1d', spec: ConvOptions, before: readonly number[] | null, path: string, problems: Problem[]): ConvPlan | null {
  const oneD = kind === 'conv1d';
  const depth = oneD ? 3 : 4;
  let weightShape: number[] | null = null;
  if (spec.weights !== undefined) {
    weightShape = extentsOf(spec.weights, depth);
    if (weightShape === null) {
      problems.push({ path: `${path}.weights`, message: `must be nested lists [out][in / groups]${oneD ? '[k]' : '[kH][kW]'} of the same lengths at each level (PyTorch's layout)` });
      return null;
    }
  }
  const groups = spec.groups ?? 1;
  const kernelFromWeights: Pair | null = weightShape === null ? null : oneD ? [1, weightShape[2]!] : [weightShape[2]!, weightShape[3]!];
  const kernel: Pair = spec.kernel === undefined ? kernelFromWeights ?? [0, 0] : oneD ? [1, spec.kernel as number] : pairOf(spec.kernel, 1);
  if (spec.kernel === undefined && kernelFromWeights === null) problems.push({ path: `${path}.kernel`, message: 'needed when no weights are given: the kernel size, e.g. kernel: 3' });
  if (kernelFromWeights !== null && kernelFromWeights.join() !== kernel.join()) problems.push({ path: `${path}.kernel`, message: `is ${kernel.join('×')}, but the weights' kernels are ${kernelFromWeights.join('×')}` });
  const stride: Pair = oneD ? [1, (spec.stride as number | undefined) ?? 1] : pairOf(spec.stride, 1);
  const padding: Pair = oneD ? [0, (spec.padding as number | undefined) ?? 0] : pairOf(spec.padding, 0);
  const dilation: Pair = oneD ? [1, (spec.dilation as number | undefined) ?? 1] : pairOf(spec.dilation, 1);
  const outChannels = weightShape?.[0] ?? spec.out;
  if (outChannels === undefined) problems.push({ path: `${path}.out`, message: 'needed when no weights are given: the number of output channels' });
  if (weightShape !== null && spec.out !== undefined && spec.out !== weightShape[0]) problems.push({ path: `${path}.out`, message: `is ${spec.out}, but the weights have ${weightShape[0]} output channels` });
  const input = readInput(kind, before, oneD ? (spec.length === undefined ? undefined : [spec.length]) : spec.image, spec.in, path, problems);
  if (input === null || outChannels === undefined || spec.kernel === undefined && kernelFromWeights === null) return null;
  const inChannels = input[0]!;
  if (spec.in !== undefined && spec.in !== inChannels) problems.push({ path: `${path}.in`, message: `is ${spec.in}, but its input has ${inChannels} channels` });
  if (inChannels % groups !== 0 || outChannels % groups !== 0) {
    problems.push({ path: `${path}.groups`, message: `${groups} must divide both the ${inChannels} input and the ${outChannels} output channels` });
    return null;
  }
  if (weightShape !== null && weightShape[1]! * groups !== inChannels) {
    problems.push({ path: `${path}.weights`, message: `each kernel has ${weightShape[1]} channel${weightShape[1] === 1 ? '' : 's'}, but the input has ${inChannels}${groups === 1 ? '' : ` in ${groups} groups`}: [out][in / groups]${oneD ? '[k]' : '[kH][kW]'}` });
  }
  const { bias } = spec;
  if (Array.isArray(bias) && bias.length !== outChannels) problems.push({ path: `${path}.bias`, message: `${bias.length} numbers, but the layer has ${outChannels} output channels` });
  const out = slidingShape(kind, input, kernel, stride, padding, dilation, path, problems);
  if (out === null) return null;
  return {
    kind, inChannels, outChannels, kernel, stride, padding, dilation, groups,
    weights: spec.weights === undefined ? null : flat(spec.weights),
    bias: bias === undefined || bias === false ? null : bias === true ? { init: true } : bias,
    init: { init: spec.init, value: spec.value, seed: spec.seed },
    inputShape: input, outputShape: [outChannels, ...out],
  };
}

/** Nested lists [N][…] as rows of numbers, one per observation, and one observation's shape; null unless nested deeper than rows. */
export function observationsOf(x: unknown): { rows: number[][]; shape: number[] } | null {
  if (!Array.isArray(x) || !Array.isArray(x[0]) || !Array.isArray(x[0][0])) return null;
  for (const depth of [4, 3]) {
    const extents = extentsOf(x, depth);
    if (extents !== null) return { rows: x.map((observation) => flat(observation)), shape: extents.slice(1) };
  }
  return null;
}

/** The parameter count of a spatial plan (weights and bias). */
export function spatialParameters(plan: SpatialPlan): number {
  if (plan.kind !== 'conv2d' && plan.kind !== 'conv1d') return 0;
  const weights = plan.outChannels * (plan.inChannels / plan.groups) * plan.kernel[0] * plan.kernel[1];
  return weights + (plan.bias === null ? 0 : plan.outChannels);
}

import { pairOf } from '../autograd/convolution.js';
import type { Tensor } from '../autograd/tensor.js';
import { ShapeError } from '../errors.js';
import type { Algebra } from '../ops/algebra.js';
import type { ConvAttrs } from '../ops/types.js';
import { formatShape } from '../tensor/shape.js';
import { Layer } from './layer.js';

/** A convolution's settings as PyTorch's nn.Conv2d takes them; each pair is (along H, along W). */
export interface Conv2dSettings {
  readonly stride?: number | readonly [number, number];
  readonly padding?: number | readonly [number, number];
  readonly dilation?: number | readonly [number, number];
  readonly groups?: number;
  /** One observation's shape [C, H, W]: the layer then also reads rows of C·H·W numbers as images. */
  readonly observationShape?: readonly number[];
}

function attrsOf(settings: Conv2dSettings): ConvAttrs {
  return { stride: pairOf(settings.stride ?? 1), padding: pairOf(settings.padding ?? 0), dilation: pairOf(settings.dilation ?? 1), groups: settings.groups ?? 1 };
}

function checkParameters(kind: string, weight: Tensor, bias: Tensor | null, rank: number, layout: string, groups: number): void {
  if (weight.rank !== rank) throw new ShapeError(`${kind}: weights must be ${rank}-D ${layout}, got shape ${formatShape(weight.shape)}`);
  if (!Number.isInteger(groups) || groups < 1 || weight.shape[0]! % groups !== 0) {
    throw new ShapeError(`${kind}: groups = ${groups} must be a whole number ≥ 1 dividing the ${weight.shape[0]} output channels`);
  }
  if (bias !== null && (bias.rank !== 1 || bias.shape[0] !== weight.shape[0])) {
    throw new ShapeError(`${kind}: bias must have ${weight.shape[0]} numbers (one per output channel), got shape ${formatShape(bias.shape)}`);
  }
  weight.requiresGrad = true;
  if (bias !== null) bias.requiresGrad = true;
}

/**
 * Rows of numbers [N, C·H·W] (as data sets and problem files hold observations) read as the
 * observation shape the layer was given: [N, C, H, W]. Anything else passes unchanged.
 */
export function asObservations<T>(m: Algebra<T>, x: T, observationShape: readonly number[] | undefined): T {
  const shape = m.shapeOf(x);
  if (observationShape === undefined || shape.length !== 2) return x;
  return m.reshape(x, [shape[0]!, ...observationShape]);
}

/** The bias [Cout] added at every position of y [N, Cout, …]. */
function withBias<T>(m: Algebra<T>, y: T, bias: T | undefined): T {
  if (bias === undefined) return y;
  const shape = m.shapeOf(y).map((extent, axis) => (axis === 1 ? extent : 1));
  return m.add(y, m.reshape(bias, shape));
}

/** What both convolutions share: weight, optional bias, settings and how rows are read as observations. */
abstract class ConvLayer extends Layer {
  constructor(readonly weight: Tensor, readonly bias: Tensor | null, readonly attrs: ConvAttrs, readonly observationShape: readonly number[] | undefined) {
    super();
  }

  get inChannels(): number {
    return this.weight.shape[1]! * this.attrs.groups;
  }
  get outChannels(): number {
    return this.weight.shape[0]!;
  }

  override namedParameters(): [string, Tensor][] {
    return this.bias === null ? [['weight', this.weight]] : [['weight', this.weight], ['bias', this.bias]];
  }
}

/**
 * Y = X ∗ W + b over images X [N, Cin, H, W], PyTorch's nn.Conv2d: weight [Cout, Cin/groups, kH, kW],
 * bias [Cout]; each output is the sum of products of one window with the kernel, plus the bias.
 */
export class Conv2d extends ConvLayer {
  readonly kind = 'conv2d';

  constructor(weight: Tensor, bias: Tensor | null = null, settings: Conv2dSettings = {}) {
    super(weight, bias, attrsOf(settings), settings.observationShape);
    checkParameters('conv2d', weight, bias, 4, '[out channels, in channels / groups, kernel height, kernel width]', this.attrs.groups);
  }

  compute<T>(m: Algebra<T>, x: T, [weight, bias]: readonly T[]): T {
    return withBias(m, m.conv2d(asObservations(m, x, this.observationShape), weight!, this.attrs), bias);
  }
}

/** Settings of a 1-D convolution: single numbers. */
export interface Conv1dSettings {
  readonly stride?: number;
  readonly padding?: number;
  readonly dilation?: number;
  readonly groups?: number;
  /** One observation's shape [C, L]: the layer then also reads rows of C·L numbers as sequences. */
  readonly observationShape?: readonly number[];
}

/**
 * PyTorch's nn.Conv1d over sequences X [N, Cin, L]: weight [Cout, Cin/groups, k], bias [Cout].
 * Computed as a Conv2d over images one row high.
 */
export class Conv1d extends ConvLayer {
  readonly kind = 'conv1d';

  constructor(weight: Tensor, bias: Tensor | null = null, settings: Conv1dSettings = {}) {
    const attrs: ConvAttrs = { stride: [1, settings.stride ?? 1], padding: [0, settings.padding ?? 0], dilation: [1, settings.dilation ?? 1], groups: settings.groups ?? 1 };
    super(weight, bias, attrs, settings.observationShape);
    checkParameters('conv1d', weight, bias, 3, '[out channels, in channels / groups, kernel size]', this.attrs.groups);
  }

  override forward(x: Tensor): Tensor {
    if (x.rank !== 3 && !(x.rank === 2 && this.observationShape !== undefined)) throw new ShapeError(`conv1d: the input must be 3-D [N, C, L], got shape ${formatShape(x.shape)}`);
    return super.forward(x);
  }

  compute<T>(m: Algebra<T>, rows: T, [weight, bias]: readonly T[]): T {
    const x = asObservations(m, rows, this.observationShape);
    const [n = 0, c = 0, length = 0] = m.shapeOf(x);
    const [cout = 0, cinG = 0, k = 0] = m.shapeOf(weight!);
    const y = m.conv2d(m.reshape(x, [n, c, 1, length]), m.reshape(weight!, [cout, cinG, 1, k]), this.attrs);
    const [, , , outLength = 0] = m.shapeOf(y);
    return withBias(m, m.reshape(y, [n, cout, outLength]), bias);
  }
}

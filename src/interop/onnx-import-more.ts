import type { MoreLayer } from './more-layers.js';
import { InteropError, type NumericArray } from './named-array.js';

/*
 * Reading back the ONNX nodes of the layers beyond the perceptron, as mashagrad's exporter and
 * torch.onnx.export write them for a model in evaluation mode (docs/interop.md): Conv, MaxPool,
 * AveragePool (with torch's Pad before it), Flatten after images, BatchNormalization,
 * LayerNormalization, and Dropout and Identity, which are the identity at inference.
 */

/** What decodeOnnx knows about the node it reads. */
export interface NodeReader {
  readonly where: string;
  readonly source: string;
  /** An INT attribute, an INTS one, a FLOAT one; `otherwise` when absent. */
  readonly int: (name: string, otherwise: number) => number;
  readonly ints: (name: string) => number[] | null;
  readonly float: (name: string, otherwise: number) => number;
  readonly string: (name: string) => string | null;
  /** The stored weight the node takes at input `position`, or null when the input is absent. */
  readonly weight: (position: number) => NumericArray | null;
  /** Whether the data reaching the node are images [batch, C, …] rather than rows. */
  readonly images: boolean;
  /** Padding [along H, along W] a Pad node right before added (torch's AveragePool). */
  readonly padded: readonly [number, number] | null;
}

/** The ops this file reads, for messages. */
export const MORE_SUPPORTED = 'Conv, MaxPool, AveragePool (and a zero Pad before it), Flatten, BatchNormalization, LayerNormalization, Dropout, Identity';

const fail = (reader: NodeReader, why: string): never => {
  throw new InteropError(`${reader.source}: ${reader.where} ${why}`);
};

/** ONNX pads are all begins, then all ends; mashagrad (and PyTorch) pad both sides of an axis alike. */
function symmetricPads(reader: NodeReader, axes: number): number[] {
  const pads = reader.ints('pads') ?? Array.from({ length: 2 * axes }, () => 0);
  const begins = pads.slice(0, axes);
  if (pads.length !== 2 * axes || begins.some((pad, axis) => pad !== pads[axes + axis])) fail(reader, `has pads [${pads.join(', ')}]; mashagrad pads both sides of an axis alike`);
  const autoPad = reader.string('auto_pad');
  if (autoPad !== null && autoPad !== 'NOTSET') fail(reader, `has auto_pad ${autoPad}; mashagrad reads explicit pads`);
  return begins;
}

const pairOf = (values: readonly number[]): [number, number] => [values[0]!, values[1]!];
const vector = (array: NumericArray) => Array.from(array.data);

function conv(reader: NodeReader): MoreLayer {
  const weight = reader.weight(1) ?? fail(reader, 'has no stored weight');
  const rank = weight.shape.length;
  if (rank !== 3 && rank !== 4) fail(reader, `has a weight of shape [${weight.shape.join(', ')}]; mashagrad reads 1-D and 2-D convolutions`);
  const axes = rank - 2;
  const ones = Array.from({ length: axes }, () => 1);
  const stride = reader.ints('strides') ?? ones;
  const dilation = reader.ints('dilations') ?? ones;
  const padding = symmetricPads(reader, axes);
  const bias = reader.weight(2);
  const common = { weight: { shape: [...weight.shape], data: vector(weight) }, bias: bias === null ? null : vector(bias), groups: reader.int('group', 1), observationShape: null };
  return axes === 2
    ? { kind: 'conv2d', ...common, stride: pairOf(stride), padding: pairOf(padding), dilation: pairOf(dilation) }
    : { kind: 'conv1d', ...common, stride: stride[0]!, padding: padding[0]!, dilation: dilation[0]! };
}

function pool(reader: NodeReader, kind: 'maxpool2d' | 'avgpool2d'): MoreLayer {
  const kernel = reader.ints('kernel_shape') ?? fail(reader, 'has no kernel_shape');
  if (kernel.length !== 2) fail(reader, `pools over ${kernel.length} axes; mashagrad pools images (2 axes)`);
  if (reader.int('ceil_mode', 0) !== 0) fail(reader, 'has ceil_mode 1; mashagrad pools with floor (ceil_mode 0)');
  if ((reader.ints('dilations') ?? [1, 1]).some((d) => d !== 1)) fail(reader, 'has dilations; mashagrad\'s pooling layers have none');
  let padding = pairOf(symmetricPads(reader, 2));
  if (kind === 'avgpool2d') {
    if (padding.some((pad) => pad > 0) && reader.int('count_include_pad', 0) !== 1) fail(reader, 'leaves the padding out of the mean (count_include_pad 0); mashagrad counts it as zeros, as PyTorch');
    if (reader.padded !== null) padding = [padding[0] + reader.padded[0], padding[1] + reader.padded[1]];
  }
  return { kind, kernel: pairOf(kernel), stride: pairOf(reader.ints('strides') ?? [1, 1]), padding, observationShape: null };
}

function batchnorm(reader: NodeReader): MoreLayer {
  if (reader.int('training_mode', 0) !== 0) fail(reader, 'is in training mode; mashagrad reads models exported for inference');
  const [weight, bias, mean, variance] = [1, 2, 3, 4].map((position) => reader.weight(position) ?? fail(reader, `has no stored input ${position}`));
  // ONNX's momentum weighs the running statistic, PyTorch's the batch's: 1 − m.
  return {
    kind: reader.images ? 'batchnorm2d' : 'batchnorm1d', features: weight!.data.length, weight: vector(weight!), bias: vector(bias!),
    runningMean: vector(mean!), runningVar: vector(variance!), eps: Number(reader.float('epsilon', 1e-5).toPrecision(7)), momentum: Number((1 - reader.float('momentum', 0.9)).toPrecision(7)), batchesTracked: 0,
  };
}

function layernorm(reader: NodeReader): MoreLayer {
  if (reader.images || reader.int('axis', -1) !== -1) fail(reader, 'normalises more than the last axis of rows; mashagrad\'s layernorm normalises each row');
  const weight = reader.weight(1) ?? fail(reader, 'has no stored scale');
  const bias = reader.weight(2);
  return { kind: 'layernorm', features: weight.data.length, weight: vector(weight), bias: bias === null ? vector(weight).map(() => 0) : vector(bias), eps: Number(reader.float('epsilon', 1e-5).toPrecision(7)) };
}

/**
 * The layer an ONNX node describes; 'skip' for a node that computes nothing at inference (Dropout,
 * Identity); null for an op this file does not read.
 */
export function moreLayerFromNode(opType: string, reader: NodeReader): MoreLayer | 'skip' | null {
  switch (opType) {
    case 'Conv': return conv(reader);
    case 'MaxPool': return pool(reader, 'maxpool2d');
    case 'AveragePool': return pool(reader, 'avgpool2d');
    case 'BatchNormalization': return batchnorm(reader);
    case 'LayerNormalization': return layernorm(reader);
    case 'Dropout': case 'Identity': return 'skip';
    case 'Flatten':
      if (reader.int('axis', 1) !== 1) fail(reader, 'flattens from an axis other than 1; mashagrad flattens each observation into one row');
      return { kind: 'flatten' };
    default: return null;
  }
}

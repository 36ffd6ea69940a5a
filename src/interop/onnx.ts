import type { DType } from '../tensor/dtype.js';
import { STANDARDIZE_MEAN, STANDARDIZE_STD, type InputStandardization } from './input-standardization.js';
import type { PortableLayer } from './layers.js';
import { InteropError, matrixRows, sizeOfShape, transposed, type NumericArray } from './named-array.js';
import {
  ATTRIBUTE_TYPE, DATA_TYPE, decodeModel, encodeModel,
  type AttributeMessage, type Int64, type ModelMessage, type NodeMessage, type TensorMessage, type ValueInfoMessage,
} from './onnx-messages.js';
import { LAYERNORM_OPSET, moreLayerNode } from './onnx-more.js';
import { MORE_SUPPORTED, moreLayerFromNode } from './onnx-import-more.js';
import { rnnNodes, type FloatTensor } from './onnx-rnn.js';
import { stateDictOf } from './state-dict.js';

/*
 * ONNX export and import of the portable layers, as torch.onnx.export writes nn.Sequential:
 * Linear is Gemm(x, W, b) with transB = 1 and W as PyTorch keeps it, [outputs, inputs], named
 * INDEX.weight / INDEX.bias; activations are Relu, Sigmoid, Tanh, LeakyRelu(alpha), Softmax(axis = -1).
 * Import also reads MatMul (+ Add) for linear layers and skips a leading Flatten or Identity.
 */

/** Opset 13: Softmax over one axis (-1), the semantics of nn.Softmax(dim=-1). */
export const ONNX_OPSET = 13;
/** IR version 7 goes with opset 13 (ONNX 1.8), which every maintained runtime reads. */
const IR_VERSION = 7;
/** IR version 8 goes with opset 17 (ONNX 1.12). */
const LAYERNORM_IR_VERSION = 8;
const OPS: Readonly<Record<'relu' | 'sigmoid' | 'tanh' | 'softmax' | 'leaky_relu', string>> = {
  relu: 'Relu', sigmoid: 'Sigmoid', tanh: 'Tanh', softmax: 'Softmax', leaky_relu: 'LeakyRelu',
};

export interface OnnxExportOptions {
  /** Element type of the weights and of the input and output: float32 (default, what runtimes expect) or float64. */
  readonly dtype?: DType;
  /** The graph's name (default: mashagrad). */
  readonly name?: string;
  /** When the model was trained on standardized inputs: the graph starts with Sub(mean) and Div(std), so it takes raw inputs. */
  readonly standardization?: InputStandardization | null;
}

function tensorMessage(name: string, array: NumericArray): TensorMessage {
  const raw = new Uint8Array(array.data.length * (array.dtype === 'float32' ? 4 : 8));
  const view = new DataView(raw.buffer);
  array.data.forEach((value, i) => (array.dtype === 'float32' ? view.setFloat32(i * 4, value, true) : view.setFloat64(i * 8, value, true)));
  return { name, dims: [...array.shape], dataType: array.dtype === 'float32' ? DATA_TYPE.FLOAT : DATA_TYPE.DOUBLE, rawData: raw };
}

type Dimension = number | string;
type Activation = Extract<PortableLayer, { kind: 'relu' | 'sigmoid' | 'tanh' | 'softmax' | 'leaky_relu' }>;
const isActivation = (layer: PortableLayer): layer is Activation => Object.hasOwn(OPS, layer.kind);

function valueInfo(name: string, elemType: number, dims: readonly Dimension[] | null): ValueInfoMessage {
  // No shape at all (not even the rank) when the export cannot tell it: runtimes infer it.
  const shape = dims === null ? {} : { shape: { dim: dims.map((dim) => (typeof dim === 'string' ? { dimParam: dim } : { dimValue: dim })) } };
  return { name, type: { tensorType: { elemType, ...shape } } };
}

const SHAPE_KEEPING: readonly string[] = ['relu', 'sigmoid', 'tanh', 'softmax', 'leaky_relu', 'dropout', 'layernorm', 'batchnorm1d', 'batchnorm2d', 'residual'];

/** The input's shape, fixed by the first layer that is not elementwise: [batch, inputs] for linear, [batch, C, H, W] for conv2d, … */
function inputShape(layers: readonly PortableLayer[]): Dimension[] | null {
  const first = layers.find((layer) => !['relu', 'sigmoid', 'tanh', 'softmax', 'leaky_relu', 'dropout'].includes(layer.kind));
  switch (first?.kind) {
    case 'linear': return ['batch', first.weights.length];
    case 'conv2d': return ['batch', ...(first.observationShape ?? [first.weight.shape[1]! * first.groups, 'height', 'width'])];
    case 'conv1d': return ['batch', ...(first.observationShape ?? [first.weight.shape[1]! * first.groups, 'length'])];
    case 'maxpool2d': case 'avgpool2d': return ['batch', ...(first.observationShape ?? ['channels', 'height', 'width'])];
    case 'layernorm': case 'batchnorm1d': return ['batch', first.features];
    case 'batchnorm2d': return ['batch', first.features, 'height', 'width'];
    case 'residual': return inputShape(first.body);
    case 'rnn': return ['batch', 'steps', first.weightIh.shape[1]!];
    default: return null;
  }
}

/**
 * The output's shape: [batch, outputs] when a linear layer (or an rnn's last state) fixes it and
 * only shape-keeping layers follow; otherwise its rank, followed through the layers from the
 * input's, with named extents (onnx.checker wants a shape on a graph output).
 */
function outputShape(layers: readonly PortableLayer[]): Dimension[] | null {
  for (let index = layers.length - 1; index >= 0; index--) {
    const layer = layers[index]!;
    if (layer.kind === 'linear') return ['batch', layer.weights[0]?.length ?? 0];
    if (layer.kind === 'rnn' && layer.last) return ['batch', layer.h0.length];
    if (layer.kind === 'rnn' && layer.steps) return ['rows', layer.h0.length];
    if (!SHAPE_KEEPING.includes(layer.kind)) break;
  }
  let rank = inputShape(layers)?.length;
  if (rank === undefined) return null;
  layers.forEach((layer, index) => {
    if (layer.kind === 'linear' || layer.kind === 'flatten') rank = 2;
    else if (layer.kind === 'rnn') rank = layer.last || layer.steps || index > 0 ? 2 : 3;
  });
  return ['batch', ...Array.from({ length: rank - 1 }, (_, axis) => `output_${axis + 1}`)];
}

interface GraphParts {
  readonly nodes: NodeMessage[];
  /** Initializers beyond the state dict's (an rnn's stacked weights, shapes for Reshape). */
  readonly initializers: TensorMessage[];
  readonly floats: FloatTensor;
}

const hasLayerNorm = (layers: readonly PortableLayer[]): boolean => layers.some((layer) => layer.kind === 'layernorm' || (layer.kind === 'residual' && hasLayerNorm(layer.body)));

/**
 * The nodes of a chain of layers from `input` to `output`, named as torch.onnx.export names them
 * (/3/Gemm, its output /3/output) with `prefix` before the index inside a residual block
 * ("1.body."); a residual block is its body's nodes and an Add of the block's input.
 */
function appendNodes(layers: readonly PortableLayer[], prefix: string, input: string, output: string, graph: GraphParts, atStart: boolean): void {
  const { nodes } = graph;
  let current = input;
  layers.forEach((layer, position) => {
    const index = `${prefix}${position}`;
    const next = position === layers.length - 1 ? output : `/${index}/output`;
    if (layer.kind === 'linear') {
      const inputs = [current, `${index}.weight`, ...(layer.bias === null ? [] : [`${index}.bias`])];
      nodes.push({ name: `/${index}/Gemm`, opType: 'Gemm', input: inputs, output: [next], attribute: [{ name: 'transB', type: ATTRIBUTE_TYPE.INT, i: 1 }] });
    } else if (isActivation(layer)) {
      const attribute: AttributeMessage[] = layer.kind === 'leaky_relu' ? [{ name: 'alpha', type: ATTRIBUTE_TYPE.FLOAT, f: layer.slope }]
        : layer.kind === 'softmax' ? [{ name: 'axis', type: ATTRIBUTE_TYPE.INT, i: -1 }] : [];
      nodes.push({ name: `/${index}/${OPS[layer.kind]}`, opType: OPS[layer.kind], input: [current], output: [next], attribute });
    } else if (layer.kind === 'residual') {
      const body = `/${index}/body/output`;
      appendNodes(layer.body, `${index}.body.`, current, body, graph, atStart && position === 0);
      nodes.push({ name: `/${index}/Add`, opType: 'Add', input: [current, body], output: [next], attribute: [] });
    } else if (layer.kind === 'rnn') {
      // The model's own input is [batch, steps, inputs]; after another layer the rnn reads rows.
      const rnn = rnnNodes(layer, index, current, next, !(atStart && position === 0), graph.floats);
      nodes.push(...rnn.nodes);
      graph.initializers.push(...rnn.initializers);
    } else {
      nodes.push(moreLayerNode(layer, index, current, next));
    }
    current = next;
  });
}

/** Sub(mean) and Div(std) from the graph's input, with the two numbers as 0-d initializers; the name of what they give. */
function standardizeNodes(standardization: InputStandardization | null, graph: GraphParts): string {
  if (standardization === null) return 'input';
  graph.initializers.push(graph.floats(STANDARDIZE_MEAN, [], [standardization.mean]), graph.floats(STANDARDIZE_STD, [], [standardization.std]));
  graph.nodes.push(
    { name: '/standardize/Sub', opType: 'Sub', input: ['input', STANDARDIZE_MEAN], output: ['/standardize/centred'], attribute: [] },
    { name: '/standardize/Div', opType: 'Div', input: ['/standardize/centred', STANDARDIZE_STD], output: ['/standardize/output'], attribute: [] },
  );
  return '/standardize/output';
}

/**
 * The model as an ONNX file: input `input` ([batch, inputs] for an MLP, [batch, C, H, W] for a
 * convolutional net), output `output`. Opset 13, or 17 when a layernorm needs LayerNormalization.
 */
export function encodeOnnx(layers: readonly PortableLayer[], options: OnnxExportOptions = {}): Uint8Array {
  const dtype = options.dtype ?? 'float32';
  const elemType = dtype === 'float32' ? DATA_TYPE.FLOAT : DATA_TYPE.DOUBLE;
  if (layers.length === 0) throw new InteropError('an ONNX export needs at least one layer');
  const parameters = stateDictOf(layers, dtype);
  const floats: FloatTensor = (name, shape, values) => tensorMessage(name, { dtype, shape, data: dtype === 'float32' ? Float32Array.from(values) : Float64Array.from(values) });
  const graph: GraphParts = { nodes: [], initializers: [], floats };
  appendNodes(layers, '', standardizeNodes(options.standardization ?? null, graph), 'output', graph, true);
  const nodes = graph.nodes;
  // Only what a node reads: num_batches_tracked and an rnn's unstacked weights and h0 stay out.
  const read = new Set(nodes.flatMap((node) => node.input ?? []));
  const layerNorm = hasLayerNorm(layers);
  const model: ModelMessage = {
    irVersion: layerNorm ? LAYERNORM_IR_VERSION : IR_VERSION,
    producerName: 'mashagrad',
    opsetImport: [{ domain: '', version: layerNorm ? LAYERNORM_OPSET : ONNX_OPSET }],
    graph: {
      name: options.name ?? 'mashagrad',
      node: nodes,
      // num_batches_tracked (int64) is PyTorch's bookkeeping, not an input of any node.
      initializer: [
        ...[...parameters].flatMap(([name, array]) => (array.dtype === 'int64' || !read.has(name) ? [] : [tensorMessage(name, array)])),
        ...graph.initializers,
      ],
      input: [valueInfo('input', elemType, inputShape(layers))],
      output: [valueInfo('output', elemType, outputShape(layers))],
    },
  };
  return encodeModel(model);
}

const toNumber = (value: Int64 | undefined): number => (value === undefined ? 0 : typeof value === 'number' ? value : value.toNumber());

function arrayOf(message: TensorMessage, source: string): NumericArray {
  const name = message.name ?? '';
  const fail = (why: string): never => {
    throw new InteropError(`${source}: initializer '${name}' ${why}`);
  };
  if (message.dataLocation === 1) fail('keeps its data in an external file; save the model with its weights inside (save_as_external_data=False)');
  const shape = (message.dims ?? []).map(toNumber);
  const size = sizeOfShape(shape);
  const float32 = message.dataType === DATA_TYPE.FLOAT;
  if (!float32 && message.dataType !== DATA_TYPE.DOUBLE) fail(`has ONNX data type ${message.dataType}; mashagrad reads FLOAT and DOUBLE weights`);
  const raw = message.rawData;
  const values = (float32 ? message.floatData : message.doubleData) ?? [];
  // The sizes are checked before anything is allocated: dims are the file's word, the bytes are there.
  if (raw !== undefined && raw.length > 0) {
    if (raw.length !== size * (float32 ? 4 : 8)) fail(`has ${raw.length} bytes for shape [${shape.join(', ')}]`);
  } else if (values.length !== size) {
    fail(`has ${values.length} numbers for shape [${shape.join(', ')}]`);
  }
  const data = float32 ? new Float32Array(size) : new Float64Array(size);
  if (raw !== undefined && raw.length > 0) {
    const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
    for (let i = 0; i < size; i++) data[i] = float32 ? view.getFloat32(i * 4, true) : view.getFloat64(i * 8, true);
  } else {
    data.set(values);
  }
  return { dtype: float32 ? 'float32' : 'float64', shape, data };
}

function attributes(node: NodeMessage): Map<string, AttributeMessage> {
  return new Map((node.attribute ?? []).map((attribute) => [attribute.name ?? '', attribute]));
}

const SUPPORTED = `Gemm, MatMul (+ Add), Relu, Sigmoid, Tanh, LeakyRelu, Softmax (last axis), ${MORE_SUPPORTED} (a residual block's Add is not read yet)`;

/** An int64 tensor's numbers (a Pad node's pads), from its int64 field or its raw bytes. */
function int64s(message: TensorMessage | undefined): number[] | null {
  if (message === undefined || message.dataType !== DATA_TYPE.INT64) return null;
  const raw = message.rawData;
  if (raw !== undefined && raw.length > 0) {
    const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
    return Array.from({ length: raw.length / 8 }, (_, i) => Number(view.getBigInt64(i * 8, true)));
  }
  return (message.int64Data ?? []).map(toNumber);
}

/** The portable layers of an ONNX model (a chain from its one input to its one output). */
export function decodeOnnx(bytes: Uint8Array, source: string): PortableLayer[] {
  let model: ModelMessage;
  try {
    model = decodeModel(bytes);
  } catch (error) {
    throw new InteropError(`${source}: not an ONNX model (${(error as Error).message})`);
  }
  const graph = model.graph;
  if (graph === undefined || graph === null) throw new InteropError(`${source}: not an ONNX model (no graph)`);
  const initializers = new Map((graph.initializer ?? []).map((message) => [message.name ?? '', message]));
  const dataInputs = (graph.input ?? []).filter((input) => !initializers.has(input.name ?? ''));
  if (dataInputs.length !== 1) throw new InteropError(`${source}: the graph has ${dataInputs.length} data inputs; mashagrad reads a chain with one`);
  const outputs = graph.output ?? [];
  if (outputs.length !== 1) throw new InteropError(`${source}: the graph has ${outputs.length} outputs; mashagrad reads a chain with one`);
  const opset = toNumber(model.opsetImport?.find((entry) => (entry.domain ?? '') === '' || entry.domain === 'ai.onnx')?.version);
  const weight = (node: NodeMessage, position: number): NumericArray => {
    const name = node.input?.[position] ?? '';
    const message = initializers.get(name);
    if (message === undefined) throw new InteropError(`${source}: node '${node.name ?? node.opType}' (${node.opType}) takes '${name}', which is not a stored weight; mashagrad reads models whose weights are initializers`);
    return arrayOf(message, source);
  };
  const layers: PortableLayer[] = [];
  let current = dataInputs[0]!.name ?? '';
  const nodes = graph.node ?? [];
  // Images flow from a 4-D (or 3-D) input, and after a convolution or pooling until a flatten or linear layer.
  let images = (dataInputs[0]!.type?.tensorType?.shape?.dim?.length ?? 2) > 2;
  // Constant nodes (torch's pads for a Pad), and the padding a Pad adds for the AveragePool after it.
  const constants = new Map<string, TensorMessage>();
  let padded: [number, number] | null = null;
  for (let position = 0; position < nodes.length; position++) {
    const node = nodes[position]!;
    const opType = node.opType ?? '';
    const where = `node ${position} ('${node.name || opType}', ${opType})`;
    if (opType === 'Constant' && (node.input ?? []).length === 0) {
      const value = attributes(node).get('value')?.t;
      if (value !== undefined) constants.set(node.output?.[0] ?? '', value);
      continue;
    }
    if ((node.domain ?? '') !== '' && node.domain !== 'ai.onnx') throw new InteropError(`${source}: ${where} is from operator domain '${node.domain}'; mashagrad reads ${SUPPORTED}`);
    // A residual block's Add joins two branches: named as unsupported, not as a broken chain.
    if (opType === 'Add' && (node.input ?? []).every((input) => !initializers.has(input))) throw new InteropError(`${source}: ${where} is not in mashagrad's layer set; it reads ${SUPPORTED}`);
    if (node.input?.[0] !== current) throw new InteropError(`${source}: ${where} does not take the previous layer's output '${current}' as its first input; mashagrad reads a chain of layers`);
    const attribute = attributes(node);
    const int = (name: string, otherwise: number) => (attribute.has(name) ? toNumber(attribute.get(name)!.i) : otherwise);
    const float = (name: string, otherwise: number) => attribute.get(name)?.f ?? otherwise;
    if (opType === 'Pad') {
      // torch.onnx.export writes AvgPool2d's padding as a Pad of zeros before an AveragePool without pads.
      const name = node.input?.[1] ?? '';
      const pads = int64s(constants.get(name) ?? initializers.get(name));
      const mode = attributes(node).get('mode')?.s;
      const zeros = (node.input?.[2] ?? '') === '' && (mode === undefined || new TextDecoder().decode(mode) === 'constant');
      const symmetric = pads !== null && pads.length === 8 && pads.slice(0, 2).every((pad) => pad === 0) && pads.slice(4, 6).every((pad) => pad === 0) && pads[2] === pads[6] && pads[3] === pads[7];
      if (!zeros || !symmetric || (pads.some((pad) => pad > 0) && nodes[position + 1]?.opType !== 'AveragePool')) {
        throw new InteropError(`${source}: ${where} is read only as the zero padding of height and width alike before an AveragePool (as torch.onnx.export writes AvgPool2d)`);
      }
      padded = [pads[2]!, pads[3]!];
      current = node.output?.[0] ?? '';
      continue;
    }
    const more = moreLayerFromNode(opType, {
      where, source, int, float, images, padded,
      ints: (name) => attribute.get(name)?.ints?.map(toNumber) ?? null,
      string: (name) => { const bytes = attribute.get(name)?.s; return bytes === undefined ? null : new TextDecoder().decode(bytes); },
      weight: (input) => ((node.input?.[input] ?? '') === '' ? null : weight(node, input)),
    });
    padded = null;
    // A Flatten first turns each observation into a row, as before (the model then reads rows).
    if (more !== null && !(opType === 'Flatten' && layers.length === 0)) {
      if (more !== 'skip') {
        layers.push(more);
        if (more.kind !== 'layernorm' && more.kind.startsWith('batchnorm') === false) images = more.kind !== 'flatten';
      }
      current = node.output?.[0] ?? '';
      continue;
    }
    switch (opType) {
      case 'Gemm': {
        if (int('transA', 0) !== 0 || float('alpha', 1) !== 1 || float('beta', 1) !== 1) throw new InteropError(`${source}: ${where} has transA, alpha or beta other than 0, 1, 1; mashagrad reads Gemm as x·W + b`);
        const b = checked(weight(node, 1), 2, `${where}: B`, source);
        const weights = matrixRows(int('transB', 0) === 1 ? transposed(b) : b, `${source}: ${where}`);
        const biasName = node.input?.[2] ?? '';
        layers.push({ kind: 'linear', weights, bias: biasName !== '' ? biasOf(weight(node, 2), weights[0]!.length, where, source) : null });
        images = false;
        break;
      }
      case 'MatMul': {
        const weights = matrixRows(checked(weight(node, 1), 2, `${where}: B`, source), `${source}: ${where}`);
        const next = nodes[position + 1];
        const add = next?.opType === 'Add' && next.input?.[0] === node.output?.[0] && initializers.has(next.input?.[1] ?? '') ? next : undefined;
        layers.push({ kind: 'linear', weights, bias: add === undefined ? null : biasOf(weight(add, 1), weights[0]!.length, `node ${position + 1} (Add)`, source) });
        images = false;
        if (add !== undefined) {
          position++;
          current = add.output?.[0] ?? '';
          continue;
        }
        break;
      }
      case 'Relu': layers.push({ kind: 'relu' }); break;
      case 'Sigmoid': layers.push({ kind: 'sigmoid' }); break;
      case 'Tanh': layers.push({ kind: 'tanh' }); break;
      // alpha is a float32 attribute: 7 digits give back the slope that was written (0.2, not 0.200000003).
      case 'LeakyRelu': layers.push({ kind: 'leaky_relu', slope: Number(float('alpha', 0.01).toPrecision(7)) }); break;
      case 'Softmax': {
        // Before opset 13 the default axis was 1; for [batch, features] both mean the last axis.
        const axis = int('axis', opset >= 13 ? -1 : 1);
        if (axis !== -1 && axis !== 1) throw new InteropError(`${source}: ${where} takes softmax over axis ${axis}; mashagrad's softmax is over the features (axis -1)`);
        layers.push({ kind: 'softmax' });
        break;
      }
      case 'Flatten':
        images = false;
        break;
      default:
        throw new InteropError(`${source}: ${where} is not in mashagrad's layer set; it reads ${SUPPORTED}`);
    }
    current = node.output?.[0] ?? '';
  }
  if (current !== outputs[0]!.name) throw new InteropError(`${source}: the chain of nodes ends in '${current}', not in the graph's output '${outputs[0]!.name}'`);
  if (!layers.some((layer) => layer.kind === 'linear' || layer.kind === 'conv2d' || layer.kind === 'conv1d')) throw new InteropError(`${source}: the model has no linear or convolution layer (Gemm, MatMul or Conv)`);
  return layers;
}

function checked(array: NumericArray, rank: number, what: string, source: string): NumericArray {
  if (array.shape.length !== rank) throw new InteropError(`${source}: ${what} has shape [${array.shape.join(', ')}], expected ${rank} axes`);
  return array;
}

function biasOf(array: NumericArray, outputs: number, where: string, source: string): number[] {
  const flat = array.shape.filter((size) => size !== 1);
  if (array.data.length !== outputs || flat.length > 1) throw new InteropError(`${source}: ${where}: the bias has shape [${array.shape.join(', ')}], expected [${outputs}]`);
  return Array.from(array.data);
}

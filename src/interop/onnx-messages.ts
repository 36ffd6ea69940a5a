import { onnx } from './onnx-proto.js';

/*
 * Typed views of the ONNX messages mashagrad reads and writes (the fields of onnx.proto it uses,
 * in protobufjs's camelCase). The codecs are onnx-proto.ts, generated from the official file.
 */

/** int64 fields decode as Long (from the `long` package) when they do not fit a double exactly; both convert with Number(). */
export type Int64 = number | { toNumber(): number };

export interface AttributeMessage {
  name?: string;
  type?: number;
  f?: number;
  i?: Int64;
  ints?: Int64[];
  strings?: Uint8Array[];
  /** A STRING attribute's bytes (auto_pad, mode). */
  s?: Uint8Array;
  /** A TENSOR attribute (a Constant node's value). */
  t?: TensorMessage;
}

export interface NodeMessage {
  input?: string[];
  output?: string[];
  name?: string;
  opType?: string;
  domain?: string;
  attribute?: AttributeMessage[];
}

export interface TensorMessage {
  name?: string;
  dims?: Int64[];
  dataType?: number;
  floatData?: number[];
  doubleData?: number[];
  int64Data?: Int64[];
  rawData?: Uint8Array;
  dataLocation?: number;
}

export interface DimensionMessage {
  dimValue?: Int64;
  dimParam?: string;
}

export interface ValueInfoMessage {
  name?: string;
  type?: { tensorType?: { elemType?: number; shape?: { dim?: DimensionMessage[] } } };
}

export interface GraphMessage {
  name?: string;
  node?: NodeMessage[];
  initializer?: TensorMessage[];
  input?: ValueInfoMessage[];
  output?: ValueInfoMessage[];
}

export interface ModelMessage {
  irVersion?: Int64;
  producerName?: string;
  producerVersion?: string;
  docString?: string;
  opsetImport?: { domain?: string; version?: Int64 }[];
  graph?: GraphMessage;
}

interface Codec<T> {
  encode(message: T): { finish(): Uint8Array };
  decode(bytes: Uint8Array): T;
}

const generated = onnx as unknown as { ModelProto: Codec<ModelMessage> };

export const encodeModel = (model: ModelMessage): Uint8Array => generated.ModelProto.encode(model).finish();
export const decodeModel = (bytes: Uint8Array): ModelMessage => generated.ModelProto.decode(bytes);

/** TensorProto.DataType values used here. */
export const DATA_TYPE = { FLOAT: 1, INT64: 7, DOUBLE: 11 } as const;
/** AttributeProto.AttributeType values used here. */
export const ATTRIBUTE_TYPE = { FLOAT: 1, INT: 2, INTS: 7, STRINGS: 8 } as const;

import type { DType } from '../tensor/dtype.js';
import { InteropError, sizeOfShape, type NumericArray, type StateArray } from './named-array.js';

/*
 * safetensors (huggingface/safetensors): 8 bytes little-endian header length N, N bytes of JSON
 * header { name: { dtype, shape, data_offsets: [begin, end] }, __metadata__?: { text: text } },
 * then the raw little-endian data, offsets relative to the end of the header.
 */

/** The format's own limit on the header (safetensors refuses larger ones). */
const MAX_HEADER_BYTES = 100_000_000;

/** The element types read, as float64 or float32 (half precisions widen to float32). */
const READERS: Readonly<Record<string, { bytes: number; dtype: DType; read: (view: DataView, at: number) => number }>> = {
  F64: { bytes: 8, dtype: 'float64', read: (view, at) => view.getFloat64(at, true) },
  F32: { bytes: 4, dtype: 'float32', read: (view, at) => view.getFloat32(at, true) },
  F16: { bytes: 2, dtype: 'float32', read: (view, at) => halfToNumber(view.getUint16(at, true)) },
  // Whole numbers, such as a batch norm's num_batches_tracked, read as float64.
  I64: { bytes: 8, dtype: 'float64', read: (view, at) => Number(view.getBigInt64(at, true)) },
  BF16: { bytes: 2, dtype: 'float32', read: (view, at) => new Float32Array(new Uint32Array([view.getUint16(at, true) << 16]).buffer)[0]! },
};

function halfToNumber(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const fraction = bits & 0x3ff;
  if (exponent === 0) return sign * 2 ** -14 * (fraction / 1024);
  if (exponent === 0x1f) return fraction === 0 ? sign * Infinity : NaN;
  return sign * 2 ** (exponent - 15) * (1 + fraction / 1024);
}

export interface Safetensors {
  /** Arrays by name, in the header's order. */
  readonly arrays: Map<string, NumericArray>;
  readonly metadata: Map<string, string>;
}

/** Parse a safetensors file; `source` names it in errors. */
export function decodeSafetensors(bytes: Uint8Array, source: string): Safetensors {
  const fail = (message: string): never => {
    throw new InteropError(`${source}: ${message}`);
  };
  if (bytes.length < 8) fail('not a safetensors file (shorter than its 8-byte header length)');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = Number(view.getBigUint64(0, true));
  if (headerLength > MAX_HEADER_BYTES || 8 + headerLength > bytes.length) {
    fail(`not a safetensors file (its header claims ${headerLength} bytes; the file has ${bytes.length})`);
  }
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + headerLength)));
  } catch {
    fail('not a safetensors file (its header is not JSON)');
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) return fail('not a safetensors file (its header is not a JSON object)');
  const dataStart = 8 + headerLength;
  const dataLength = bytes.length - dataStart;
  const arrays = new Map<string, NumericArray>();
  const metadata = new Map<string, string>();
  for (const [name, entry] of Object.entries(header as Record<string, unknown>)) {
    if (name === '__metadata__') {
      if (typeof entry === 'object' && entry !== null) for (const [key, value] of Object.entries(entry as Record<string, unknown>)) if (typeof value === 'string') metadata.set(key, value);
      continue;
    }
    const { dtype, shape, data_offsets: offsets } = (entry ?? {}) as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
    const where = `tensor '${name}'`;
    const reader = typeof dtype === 'string' && Object.hasOwn(READERS, dtype) ? READERS[dtype]! : fail(`${where} has dtype ${String(dtype)}; mashagrad reads ${Object.keys(READERS).join(', ')}`);
    if (!Array.isArray(shape) || !shape.every((size) => Number.isSafeInteger(size) && (size as number) >= 0)) fail(`${where}: shape must be a list of whole numbers`);
    if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every((at) => Number.isSafeInteger(at) && (at as number) >= 0)) fail(`${where}: data_offsets must be [begin, end]`);
    const [begin, end] = offsets as [number, number];
    const size = sizeOfShape(shape as number[]);
    if (end < begin || end > dataLength) fail(`${where}: data_offsets [${begin}, ${end}] lie outside the ${dataLength} bytes of data`);
    if (end - begin !== size * reader.bytes) fail(`${where}: shape [${(shape as number[]).join(', ')}] needs ${size * reader.bytes} bytes of ${dtype as string}, data_offsets give ${end - begin}`);
    const data = reader.dtype === 'float32' ? new Float32Array(size) : new Float64Array(size);
    for (let i = 0; i < size; i++) data[i] = reader.read(view, dataStart + begin + i * reader.bytes);
    arrays.set(name, { dtype: reader.dtype, shape: shape as number[], data });
  }
  return { arrays, metadata };
}

const BYTES = { float32: 4, float64: 8, int64: 8 } as const;
const NAMES = { float32: 'F32', float64: 'F64', int64: 'I64' } as const;

/** Write arrays (float32 as F32, float64 as F64, int64 as I64) in the given order, with optional text metadata. */
export function encodeSafetensors(arrays: ReadonlyMap<string, StateArray>, metadata: ReadonlyMap<string, string> = new Map()): Uint8Array {
  const header: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  if (metadata.size > 0) header.__metadata__ = Object.fromEntries(metadata);
  let offset = 0;
  for (const [name, array] of arrays) {
    const bytes = array.data.length * BYTES[array.dtype];
    header[name] = { dtype: NAMES[array.dtype], shape: array.shape, data_offsets: [offset, offset + bytes] };
    offset += bytes;
  }
  const json = new TextEncoder().encode(JSON.stringify(header));
  // The data starts 8-byte aligned (as safetensors writes it, padding with spaces) so readers can view it in place.
  const headerBytes = new Uint8Array(json.length + ((8 - (json.length % 8)) % 8)).fill(0x20);
  headerBytes.set(json);
  const file = new Uint8Array(8 + headerBytes.length + offset);
  const view = new DataView(file.buffer);
  view.setBigUint64(0, BigInt(headerBytes.length), true);
  file.set(headerBytes, 8);
  let at = 8 + headerBytes.length;
  for (const array of arrays.values()) {
    const size = array.data.length;
    for (let i = 0; i < size; i++) {
      if (array.dtype === 'float32') view.setFloat32(at + i * 4, array.data[i]!, true);
      else if (array.dtype === 'int64') view.setBigInt64(at + i * 8, BigInt(array.data[i]!), true);
      else view.setFloat64(at + i * 8, array.data[i]!, true);
    }
    at += size * BYTES[array.dtype];
  }
  return file;
}

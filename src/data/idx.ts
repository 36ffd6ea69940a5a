import { DataError } from './data-error.js';
import { readDataFile } from './read-file.js';

/**
 * An IDX array (the MNIST file format): its dimensions, outermost first, and its values in
 * row-major order, in the typed array that matches the file's type code.
 */
export interface IdxArray {
  readonly dims: readonly number[];
  readonly data: Uint8Array | Int8Array | Int16Array | Int32Array | Float32Array | Float64Array;
}

/** The six IDX type codes (the third byte of the magic number) and the element each stands for. */
const IDX_TYPES = {
  0x08: { name: 'unsigned byte', size: 1 },
  0x09: { name: 'signed byte', size: 1 },
  0x0b: { name: 'short (int16)', size: 2 },
  0x0c: { name: 'int (int32)', size: 4 },
  0x0d: { name: 'float (float32)', size: 4 },
  0x0e: { name: 'double (float64)', size: 8 },
} as const;
type IdxTypeCode = keyof typeof IDX_TYPES;

const TYPE_LIST = Object.entries(IDX_TYPES)
  .map(([code, type]) => `${hexByte(Number(code))} ${type.name}`)
  .join(', ');

/**
 * Decodes an IDX file: magic number 00 00 <type code> <number of dimensions>, then each dimension
 * as a big-endian uint32, then the values, big-endian. Unsigned and signed bytes are returned as
 * views on `bytes` (no copy: MNIST's 47 MB of pixels are read once); wider types are decoded into
 * a new array because the file's byte order and alignment need not match the machine's.
 */
export function parseIdx(bytes: Uint8Array, source: string): IdxArray {
  if (bytes.length < 4) {
    throw new DataError(`${source}: truncated IDX header: the magic number needs 4 bytes, the file has ${bytes.length}`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes[0] !== 0 || bytes[1] !== 0) {
    const magic = `0x${view.getUint32(0, false).toString(16).padStart(8, '0')}`;
    throw new DataError(
      `${source}: bad magic number ${magic} at byte 0: an IDX file starts with two zero bytes, a type code and the number of dimensions ` +
        `(MNIST images: 0x00000803, labels: 0x00000801); this is not an IDX file`,
    );
  }
  const typeCode = bytes[2] ?? 0;
  if (!isIdxTypeCode(typeCode)) {
    throw new DataError(`${source}: unknown IDX type code ${hexByte(typeCode)} at byte 2 (magic number); expected one of ${TYPE_LIST}`);
  }
  const type = IDX_TYPES[typeCode];
  const rank = bytes[3] ?? 0;
  const headerLength = 4 + 4 * rank;
  if (bytes.length < headerLength) {
    throw new DataError(
      `${source}: truncated IDX header: byte 3 says ${rank} dimension(s), which need ${headerLength} header bytes, the file has ${bytes.length}`,
    );
  }
  const dims: number[] = [];
  for (let axis = 0; axis < rank; axis++) dims.push(view.getUint32(4 + 4 * axis, false));

  const count = dims.reduce((product, size) => product * size, 1);
  const expectedBytes = count * type.size;
  const actualBytes = bytes.length - headerLength;
  const shape = `dimensions ${dims.join('×')} of ${type.name}`;
  if (actualBytes < expectedBytes) {
    throw new DataError(
      `${source}: truncated IDX data: the header (${shape}) needs ${expectedBytes} bytes after byte ${headerLength}, got ${actualBytes}; is the download complete?`,
    );
  }
  if (actualBytes > expectedBytes) {
    throw new DataError(
      `${source}: ${actualBytes - expectedBytes} unexpected bytes after the IDX data: the header (${shape}) accounts for ${headerLength + expectedBytes} bytes, the file has ${bytes.length}`,
    );
  }
  return { dims, data: decodeValues(typeCode, bytes, headerLength, count) };
}

/** Reads an IDX file from disk; gzipped files are recognised by their first bytes and decompressed. */
export function readIdxFile(path: string): IdxArray {
  const { bytes, gzipped } = readDataFile(path, { declaredSize: idxDeclaredSize });
  // Byte offsets in messages count in the decompressed stream, so say which one they mean.
  return parseIdx(bytes, gzipped ? `${path} (after gunzip)` : path);
}

/** The file size an IDX header declares (header + values), or null when the bytes are no IDX header. */
export function idxDeclaredSize(start: Uint8Array): number | null {
  if (start.length < 4 || start[0] !== 0 || start[1] !== 0 || !isIdxTypeCode(start[2] ?? 0)) return null;
  const rank = start[3]!;
  if (start.length < 4 + 4 * rank) return null;
  const view = new DataView(start.buffer, start.byteOffset, start.byteLength);
  let count = 1;
  for (let axis = 0; axis < rank; axis++) count *= view.getUint32(4 + 4 * axis, false);
  return 4 + 4 * rank + count * IDX_TYPES[start[2] as IdxTypeCode].size;
}

function decodeValues(typeCode: IdxTypeCode, bytes: Uint8Array, offset: number, count: number): IdxArray['data'] {
  const start = bytes.byteOffset + offset;
  const view = new DataView(bytes.buffer, start, count * IDX_TYPES[typeCode].size);
  switch (typeCode) {
    case 0x08:
      return new Uint8Array(bytes.buffer, start, count);
    case 0x09:
      return new Int8Array(bytes.buffer, start, count);
    case 0x0b: {
      const data = new Int16Array(count);
      for (let i = 0; i < count; i++) data[i] = view.getInt16(2 * i, false);
      return data;
    }
    case 0x0c: {
      const data = new Int32Array(count);
      for (let i = 0; i < count; i++) data[i] = view.getInt32(4 * i, false);
      return data;
    }
    case 0x0d: {
      const data = new Float32Array(count);
      for (let i = 0; i < count; i++) data[i] = view.getFloat32(4 * i, false);
      return data;
    }
    case 0x0e: {
      const data = new Float64Array(count);
      for (let i = 0; i < count; i++) data[i] = view.getFloat64(8 * i, false);
      return data;
    }
  }
}

function isIdxTypeCode(code: number): code is IdxTypeCode {
  return Object.hasOwn(IDX_TYPES, code);
}

function hexByte(value: number): string {
  return `0x${value.toString(16).padStart(2, '0')}`;
}

import { InteropError, sizeOfShape, type NumericArray } from './named-array.js';

/*
 * NumPy's .npy (numpy.lib.format): the magic "\x93NUMPY", a version (1.0: 2-byte header length;
 * 2.0 and 3.0: 4-byte), a Python-literal header { 'descr': '<f8', 'fortran_order': False,
 * 'shape': (2, 3), } and the data. Floats are read as they are; integers and booleans become
 * float64 (data and labels are often saved as int64).
 */

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59];
const MAX_HEADER_BYTES = 1 << 20;

interface ElementReader {
  readonly bytes: number;
  readonly float32: boolean;
  read(view: DataView, at: number, little: boolean): number;
}

const ELEMENTS: Readonly<Record<string, ElementReader>> = {
  f8: { bytes: 8, float32: false, read: (view, at, little) => view.getFloat64(at, little) },
  f4: { bytes: 4, float32: true, read: (view, at, little) => view.getFloat32(at, little) },
  i8: { bytes: 8, float32: false, read: (view, at, little) => Number(view.getBigInt64(at, little)) },
  u8: { bytes: 8, float32: false, read: (view, at, little) => Number(view.getBigUint64(at, little)) },
  i4: { bytes: 4, float32: false, read: (view, at, little) => view.getInt32(at, little) },
  u4: { bytes: 4, float32: false, read: (view, at, little) => view.getUint32(at, little) },
  i2: { bytes: 2, float32: false, read: (view, at, little) => view.getInt16(at, little) },
  u2: { bytes: 2, float32: false, read: (view, at, little) => view.getUint16(at, little) },
  i1: { bytes: 1, float32: false, read: (view, at) => view.getInt8(at) },
  u1: { bytes: 1, float32: false, read: (view, at) => view.getUint8(at) },
  b1: { bytes: 1, float32: false, read: (view, at) => view.getUint8(at) },
};

/** Parse a .npy file; `source` names it in errors. */
export function decodeNpy(bytes: Uint8Array, source: string): NumericArray {
  const fail = (message: string): never => {
    throw new InteropError(`${source}: ${message}`);
  };
  if (bytes.length < 10 || MAGIC.some((byte, i) => bytes[i] !== byte)) fail('not a .npy file (it does not start with \\x93NUMPY)');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const major = bytes[6]!;
  if (major < 1 || major > 3) fail(`.npy format version ${major} is not one mashagrad reads (1, 2 or 3)`);
  const headerLength = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const headerStart = major === 1 ? 10 : 12;
  if (headerLength > MAX_HEADER_BYTES || headerStart + headerLength > bytes.length) fail('not a .npy file (its header is cut off)');
  const header = new TextDecoder(major === 3 ? 'utf-8' : 'latin1').decode(bytes.subarray(headerStart, headerStart + headerLength));
  const descr = /'descr'\s*:\s*'([<>|=])([a-z])(\d+)'/.exec(header);
  const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(header);
  const shapeText = /'shape'\s*:\s*\(([^)]*)\)/.exec(header);
  if (descr === null || fortran === null || shapeText === null) return fail(`not a .npy header mashagrad reads: ${header.trim().slice(0, 80)}`);
  const [, order, kind, width] = descr as unknown as [string, string, string, string];
  const element = Object.hasOwn(ELEMENTS, `${kind}${width}`) ? ELEMENTS[`${kind}${width}`]! : fail(`dtype '${order}${kind}${width}' is not a number type mashagrad reads (floats, integers, booleans)`);
  const shape = shapeText[1]!.split(',').map((part) => part.trim()).filter((part) => part !== '').map(Number);
  if (!shape.every((size) => Number.isSafeInteger(size) && size >= 0)) fail(`shape (${shapeText[1]}) is not a list of whole numbers`);
  const size = sizeOfShape(shape);
  const dataStart = headerStart + headerLength;
  if (bytes.length - dataStart !== size * element.bytes) fail(`shape (${shape.join(', ')}) needs ${size * element.bytes} bytes of data, the file has ${bytes.length - dataStart}`);
  const little = order !== '>';
  const data = element.float32 ? new Float32Array(size) : new Float64Array(size);
  for (let i = 0; i < size; i++) data[i] = element.read(view, dataStart + i * element.bytes, little);
  const array: NumericArray = { dtype: element.float32 ? 'float32' : 'float64', shape, data };
  return fortran[1] === 'True' ? fromColumnMajor(array) : array;
}

/** Fortran (column-major) order to row-major: the index of each element read backwards. */
function fromColumnMajor(array: NumericArray): NumericArray {
  const { shape } = array;
  const data = array.dtype === 'float32' ? new Float32Array(array.data.length) : new Float64Array(array.data.length);
  const index = new Array<number>(shape.length).fill(0);
  for (let columnMajor = 0; columnMajor < data.length; columnMajor++) {
    let rowMajor = 0;
    for (let axis = 0; axis < shape.length; axis++) rowMajor = rowMajor * shape[axis]! + index[axis]!;
    data[rowMajor] = array.data[columnMajor]!;
    for (let axis = 0; axis < shape.length && ++index[axis]! === shape[axis]; axis++) index[axis] = 0;
  }
  return { ...array, data };
}

/** Write a .npy file (version 1.0, little-endian, C order), as numpy.save does. */
export function encodeNpy(array: NumericArray): Uint8Array {
  const descr = array.dtype === 'float32' ? '<f4' : '<f8';
  const shape = array.shape.length === 1 ? `(${array.shape[0]},)` : `(${array.shape.join(', ')})`;
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': ${shape}, }`;
  // The header ends in a newline and pads the data start to a multiple of 64 bytes.
  header += ' '.repeat((64 - ((10 + header.length + 1) % 64)) % 64) + '\n';
  const elementBytes = array.dtype === 'float32' ? 4 : 8;
  const file = new Uint8Array(10 + header.length + array.data.length * elementBytes);
  file.set(MAGIC, 0);
  file[6] = 1;
  const view = new DataView(file.buffer);
  view.setUint16(8, header.length, true);
  file.set(new TextEncoder().encode(header), 10);
  const start = 10 + header.length;
  for (let i = 0; i < array.data.length; i++) {
    if (elementBytes === 4) view.setFloat32(start + i * 4, array.data[i]!, true);
    else view.setFloat64(start + i * 8, array.data[i]!, true);
  }
  return file;
}

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { encodeIdx, type IdxTypeName } from '../../test/support/idx-files.js';
import { InputError } from '../errors.js';
import { DataError } from './data-error.js';
import { parseIdx, readIdxFile } from './idx.js';

const folder = mkdtempSync(join(tmpdir(), 'mashagrad-idx-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

function writeFile(name: string, bytes: Uint8Array): string {
  const path = join(folder, name);
  writeFileSync(path, bytes);
  return path;
}

/** The error parseIdx throws for these bytes (fails the test if it throws none). */
function idxError(bytes: number[]): DataError {
  try {
    parseIdx(Uint8Array.from(bytes), 'test.idx');
  } catch (error) {
    expect(error).toBeInstanceOf(DataError);
    return error as DataError;
  }
  throw new Error('parseIdx accepted bytes it should reject');
}

describe('parseIdx', () => {
  const cases: [IdxTypeName, abstract new (length: number) => ArrayLike<number>, number[]][] = [
    ['uint8', Uint8Array, [0, 1, 128, 255]],
    ['int8', Int8Array, [-128, -1, 0, 127]],
    ['int16', Int16Array, [-32768, -2, 258, 32767]],
    ['int32', Int32Array, [-2147483648, -1, 196609, 2147483647]],
    ['float32', Float32Array, [1.5, -0.25, Math.fround(3.4e38), Math.fround(1e-7)]],
    ['float64', Float64Array, [Math.PI, -1e300, 5e-324, 0.1]],
  ];
  it.each(cases)('decodes type %s into a %o with its values', (type, arrayType, values) => {
    const { dims, data } = parseIdx(encodeIdx(type, [4], values), 'test.idx');
    expect(dims).toEqual([4]);
    expect(data).toBeInstanceOf(arrayType);
    expect(Array.from(data)).toEqual(values);
  });

  it('reads multi-byte values big-endian from hand-written bytes', () => {
    const shorts = parseIdx(Uint8Array.from([0, 0, 0x0b, 1, 0, 0, 0, 2, 0x01, 0x02, 0xff, 0xfe]), 'short.idx');
    expect(Array.from(shorts.data)).toEqual([258, -2]);
    const float = parseIdx(Uint8Array.from([0, 0, 0x0d, 1, 0, 0, 0, 1, 0x3f, 0xc0, 0, 0]), 'float.idx');
    expect(Array.from(float.data)).toEqual([1.5]);
  });

  it('reads a 3-D array with row-major values', () => {
    const values = Array.from({ length: 24 }, (_, i) => i * 10);
    const { dims, data } = parseIdx(encodeIdx('int16', [2, 3, 4], values), 'cube.idx');
    expect(dims).toEqual([2, 3, 4]);
    // element [1][2][3] sits at 1·12 + 2·4 + 3 = 23
    expect(data[23]).toBe(230);
    expect(data.length).toBe(24);
  });

  it('decodes bytes that start at an odd offset of their buffer', () => {
    const file = encodeIdx('float64', [2], [0.5, -7]);
    const shifted = new Uint8Array(file.length + 1);
    shifted.set(file, 1);
    expect(Array.from(parseIdx(shifted.subarray(1), 'shifted.idx').data)).toEqual([0.5, -7]);
  });

  it('rejects a bad magic number, naming the bytes found and the format expected', () => {
    const error = idxError([0x50, 0x4b, 0x03, 0x04, 0, 0]);
    expect(error).toBeInstanceOf(InputError);
    expect(error.message).toContain('test.idx: bad magic number 0x504b0304 at byte 0');
    expect(error.message).toContain('MNIST images: 0x00000803');
  });

  it('rejects an unknown type code at byte 2 and lists the six valid ones', () => {
    const { message } = idxError([0, 0, 0x0a, 1, 0, 0, 0, 1, 7]);
    expect(message).toContain('unknown IDX type code 0x0a at byte 2');
    expect(message).toContain('0x08 unsigned byte, 0x09 signed byte, 0x0b short (int16), 0x0c int (int32), 0x0d float (float32), 0x0e double (float64)');
  });

  it('rejects a header cut short before its dimensions end', () => {
    expect(idxError([0, 0, 0x08, 3, 0, 0, 0, 1]).message).toBe(
      'test.idx: truncated IDX header: byte 3 says 3 dimension(s), which need 16 header bytes, the file has 8',
    );
    expect(idxError([0, 0]).message).toContain('the magic number needs 4 bytes, the file has 2');
  });

  it('rejects truncated data with the byte count the header dims call for', () => {
    const file = Array.from(encodeIdx('int32', [2, 3], [1, 2, 3, 4, 5, 6]));
    const { message } = idxError(file.slice(0, file.length - 5));
    expect(message).toContain('truncated IDX data: the header (dimensions 2×3 of int (int32)) needs 24 bytes after byte 12, got 19');
  });

  it('rejects bytes left over after the data the header describes', () => {
    const file = [...encodeIdx('uint8', [2], [1, 2]), 9, 9];
    expect(idxError(file).message).toContain('2 unexpected bytes after the IDX data: the header (dimensions 2 of unsigned byte) accounts for 10 bytes, the file has 12');
  });
});

describe('readIdxFile', () => {
  const bytes = encodeIdx('int8', [3], [-5, 0, 5]);

  it('reads plain and gzipped files alike', () => {
    expect(Array.from(readIdxFile(writeFile('plain-idx1-ubyte', bytes)).data)).toEqual([-5, 0, 5]);
    expect(Array.from(readIdxFile(writeFile('zipped-idx1-ubyte.gz', gzipSync(bytes))).data)).toEqual([-5, 0, 5]);
  });

  it('recognises gzip by its magic bytes, not by the file name', () => {
    expect(Array.from(readIdxFile(writeFile('renamed-idx1-ubyte', gzipSync(bytes))).data)).toEqual([-5, 0, 5]);
    expect(Array.from(readIdxFile(writeFile('not-really.gz', bytes)).data)).toEqual([-5, 0, 5]);
  });

  it('says that offsets count in the decompressed bytes of a gzipped file', () => {
    const path = writeFile('short-idx1-ubyte.gz', gzipSync(bytes.subarray(0, bytes.length - 1)));
    expect(() => readIdxFile(path)).toThrow(`${path} (after gunzip): truncated IDX data`);
  });

  it('names a missing file and a gzip file that does not decompress', () => {
    const missing = join(folder, 'nowhere-idx3-ubyte');
    expect(() => readIdxFile(missing)).toThrow(new DataError(`cannot read ${missing}: no such file`));
    const broken = writeFile('broken.gz', gzipSync(bytes).subarray(0, 12));
    expect(() => readIdxFile(broken)).toThrow(`${broken} starts like a gzip file (bytes 1f 8b) but does not decompress`);
    expect(() => readIdxFile(folder)).toThrow(`cannot read ${folder}: it is a folder, not a file`);
  });
});

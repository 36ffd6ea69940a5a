import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { encodeIdx, writeMnistFolder, type MnistSplitFiles } from '../../test/support/idx-files.js';
import { DataError } from './data-error.js';
import { FASHION_MNIST_CLASSES, FASHION_MNIST_DIR, loadMnistFormat } from './mnist.js';

const folder = mkdtempSync(join(tmpdir(), 'mashagrad-mnist-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

// Five 2×3 images whose pixels are chosen so their scaled values are easy to state.
const train: MnistSplitFiles = {
  rows: 2,
  columns: 3,
  pixels: [
    0, 51, 255, 102, 204, 153,
    255, 255, 255, 255, 255, 255,
    1, 2, 3, 4, 5, 6,
    0, 0, 0, 0, 0, 0,
    10, 20, 30, 40, 50, 60,
  ],
  labels: [9, 0, 3, 3, 7],
};
const test: MnistSplitFiles = { rows: 2, columns: 3, pixels: [51, 51, 51, 0, 0, 0, 255, 0, 255, 0, 255, 0], labels: [1, 2] };

function folderWith(name: string, gzip: boolean, splits = { train, test }): string {
  const dir = join(folder, name);
  writeMnistFolder(dir, splits, gzip);
  return dir;
}

function loadError(dir: string): DataError {
  try {
    loadMnistFormat(dir);
  } catch (error) {
    expect(error).toBeInstanceOf(DataError);
    return error as DataError;
  }
  throw new Error(`loadMnistFormat(${dir}) should have failed`);
}

describe('loadMnistFormat', () => {
  it.each([true, false])('reads a folder (gzipped: %s) into rows of pixels scaled to [0, 1] with labels', (gzip) => {
    const splits = loadMnistFormat(folderWith(`small-${gzip}`, gzip));
    const { train: trainSet } = splits;
    expect(trainSet).toMatchObject({ count: 5, features: 6, classes: 10, classNames: null, targets: null, targetWidth: 0 });
    // 255 → 1, 51 → 0.2, 102 → 0.4 … as float32 rounds them
    expect(Array.from(trainSet.x.subarray(0, 6))).toEqual([0, 0.2, 1, 0.4, 0.8, 0.6].map(Math.fround));
    expect(Array.from(trainSet.x.subarray(6, 12))).toEqual([1, 1, 1, 1, 1, 1]);
    expect(trainSet.x[12]).toBe(Math.fround(1 / 255));
    expect(trainSet.x.length).toBe(30);
    expect(Array.from(trainSet.labels ?? [])).toEqual([9, 0, 3, 3, 7]);
    expect(trainSet.source).toContain('train-images-idx3-ubyte');
    expect(splits.test?.count).toBe(2);
    expect(Array.from(splits.test?.x.subarray(6) ?? [])).toEqual([1, 0, 1, 0, 1, 0]);
    expect(Array.from(splits.test?.labels ?? [])).toEqual([1, 2]);
  });

  it('keeps only the first `limit` rows of each split', () => {
    const { train: trainSet, test: testSet } = loadMnistFormat(folderWith('limited', true), { limit: 3 });
    expect(trainSet.count).toBe(3);
    expect(trainSet.x.length).toBe(18);
    expect(Array.from(trainSet.labels ?? [])).toEqual([9, 0, 3]);
    expect(testSet?.count).toBe(2);
    expect(() => loadMnistFormat(folderWith('limited', true), { limit: 2.5 })).toThrow('MNIST limit 2.5 is not a row count (a whole number ≥ 0)');
  });

  it('attaches class names when given, and their count sets the classes', () => {
    const { train: trainSet } = loadMnistFormat(folderWith('named', false), { classNames: FASHION_MNIST_CLASSES });
    expect(trainSet.classNames?.[trainSet.labels?.[0] ?? -1]).toBe('Ankle boot');
    expect(trainSet.classes).toBe(10);
    expect(() => loadMnistFormat(folderWith('named', false), { classNames: ['a', 'b'] })).toThrow(
      /train-labels-idx1-ubyte: label 9 of item 0 \(byte 8\) is not a class index 0–1/,
    );
  });

  it('names each missing file and says how to get the data', () => {
    const dir = folderWith('incomplete', true);
    rmSync(join(dir, 't10k-labels-idx1-ubyte.gz'));
    rmSync(join(dir, 'train-images-idx3-ubyte.gz'));
    const { message } = loadError(dir);
    expect(message).toContain(`MNIST-format data folder ${dir} is missing train-images-idx3-ubyte(.gz), t10k-labels-idx1-ubyte(.gz)`);
    expect(message).toContain('apt-get install dataset-fashion-mnist');
    expect(message).toContain('--data DIR');
    expect(loadError(join(folder, 'no-such-folder')).message).toContain(`${join(folder, 'no-such-folder')} does not exist`);
  });

  it('rejects labels that do not match the images in number', () => {
    const dir = folderWith('uneven', false);
    writeFileSync(join(dir, 'train-labels-idx1-ubyte'), encodeIdx('uint8', [4], [9, 0, 3, 3]));
    expect(loadError(dir).message).toBe(
      `${join(dir, 'train-labels-idx1-ubyte')} has 4 labels but ${join(dir, 'train-images-idx3-ubyte')} has 5 images (header field: dimension 0); the two files must come from the same split`,
    );
  });

  it('rejects images that are not a 3-D array of unsigned bytes', () => {
    const flat = folderWith('flat', false);
    writeFileSync(join(flat, 't10k-images-idx3-ubyte'), encodeIdx('uint8', [2, 6], test.pixels));
    expect(loadError(flat).message).toContain('t10k-images-idx3-ubyte: expected 3 dimension(s) (images × rows × columns) at byte 3 of the header, found 2 (2×6)');
    const floats = folderWith('floats', false);
    writeFileSync(join(floats, 't10k-labels-idx1-ubyte'), encodeIdx('float32', [2], [1, 2]));
    expect(loadError(floats).message).toContain('MNIST-format files hold unsigned bytes (IDX type code 0x08 at byte 2)');
  });
});

const fashionPresent = existsSync(FASHION_MNIST_DIR);
describe.skipIf(!fashionPresent)(
  fashionPresent ? 'Fashion-MNIST' : `Fashion-MNIST: SKIPPED, ${FASHION_MNIST_DIR} is absent (apt-get install dataset-fashion-mnist)`,
  () => {
    it('loads 60000 + 10000 images of 28×28 with 6000 / 1000 of each of the 10 classes', () => {
      const { train: trainSet, test: testSet } = loadMnistFormat(FASHION_MNIST_DIR, { classNames: FASHION_MNIST_CLASSES });
      expect(trainSet).toMatchObject({ count: 60000, features: 784, classes: 10 });
      expect(trainSet.x.length).toBe(60000 * 784);
      expect(testSet).toMatchObject({ count: 10000, features: 784 });
      const perClass = (labels: Int32Array | null): number[] => {
        const counts = new Array<number>(10).fill(0);
        for (const label of labels ?? []) counts[label] = (counts[label] ?? 0) + 1;
        return counts;
      };
      expect(perClass(trainSet.labels)).toEqual(new Array(10).fill(6000));
      expect(perClass(testSet?.labels ?? null)).toEqual(new Array(10).fill(1000));
      // The first training image is an ankle boot whose bytes sum to 76247 (checked with Python's gzip).
      expect(trainSet.classNames?.[trainSet.labels?.[0] ?? -1]).toBe('Ankle boot');
      expect(trainSet.x.subarray(0, 784).reduce((sum, pixel) => sum + pixel, 0)).toBeCloseTo(76247 / 255, 3);
      let lowest = Infinity;
      let highest = -Infinity;
      for (const pixel of trainSet.x) {
        if (pixel < lowest) lowest = pixel;
        if (pixel > highest) highest = pixel;
      }
      expect([lowest, highest]).toEqual([0, 1]);
    });
  },
);

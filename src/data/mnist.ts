import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Dataset, DatasetSplits } from './dataset.js';
import { DataError } from './data-error.js';
import { readIdxFile, type IdxArray } from './idx.js';

/** Default location of Debian's dataset-fashion-mnist package. */
export const FASHION_MNIST_DIR = '/usr/share/datasets/fashion-mnist';

/** Fashion-MNIST's label names, by label (zalandoresearch/fashion-mnist README). */
export const FASHION_MNIST_CLASSES: readonly string[] = Object.freeze([
  'T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot',
]);

export interface MnistOptions {
  /** Keep at most this many rows of each split (the first ones), for tests and quick runs. */
  readonly limit?: number;
  /**
   * Names of the labels 0, 1, …; the files carry none. Default null (bare digits); pass
   * FASHION_MNIST_CLASSES for Fashion-MNIST. Its length is the number of classes (default 10).
   */
  readonly classNames?: readonly string[] | null;
}

const SPLITS = { train: 'train', test: 't10k' } as const;
const FILE_NAMES = Object.values(SPLITS).flatMap((prefix) => [`${prefix}-images-idx3-ubyte`, `${prefix}-labels-idx1-ubyte`]);

/**
 * Loads MNIST-format files (MNIST, Fashion-MNIST, KMNIST…): train-images-idx3-ubyte(.gz),
 * train-labels-idx1-ubyte(.gz) and the t10k-… pair. Pixels are scaled to [0, 1], labels are
 * class indices. All four files must be there, so a missing one is reported before any is read.
 */
export function loadMnistFormat(dir: string, options: MnistOptions = {}): DatasetSplits {
  const limit = options.limit ?? Infinity;
  if (!(limit === Infinity || (Number.isInteger(limit) && limit >= 0))) {
    throw new DataError(`MNIST limit ${limit} is not a row count (a whole number ≥ 0)`);
  }
  const paths = locateFiles(dir);
  const classNames = options.classNames ?? null;
  const classes = classNames?.length ?? 10;
  const load = (prefix: string): Dataset => {
    const imagesPath = paths.get(`${prefix}-images-idx3-ubyte`) ?? '';
    const labelsPath = paths.get(`${prefix}-labels-idx1-ubyte`) ?? '';
    return toDataset(readIdxFile(imagesPath), imagesPath, readIdxFile(labelsPath), labelsPath, { limit, classes, classNames });
  };
  return { train: load(SPLITS.train), test: load(SPLITS.test) };
}

/** Each file name → its path, plain or .gz; or a DataError listing every missing file. */
function locateFiles(dir: string): Map<string, string> {
  const installHint = `install Debian's package (apt-get install dataset-fashion-mnist, files in ${FASHION_MNIST_DIR}) or pass --data DIR with a folder that has them`;
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new DataError(`MNIST-format data folder ${dir} does not exist; expected ${FILE_NAMES.join(', ')} (each may end in .gz) there: ${installHint}`);
  }
  const paths = new Map<string, string>();
  const missing: string[] = [];
  for (const name of FILE_NAMES) {
    const found = [name, `${name}.gz`].map((file) => join(dir, file)).find((path) => existsSync(path));
    if (found === undefined) missing.push(`${name}(.gz)`);
    else paths.set(name, found);
  }
  if (missing.length > 0) {
    throw new DataError(`MNIST-format data folder ${dir} is missing ${missing.join(', ')}: ${installHint}`);
  }
  return paths;
}

interface Conversion {
  readonly limit: number;
  readonly classes: number;
  readonly classNames: readonly string[] | null;
}

function toDataset(images: IdxArray, imagesPath: string, labels: IdxArray, labelsPath: string, conversion: Conversion): Dataset {
  const pixels = requireUnsignedBytes(images, imagesPath, 3, 'images × rows × columns');
  const labelBytes = requireUnsignedBytes(labels, labelsPath, 1, 'labels');
  const [imageCount = 0, rows = 0, columns = 0] = images.dims;
  const labelCount = labels.dims[0] ?? 0;
  if (imageCount !== labelCount) {
    throw new DataError(`${labelsPath} has ${labelCount} labels but ${imagesPath} has ${imageCount} images (header field: dimension 0); the two files must come from the same split`);
  }
  if (imageCount === 0) throw new DataError(`${imagesPath} holds no images (header field: dimension 0 is 0): there is nothing to train or test on`);
  if (rows === 0 || columns === 0) throw new DataError(`${imagesPath}: its images are ${rows}×${columns} pixels (header fields: dimensions 1 and 2); an image needs at least one pixel`);
  const count = Math.min(imageCount, conversion.limit);
  const features = rows * columns;

  const y = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    const label = labelBytes[i] ?? 0;
    if (label >= conversion.classes) {
      throw new DataError(`${labelsPath}: label ${label} of item ${i} (byte ${8 + i}) is not a class index 0–${conversion.classes - 1}`);
    }
    y[i] = label;
  }

  // Decoded straight into the Float32Array: byte b becomes fround(b / 255), so 255 → 1 and 51 → 0.2
  // exactly as float32 rounds them.
  const x = new Float32Array(count * features);
  for (let i = 0; i < x.length; i++) x[i] = (pixels[i] ?? 0) / 255;

  return {
    source: `${imagesPath} + ${labelsPath}`,
    count, features, x,
    labels: y, classes: conversion.classes, classNames: conversion.classNames,
    targets: null, targetWidth: 0,
  };
}

function requireUnsignedBytes(array: IdxArray, source: string, rank: number, meaning: string): Uint8Array {
  if (!(array.data instanceof Uint8Array)) {
    throw new DataError(`${source}: MNIST-format files hold unsigned bytes (IDX type code 0x08 at byte 2), this one holds ${array.data.constructor.name}`);
  }
  if (array.dims.length !== rank) {
    throw new DataError(`${source}: expected ${rank} dimension(s) (${meaning}) at byte 3 of the header, found ${array.dims.length} (${array.dims.join('×')})`);
  }
  return array.data;
}

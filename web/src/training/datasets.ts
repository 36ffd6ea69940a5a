import { Random } from '../../../src/index.js';

/**
 * TensorFlow Playground's toy problems: points in [−1, 1]². Classification problems label each
 * point 0 or 1; regression problems give it a number in [−1, 1].
 */
export type DatasetName = 'xor' | 'circles' | 'gauss' | 'moons' | 'spiral' | 'linear' | 'plane' | 'multigauss';
export const DATASET_NAMES: readonly DatasetName[] = ['xor', 'circles', 'gauss', 'moons', 'spiral', 'linear', 'plane', 'multigauss'];
const REGRESSION: ReadonlySet<DatasetName> = new Set(['plane', 'multigauss']);
/** The training mode's data: a generated set, or the user's own points (`csv`). */
export type DataName = DatasetName | 'csv';
export const DATA_NAMES: readonly DataName[] = [...DATASET_NAMES, 'csv'];
export const isRegression = (name: DataName): boolean => REGRESSION.has(name as DatasetName);

export interface PlaneData {
  /** x₁, x₂ of point i at 2i, 2i + 1. */
  readonly points: Float64Array;
  /** 0 or 1 for classification; the target in [−1, 1] for regression. */
  readonly labels: Float64Array;
}

/**
 * `count` points from a seeded generator: the same data in every browser and in the tests.
 * `noise` is TensorFlow Playground's 0–50: for classification each coordinate is moved by a
 * normal jitter of noise/100 (the default 5 → 0.05), for regression the target by noise/50.
 */
export function makeDataset(name: DatasetName, count = 200, seed = 1, noise = 5): PlaneData {
  const random = new Random(seed);
  const points = new Float64Array(2 * count);
  const labels = new Float64Array(count);
  const spread = Math.max(0, noise) / 100;
  for (let i = 0; i < count; i++) {
    const [x1, x2, label] = POINT[name](random, i, count);
    if (isRegression(name)) {
      points.set([x1, x2], 2 * i);
      labels[i] = clamp(label + random.normal(0, 2 * spread));
    } else {
      points.set([clamp(x1 + random.normal(0, spread)), clamp(x2 + random.normal(0, spread))], 2 * i);
      labels[i] = label;
    }
  }
  return { points, labels };
}

const clamp = (value: number) => Math.max(-1, Math.min(1, value));

type PointMaker = (random: Random, index: number, count: number) => [number, number, number];

/** The centres of the multi-Gaussian regression: each adds a bump of its sign. */
const BUMPS: readonly (readonly [number, number, number])[] = [[-0.4, 0.6, 1], [0.6, 0.5, -1], [-0.6, -0.5, -1], [0.4, -0.6, 1], [0, 0, 0.7]];

const POINT: Readonly<Record<DatasetName, PointMaker>> = {
  // Label 1 where the signs agree; kept a little away from the axes, as TF Playground does.
  xor: (random) => {
    const away = (value: number) => value + Math.sign(value) * 0.05;
    const x1 = away(random.uniform(-0.95, 0.95));
    const x2 = away(random.uniform(-0.95, 0.95));
    return [x1, x2, x1 * x2 > 0 ? 1 : 0];
  },
  circles: (random, index) => {
    const inside = index % 2 === 0;
    const radius = inside ? random.uniform(0, 0.4) : random.uniform(0.65, 0.95);
    const angle = random.uniform(0, 2 * Math.PI);
    return [radius * Math.cos(angle), radius * Math.sin(angle), inside ? 1 : 0];
  },
  // Two round clusters around (0.45, 0.45) and (−0.45, −0.45).
  gauss: (random, index) => {
    const first = index % 2 === 0;
    const centre = first ? 0.45 : -0.45;
    return [clamp(random.normal(centre, 0.18)), clamp(random.normal(centre, 0.18)), first ? 1 : 0];
  },
  moons: (random, index) => {
    const upper = index % 2 === 0;
    const angle = random.uniform(0, Math.PI);
    return upper
      ? [0.6 * Math.cos(angle) - 0.3, 0.6 * Math.sin(angle) - 0.15, 1]
      : [0.6 * (1 - Math.cos(angle)) - 0.3, 0.15 - 0.6 * Math.sin(angle), 0];
  },
  spiral: (random, index, count) => {
    const arm = index % 2;
    const t = (Math.floor(index / 2) / (count / 2)) * 1.75 * Math.PI;
    const radius = 0.9 * (t / (1.75 * Math.PI)) + random.uniform(0, 0.02);
    const angle = t + arm * Math.PI;
    return [radius * Math.sin(angle), radius * Math.cos(angle), arm === 0 ? 1 : 0];
  },
  linear: (random) => {
    const x1 = random.uniform(-1, 1);
    const x2 = random.uniform(-1, 1);
    return [x1, x2, x1 + 0.5 * x2 > 0.1 ? 1 : 0];
  },
  // Regression: a tilted plane, y = (x₁ + x₂)/2.
  plane: (random) => {
    const x1 = random.uniform(-1, 1);
    const x2 = random.uniform(-1, 1);
    return [x1, x2, (x1 + x2) / 2];
  },
  // Regression: a sum of Gaussian bumps, positive and negative.
  multigauss: (random) => {
    const x1 = random.uniform(-1, 1);
    const x2 = random.uniform(-1, 1);
    const value = BUMPS.reduce((sum, [c1, c2, sign]) => sum + sign * Math.exp(-((x1 - c1) ** 2 + (x2 - c2) ** 2) / (2 * 0.25 ** 2)), 0);
    return [x1, x2, clamp(value)];
  },
};

/** The input features a network can be given, each a function of the point (TensorFlow Playground's set). */
export type FeatureName = 'x1' | 'x2' | 'x1sq' | 'x2sq' | 'x1x2' | 'sinx1' | 'sinx2';
export const FEATURE_NAMES: readonly FeatureName[] = ['x1', 'x2', 'x1sq', 'x2sq', 'x1x2', 'sinx1', 'sinx2'];
export const FEATURE_LABELS: Readonly<Record<FeatureName, string>> = { x1: 'x₁', x2: 'x₂', x1sq: 'x₁²', x2sq: 'x₂²', x1x2: 'x₁x₂', sinx1: 'sin 3x₁', sinx2: 'sin 3x₂' };
export const FEATURES: Readonly<Record<FeatureName, (x1: number, x2: number) => number>> = {
  x1: (x1) => x1,
  x2: (_x1, x2) => x2,
  x1sq: (x1) => x1 * x1,
  x2sq: (_x1, x2) => x2 * x2,
  x1x2: (x1, x2) => x1 * x2,
  // TF Playground takes sin of its [−6, 6] coordinates; on our [−1, 1] sin x is almost x, so sin 3x (one wave across).
  sinx1: (x1) => Math.sin(3 * x1),
  sinx2: (_x1, x2) => Math.sin(3 * x2),
};

import { Random } from '../../../src/tensor/random.js';

/** TensorFlow Playground's toy problems: points in [−1, 1]² with labels 0 or 1. */
export type DatasetName = 'xor' | 'circles' | 'moons' | 'spiral' | 'linear';
export const DATASET_NAMES: readonly DatasetName[] = ['xor', 'circles', 'moons', 'spiral', 'linear'];

export interface Dataset {
  /** x₁, x₂ of point i at 2i, 2i + 1. */
  readonly points: Float64Array;
  readonly labels: Float64Array;
}

/** `count` points from a seeded generator: the same dataset in every browser and in the tests. */
export function makeDataset(name: DatasetName, count = 200, seed = 1, noise = 0.05): Dataset {
  const random = new Random(seed);
  const points = new Float64Array(2 * count);
  const labels = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    const [x1, x2, label] = POINT[name](random, i, count);
    points[2 * i] = clamp(x1 + random.normal(0, noise));
    points[2 * i + 1] = clamp(x2 + random.normal(0, noise));
    labels[i] = label;
  }
  return { points, labels };
}

const clamp = (value: number) => Math.max(-1, Math.min(1, value));

type PointMaker = (random: Random, index: number, count: number) => [number, number, number];

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
};

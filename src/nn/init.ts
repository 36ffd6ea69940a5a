import { tensor } from '../autograd/create.js';
import type { Tensor } from '../autograd/tensor.js';
import type { DType } from '../tensor/dtype.js';
import { Random } from '../tensor/random.js';

/** How to fill a [inputs, outputs] weight matrix (or a bias vector). */
export type InitName = 'zeros' | 'constant' | 'uniform' | 'normal' | 'xavier' | 'he';
export const INIT_NAMES: readonly InitName[] = ['zeros', 'constant', 'uniform', 'normal', 'xavier', 'he'];

export interface InitSpec {
  init: InitName;
  /** constant: the value; uniform: the bound a of U(−a, a) (default 1); normal: std (default 1). */
  value?: number;
  seed?: number;
}

/**
 * Initial values from a seeded generator (the same numbers on every machine).
 * Xavier/Glorot: U(−a, a), a = √(6/(fan_in + fan_out)); He/Kaiming: N(0, 2/fan_in).
 */
export function initialise(shape: readonly number[], spec: InitSpec, fanIn: number, fanOut: number, dtype: DType = 'float64'): Tensor {
  const random = new Random(spec.seed ?? 0);
  const size = shape.reduce((product, extent) => product * extent, 1);
  const values = new Float64Array(size);
  for (let i = 0; i < size; i++) {
    switch (spec.init) {
      case 'zeros': values[i] = 0; break;
      case 'constant': values[i] = spec.value ?? 0; break;
      case 'uniform': values[i] = random.uniform(-(spec.value ?? 1), spec.value ?? 1); break;
      case 'normal': values[i] = random.normal(0, spec.value ?? 1); break;
      case 'xavier': { const a = Math.sqrt(6 / (fanIn + fanOut)); values[i] = random.uniform(-a, a); break; }
      case 'he': values[i] = random.normal(0, Math.sqrt(2 / fanIn)); break;
    }
  }
  return tensor(values, { shape, dtype });
}

import { ShapeError } from '../errors.js';
import { allocate, DEFAULT_DTYPE, type DType } from '../tensor/dtype.js';
import { Random } from '../tensor/random.js';
import { sizeOf, type Shape } from '../tensor/shape.js';
import { Tensor, type NestedArray } from './tensor.js';

export interface TensorOptions {
  dtype?: DType;
  requiresGrad?: boolean;
  name?: string;
}

function finish(t: Tensor, options: TensorOptions): Tensor {
  if (options.requiresGrad === true) t.requiresGrad = true;
  if (options.name !== undefined) t.name = options.name;
  return t;
}

/** Shape of a nested array, checking that it is rectangular. */
function shapeOfNested(values: NestedArray, path = 'value'): number[] {
  if (typeof values === 'number') return [];
  if (values.length === 0) return [0];
  const inner = shapeOfNested(values[0]!, `${path}[0]`);
  values.forEach((row, i) => {
    const rowShape = shapeOfNested(row, `${path}[${i}]`);
    if (rowShape.join() !== inner.join()) {
      throw new ShapeError(`tensor(): ${path}[${i}] has shape [${rowShape.join(', ')}] but ${path}[0] has [${inner.join(', ')}]: rows must have equal lengths`);
    }
  });
  return [values.length, ...inner];
}

/** A tensor from a number, nested arrays, or a flat typed array with a shape. */
export function tensor(values: NestedArray | Float64Array | Float32Array, options: TensorOptions & { shape?: Shape } = {}): Tensor {
  const dtype = options.dtype ?? (values instanceof Float32Array ? 'float32' : DEFAULT_DTYPE);
  if (typeof values === 'number') return finish(Tensor.scalar(values, dtype), options);
  if (values instanceof Float64Array || values instanceof Float32Array) {
    const shape = options.shape ?? [values.length];
    if (sizeOf(shape) !== values.length) throw new ShapeError(`tensor(): ${values.length} values do not fill shape [${shape.join(', ')}]`);
    const data = allocate(dtype, values.length);
    data.set(values);
    return finish(new Tensor(data, shape, dtype), options);
  }
  const shape = shapeOfNested(values);
  const flat = (values as unknown[]).flat(Infinity) as number[];
  const data = allocate(dtype, flat.length);
  for (let i = 0; i < flat.length; i++) data[i] = flat[i]!;
  return finish(new Tensor(data, options.shape ?? shape, dtype), options);
}

export function scalar(value: number, options: TensorOptions = {}): Tensor {
  return finish(Tensor.scalar(value, options.dtype ?? DEFAULT_DTYPE), options);
}

export function full(shape: Shape, value: number, dtype: DType = DEFAULT_DTYPE): Tensor {
  if (shape.length === 0) return Tensor.scalar(value, dtype);
  const data = allocate(dtype, sizeOf(shape));
  data.fill(value);
  return new Tensor(data, [...shape], dtype);
}

export function zeros(shape: Shape, dtype: DType = DEFAULT_DTYPE): Tensor {
  return full(shape, 0, dtype);
}

export function ones(shape: Shape, dtype: DType = DEFAULT_DTYPE): Tensor {
  return full(shape, 1, dtype);
}

/** Uniform in [low, high) from a seeded generator. */
export function rand(shape: Shape, options: { seed?: number; low?: number; high?: number; dtype?: DType } = {}): Tensor {
  const random = new Random(options.seed ?? 0);
  const t = zeros(shape, options.dtype);
  const data = t.data;
  for (let i = 0; i < data.length; i++) data[i] = random.uniform(options.low ?? 0, options.high ?? 1);
  return t;
}

/** Normal(mean, std) from a seeded generator. */
export function randn(shape: Shape, options: { seed?: number; mean?: number; std?: number; dtype?: DType } = {}): Tensor {
  const random = new Random(options.seed ?? 0);
  const t = zeros(shape, options.dtype);
  const data = t.data;
  for (let i = 0; i < data.length; i++) data[i] = random.normal(options.mean ?? 0, options.std ?? 1);
  return t;
}

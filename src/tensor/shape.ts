/** Shapes, strides and broadcasting (NumPy rules). Row-major, contiguous. */
export type Shape = readonly number[];

export function sizeOf(shape: Shape): number {
  let size = 1;
  for (const extent of shape) size *= extent;
  return size;
}

export function stridesOf(shape: Shape): number[] {
  const strides = new Array<number>(shape.length);
  let stride = 1;
  for (let axis = shape.length - 1; axis >= 0; axis--) {
    strides[axis] = stride;
    stride *= shape[axis] ?? 1;
  }
  return strides;
}

export function sameShape(a: Shape, b: Shape): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export function formatShape(shape: Shape): string {
  return `[${shape.join(', ')}]`;
}

/** The broadcast shape of a and b, or null when they do not broadcast. */
export function broadcastShapes(a: Shape, b: Shape): number[] | null {
  const rank = Math.max(a.length, b.length);
  const out = new Array<number>(rank);
  for (let i = 0; i < rank; i++) {
    const da = a[a.length - rank + i] ?? 1;
    const db = b[b.length - rank + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) return null;
    out[i] = da === 1 ? db : da;
  }
  return out;
}

/**
 * Strides for reading an array of `shape` as if it had `target` shape: broadcast axes get
 * stride 0, so one element is read many times without copying.
 */
export function broadcastStrides(shape: Shape, target: Shape): number[] {
  const own = stridesOf(shape);
  const out = new Array<number>(target.length).fill(0);
  const offset = target.length - shape.length;
  for (let axis = 0; axis < shape.length; axis++) {
    out[axis + offset] = shape[axis] === 1 ? 0 : (own[axis] ?? 0);
  }
  return out;
}

/** Normalise a possibly negative axis; null when out of range. */
export function normaliseAxis(axis: number, rank: number): number | null {
  const normalised = axis < 0 ? axis + rank : axis;
  return Number.isInteger(normalised) && normalised >= 0 && normalised < rank ? normalised : null;
}

// AssemblyScript helpers on v128 lanes that several kernel files use. A library file, not an
// entry (build.ts serves common/*.as to the compiler only as imports), so these @inline
// functions are never module exports.

/** relu lane by lane as the reference: x where x > 0 or x is NaN, else 0 (so −0 becomes 0). */
// @ts-ignore: decorator
@inline
export function relu64(x: v128): v128 {
  const zero = f64x2.splat(0);
  return v128.bitselect(x, zero, v128.or(f64x2.gt(x, zero), f64x2.ne(x, x)));
}

/** The same on four f32 lanes. */
// @ts-ignore: decorator
@inline
export function relu32(x: v128): v128 {
  const zero = f32x4.splat(0);
  return v128.bitselect(x, zero, v128.or(f32x4.gt(x, zero), f32x4.ne(x, x)));
}

// Adam's update (the rule and its order of operations: reference/adam.ts) over one chunk that
// index.ts has copied in: weights and gradient as f32 or f64, the moments m and v as f64.
// Each lane does the reference's double operations in the same order (+ − × ÷ √ are exact in
// IEEE), so the result is bit-identical to the reference; a float32 weight is promoted, updated
// in double and rounded once when stored, as a Float32Array store does. `count` is padded to a
// whole number of v128s; the padding lanes compute garbage nobody reads.

// @ts-ignore: decorator
@inline
function adamLanes(w: v128, g: v128, m: usize, v: usize, beta1: v128, beta2: v128, oneMinusBeta1: v128, oneMinusBeta2: v128,
  stepSize: v128, inverseRoot2: v128, eps: v128, decay: v128, decayed: bool): v128 {
  const gradient = decayed ? f64x2.add(g, f64x2.mul(decay, w)) : g;
  const mi = f64x2.add(f64x2.mul(beta1, v128.load(m)), f64x2.mul(oneMinusBeta1, gradient));
  const vi = f64x2.add(f64x2.mul(beta2, v128.load(v)), f64x2.mul(f64x2.mul(oneMinusBeta2, gradient), gradient));
  v128.store(m, mi);
  v128.store(v, vi);
  return f64x2.sub(w, f64x2.mul(stepSize, f64x2.div(mi, f64x2.add(f64x2.mul(f64x2.sqrt(vi), inverseRoot2), eps))));
}

/** One Adam step over `count` f32 weights (a multiple of 4) at w, with f32 gradient g and f64 moments m, v. */
export function adamF32(w: usize, g: usize, m: usize, v: usize, count: i32,
  beta1: f64, beta2: f64, stepSize: f64, inverseRoot2: f64, eps: f64, decay: f64): void {
  const b1 = f64x2.splat(beta1);
  const b2 = f64x2.splat(beta2);
  const c1 = f64x2.splat(1 - beta1);
  const c2 = f64x2.splat(1 - beta2);
  const size = f64x2.splat(stepSize);
  const root = f64x2.splat(inverseRoot2);
  const e = f64x2.splat(eps);
  const d = f64x2.splat(decay);
  const decayed = decay != 0;
  const end = w + <usize>count * 4;
  for (; w < end; w += 16, g += 16, m += 32, v += 32) {
    const w32 = v128.load(w);
    const g32 = v128.load(g);
    const low = adamLanes(f64x2.promote_low_f32x4(w32), f64x2.promote_low_f32x4(g32), m, v, b1, b2, c1, c2, size, root, e, d, decayed);
    const high = adamLanes(f64x2.promote_low_f32x4(v128.shuffle<i32>(w32, w32, 2, 3, 0, 1)), f64x2.promote_low_f32x4(v128.shuffle<i32>(g32, g32, 2, 3, 0, 1)),
      m + 16, v + 16, b1, b2, c1, c2, size, root, e, d, decayed);
    // demote_f64x2_zero rounds each double to nearest float, as a Float32Array store does.
    v128.store(w, v128.shuffle<i32>(f32x4.demote_f64x2_zero(low), f32x4.demote_f64x2_zero(high), 0, 1, 4, 5));
  }
}

/** The same over `count` f64 weights (a multiple of 2). */
export function adamF64(w: usize, g: usize, m: usize, v: usize, count: i32,
  beta1: f64, beta2: f64, stepSize: f64, inverseRoot2: f64, eps: f64, decay: f64): void {
  const b1 = f64x2.splat(beta1);
  const b2 = f64x2.splat(beta2);
  const c1 = f64x2.splat(1 - beta1);
  const c2 = f64x2.splat(1 - beta2);
  const size = f64x2.splat(stepSize);
  const root = f64x2.splat(inverseRoot2);
  const e = f64x2.splat(eps);
  const d = f64x2.splat(decay);
  const decayed = decay != 0;
  const end = w + <usize>count * 8;
  for (; w < end; w += 16, g += 16, m += 16, v += 16) {
    v128.store(w, adamLanes(v128.load(w), v128.load(g), m, v, b1, b2, c1, c2, size, root, e, d, decayed));
  }
}

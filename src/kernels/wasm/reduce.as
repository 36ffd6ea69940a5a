// Sum and max over the leading axes ("rows": a bias gradient sums a batch's rows) and over the
// trailing axes ("columns": softmax and cross-entropy reduce each row), the two reductions
// training does at every step; other axes stay in the reference backend. Each result is the
// reference's (reference/reduce.ts) bit for bit:
// - over rows, out[j] accumulates x[0][j], x[1][j], … in order, in the storage precision (a
//   float32 sum of two floats rounds as the reference's double sum stored into a Float32Array);
//   four (f32) or two (f64) columns per v128, the lanes past the last column are padding;
// - over columns, each row sums in double from left to right, as the reference's local double:
//   two rows per f64x2, one in each lane, so a row's order is unchanged;
// - max keeps the first of equal values (−0 before 0) and lets NaN win: x is taken when
//   x > max or x ≠ x, never f32x4.max, whose −0/0 and NaN rules differ.
// Code: 0 sum, 1 max. Buffers are 16-byte aligned with 16 bytes of slack after x (reduce.ts).

// @ts-ignore: decorator
@inline
function pick32(code: i32, acc: v128, x: v128): v128 {
  return code == 0 ? f32x4.add(acc, x) : v128.bitselect(x, acc, v128.or(f32x4.gt(x, acc), f32x4.ne(x, x)));
}

// @ts-ignore: decorator
@inline
function pick64(code: i32, acc: v128, x: v128): v128 {
  return code == 0 ? f64x2.add(acc, x) : v128.bitselect(x, acc, v128.or(f64x2.gt(x, acc), f64x2.ne(x, x)));
}

// @ts-ignore: decorator
@inline
function start(code: i32): f64 {
  return code == 0 ? 0 : -Infinity;
}

/** out[j] = ⊕ᵢ x[i·columns + j] for float32 x and out. */
export function reduceRowsF32(code: i32, x: usize, rows: i32, columns: i32, out: usize): void {
  const stride = <usize>columns * 4;
  for (let j: i32 = 0; j < columns; j += 4) {
    let acc = f32x4.splat(<f32>start(code));
    let at = x + <usize>j * 4;
    for (let i: i32 = 0; i < rows; i++, at += stride) acc = code == 0 ? pick32(0, acc, v128.load(at)) : pick32(1, acc, v128.load(at));
    v128.store(out + <usize>j * 4, acc);
  }
}

/** out[j] = ⊕ᵢ x[i·columns + j] for float64 x and out. */
export function reduceRowsF64(code: i32, x: usize, rows: i32, columns: i32, out: usize): void {
  const stride = <usize>columns * 8;
  for (let j: i32 = 0; j < columns; j += 2) {
    let acc = f64x2.splat(start(code));
    let at = x + <usize>j * 8;
    for (let i: i32 = 0; i < rows; i++, at += stride) acc = code == 0 ? pick64(0, acc, v128.load(at)) : pick64(1, acc, v128.load(at));
    v128.store(out + <usize>j * 8, acc);
  }
}

// @ts-ignore: decorator
@inline
function reduceColumns(wide: bool, code: i32, x: usize, rows: i32, columns: i32, out: usize): void {
  const size: usize = wide ? 8 : 4;
  const stride = <usize>columns * size;
  // Rows two at a time, one per lane; an odd last row pairs with itself.
  for (let i: i32 = 0; i < rows; i += 2) {
    const first = x + <usize>i * stride;
    const second = i + 1 < rows ? first + stride : first;
    let acc = f64x2.splat(start(code));
    for (let j: usize = 0; j < <usize>columns * size; j += size) {
      const pair = wide
        ? f64x2.replace_lane(f64x2.splat(load<f64>(first + j)), 1, load<f64>(second + j))
        : f64x2.replace_lane(f64x2.splat(<f64>load<f32>(first + j)), 1, <f64>load<f32>(second + j));
      acc = code == 0 ? pick64(0, acc, pair) : pick64(1, acc, pair);
    }
    if (wide) {
      store<f64>(out + <usize>i * 8, f64x2.extract_lane(acc, 0));
      if (i + 1 < rows) store<f64>(out + <usize>(i + 1) * 8, f64x2.extract_lane(acc, 1));
    } else {
      // The one rounding of a float32 result: the double sum stored as float32.
      store<f32>(out + <usize>i * 4, <f32>f64x2.extract_lane(acc, 0));
      if (i + 1 < rows) store<f32>(out + <usize>(i + 1) * 4, <f32>f64x2.extract_lane(acc, 1));
    }
  }
}

/** out[i] = ⊕ⱼ x[i·columns + j] for float32 x and out, accumulated in double. */
export function reduceColumnsF32(code: i32, x: usize, rows: i32, columns: i32, out: usize): void {
  if (code == 0) reduceColumns(false, 0, x, rows, columns, out);
  else reduceColumns(false, 1, x, rows, columns, out);
}

/** out[i] = ⊕ⱼ x[i·columns + j] for float64 x and out. */
export function reduceColumnsF64(code: i32, x: usize, rows: i32, columns: i32, out: usize): void {
  if (code == 0) reduceColumns(true, 0, x, rows, columns, out);
  else reduceColumns(true, 1, x, rows, columns, out);
}

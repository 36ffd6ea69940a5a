// AssemblyScript: fused kernels (built into the same module as kernels.as by build.ts; the
// JavaScript side is fused.ts). Addresses are byte addresses in the imported memory.
//
// biasActivation: out = act(x + bias) for x rows × cols (row-major) and bias cols long, and the
// sum x + bias into `sums` too unless that address is 0. Activations: none (−1) and relu (9),
// the exact ones a layer uses; the others need exp or tanh and stay in TypeScript (fused.ts).
// An f32 (f64) add is the correctly rounded sum, as the reference's double sum stored in a
// Float32Array; relu keeps NaN and maps −0 to 0 as the reference. Rows need not be multiples of
// the vector width: each row has a scalar tail, and the loads are unaligned where cols is odd.

const NONE: i32 = -1;
const RELU: i32 = 9;

import { relu32, relu64 } from './common/lanes';

// @ts-ignore: decorator
@inline
function biasLoop64(relu: bool, keepSum: bool, x: usize, bias: usize, sums: usize, out: usize, rows: i32, cols: i32): void {
  const rowBytes = <usize>cols * 8;
  const body = <usize>(cols & ~1) * 8;
  for (let r = 0; r < rows; r++) {
    const offset = <usize>r * rowBytes;
    let j: usize = 0;
    for (; j < body; j += 16) {
      const z = f64x2.add(v128.load(x + offset + j), v128.load(bias + j));
      if (keepSum) v128.store(sums + offset + j, z);
      v128.store(out + offset + j, relu ? relu64(z) : z);
    }
    for (; j < rowBytes; j += 8) {
      const z = load<f64>(x + offset + j) + load<f64>(bias + j);
      if (keepSum) store<f64>(sums + offset + j, z);
      store<f64>(out + offset + j, relu ? f64x2.extract_lane(relu64(f64x2.splat(z)), 0) : z);
    }
  }
}

// @ts-ignore: decorator
@inline
function biasLoop32(relu: bool, keepSum: bool, x: usize, bias: usize, sums: usize, out: usize, rows: i32, cols: i32): void {
  const rowBytes = <usize>cols * 4;
  const body = <usize>(cols & ~3) * 4;
  for (let r = 0; r < rows; r++) {
    const offset = <usize>r * rowBytes;
    let j: usize = 0;
    for (; j < body; j += 16) {
      const z = f32x4.add(v128.load(x + offset + j), v128.load(bias + j));
      if (keepSum) v128.store(sums + offset + j, z);
      v128.store(out + offset + j, relu ? relu32(z) : z);
    }
    for (; j < rowBytes; j += 4) {
      const z = load<f32>(x + offset + j) + load<f32>(bias + j);
      if (keepSum) store<f32>(sums + offset + j, z);
      store<f32>(out + offset + j, relu ? f32x4.extract_lane(relu32(f32x4.splat(z)), 0) : z);
    }
  }
}

/** out = act(x + bias) in f64 for code −1 (none) or 9 (relu); the sums too where sums ≠ 0. */
export function biasActivationF64(code: i32, x: usize, bias: usize, sums: usize, out: usize, rows: i32, cols: i32): void {
  const keepSum = sums != 0;
  if (code == RELU) {
    if (keepSum) biasLoop64(true, true, x, bias, sums, out, rows, cols);
    else biasLoop64(true, false, x, bias, sums, out, rows, cols);
  } else if (code == NONE) {
    if (keepSum) biasLoop64(false, true, x, bias, sums, out, rows, cols);
    else biasLoop64(false, false, x, bias, sums, out, rows, cols);
  } else {
    unreachable();
  }
}

/** The same in f32. */
export function biasActivationF32(code: i32, x: usize, bias: usize, sums: usize, out: usize, rows: i32, cols: i32): void {
  const keepSum = sums != 0;
  if (code == RELU) {
    if (keepSum) biasLoop32(true, true, x, bias, sums, out, rows, cols);
    else biasLoop32(true, false, x, bias, sums, out, rows, cols);
  } else if (code == NONE) {
    if (keepSum) biasLoop32(false, true, x, bias, sums, out, rows, cols);
    else biasLoop32(false, false, x, bias, sums, out, rows, cols);
  } else {
    unreachable();
  }
}

// AssemblyScript source of the WebAssembly SIMD kernels (compiled by build.ts into module.ts;
// the .as extension keeps tsc and eslint off it — it is AssemblyScript, not TypeScript).
//
// Memory belongs to the JavaScript side (one imported, growable WebAssembly.Memory): every
// kernel takes byte addresses of buffers that index.ts has placed and sized. Buffers
// are 16-byte aligned and padded to a whole number of v128 lanes, so the elementwise loops
// have no scalar tails (the padding lanes compute garbage nobody reads).
//
// Matmul is GotoBLAS-shaped: C = A·B with A m×k and B k×n row-major. B is packed in blocks of
// KC rows into panels NR columns wide, A in blocks of MC rows into panels MR rows tall, and a
// register-blocked micro-kernel computes an MR×NR tile of C from one A panel and one B panel.
// Every element of C lives in one SIMD lane and accumulates c += a·b for p = 0, 1, …, k−1 in
// that order with a separate multiply and add (no FMA), so the f64 result is bit-identical to
// the reference backend's loop; f32 sums in f32, fused (relaxed SIMD) where available.

import { relu32, relu64 } from './common/lanes';

const KC: i32 = 256;
const MC: i32 = 96;

export function heapBase(): usize {
  return __heap_base;
}

// ---------------------------------------------------------------------------------------------
// f32 matmul: micro-kernel 2×16 (8 v128 accumulators, 4 B vectors, 2 broadcast A values: with
// the temporary for a product, the 15 xmm registers V8 allocates on x64; TurboFan issues all of a
// k step's loads first, so larger tiles spill, measured slower: 5×8 ran at 0.6×). 2×16 rather
// than 4×8 (the same loads per step) halves the A bytes a step streams from L2: ~1.03× measured.
// A is packed as plain floats, the two rows' values for one p side by side, and the
// micro-kernel broadcasts each with v128.load32_splat (vbroadcastss from memory on x64). On
// AMD Zen 5 (Node 20, one thread) this ran 1.00–1.04× the earlier packing of every A value
// pre-splatted over a whole v128, and 1.02–1.05× once the packing itself was vectorised (it
// writes a quarter of the bytes); see docs/performance.md.

const MR32: i32 = 2;
const NR32: i32 = 16;

/**
 * c + a·b lane by lane. Built twice (build.ts): with baseline SIMD a multiply and an add; with
 * relaxed SIMD one fused multiply-add where the hardware has it (more accurate, and ~1.3× as
 * fast measured on a 2-core EPYC under Node 20 with --experimental-wasm-relaxed-simd).
 */
// @ts-ignore: decorator
@inline
function madd32(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(c, f32x4.mul(a, b));
}

/** Pack rows [pc, pc+kc) of B (k×n) into ⌈n/NR⌉ panels of kc×NR, zero-padded past n. */
function packB32(b: usize, n: i32, pc: i32, kc: i32, dst: usize): void {
  const panels = (n + NR32 - 1) / NR32;
  for (let jp = 0; jp < panels; jp++) {
    const j0 = jp * NR32;
    const width = min(NR32, n - j0);
    let d = dst + <usize>(jp * kc * NR32) * 4;
    for (let p = 0; p < kc; p++) {
      const src = b + (<usize>(pc + p) * n + j0) * 4;
      if (width == NR32) {
        v128.store(d, v128.load(src));
        v128.store(d, v128.load(src, 16), 16);
        v128.store(d, v128.load(src, 32), 32);
        v128.store(d, v128.load(src, 48), 48);
      } else {
        for (let jj = 0; jj < NR32; jj++) store<f32>(d + jj * 4, jj < width ? load<f32>(src + jj * 4) : 0);
      }
      d += NR32 * 4;
    }
  }
}

/**
 * Pack rows [ic, ic+mc), columns [pc, pc+kc) of A (·×k) into panels of kc×2: for each p the
 * two rows' values side by side (8 bytes), a missing second row as zeros. Four p at a time,
 * interleaved by two shuffles.
 */
function packA32(a: usize, k: i32, ic: i32, mc: i32, pc: i32, kc: i32, dst: usize): void {
  const panels = (mc + MR32 - 1) / MR32;
  const whole = kc & ~3;
  for (let ip = 0; ip < panels; ip++) {
    const row0 = a + (<usize>(ic + ip * MR32) * k + pc) * 4;
    const row1 = row0 + <usize>k * 4;
    const second = ip * MR32 + 1 < mc;
    let d = dst + <usize>(ip * kc * MR32) * 4;
    let p = 0;
    for (; p < whole; p += 4) {
      const x = v128.load(row0 + <usize>p * 4);
      const y = second ? v128.load(row1 + <usize>p * 4) : f32x4.splat(0);
      v128.store(d, v128.shuffle<f32>(x, y, 0, 4, 1, 5));
      v128.store(d, v128.shuffle<f32>(x, y, 2, 6, 3, 7), 16);
      d += 32;
    }
    for (; p < kc; p++) {
      store<f32>(d, load<f32>(row0 + <usize>p * 4));
      store<f32>(d, second ? load<f32>(row1 + <usize>p * 4) : 0, 4);
      d += 8;
    }
  }
}

/** C tile (2×16 at c, row stride ldc elements) = (accumulate ? C : 0) + Apanel·Bpanel. */
// @ts-ignore: decorator
@inline
function kernel32(pa: usize, pb: usize, kc: i32, c: usize, ldc: i32, accumulate: bool): void {
  const rs = <usize>ldc * 4;
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0), c02 = f32x4.splat(0), c03 = f32x4.splat(0);
  let c10 = f32x4.splat(0), c11 = f32x4.splat(0), c12 = f32x4.splat(0), c13 = f32x4.splat(0);
  if (accumulate) {
    c00 = v128.load(c); c01 = v128.load(c, 16); c02 = v128.load(c, 32); c03 = v128.load(c, 48);
    c10 = v128.load(c + rs); c11 = v128.load(c + rs, 16); c12 = v128.load(c + rs, 32); c13 = v128.load(c + rs, 48);
  }
  // kc ≥ 1; one induction variable (pa) for the loop test, measured ~1.05× a counted loop.
  const paEnd = pa + <usize>kc * MR32 * 4;
  do {
    const b0 = v128.load(pb), b1 = v128.load(pb, 16), b2 = v128.load(pb, 32), b3 = v128.load(pb, 48);
    const a0 = v128.load32_splat(pa), a1 = v128.load32_splat(pa, 4);
    c00 = madd32(a0, b0, c00); c01 = madd32(a0, b1, c01); c02 = madd32(a0, b2, c02); c03 = madd32(a0, b3, c03);
    c10 = madd32(a1, b0, c10); c11 = madd32(a1, b1, c11); c12 = madd32(a1, b2, c12); c13 = madd32(a1, b3, c13);
    pa += MR32 * 4;
    pb += NR32 * 4;
  } while (pa < paEnd);
  v128.store(c, c00); v128.store(c, c01, 16); v128.store(c, c02, 32); v128.store(c, c03, 48);
  v128.store(c + rs, c10); v128.store(c + rs, c11, 16); v128.store(c + rs, c12, 32); v128.store(c + rs, c13, 48);
}

/**
 * c (m×n) = a (m×k) · b (k×n), f32. Scratch: packA ≥ MC·KC·4 bytes, packB ≥ KC·⌈n/16⌉·16·4,
 * tile ≥ 2·16·4 (for the partial tiles at the right and bottom edges).
 */
export function matmulF32(a: usize, b: usize, c: usize, m: i32, k: i32, n: i32, packA: usize, packB: usize, tile: usize): void {
  for (let pc = 0; pc < k; pc += KC) {
    const kc = min(KC, k - pc);
    const accumulate = pc > 0;
    packB32(b, n, pc, kc, packB);
    for (let ic = 0; ic < m; ic += MC) {
      const mc = min(MC, m - ic);
      packA32(a, k, ic, mc, pc, kc, packA);
      for (let j0 = 0; j0 < n; j0 += NR32) {
        const width = min(NR32, n - j0);
        const pb = packB + <usize>(j0 * kc) * 4;
        for (let i = 0; i < mc; i += MR32) {
          const height = min(MR32, mc - i);
          const pa = packA + <usize>(i * kc) * 4;
          const cTile = c + (<usize>(ic + i) * n + j0) * 4;
          if (width == NR32 && height == MR32) {
            kernel32(pa, pb, kc, cTile, n, accumulate);
          } else {
            // Edge tile: run the full kernel on a scratch tile, copy the valid part in and out.
            for (let ii = 0; ii < MR32; ii++) {
              for (let jj = 0; jj < NR32; jj++) {
                const inside = accumulate && ii < height && jj < width;
                store<f32>(tile + (ii * NR32 + jj) * 4, inside ? load<f32>(cTile + (<usize>ii * n + jj) * 4) : 0);
              }
            }
            kernel32(pa, pb, kc, tile, NR32, accumulate);
            for (let ii = 0; ii < height; ii++) {
              for (let jj = 0; jj < width; jj++) store<f32>(cTile + (<usize>ii * n + jj) * 4, load<f32>(tile + (ii * NR32 + jj) * 4));
            }
          }
        }
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------
// f64 matmul: micro-kernel 4×4 (8 v128 accumulators of two lanes)

const MR64: i32 = 4;
const NR64: i32 = 4;

function packB64(b: usize, n: i32, pc: i32, kc: i32, dst: usize): void {
  const panels = (n + NR64 - 1) / NR64;
  for (let jp = 0; jp < panels; jp++) {
    const j0 = jp * NR64;
    const width = min(NR64, n - j0);
    let d = dst + <usize>(jp * kc * NR64) * 8;
    for (let p = 0; p < kc; p++) {
      const src = b + (<usize>(pc + p) * n + j0) * 8;
      if (width == NR64) {
        v128.store(d, v128.load(src));
        v128.store(d, v128.load(src, 16), 16);
      } else {
        for (let jj = 0; jj < NR64; jj++) store<f64>(d + jj * 8, jj < width ? load<f64>(src + jj * 8) : 0);
      }
      d += NR64 * 8;
    }
  }
}

function packA64(a: usize, k: i32, ic: i32, mc: i32, pc: i32, kc: i32, dst: usize): void {
  const panels = (mc + MR64 - 1) / MR64;
  for (let ip = 0; ip < panels; ip++) {
    const i0 = ic + ip * MR64;
    const height = min(MR64, mc - ip * MR64);
    const d = dst + <usize>(ip * kc * MR64) * 16;
    for (let ii = 0; ii < MR64; ii++) {
      const src = a + (<usize>(i0 + ii) * k + pc) * 8;
      let o = d + ii * 16;
      if (ii < height) {
        for (let p = 0; p < kc; p++) { v128.store(o, v128.load64_splat(src + <usize>p * 8)); o += MR64 * 16; }
      } else {
        for (let p = 0; p < kc; p++) { v128.store(o, f64x2.splat(0)); o += MR64 * 16; }
      }
    }
  }
}

// @ts-ignore: decorator
@inline
function kernel64(pa: usize, pb: usize, kc: i32, c: usize, ldc: i32, accumulate: bool): void {
  const rs = <usize>ldc * 8;
  let c00 = f64x2.splat(0), c01 = f64x2.splat(0), c10 = f64x2.splat(0), c11 = f64x2.splat(0);
  let c20 = f64x2.splat(0), c21 = f64x2.splat(0), c30 = f64x2.splat(0), c31 = f64x2.splat(0);
  if (accumulate) {
    c00 = v128.load(c); c01 = v128.load(c, 16);
    c10 = v128.load(c + rs); c11 = v128.load(c + rs, 16);
    c20 = v128.load(c + 2 * rs); c21 = v128.load(c + 2 * rs, 16);
    c30 = v128.load(c + 3 * rs); c31 = v128.load(c + 3 * rs, 16);
  }
  const paEnd = pa + <usize>kc * MR64 * 16;
  do {
    const b0 = v128.load(pb), b1 = v128.load(pb, 16);
    const a0 = v128.load(pa), a1 = v128.load(pa, 16);
    const a2 = v128.load(pa, 32), a3 = v128.load(pa, 48);
    c00 = f64x2.add(c00, f64x2.mul(a0, b0)); c01 = f64x2.add(c01, f64x2.mul(a0, b1));
    c10 = f64x2.add(c10, f64x2.mul(a1, b0)); c11 = f64x2.add(c11, f64x2.mul(a1, b1));
    c20 = f64x2.add(c20, f64x2.mul(a2, b0)); c21 = f64x2.add(c21, f64x2.mul(a2, b1));
    c30 = f64x2.add(c30, f64x2.mul(a3, b0)); c31 = f64x2.add(c31, f64x2.mul(a3, b1));
    pa += MR64 * 16;
    pb += NR64 * 8;
  } while (pa < paEnd);
  v128.store(c, c00); v128.store(c, c01, 16);
  v128.store(c + rs, c10); v128.store(c + rs, c11, 16);
  v128.store(c + 2 * rs, c20); v128.store(c + 2 * rs, c21, 16);
  v128.store(c + 3 * rs, c30); v128.store(c + 3 * rs, c31, 16);
}

/** c (m×n) = a (m×k) · b (k×n), f64. Scratch as matmulF32 with 8-byte elements and NR = 4. */
export function matmulF64(a: usize, b: usize, c: usize, m: i32, k: i32, n: i32, packA: usize, packB: usize, tile: usize): void {
  for (let pc = 0; pc < k; pc += KC) {
    const kc = min(KC, k - pc);
    const accumulate = pc > 0;
    packB64(b, n, pc, kc, packB);
    for (let ic = 0; ic < m; ic += MC) {
      const mc = min(MC, m - ic);
      packA64(a, k, ic, mc, pc, kc, packA);
      for (let j0 = 0; j0 < n; j0 += NR64) {
        const width = min(NR64, n - j0);
        const pb = packB + <usize>(j0 * kc) * 8;
        for (let i = 0; i < mc; i += MR64) {
          const height = min(MR64, mc - i);
          const pa = packA + <usize>(i * kc) * 16;
          const cTile = c + (<usize>(ic + i) * n + j0) * 8;
          if (width == NR64 && height == MR64) {
            kernel64(pa, pb, kc, cTile, n, accumulate);
          } else {
            for (let ii = 0; ii < MR64; ii++) {
              for (let jj = 0; jj < NR64; jj++) {
                const inside = accumulate && ii < height && jj < width;
                store<f64>(tile + (ii * NR64 + jj) * 8, inside ? load<f64>(cTile + (<usize>ii * n + jj) * 8) : 0);
              }
            }
            kernel64(pa, pb, kc, tile, NR64, accumulate);
            for (let ii = 0; ii < height; ii++) {
              for (let jj = 0; jj < width; jj++) store<f64>(cTile + (<usize>ii * n + jj) * 8, load<f64>(tile + (ii * NR64 + jj) * 8));
            }
          }
        }
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Elementwise. Codes are codes.ts's; the exported functions switch once and run a loop that
// the optimizer specialises per code (the helpers are inlined with a constant code). A step of
// 0 bytes reads one 16-byte splatted scalar again and again: broadcasting a scalar operand.

// @ts-ignore: decorator
@inline
function binary64(code: i32, x: v128, y: v128): v128 {
  const one = f64x2.splat(1);
  switch (code) {
    case 0: return f64x2.add(x, y);
    case 1: return f64x2.sub(x, y);
    case 2: return f64x2.mul(x, y);
    case 3: return f64x2.div(x, y);
    case 5: return f64x2.max(x, y);
    case 6: return f64x2.min(x, y);
    case 7: return v128.and(f64x2.gt(x, y), one);
    case 8: return v128.and(f64x2.ge(x, y), one);
    case 9: return v128.and(f64x2.lt(x, y), one);
    case 10: return v128.and(f64x2.le(x, y), one);
    case 11: return v128.and(f64x2.eq(x, y), one);
    default: return v128.and(f64x2.ne(x, y), one);
  }
}

// @ts-ignore: decorator
@inline
function binary32(code: i32, x: v128, y: v128): v128 {
  const one = f32x4.splat(1);
  switch (code) {
    case 0: return f32x4.add(x, y);
    case 1: return f32x4.sub(x, y);
    case 2: return f32x4.mul(x, y);
    case 3: return f32x4.div(x, y);
    case 5: return f32x4.max(x, y);
    case 6: return f32x4.min(x, y);
    case 7: return v128.and(f32x4.gt(x, y), one);
    case 8: return v128.and(f32x4.ge(x, y), one);
    case 9: return v128.and(f32x4.lt(x, y), one);
    case 10: return v128.and(f32x4.le(x, y), one);
    case 11: return v128.and(f32x4.eq(x, y), one);
    default: return v128.and(f32x4.ne(x, y), one);
  }
}

// @ts-ignore: decorator
@inline
function binaryLoop(wide: bool, code: i32, a: usize, aRow: usize, aStep: usize, b: usize, bRow: usize, bStep: usize, out: usize, rows: i32, cols: i32): void {
  const size: usize = wide ? 8 : 4;
  const lanes: usize = 16 / size;
  const whole = <usize>cols & ~(lanes - 1);
  const aVector = aStep * lanes;
  const bVector = bStep * lanes;
  for (let i: i32 = 0; i < rows; i++) {
    let x = a + <usize>i * aRow;
    let y = b + <usize>i * bRow;
    let o = out + <usize>i * <usize>cols * size;
    const vectorEnd = o + whole * size;
    for (; o < vectorEnd; o += 16, x += aVector, y += bVector) {
      v128.store(o, wide ? binary64(code, v128.load(x), v128.load(y)) : binary32(code, v128.load(x), v128.load(y)));
    }
    // The row's last cols mod lanes elements one by one (lane 0 of a splat), so that nothing
    // is written past the row.
    const end = o + (<usize>cols - whole) * size;
    for (; o < end; o += size, x += aStep, y += bStep) {
      if (wide) store<f64>(o, f64x2.extract_lane(binary64(code, v128.load64_splat(x), v128.load64_splat(y)), 0));
      else store<f32>(o, f32x4.extract_lane(binary32(code, v128.load32_splat(x), v128.load32_splat(y)), 0));
    }
  }
}

/**
 * out[i][j] = a[i][j] ∘ b[i][j] over rows × cols (out contiguous). An operand's row i starts
 * at its address + i·row bytes and steps `step` bytes per element: its element size
 * (contiguous), or 0 (one value per row, stored splatted over 16 bytes). So one loop covers
 * same shapes, a scalar on either side, a row broadcast ([m, n] ∘ [n]: row 0) and a column
 * broadcast ([m, n] ∘ [m, 1]: row 16, step 0).
 */
export function binaryF64(code: i32, a: usize, aRow: usize, aStep: usize, b: usize, bRow: usize, bStep: usize, out: usize, rows: i32, cols: i32): void {
  switch (code) {
    case 0: binaryLoop(true, 0, a, aRow, aStep, b, bRow, bStep, out, rows, cols); break;
    case 1: binaryLoop(true, 1, a, aRow, aStep, b, bRow, bStep, out, rows, cols); break;
    case 2: binaryLoop(true, 2, a, aRow, aStep, b, bRow, bStep, out, rows, cols); break;
    case 3: binaryLoop(true, 3, a, aRow, aStep, b, bRow, bStep, out, rows, cols); break;
    case 5: binaryLoop(true, 5, a, aRow, aStep, b, bRow, bStep, out, rows, cols); break;
    case 6: binaryLoop(true, 6, a, aRow, aStep, b, bRow, bStep, out, rows, cols); break;
    case 7: binaryLoop(true, 7, a, aRow, aStep, b, bRow, bStep, out, rows, cols); break;
    case 8: binaryLoop(true, 8, a, aRow, aStep, b, bRow, bStep, out, rows, cols); break;
    case 9: binaryLoop(true, 9, a, aRow, aStep, b, bRow, bStep, out, rows, cols); break;
    case 10: binaryLoop(true, 10, a, aRow, aStep, b, bRow, bStep, out, rows, cols); break;
    case 11: binaryLoop(true, 11, a, aRow, aStep, b, bRow, bStep, out, rows, cols); break;
    case 12: binaryLoop(true, 12, a, aRow, aStep, b, bRow, bStep, out, rows, cols); break;
    default: unreachable();
  }
}

export function binaryF32(code: i32, a: usize, aRow: usize, aStep: usize, b: usize, bRow: usize, bStep: usize, out: usize, rows: i32, cols: i32): void {
  switch (code) {
    case 0: binaryLoop(false, 0, a, aRow, aStep, b, bRow, bStep, out, rows, cols); break;
    case 1: binaryLoop(false, 1, a, aRow, aStep, b, bRow, bStep, out, rows, cols); break;
    case 2: binaryLoop(false, 2, a, aRow, aStep, b, bRow, bStep, out, rows, cols); break;
    case 3: binaryLoop(false, 3, a, aRow, aStep, b, bRow, bStep, out, rows, cols); break;
    case 5: binaryLoop(false, 5, a, aRow, aStep, b, bRow, bStep, out, rows, cols); break;
    case 6: binaryLoop(false, 6, a, aRow, aStep, b, bRow, bStep, out, rows, cols); break;
    case 7: binaryLoop(false, 7, a, aRow, aStep, b, bRow, bStep, out, rows, cols); break;
    case 8: binaryLoop(false, 8, a, aRow, aStep, b, bRow, bStep, out, rows, cols); break;
    case 9: binaryLoop(false, 9, a, aRow, aStep, b, bRow, bStep, out, rows, cols); break;
    case 10: binaryLoop(false, 10, a, aRow, aStep, b, bRow, bStep, out, rows, cols); break;
    case 11: binaryLoop(false, 11, a, aRow, aStep, b, bRow, bStep, out, rows, cols); break;
    case 12: binaryLoop(false, 12, a, aRow, aStep, b, bRow, bStep, out, rows, cols); break;
    default: unreachable();
  }
}

// Unary: neg 0, sqrt 3, abs 4, relu 9, step 10 (the others need exp/log/trig: the reference
// backend keeps them, with Math's correctly rounded-enough results).
// relu keeps NaN (x ≠ x) and maps −0 to 0; step(0) = 0 and step(NaN) = NaN, as the reference.

// @ts-ignore: decorator
@inline
function unary64(code: i32, x: v128): v128 {
  const zero = f64x2.splat(0);
  switch (code) {
    case 0: return f64x2.neg(x);
    case 3: return f64x2.sqrt(x);
    case 4: return f64x2.abs(x);
    case 9: return relu64(x);
    default: return v128.bitselect(x, v128.and(f64x2.gt(x, zero), f64x2.splat(1)), f64x2.ne(x, x));
  }
}

// @ts-ignore: decorator
@inline
function unary32(code: i32, x: v128): v128 {
  const zero = f32x4.splat(0);
  switch (code) {
    case 0: return f32x4.neg(x);
    case 3: return f32x4.sqrt(x);
    case 4: return f32x4.abs(x);
    case 9: return relu32(x);
    default: return v128.bitselect(x, v128.and(f32x4.gt(x, zero), f32x4.splat(1)), f32x4.ne(x, x));
  }
}

// @ts-ignore: decorator
@inline
function unaryLoop(wide: bool, code: i32, x: usize, out: usize, bytes: usize): void {
  const end = out + bytes;
  for (let o = out; o < end; o += 16) {
    v128.store(o, wide ? unary64(code, v128.load(x)) : unary32(code, v128.load(x)));
    x += 16;
  }
}

/** out = f(x) over `bytes` bytes (a multiple of 16), for the codes listed above. */
export function unaryF64(code: i32, x: usize, out: usize, bytes: usize): void {
  switch (code) {
    case 0: unaryLoop(true, 0, x, out, bytes); break;
    case 3: unaryLoop(true, 3, x, out, bytes); break;
    case 4: unaryLoop(true, 4, x, out, bytes); break;
    case 9: unaryLoop(true, 9, x, out, bytes); break;
    case 10: unaryLoop(true, 10, x, out, bytes); break;
    default: unreachable();
  }
}

export function unaryF32(code: i32, x: usize, out: usize, bytes: usize): void {
  switch (code) {
    case 0: unaryLoop(false, 0, x, out, bytes); break;
    case 3: unaryLoop(false, 3, x, out, bytes); break;
    case 4: unaryLoop(false, 4, x, out, bytes); break;
    case 9: unaryLoop(false, 9, x, out, bytes); break;
    case 10: unaryLoop(false, 10, x, out, bytes); break;
    default: unreachable();
  }
}

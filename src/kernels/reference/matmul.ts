import type { Storage } from '../../tensor/dtype.js';
import type { MatmulDims } from '../backend.js';

/**
 * C = A·B, register-blocked: B is packed transposed so that a 4×4 block of C is 16 running
 * sums over two sets of four contiguous rows. JavaScript has no SIMD; keeping 16 sums in
 * locals and reading 8 contiguous streams is what lets the JIT approach the scalar peak.
 * Both operands are packed into Float64Array whatever their dtype, so the inner loop only
 * ever sees one array type and stays monomorphic (JS arithmetic is double anyway, so a
 * float32 product is the same; it is rounded once when stored).
 */
export function matmul(a: Storage, b: Storage, out: Storage, dims: MatmulDims): void {
  const { batch, m, k, n, aBatchStride, bBatchStride } = dims;
  const transA = dims.transA === true;
  const bt = new Float64Array(k * n);
  const aPacked = a instanceof Float64Array && !transA ? null : new Float64Array(m * k);
  let packedFrom = -1;
  for (let p = 0; p < batch; p++) {
    const bOffset = p * bBatchStride;
    if (bOffset !== packedFrom) {
      // bt is b as [n, k] rows: a transposed b is already in that layout.
      if (dims.transB === true) bt.set(b.subarray(bOffset, bOffset + k * n));
      else packTransposed(b, bOffset, k, n, bt);
      packedFrom = bOffset;
    }
    if (aPacked === null) {
      multiplyPacked(a as Float64Array, p * aBatchStride, bt, out, p * m * n, m, k, n);
    } else {
      if (transA) packTransposed(a, p * aBatchStride, k, m, aPacked);
      else aPacked.set(a.subarray(p * aBatchStride, p * aBatchStride + m * k));
      multiplyPacked(aPacked, 0, bt, out, p * m * n, m, k, n);
    }
  }
}

/** Write the rows × cols matrix at src[offset…] transposed into dst (cols × rows). */
function packTransposed(src: Storage, offset: number, rows: number, cols: number, dst: Float64Array): void {
  for (let row = 0; row < rows; row++) {
    const from = offset + row * cols;
    for (let col = 0; col < cols; col++) dst[col * rows + row] = src[from + col]!;
  }
}

function multiplyPacked(
  a: Float64Array, aOffset: number, bt: Float64Array, out: Storage, outOffset: number, m: number, k: number, n: number,
): void {
  const m4 = m - (m % 4);
  const n4 = n - (n % 4);
  for (let i = 0; i < m4; i += 4) {
    const a0 = aOffset + i * k, a1 = a0 + k, a2 = a1 + k, a3 = a2 + k;
    for (let j = 0; j < n4; j += 4) {
      const b0 = j * k, b1 = b0 + k, b2 = b1 + k, b3 = b2 + k;
      let c00 = 0, c01 = 0, c02 = 0, c03 = 0, c10 = 0, c11 = 0, c12 = 0, c13 = 0;
      let c20 = 0, c21 = 0, c22 = 0, c23 = 0, c30 = 0, c31 = 0, c32 = 0, c33 = 0;
      for (let p = 0; p < k; p++) {
        const x0 = a[a0 + p]!, x1 = a[a1 + p]!, x2 = a[a2 + p]!, x3 = a[a3 + p]!;
        const y0 = bt[b0 + p]!, y1 = bt[b1 + p]!, y2 = bt[b2 + p]!, y3 = bt[b3 + p]!;
        c00 += x0 * y0; c01 += x0 * y1; c02 += x0 * y2; c03 += x0 * y3;
        c10 += x1 * y0; c11 += x1 * y1; c12 += x1 * y2; c13 += x1 * y3;
        c20 += x2 * y0; c21 += x2 * y1; c22 += x2 * y2; c23 += x2 * y3;
        c30 += x3 * y0; c31 += x3 * y1; c32 += x3 * y2; c33 += x3 * y3;
      }
      const o0 = outOffset + i * n + j, o1 = o0 + n, o2 = o1 + n, o3 = o2 + n;
      out[o0] = c00; out[o0 + 1] = c01; out[o0 + 2] = c02; out[o0 + 3] = c03;
      out[o1] = c10; out[o1 + 1] = c11; out[o1 + 2] = c12; out[o1 + 3] = c13;
      out[o2] = c20; out[o2 + 1] = c21; out[o2 + 2] = c22; out[o2 + 3] = c23;
      out[o3] = c30; out[o3 + 1] = c31; out[o3 + 2] = c32; out[o3 + 3] = c33;
    }
  }
  // Edges: the rows and columns that do not fill a 4×4 block.
  for (let i = 0; i < m; i++) {
    const jStart = i < m4 ? n4 : 0;
    const aRow = aOffset + i * k;
    for (let j = jStart; j < n; j++) {
      const bRow = j * k;
      let sum = 0;
      for (let p = 0; p < k; p++) sum += a[aRow + p]! * bt[bRow + p]!;
      out[outOffset + i * n + j] = sum;
    }
  }
}

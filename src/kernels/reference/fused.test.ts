import { describe, expect, it } from 'vitest';
import { BinaryCode, UnaryCode } from '../codes.js';
import { binary } from './elementwise.js';
import { unary } from './unary.js';
import { biasActivation } from './fused.js';

/**
 * The reference biasActivation is the definition the other backends are tested against: here
 * it is checked against what it fuses, the broadcast add then the unary kernel, bit for bit.
 */

const SPECIAL = [0, -0, 1, -1, 0.1, -2.5, Infinity, -Infinity, NaN, 1e-300, 3.4e38, -7e-46];
const valuesOf = (length: number, shift: number) => Float64Array.from({ length }, (_, i) => (i % 2 === 0 ? SPECIAL[(i + shift) % SPECIAL.length]! : Math.sin(i + shift) * 5));
const as = (kind: 'f32' | 'f64', values: Float64Array) => (kind === 'f32' ? Float32Array.from(values) : values);
const same = (got: ArrayLike<number>, want: ArrayLike<number>) => Array.from(got).every((v, i) => Object.is(v, want[i]));

describe('reference biasActivation equals binary add then unary', () => {
  // 700 columns: one row is more than a block, so blocks of one row are exercised too.
  it.each(['f64', 'f32'] as const)('%s: every code and none, kept sum or not, 1 to 700 columns', (kind) => {
    for (const [rows, cols] of [[1, 1], [3, 5], [9, 17], [40, 127], [7, 700]] as const) {
      const x = as(kind, valuesOf(rows * cols, cols));
      const bias = as(kind, valuesOf(cols, 3));
      const sum = as(kind, new Float64Array(rows * cols));
      binary(BinaryCode.add, x, [rows, cols], bias, [cols], sum, [rows, cols]);
      for (const code of [null, ...Object.values(UnaryCode)]) {
        const want = as(kind, new Float64Array(rows * cols));
        if (code === null) want.set(sum);
        else unary(code, sum, want);
        for (const keepSum of [false, true]) {
          const out = as(kind, new Float64Array(rows * cols).fill(NaN));
          const pre = keepSum ? as(kind, new Float64Array(rows * cols).fill(NaN)) : null;
          biasActivation(code, x, bias, pre, out);
          expect(same(out, want), `${rows}×${cols} code ${code}`).toBe(true);
          if (pre !== null) expect(same(pre, sum), `${rows}×${cols} code ${code}: the sum`).toBe(true);
        }
      }
    }
  });
});

import { describe, expect, it } from 'vitest';
import { BinaryCode, UnaryCode } from '../codes.js';
import { binary, binaryScalar } from './elementwise.js';
import { unary, unaryScalar } from './unary.js';

/** Each reference kernel is written twice (on one number, and as a loop): the two must agree. */
const VALUES = [-40, -2.5, -1, -0.5, -0, 0, 0.25, 1, 2, 3.5, 35, Infinity, -Infinity, NaN];

describe('reference elementwise kernels: the number form and the loop agree', () => {
  for (const [name, code] of Object.entries(UnaryCode)) {
    it(`unary ${name}`, () => {
      const out = new Float64Array(VALUES.length);
      unary(code, Float64Array.from(VALUES), out);
      expect(Array.from(out)).toEqual(VALUES.map((v) => unaryScalar(code, v)));
    });
  }
  for (const [name, code] of Object.entries(BinaryCode)) {
    it(`binary ${name}, [n] with [n] and [n] with a scalar`, () => {
      const a = Float64Array.from(VALUES);
      const b = Float64Array.from(VALUES, (_, i) => VALUES[(i * 5 + 3) % VALUES.length]!);
      const out = new Float64Array(VALUES.length);
      binary(code, a, [a.length], b, [b.length], out, [a.length]);
      expect(Array.from(out)).toEqual(VALUES.map((v, i) => binaryScalar(code, v, b[i]!)));
      binary(code, a, [a.length], Float64Array.of(0.5), [], out, [a.length]);
      expect(Array.from(out)).toEqual(VALUES.map((v) => binaryScalar(code, v, 0.5)));
    });
  }
});

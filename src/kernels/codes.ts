/**
 * Elementwise operation codes: the numbers the backends (reference, wasm, native C) agree on.
 * Each key is the name of the registry op the kernel computes; ops/ maps its elementwise op
 * families over these keys, so a code without an op, or an elementwise op without a code, is a
 * compile error. Kernels switch on a code rather than take a callback, so the hot loops contain
 * no per-element closure calls. New codes go at the end: the numbers are shared with wasm and C.
 */
export const UnaryCode = {
  neg: 0, exp: 1, log: 2, sqrt: 3, abs: 4, sin: 5, cos: 6, tanh: 7, sigmoid: 8, relu: 9,
  step: 10, sign: 11, softplus: 12, softsign: 13, tan: 14, asin: 15, acos: 16, atan: 17, sinh: 18,
  cosh: 19,
} as const;
export type UnaryCode = (typeof UnaryCode)[keyof typeof UnaryCode];
/** The elementwise ops of one input that have a kernel of their own. */
export type UnaryKernelName = keyof typeof UnaryCode;

export const BinaryCode = {
  add: 0, sub: 1, mul: 2, div: 3, pow: 4, maximum: 5, minimum: 6,
  gt: 7, ge: 8, lt: 9, le: 10, eq: 11, ne: 12,
} as const;
export type BinaryCode = (typeof BinaryCode)[keyof typeof BinaryCode];
/** The elementwise ops of two (broadcast) inputs. */
export type BinaryKernelName = keyof typeof BinaryCode;

export const ReduceCode = { sum: 0, max: 1 } as const;
export type ReduceCode = (typeof ReduceCode)[keyof typeof ReduceCode];

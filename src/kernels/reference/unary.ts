import type { Storage } from '../../tensor/dtype.js';
import { UnaryCode, type UnaryKernelName } from '../codes.js';

/**
 * An elementwise kernel of one input: the operation on one number (for 0-d tensors: a scalar
 * graph should not pay for a typed array per node) and the loop over storage. Each loop is a
 * function literal of its own calling its own number function, so V8 inlines the call and the
 * loop stays as tight as a switch case; test/backends.test.ts checks the two agree.
 */
interface UnaryKernel {
  readonly scalar: (v: number) => number;
  readonly loop: (x: Storage, out: Storage) => void;
}

/** σ(v): two branches keep exp's argument non-positive, so neither overflows. */
function sigmoid(v: number): number {
  if (v >= 0) return 1 / (1 + Math.exp(-v));
  const e = Math.exp(v);
  return e / (1 + e);
}

/** ln(1 + eᵛ) = max(v, 0) + ln(1 + e^−|v|): never overflows, exact for large |v|. */
function softplus(v: number): number {
  return Math.max(v, 0) + Math.log1p(Math.exp(-Math.abs(v)));
}

const neg = (v: number): number => -v;
const softsign = (v: number): number => v / (1 + Math.abs(v));
/** relu keeps NaN as NaN (as PyTorch) and maps −0 to 0. */
const relu = (v: number): number => (v > 0 ? v : v === v ? 0 : v);
/** step(0) = 0, so relu′(0) = 0 as in PyTorch; NaN stays NaN. */
const step = (v: number): number => (v > 0 ? 1 : v === v ? 0 : v);
/** +0 turns sign(−0) into 0. */
const sign = (v: number): number => Math.sign(v) + 0;

/** The reference kernel of every unary code, keyed by the op it computes. */
const UNARY: { readonly [N in UnaryKernelName]: UnaryKernel } = {
  neg: { scalar: neg, loop(x, out) { for (let i = 0; i < x.length; i++) out[i] = neg(x[i]!); } },
  exp: { scalar: Math.exp, loop(x, out) { for (let i = 0; i < x.length; i++) out[i] = Math.exp(x[i]!); } },
  log: { scalar: Math.log, loop(x, out) { for (let i = 0; i < x.length; i++) out[i] = Math.log(x[i]!); } },
  sqrt: { scalar: Math.sqrt, loop(x, out) { for (let i = 0; i < x.length; i++) out[i] = Math.sqrt(x[i]!); } },
  abs: { scalar: Math.abs, loop(x, out) { for (let i = 0; i < x.length; i++) out[i] = Math.abs(x[i]!); } },
  sin: { scalar: Math.sin, loop(x, out) { for (let i = 0; i < x.length; i++) out[i] = Math.sin(x[i]!); } },
  cos: { scalar: Math.cos, loop(x, out) { for (let i = 0; i < x.length; i++) out[i] = Math.cos(x[i]!); } },
  tanh: { scalar: Math.tanh, loop(x, out) { for (let i = 0; i < x.length; i++) out[i] = Math.tanh(x[i]!); } },
  sigmoid: { scalar: sigmoid, loop(x, out) { for (let i = 0; i < x.length; i++) out[i] = sigmoid(x[i]!); } },
  relu: { scalar: relu, loop(x, out) { for (let i = 0; i < x.length; i++) out[i] = relu(x[i]!); } },
  step: { scalar: step, loop(x, out) { for (let i = 0; i < x.length; i++) out[i] = step(x[i]!); } },
  sign: { scalar: sign, loop(x, out) { for (let i = 0; i < x.length; i++) out[i] = sign(x[i]!); } },
  softplus: { scalar: softplus, loop(x, out) { for (let i = 0; i < x.length; i++) out[i] = softplus(x[i]!); } },
  softsign: { scalar: softsign, loop(x, out) { for (let i = 0; i < x.length; i++) out[i] = softsign(x[i]!); } },
  tan: { scalar: Math.tan, loop(x, out) { for (let i = 0; i < x.length; i++) out[i] = Math.tan(x[i]!); } },
  asin: { scalar: Math.asin, loop(x, out) { for (let i = 0; i < x.length; i++) out[i] = Math.asin(x[i]!); } },
  acos: { scalar: Math.acos, loop(x, out) { for (let i = 0; i < x.length; i++) out[i] = Math.acos(x[i]!); } },
  atan: { scalar: Math.atan, loop(x, out) { for (let i = 0; i < x.length; i++) out[i] = Math.atan(x[i]!); } },
  sinh: { scalar: Math.sinh, loop(x, out) { for (let i = 0; i < x.length; i++) out[i] = Math.sinh(x[i]!); } },
  cosh: { scalar: Math.cosh, loop(x, out) { for (let i = 0; i < x.length; i++) out[i] = Math.cosh(x[i]!); } },
};

/** The same kernels indexed by code, as the Backend interface calls them. */
const BY_CODE: readonly UnaryKernel[] = (Object.keys(UNARY) as UnaryKernelName[]).reduce<UnaryKernel[]>((byCode, name) => {
  byCode[UnaryCode[name]] = UNARY[name];
  return byCode;
}, []);

export function unaryScalar(code: UnaryCode, v: number): number {
  return BY_CODE[code]!.scalar(v);
}

export function unary(code: UnaryCode, x: Storage, out: Storage): void {
  BY_CODE[code]!.loop(x, out);
}

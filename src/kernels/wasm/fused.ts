import type { Backend } from '../backend.js';
import { UnaryCode } from '../codes.js';
import { sameStorageType } from '../layout.js';
import { checkWholeRows } from '../reference/fused.js';
import { referenceBackend } from '../reference/index.js';
import type { Arena } from './arena.js';

/**
 * The JavaScript side of fused.as. biasActivation runs in WebAssembly for the exact activations
 * (none, relu): one pass instead of the reference's broadcast add plus a wasm relu, each with its
 * own copies. Activations that need exp or tanh (sigmoid, tanh…) stay the reference's, as
 * the elementwise kernels do: V8's Math functions are the reference and a wasm libm differs in
 * the last bit. softmaxCrossEntropy needs exp and ln throughout, so it too is the reference's
 * (a classifier's logits are small, [64, 10] in training: copying them in would cost more than
 * the kernel).
 */

/** Exports of fused.as; addresses in bytes, `sums` 0 for none. */
export interface FusedKernels {
  readonly biasActivationF64: (code: number, x: number, bias: number, sums: number, out: number, rows: number, cols: number) => void;
  readonly biasActivationF32: (code: number, x: number, bias: number, sums: number, out: number, rows: number, cols: number) => void;
}

export const FUSED_EXPORTS = ['biasActivationF64', 'biasActivationF32'] as const;

/** fused.as's code for "no activation". */
const NONE = -1;

export function wasmBiasActivation(kernels: FusedKernels, arena: Arena): Backend['biasActivation'] {
  return (code, x, bias, pre, out) => {
    checkWholeRows(x, bias);
    const cols = bias.length;
    const total = x.length;
    if ((code !== null && code !== UnaryCode.relu) || cols === 0 || total === 0 || !sameStorageType(out, x, bias, pre)) {
      referenceBackend.biasActivation(code, x, bias, pre, out);
      return;
    }
    const size = out instanceof Float32Array ? 4 : 8;
    arena.reset();
    const xAt = arena.take(total * size);
    const biasAt = arena.take(cols * size);
    const outAt = arena.take(total * size);
    const sumsAt = pre === null ? 0 : arena.take(total * size);
    // Views only after every take: growing the memory detaches the earlier ones.
    arena.view(out, xAt, total).set(x);
    arena.view(out, biasAt, cols).set(bias);
    (size === 4 ? kernels.biasActivationF32 : kernels.biasActivationF64)(code ?? NONE, xAt, biasAt, sumsAt, outAt, total / cols, cols);
    out.set(arena.view(out, outAt, total));
    if (pre !== null) pre.set(arena.view(out, sumsAt, total));
  };
}

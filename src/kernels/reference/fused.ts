import type { Storage } from '../../tensor/dtype.js';
import type { UnaryCode } from '../codes.js';
import { unary } from './unary.js';

/** Rows per block: enough that a block is a few thousand elements, so the two passes stay in cache. */
const BLOCK_ELEMENTS = 4096;

/** biasActivation's x must be whole rows of the bias: the same RangeError in every backend (the native addon checks too). */
export function checkWholeRows(x: Storage, bias: Storage): void {
  if (bias.length === 0 ? x.length !== 0 : x.length % bias.length !== 0) throw new RangeError('biasActivation: x must be whole rows of bias.length');
}

/**
 * out = act(x + bias), x [rows, cols] with bias [cols] added to every row: a layer's bias add
 * and its activation as one kernel (the compiled replay fuses them). Block by block, the sums
 * are stored (into `pre`, or into `out` itself) and the activation reads the stored values:
 * exactly binary add then unary, so a float32 sum is rounded before the activation sees it, as
 * when the two ran apart.
 */
export function biasActivation(code: UnaryCode | null, x: Storage, bias: Storage, pre: Storage | null, out: Storage): void {
  checkWholeRows(x, bias);
  const cols = bias.length;
  if (cols === 0 || x.length === 0) return;
  const sums = pre ?? out;
  const block = Math.max(1, Math.floor(BLOCK_ELEMENTS / cols)) * cols;
  for (let start = 0; start < x.length; start += block) {
    const end = Math.min(x.length, start + block);
    for (let row = start; row < end; row += cols) {
      for (let j = 0; j < cols; j++) sums[row + j] = x[row + j]! + bias[j]!;
    }
    if (code !== null) unary(code, sums.subarray(start, end), out.subarray(start, end));
    else if (pre !== null) out.set(pre.subarray(start, end), start);
  }
}

import type { Storage } from '../../tensor/dtype.js';
import type { AdamStep } from '../backend.js';
import { sameStorageType } from '../layout.js';
import { referenceBackend } from '../reference/index.js';
import type { Arena } from './arena.js';
import type { Kernels } from './kernel-exports.js';

/**
 * Adam runs over the weights in chunks of this many, so the copies in and out of wasm memory
 * stay in the L2 cache (8192 × (4 + 4 + 8 + 8) bytes = 192 KiB for float32 weights).
 */
const ADAM_CHUNK = 8192;

/**
 * The JavaScript side of adam.as. Measured (235,146 float32 weights, load 3): 0.76 ms against
 * the reference's 1.2 ms (wasm has no wider SIMD than f64x2 for the division and square root;
 * the native backend's C takes 0.25 ms).
 */
export class WasmAdam {
  constructor(private readonly kernels: Kernels, private readonly arena: Arena) {}

  /** Adam's update chunk by chunk: copy weights, gradient and moments in, update, copy weights and moments back. */
  adamUpdate(weights: Storage, gradient: Storage, m: Float64Array, v: Float64Array, step: AdamStep): void {
    const size = weights instanceof Float32Array ? 4 : 8;
    if (!sameStorageType(weights, gradient)) {
      referenceBackend.adamUpdate(weights, gradient, m, v, step);
      return;
    }
    const arena = this.arena;
    arena.reset();
    // A multiple of 4, so a chunk padded to whole float32 v128s stays inside its buffers.
    const chunk = Math.min(ADAM_CHUNK, Math.ceil(weights.length / 4) * 4);
    const wAt = arena.take(chunk * size);
    const gAt = arena.take(chunk * size);
    const mAt = arena.take(chunk * 8);
    const vAt = arena.take(chunk * 8);
    const wView = arena.view(weights, wAt, chunk);
    const gView = arena.view(weights, gAt, chunk);
    const mView = new Float64Array(arena.memory.buffer, mAt, chunk);
    const vView = new Float64Array(arena.memory.buffer, vAt, chunk);
    const run = size === 4 ? this.kernels.adamF32 : this.kernels.adamF64;
    const { beta1, beta2, stepSize, inverseRoot2, eps, decay } = step;
    for (let from = 0; from < weights.length; from += chunk) {
      const to = Math.min(weights.length, from + chunk);
      const count = to - from;
      wView.set(weights.subarray(from, to));
      gView.set(gradient.subarray(from, to));
      mView.set(m.subarray(from, to));
      vView.set(v.subarray(from, to));
      // Padded to whole v128s of float32 lanes; the padding is computed and never read.
      run(wAt, gAt, mAt, vAt, Math.ceil(count / 4) * 4, beta1, beta2, stepSize, inverseRoot2, eps, decay);
      weights.set(count === chunk ? wView : wView.subarray(0, count), from);
      m.set(count === chunk ? mView : mView.subarray(0, count), from);
      v.set(count === chunk ? vView : vView.subarray(0, count), from);
    }
  }
}

import type { Storage } from '../../tensor/dtype.js';
import type { Shape } from '../../tensor/shape.js';
import type { ReduceCode } from '../codes.js';
import { reduceLayout, sameStorageType } from '../layout.js';
import { referenceBackend } from '../reference/index.js';
import type { Arena } from './arena.js';
import type { Kernels } from './kernel-exports.js';

/**
 * The JavaScript side of reduce.as. Measured (float32, load 3): summing the 64 rows of a
 * 64×256 bias gradient takes 5.2 µs against the reference's 29.6 µs.
 */
export class WasmReduce {
  constructor(private readonly kernels: Kernels, private readonly arena: Arena) {}

  /**
   * Sum or max over the leading axes (rows) or the trailing axes (columns) of x in reduce.as;
   * over other axes, the reference's strided loop.
   */
  reduce(code: ReduceCode, x: Storage, shape: Shape, axes: readonly number[], out: Storage): void {
    const layout = out.length === 0 || !sameStorageType(out, x) ? undefined : reduceLayout(shape, axes);
    if (layout === undefined) {
      referenceBackend.reduce(code, x, shape, axes, out);
      return;
    }
    const { outer: rows, inner: columns, leading } = layout;
    const size = out instanceof Float32Array ? 4 : 8;
    const arena = this.arena;
    arena.reset();
    // 16 bytes of slack: the last row's final v128 may read past the end of x.
    const xAt = arena.take(x.length * size + 16);
    const outAt = arena.take(out.length * size + 16);
    arena.view(out, xAt, x.length).set(x);
    const kernels = this.kernels;
    const run = leading ? (size === 4 ? kernels.reduceRowsF32 : kernels.reduceRowsF64) : size === 4 ? kernels.reduceColumnsF32 : kernels.reduceColumnsF64;
    run(code, xAt, rows, columns, outAt);
    out.set(arena.view(out, outAt, out.length));
  }
}

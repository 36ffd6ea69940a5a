import type { Storage } from '../../tensor/dtype.js';
import type { Shape } from '../../tensor/shape.js';
import { BinaryCode, UnaryCode } from '../codes.js';
import { binaryLayout, sameStorageType } from '../layout.js';
import { referenceBackend } from '../reference/index.js';
import { align, type Arena } from './arena.js';
import type { Kernels } from './kernel-exports.js';

const SIMD_UNARY: ReadonlySet<UnaryCode> = new Set([UnaryCode.neg, UnaryCode.sqrt, UnaryCode.abs, UnaryCode.relu, UnaryCode.step]);

/** The elementwise kernels of kernels.as; what they do not cover is the reference backend's. */
export class WasmElementwise {
  constructor(private readonly kernels: Kernels, private readonly arena: Arena) {}

  binary(code: BinaryCode, a: Storage, aShape: Shape, b: Storage, bShape: Shape, out: Storage, outShape: Shape): void {
    // Anything binaryLayout sees as rows × cols (same shapes, a scalar, a row or column
    // broadcast); pow and other broadcasts stay in the reference.
    const layout = code === BinaryCode.pow || out.length === 0 || !sameStorageType(out, a, b) ? undefined : binaryLayout(aShape, bShape, outShape);
    if (layout === undefined) {
      referenceBackend.binary(code, a, aShape, b, bShape, out, outShape);
      return;
    }
    const { rows, cols } = layout;
    const size = out instanceof Float32Array ? 4 : 8;
    const arena = this.arena;
    arena.reset();
    const x = this.place(a, layout.aRow, layout.aCol, rows, size);
    const y = this.place(b, layout.bRow, layout.bCol, rows, size);
    const outAt = arena.take(out.length * size);
    (size === 4 ? this.kernels.binaryF32 : this.kernels.binaryF64)(code, x.at, x.row, x.step, y.at, y.row, y.step, outAt, rows, cols);
    out.set(arena.view(out, outAt, out.length));
  }
  /**
   * Copy a binary operand into the arena as binaryF32/F64 read it: as stored when it is
   * contiguous along a row (column stride 1), else one value per row splatted over 16 bytes.
   * Returns its address, bytes per row and bytes per element.
   */
  private place(data: Storage, rowStride: number, colStride: number, rows: number, size: number): { at: number; row: number; step: number } {
    const arena = this.arena;
    if (colStride === 1) {
      const at = arena.take(data.length * size);
      arena.view(data, at, data.length).set(data);
      return { at, row: rowStride * size, step: size };
    }
    const perRow = rowStride === 0 ? 1 : rows;
    const lanes = 16 / size;
    const at = arena.take(perRow * 16);
    const view = arena.view(data, at, perRow * lanes);
    for (let i = 0; i < perRow; i++) view.fill(data[i * rowStride]!, i * lanes, (i + 1) * lanes);
    return { at, row: rowStride === 0 ? 0 : 16, step: 0 };
  }

  unary(code: UnaryCode, x: Storage, out: Storage): void {
    const total = x.length;
    if (!SIMD_UNARY.has(code) || total === 0 || !sameStorageType(out, x)) {
      referenceBackend.unary(code, x, out);
      return;
    }
    const size = out instanceof Float32Array ? 4 : 8;
    const bytes = align(total * size);
    const arena = this.arena;
    arena.reset();
    const xAt = arena.take(bytes);
    const outAt = arena.take(bytes);
    arena.view(out, xAt, total).set(x);
    (size === 4 ? this.kernels.unaryF32 : this.kernels.unaryF64)(code, xAt, outAt, bytes);
    out.set(arena.view(out, outAt, total));
  }
}

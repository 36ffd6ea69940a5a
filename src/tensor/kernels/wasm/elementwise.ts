import type { Storage } from '../../dtype.js';
import { sizeOf, type Shape } from '../../shape.js';
import { BinaryCode, UnaryCode } from '../codes.js';
import { referenceBackend } from '../reference/index.js';
import { align, type Arena } from './arena.js';
import type { Kernels } from './kernel-exports.js';

const SIMD_UNARY: ReadonlySet<UnaryCode> = new Set([UnaryCode.neg, UnaryCode.sqrt, UnaryCode.abs, UnaryCode.relu, UnaryCode.step]);

/** The elementwise kernels of kernels.as; what they do not cover is the reference backend's. */
export class WasmElementwise {
  constructor(private readonly kernels: Kernels, private readonly arena: Arena) {}

  binary(code: BinaryCode, a: Storage, aShape: Shape, b: Storage, bShape: Shape, out: Storage, outShape: Shape): void {
    const total = sizeOf(outShape);
    const aFull = a.length === total;
    const bFull = b.length === total;
    // Same shapes, or a scalar on one side; general broadcasting and pow stay in the reference.
    if (code === BinaryCode.pow || total === 0 || !((aFull && bFull) || (aFull && b.length === 1) || (bFull && a.length === 1))) {
      referenceBackend.binary(code, a, aShape, b, bShape, out, outShape);
      return;
    }
    const size = out instanceof Float32Array ? 4 : 8;
    const bytes = align(total * size);
    const arena = this.arena;
    arena.reset();
    const aAt = arena.take(aFull ? bytes : 16);
    const bAt = arena.take(bFull ? bytes : 16);
    const outAt = arena.take(bytes);
    const lanes = 16 / size;
    const aView = arena.view(out, aAt, aFull ? total : lanes);
    const bView = arena.view(out, bAt, bFull ? total : lanes);
    if (aFull) aView.set(a);
    else aView.fill(a[0]!);
    if (bFull) bView.set(b);
    else bView.fill(b[0]!);
    const run = size === 4 ? this.kernels.binaryF32 : this.kernels.binaryF64;
    run(code, aAt, aFull ? 16 : 0, bAt, bFull ? 16 : 0, outAt, bytes);
    out.set(arena.view(out, outAt, total));
  }

  unary(code: UnaryCode, x: Storage, out: Storage): void {
    const total = x.length;
    if (!SIMD_UNARY.has(code) || total === 0) {
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

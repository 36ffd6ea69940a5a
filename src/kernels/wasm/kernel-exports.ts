import type { Arena } from './arena.js';
import { FUSED_EXPORTS, type FusedKernels } from './fused.js';

type BinaryKernel = (code: number, a: number, aRow: number, aStep: number, b: number, bRow: number, bStep: number, out: number, rows: number, cols: number) => void;
type ReduceKernel = (code: number, x: number, rows: number, columns: number, out: number) => void;
type AdamKernel = (w: number, g: number, m: number, v: number, count: number,
  beta1: number, beta2: number, stepSize: number, inverseRoot2: number, eps: number, decay: number) => void;

/** Exports of the .as files (each family's JavaScript side is the .ts file of its name); addresses and sizes are in bytes. */
export interface Kernels extends FusedKernels {
  readonly heapBase: () => number;
  readonly matmulF32: (a: number, b: number, c: number, m: number, k: number, n: number, packA: number, packB: number, tile: number) => void;
  readonly matmulF64: (a: number, b: number, c: number, m: number, k: number, n: number, packA: number, packB: number, tile: number) => void;
  readonly binaryF64: BinaryKernel;
  readonly binaryF32: BinaryKernel;
  readonly unaryF64: (code: number, x: number, out: number, bytes: number) => void;
  readonly unaryF32: (code: number, x: number, out: number, bytes: number) => void;
  readonly reduceRowsF32: ReduceKernel;
  readonly reduceRowsF64: ReduceKernel;
  readonly reduceColumnsF32: ReduceKernel;
  readonly reduceColumnsF64: ReduceKernel;
  readonly adamF32: AdamKernel;
  readonly adamF64: AdamKernel;
}

export function isKernels(exports: WebAssembly.Exports): boolean {
  const names = ['heapBase', 'matmulF32', 'matmulF64', 'binaryF64', 'binaryF32', 'unaryF64', 'unaryF32', 'reduceRowsF32', 'reduceRowsF64', 'reduceColumnsF32', 'reduceColumnsF64', 'adamF32', 'adamF64'];
  return [...names, ...FUSED_EXPORTS].every((name) => typeof exports[name] === 'function');
}

/** Kernels instantiated on a memory, and the scratch arena in it. */
export interface KernelsOnMemory {
  readonly kernels: Kernels;
  readonly arena: Arena;
}

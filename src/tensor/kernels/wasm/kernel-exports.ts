/** Exports of kernels.as; addresses and sizes are in bytes. */
export interface Kernels {
  readonly heapBase: () => number;
  readonly matmulF32: (a: number, b: number, c: number, m: number, k: number, n: number, packA: number, packB: number, tile: number) => void;
  readonly matmulF64: (a: number, b: number, c: number, m: number, k: number, n: number, packA: number, packB: number, tile: number) => void;
  readonly binaryF64: (code: number, a: number, aStep: number, b: number, bStep: number, out: number, bytes: number) => void;
  readonly binaryF32: (code: number, a: number, aStep: number, b: number, bStep: number, out: number, bytes: number) => void;
  readonly unaryF64: (code: number, x: number, out: number, bytes: number) => void;
  readonly unaryF32: (code: number, x: number, out: number, bytes: number) => void;
}

export function isKernels(exports: WebAssembly.Exports): boolean {
  return ['heapBase', 'matmulF32', 'matmulF64', 'binaryF64', 'binaryF32', 'unaryF64', 'unaryF32'].every((name) => typeof exports[name] === 'function');
}

import type { Storage } from '../../tensor/dtype.js';

const PAGE = 65536;

export const align = (bytes: number) => Math.ceil(bytes / 16) * 16;

/**
 * One scratch arena in the module's memory: bump allocation, reset by every kernel call. A
 * shared memory grows in place, but its `buffer` then is a new, longer SharedArrayBuffer (an
 * unshared one detaches the old): views are made from `memory.buffer` after every take.
 */
export class Arena {
  private top: number;
  constructor(readonly memory: WebAssembly.Memory, private readonly base: number) {
    this.top = base;
  }
  reset(): void {
    this.top = this.base;
  }
  /** Reserve `bytes` (16-aligned), growing the memory if needed; returns the address. */
  take(bytes: number): number {
    const at = this.top;
    this.top = align(at + bytes);
    const missing = this.top - this.memory.buffer.byteLength;
    if (missing > 0) this.memory.grow(Math.ceil(missing / PAGE));
    return at;
  }
  /** A view of `length` elements at `at` of the same element type as `like`; make views after every take. */
  view(like: Storage, at: number, length: number): Storage {
    return like instanceof Float32Array ? new Float32Array(this.memory.buffer, at, length) : new Float64Array(this.memory.buffer, at, length);
  }
}

/**
 * A seeded pseudo-random generator (PCG32's little sibling, Mulberry32): the same seed gives
 * the same numbers in Node, the browser and the fixture generator's notes.
 */
export class Random {
  #state: number;

  constructor(seed = 0) {
    this.#state = seed >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    this.#state = (this.#state + 0x6d2b79f5) >>> 0;
    let t = this.#state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  uniform(low = 0, high = 1): number {
    return low + (high - low) * this.next();
  }

  /** Shuffle `items` in place by Fisher–Yates, drawing from this generator: one seed, one order. */
  shuffle<T>(items: { [index: number]: T; readonly length: number }): void {
    for (let i = items.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      const swap = items[i]!;
      items[i] = items[j]!;
      items[j] = swap;
    }
  }

  /** Standard normal by Box–Muller. */
  normal(mean = 0, std = 1): number {
    const u = 1 - this.next();
    const v = this.next();
    return mean + std * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }
}

/** One side of a comparison: `run` does the work once and returns how many units it did (nodes, flops). */
export interface Contender {
  readonly name: string;
  run(): number;
}

/** A contender that times itself (another process): `sampleRate` does at least minSampleMs of work and returns units per second. */
export interface SelfTimed {
  readonly name: string;
  sampleRate(minSampleMs: number): number;
}

export interface Measurement {
  readonly name: string;
  /** Units of work per second, one entry per timed repetition. */
  readonly rates: number[];
  /** Median of `rates`. */
  readonly median: number;
}

export interface MeasureOptions {
  /** Untimed rounds first, so the JIT has compiled the hot paths. */
  warmup: number;
  /** Timed rounds; the median is reported. */
  reps: number;
  /** Repeat `run` inside one timed sample until it has taken at least this long (for fast kernels). */
  minSampleMs?: number;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError('median of nothing');
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/**
 * Work per second of one sample: `run` repeated until `minSampleMs` has passed.
 * No forced gc() between samples: a full collection shrinks V8's young generation, and
 * allocation-heavy code (every scalar graph) then runs at half speed for a while (measured:
 * 3.4 → 1.1–1.5 M nodes/s on a 20k-node chain); even setting --expose-gc at run time with
 * v8.setFlagsFromString slowed it to 1.8. Garbage one contender leaves may be collected in
 * another's sample; rotating the order spreads that evenly.
 */
function sample(contender: Contender | SelfTimed, minSampleMs: number): number {
  if ('sampleRate' in contender) return contender.sampleRate(minSampleMs);
  const start = performance.now();
  let units = 0;
  let elapsed = 0;
  do {
    units += contender.run();
    elapsed = performance.now() - start;
  } while (elapsed < minSampleMs);
  return units / (elapsed / 1000);
}

/**
 * Time the contenders in alternation — round r runs them in rotated order (A B C, B C A, …) —
 * so slow drift of the machine (thermal, other tenants) touches every contender alike.
 */
export function interleave(contenders: readonly (Contender | SelfTimed)[], options: MeasureOptions): Measurement[] {
  const { warmup, reps, minSampleMs = 0 } = options;
  const rates: number[][] = contenders.map(() => []);
  for (let round = 0; round < warmup + reps; round++) {
    for (let k = 0; k < contenders.length; k++) {
      const index = (round + k) % contenders.length;
      const rate = sample(contenders[index]!, minSampleMs);
      if (round >= warmup) rates[index]!.push(rate);
    }
  }
  return contenders.map((contender, i) => ({ name: contender.name, rates: rates[i]!, median: median(rates[i]!) }));
}

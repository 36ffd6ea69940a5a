/** One side of a comparison: `run` does the work once and returns how many units it did (nodes, flops). */
export interface Contender {
  readonly name: string;
  run(): number;
}

/**
 * What a sample's seconds are: elapsed time, or the CPU time of the process that does the work
 * (user + system). CPU time stays meaningful on a machine shared with other jobs, where a
 * descheduled process's elapsed time is not, but it adds the time of every thread: only for
 * contenders that work on one thread.
 */
export type Clock = 'wall' | 'cpu';

/** A contender that times itself (another process): `sampleRate` does at least minSampleMs of work on `clock` and returns units per second. */
export interface SelfTimed {
  readonly name: string;
  sampleRate(minSampleMs: number, clock: Clock): number;
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
  /** Elapsed time (the default) or CPU time. */
  clock?: Clock;
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
function sample(contender: Contender | SelfTimed, minSampleMs: number, clock: Clock): number {
  if ('sampleRate' in contender) return contender.sampleRate(minSampleMs, clock);
  const now = clock === 'wall' ? () => performance.now() : cpuMilliseconds;
  const start = now();
  let units = 0;
  let elapsed = 0;
  do {
    units += contender.run();
    elapsed = now() - start;
  } while (elapsed < minSampleMs);
  return units / (elapsed / 1000);
}

function cpuMilliseconds(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

/**
 * Time the contenders in alternation — round r runs them in rotated order (A B C, B C A, …) —
 * so slow drift of the machine (thermal, other tenants) touches every contender alike.
 */
export function interleave(contenders: readonly (Contender | SelfTimed)[], options: MeasureOptions): Measurement[] {
  const { warmup, reps, minSampleMs = 0, clock = 'wall' } = options;
  const rates: number[][] = contenders.map(() => []);
  for (let round = 0; round < warmup + reps; round++) {
    for (let k = 0; k < contenders.length; k++) {
      const index = (round + k) % contenders.length;
      const rate = sample(contenders[index]!, minSampleMs, clock);
      if (round >= warmup) rates[index]!.push(rate);
    }
  }
  return contenders.map((contender, i) => ({ name: contender.name, rates: rates[i]!, median: median(rates[i]!) }));
}

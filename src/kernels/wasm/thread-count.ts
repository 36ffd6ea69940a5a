import { coresHere, environmentVariable, warnOnce } from '../environment.js';

/**
 * How many threads the wasm backend's matmul uses by default: one per core, at most this many.
 * Each thread packs its own copy of B's panels and all share one memory bus, so past a few
 * cores a thread adds less than the last; 8 is a guess above what was measured (2 cores).
 */
const DEFAULT_MAX_THREADS = 8;
/** The most a caller may ask for: the control block has a slot per worker. */
export const MAX_THREADS = 64;

const ENV = 'MASHAGRAD_WASM_THREADS';

function defaultThreads(): number {
  return Math.min(DEFAULT_MAX_THREADS, coresHere());
}

function isThreadCount(value: number): boolean {
  return Number.isInteger(value) && value >= 1 && value <= MAX_THREADS;
}

/** MASHAGRAD_WASM_THREADS as a count; an invalid value is said once and ignored. */
function fromEnvironment(): number | undefined {
  const text = environmentVariable(ENV);
  if (text === undefined || text === '') return undefined;
  const value = Number(text);
  if (/^\s*\d+\s*$/.test(text) && isThreadCount(value)) return value;
  warnOnce(`${ENV}=${text} is not a thread count (a whole number from 1 to ${MAX_THREADS}); using ${defaultThreads()}`);
  return undefined;
}

/**
 * The thread count asked for: the argument, else MASHAGRAD_WASM_THREADS, else one per core
 * (capped at 8). Outside Node the default is 1 (see loadWasmBackend). Throws a RangeError on an
 * argument that is not a whole number from 1 to 64.
 */
export function wantedThreads(requested: number | undefined): number {
  if (requested !== undefined) {
    if (!isThreadCount(requested)) throw new RangeError(`loadWasmBackend: threads must be a whole number from 1 to ${MAX_THREADS}, not ${requested}`);
    return requested;
  }
  return fromEnvironment() ?? defaultThreads();
}

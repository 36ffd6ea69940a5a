/**
 * NumPy and PyTorch as contenders of the interleaved benchmark: a long-lived python3 process
 * (peer.py) that times one sample whenever asked, so its samples alternate with mashagrad's
 * and TF.js's in the same minutes. The two talk over a pair of named pipes (FIFOs) that this
 * side reads and writes with blocking fs calls: the benchmark is synchronous, and Node's own
 * child-process pipes are not.
 */
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Clock, SelfTimed } from './measure.js';

export type PeerLibrary = 'numpy' | 'torch';

export interface Peer {
  /** Library, version, BLAS and threads, as the peer reports them. */
  readonly about: string;
  /** A contender whose every sample is one request, e.g. `{ op: 'matmul', n: 512, dtype: 'float32', threads: 1 }`. */
  contender(name: string, request: Record<string, string | number>): SelfTimed;
  close(): void;
}

const SCRIPT = fileURLToPath(new URL('peer.py', import.meta.url));

/** The first of `pythons` that imports `library`, or undefined. */
function pythonWith(library: PeerLibrary, pythons: readonly string[]): string | undefined {
  return pythons.find((python) => spawnSync(python, ['-c', `import numpy, ${library}`], { stdio: 'ignore' }).status === 0);
}

/**
 * Start a peer on the first of `pythons` that has `library`; a one-line reason where none has it
 * or FIFOs cannot be made. `env` is the peer's environment (OPENBLAS_NUM_THREADS for NumPy).
 */
export function startPeer(library: PeerLibrary, pythons: readonly string[], env: NodeJS.ProcessEnv): Peer | string {
  const python = pythonWith(library, pythons);
  if (python === undefined) return `none of ${pythons.join(', ')} imports ${library}`;
  const dir = mkdtempSync(path.join(os.tmpdir(), `mashagrad-bench-${library}-`));
  const commandsPath = path.join(dir, 'commands');
  const resultsPath = path.join(dir, 'results');
  if (spawnSync('mkfifo', [commandsPath, resultsPath]).status !== 0) {
    rmSync(dir, { recursive: true, force: true });
    return 'mkfifo failed (named pipes are needed to time it between the other contenders)';
  }
  const child = spawn(python, [SCRIPT, library, commandsPath, resultsPath], { stdio: ['ignore', 'ignore', 'inherit'], env });
  child.unref();
  // Opening a FIFO blocks until the other end opens it: the peer opens commands, then results.
  const commands = openSync(commandsPath, 'w');
  const results = openSync(resultsPath, 'r');
  rmSync(dir, { recursive: true, force: true }); // both ends are open: the names are no longer needed
  let pending = '';
  const ask = (request: Record<string, string | number>): Record<string, unknown> => {
    writeSync(commands, `${JSON.stringify(request)}\n`);
    const buffer = Buffer.alloc(4096);
    while (!pending.includes('\n')) {
      const read = readSync(results, buffer, 0, buffer.length, null);
      if (read === 0) throw new Error(`${library} peer (${python}) exited`);
      pending += buffer.toString('utf8', 0, read);
    }
    const line = pending.slice(0, pending.indexOf('\n'));
    pending = pending.slice(line.length + 1);
    const reply = JSON.parse(line) as Record<string, unknown>;
    if (typeof reply['error'] === 'string') throw new Error(`${library} peer: ${reply['error']} (request ${JSON.stringify(request)})`);
    return reply;
  };
  const about = String(ask({ op: 'about' })['about']);
  return {
    about: `${about}; python: ${python}`,
    contender: (name, request) => ({
      name,
      sampleRate: (minSampleMs: number, clock: Clock) => Number(ask({ ...request, seconds: minSampleMs / 1000, clock })['rate']),
    }),
    close: () => {
      closeSync(commands); // the peer's loop ends at end of input, and it exits
      closeSync(results);
    },
  };
}

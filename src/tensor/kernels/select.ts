import { setBackend } from './active.js';
import type { Backend } from './backend.js';
import { referenceBackend } from './reference/index.js';
import { loadWasmBackend } from './wasm/index.js';

/** The backends a user can ask for by name (MASHAGRAD_BACKEND, or useFastestBackend's argument). */
export type BackendName = 'reference' | 'wasm';

let warned = false;

/** Say once (stderr in Node, the console in a browser) that the fast backend is unavailable. */
function warnOnce(message: string): void {
  if (warned) return;
  warned = true;
  console.warn(`mashagrad: ${message}`);
}

function requested(): BackendName | undefined {
  const value = typeof process === 'undefined' ? undefined : process.env['MASHAGRAD_BACKEND'];
  if (value === undefined || value === '') return undefined;
  if (value === 'reference' || value === 'wasm') return value;
  warnOnce(`MASHAGRAD_BACKEND=${value} is not a backend (reference, wasm); choosing automatically`);
  return undefined;
}

/**
 * Make the fastest available backend the active one and return it: WebAssembly SIMD where the
 * runtime has it (Node ≥ 16.4, every current browser), else the reference backend, saying so
 * once. `prefer` (or the environment variable MASHAGRAD_BACKEND=reference|wasm) forces one;
 * forcing wasm where it cannot load falls back the same way.
 */
export async function useFastestBackend(prefer?: BackendName): Promise<Backend> {
  const choice = prefer ?? requested() ?? 'wasm';
  let chosen: Backend = referenceBackend;
  if (choice === 'wasm') {
    try {
      chosen = await loadWasmBackend();
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      warnOnce(`WebAssembly SIMD is not available here (${reason}); using the reference backend (pure TypeScript, slower)`);
    }
  }
  setBackend(chosen);
  return chosen;
}

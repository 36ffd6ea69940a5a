import { setBackend } from './active.js';
import type { Backend } from './backend.js';
import { loadNativeBackend } from './native/index.js';
import { referenceBackend } from './reference/index.js';
import { environmentVariable, inNode, reasonOf, warnOnce } from './environment.js';
import { loadWasmBackend } from './wasm/index.js';

/** The backends a user can ask for by name (MASHAGRAD_BACKEND, or useFastestBackend's argument). */
export type BackendName = 'reference' | 'wasm' | 'native';

const NAMES: readonly BackendName[] = ['native', 'wasm', 'reference'];

function requested(): BackendName | undefined {
  const value = environmentVariable('MASHAGRAD_BACKEND');
  if (value === undefined || value === '') return undefined;
  if ((NAMES as readonly string[]).includes(value)) return value as BackendName;
  warnOnce(`MASHAGRAD_BACKEND=${value} is not a backend (${NAMES.join(', ')}); choosing automatically`);
  return undefined;
}

/**
 * Make the fastest available backend the active one and return it: native (OpenBLAS, in Node
 * where the addon was built at install), else WebAssembly SIMD (Node ≥ 16.4, every current
 * browser), else the reference backend — saying once, with the reason, when it falls back.
 * `prefer` (or the environment variable MASHAGRAD_BACKEND=native|wasm|reference) forces one;
 * forcing one that cannot load falls back the same way. A browser has no native backend, so
 * there the automatic choice starts at wasm without a word.
 */
export async function useFastestBackend(prefer?: BackendName): Promise<Backend> {
  const choice = prefer ?? requested() ?? (inNode ? 'native' : 'wasm');
  const missing: string[] = [];
  let chosen: Backend | undefined;
  if (choice === 'native') {
    try {
      chosen = loadNativeBackend();
    } catch (error) {
      missing.push(`the native backend is unavailable (${reasonOf(error)})`);
    }
  }
  if (chosen === undefined && choice !== 'reference') {
    try {
      chosen = await loadWasmBackend();
      if (missing.length > 0) warnOnce(`${missing.join('; ')}; using the WebAssembly backend`);
    } catch (error) {
      missing.push(`WebAssembly SIMD is not available here (${reasonOf(error)})`);
    }
  }
  if (chosen === undefined) {
    chosen = referenceBackend;
    if (missing.length > 0) warnOnce(`${missing.join('; ')}; using the reference backend (pure TypeScript, slower)`);
  }
  setBackend(chosen);
  return chosen;
}

import { afterEach, describe, expect, it, vi } from 'vitest';
import { backend, setBackend } from '../src/kernels/active.js';
import { loadNativeBackend } from '../src/kernels/native/index.js';
import { referenceBackend } from '../src/kernels/reference/index.js';
import { useFastestBackend } from '../src/kernels/select.js';

/** Choosing a backend: automatic, forced by argument or MASHAGRAD_BACKEND, and the fallbacks. */

afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
  setBackend(referenceBackend);
});

/** Whether the native addon was built here (at npm install); the tests that need it say so when skipped. */
let nativeBuilt = true;
try {
  loadNativeBackend();
} catch {
  nativeBuilt = false;
}

describe('useFastestBackend', () => {
  it('the default backend, before anyone chooses, is the reference backend', () => {
    expect(backend().name).toBe('reference');
  });

  it.skipIf(!nativeBuilt)('chooses the native backend where its addon is built, and makes it active', async () => {
    const chosen = await useFastestBackend();
    expect(chosen.name).toBe('native');
    expect(backend()).toBe(chosen);
  });

  it('chooses WebAssembly SIMD when native is forced off (Node 20 has SIMD), saying once why', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    vi.stubEnv('MASHAGRAD_NATIVE', 'off');
    expect((await useFastestBackend()).name).toBe('wasm');
    expect((await useFastestBackend()).name).toBe('wasm');
    expect((await useFastestBackend('native')).name).toBe('wasm');
    expect(backend().name).toBe('wasm');
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0]?.[0])).toBe(
      'mashagrad: the native backend is unavailable (turned off by MASHAGRAD_NATIVE=off); using the WebAssembly backend',
    );
  });

  it('MASHAGRAD_BACKEND or an argument forces a backend, without a word', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    vi.stubEnv('MASHAGRAD_BACKEND', 'reference');
    expect((await useFastestBackend()).name).toBe('reference');
    vi.stubEnv('MASHAGRAD_BACKEND', 'wasm');
    expect((await useFastestBackend()).name).toBe('wasm');
    vi.unstubAllEnvs();
    expect((await useFastestBackend('reference')).name).toBe('reference');
    expect(backend()).toBe(referenceBackend);
    expect(warn).not.toHaveBeenCalled();
  });

  it.skipIf(!nativeBuilt)('MASHAGRAD_BACKEND=native forces the native backend', async () => {
    vi.stubEnv('MASHAGRAD_BACKEND', 'native');
    expect((await useFastestBackend()).name).toBe('native');
  });

  it('falls back to the reference backend when neither native nor WebAssembly SIMD loads, and says so once', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    vi.stubEnv('MASHAGRAD_NATIVE', 'off');
    vi.spyOn(WebAssembly, 'instantiate').mockRejectedValue(new WebAssembly.CompileError('invalid value type v128'));
    expect((await useFastestBackend()).name).toBe('reference');
    expect((await useFastestBackend()).name).toBe('reference');
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0]?.[0])).toMatch(/native backend is unavailable.*; WebAssembly SIMD is not available.*reference backend/);
    // Forcing wasm never tries native, so its fallback has a message of its own, also said once.
    expect((await useFastestBackend('wasm')).name).toBe('reference');
    expect((await useFastestBackend('wasm')).name).toBe('reference');
    expect(warn).toHaveBeenCalledTimes(2);
    expect(String(warn.mock.calls[1]?.[0])).toMatch(/^mashagrad: WebAssembly SIMD is not available.*reference backend/);
  });
});

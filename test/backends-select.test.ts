import { afterEach, describe, expect, it, vi } from 'vitest';
import { backend, setBackend } from '../src/tensor/kernels/active.js';
import { referenceBackend } from '../src/tensor/kernels/reference/index.js';
import { useFastestBackend } from '../src/tensor/kernels/select.js';

/** Choosing a backend: automatic, forced by argument or MASHAGRAD_BACKEND, and the fallback. */

afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
  setBackend(referenceBackend);
});

describe('useFastestBackend', () => {
  it('the default backend, before anyone chooses, is the reference backend', () => {
    expect(backend().name).toBe('reference');
  });

  it('chooses WebAssembly SIMD where the runtime has it (Node 20 does) and makes it active', async () => {
    const chosen = await useFastestBackend();
    expect(chosen.name).toBe('wasm');
    expect(backend()).toBe(chosen);
  });

  it('MASHAGRAD_BACKEND=reference or an argument forces the reference backend', async () => {
    vi.stubEnv('MASHAGRAD_BACKEND', 'reference');
    expect((await useFastestBackend()).name).toBe('reference');
    vi.unstubAllEnvs();
    expect((await useFastestBackend('reference')).name).toBe('reference');
    expect(backend()).toBe(referenceBackend);
  });

  it('falls back to the reference backend when WebAssembly SIMD is missing, and says so once', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    vi.spyOn(WebAssembly, 'instantiate').mockRejectedValue(new WebAssembly.CompileError('invalid value type v128'));
    expect((await useFastestBackend()).name).toBe('reference');
    expect((await useFastestBackend('wasm')).name).toBe('reference');
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0]?.[0])).toMatch(/WebAssembly SIMD is not available.*reference backend/);
  });
});

import { describe, expect, it } from 'vitest';
import { loadOptional, MissingPackageError, requireOptional, resolveOptionalFile } from './optional.js';

/** What Node's import() throws for a package that is not installed. */
function notFound(name: string): Error {
  return Object.assign(new Error(`Cannot find package '${name}' imported from /somewhere/index.js`), { code: 'ERR_MODULE_NOT_FOUND' });
}

describe('optional packages', () => {
  it('names the package to install when it is missing', async () => {
    const load = loadOptional('katex', () => Promise.reject(notFound('katex')));
    await expect(load).rejects.toBeInstanceOf(MissingPackageError);
    await expect(load).rejects.toThrow('typesetting formulas in HTML needs the optional package katex, which is not installed: run npm install katex');
  });

  it('passes on other failures, including a missing package the optional one imports', async () => {
    await expect(loadOptional('vega', () => Promise.reject(notFound('vega-util')))).rejects.toThrow("Cannot find package 'vega-util'");
    await expect(loadOptional('vega', () => Promise.reject(new SyntaxError('bad')))).rejects.toBeInstanceOf(SyntaxError);
  });

  it('loads an installed package, asynchronously and synchronously', async () => {
    const katex = await loadOptional('katex', () => import('katex'));
    expect(katex.default.renderToString('x')).toContain('katex');
    expect((requireOptional('katex') as { renderToString?: unknown }).renderToString).toBeTypeOf('function');
    expect(resolveOptionalFile('dejavu-fonts-ttf', 'ttf/DejaVuSans.ttf')).toMatch(/DejaVuSans\.ttf$/);
  });

  it('does not blame the package for a file it lacks', () => {
    expect(() => resolveOptionalFile('dejavu-fonts-ttf', 'ttf/NoSuchFont.ttf')).toThrow("Cannot find module 'dejavu-fonts-ttf/ttf/NoSuchFont.ttf'");
  });
});

import { InputError } from './errors.js';

/*
 * The heavy parts (typesetting, graph layout, charts, PNG) are
 * optionalDependencies: `npm install mashagrad --omit=optional` leaves them out, and each is
 * loaded on first use. This module is the one place that loads them and says what to install.
 */

/** Every optional package and what it is needed for (the words of the message). */
export const OPTIONAL_PACKAGES = {
  katex: 'typesetting formulas in HTML',
  '@viz-js/viz': 'drawing graphs (Graphviz)',
  vega: 'drawing loss and training charts',
  'vega-lite': 'drawing loss and training charts',
  '@resvg/resvg-js': 'writing PNG pictures',
  'dejavu-fonts-ttf': 'the fonts of PNG pictures',
} as const;

export type OptionalPackage = keyof typeof OPTIONAL_PACKAGES;

/** An optional package is not installed; the message names it and the command that installs it. */
export class MissingPackageError extends InputError {
  override readonly name = 'MissingPackageError';
  constructor(readonly packageName: OptionalPackage) {
    super(`${OPTIONAL_PACKAGES[packageName]} needs the optional package ${packageName}, which is not installed: run npm install ${packageName}`);
  }
}

const NOT_FOUND = new Set(['ERR_MODULE_NOT_FOUND', 'MODULE_NOT_FOUND']);

/** Whether an import failed because `name` itself is missing (not one of its own imports failing). */
function isMissing(error: unknown, name: string): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code, message } = error as { code?: unknown; message?: unknown };
  return typeof code === 'string' && NOT_FOUND.has(code) && typeof message === 'string'
    && message.includes(`'${name}'`);
}

/**
 * Load an optional package on first use. `importer` is the literal `() => import('name')`, so
 * bundlers and TypeScript see the import; a missing package becomes a MissingPackageError.
 */
export async function loadOptional<T>(name: OptionalPackage, importer: () => Promise<T>): Promise<T> {
  try {
    return await importer();
  } catch (error) {
    if (isMissing(error, name)) throw new MissingPackageError(name);
    throw error;
  }
}

interface NodeModuleApi {
  createRequire(from: string): { (id: string): unknown; resolve(id: string): string };
}

/** Node's `require`, reached without a static `node:` import so this file still bundles for browsers. */
function nodeRequire(): ReturnType<NodeModuleApi['createRequire']> | undefined {
  const getBuiltin = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process?.getBuiltinModule;
  if (typeof getBuiltin !== 'function') return undefined;
  return (getBuiltin('node:module') as NodeModuleApi).createRequire(import.meta.url);
}

/**
 * Load an optional package synchronously, for the few sync APIs that need one (KaTeX in the HTML
 * renderer): in Node ≥ 20.16 by `require`; elsewhere (browsers) the
 * caller must have loaded it before with its async preload, and `undefined` is returned.
 */
export function requireOptional(name: OptionalPackage): unknown {
  const require = nodeRequire();
  if (require === undefined) return undefined;
  try {
    return require(name);
  } catch (error) {
    if (isMissing(error, name)) throw new MissingPackageError(name);
    throw error;
  }
}

/** The path of a file inside an optional package (Node only), e.g. a font or a stylesheet. */
export function resolveOptionalFile(name: OptionalPackage, file: string): string {
  const require = nodeRequire();
  if (require === undefined) throw new Error(`resolveOptionalFile(${name}): files can only be found in Node`);
  try {
    return require.resolve(`${name}/${file}`);
  } catch (error) {
    const installed = (() => {
      try {
        return require.resolve(`${name}/package.json`) !== '';
      } catch {
        return false;
      }
    })();
    if (!installed) throw new MissingPackageError(name);
    throw error;
  }
}

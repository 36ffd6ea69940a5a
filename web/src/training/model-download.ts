import type { PortableLayer } from '../../../src/interop/index.js';
import { loadScript } from '../script-element.js';
import { MODEL_EXPORT_SCRIPT } from '../separate-scripts.js';
import type { ModelFormat } from './protocol.js';

/** The lazily loaded encoders (model-export-script.ts): layers in, the file's bytes out. */
export interface ModelExporter {
  readonly encode: (layers: readonly PortableLayer[], format: ModelFormat) => Uint8Array;
}

/** The name the script leaves its exporter under. */
export const MODEL_EXPORT_GLOBAL = 'mashagradModelExport';

/** The encoders, loaded on first use by a script element. */
export async function loadModelExporter(): Promise<ModelExporter> {
  await loadScript(MODEL_EXPORT_SCRIPT.file);
  const exporter = (window as unknown as Partial<Record<typeof MODEL_EXPORT_GLOBAL, ModelExporter>>)[MODEL_EXPORT_GLOBAL];
  if (exporter === undefined) throw new Error(`${MODEL_EXPORT_SCRIPT.file} did not load its encoders`);
  return exporter;
}

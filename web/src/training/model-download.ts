import type { PortableLayer } from '../../../src/interop/index.js';
import type { ModelFormat } from './protocol.js';

/** The lazily loaded encoders (web/src/lazy/model-export.ts): layers in, the file's bytes out. */
export interface ModelExporter {
  readonly encode: (layers: readonly PortableLayer[], format: ModelFormat) => Uint8Array;
}

/** The script's file beside index.html, and the name it leaves its exporter under. */
export const MODEL_EXPORT_SCRIPT = 'model-export.js';
export const MODEL_EXPORT_GLOBAL = 'mashagradModelExport';

let loading: Promise<ModelExporter> | undefined;

/** The encoders, loaded on first use by a script element (a classic script loads from file:// too). */
export function loadModelExporter(): Promise<ModelExporter> {
  loading ??= new Promise<ModelExporter>((resolve, reject) => {
    const script = document.createElement('script');
    script.src = MODEL_EXPORT_SCRIPT;
    script.addEventListener('load', () => {
      const exporter = (window as unknown as Partial<Record<typeof MODEL_EXPORT_GLOBAL, ModelExporter>>)[MODEL_EXPORT_GLOBAL];
      if (exporter === undefined) reject(new Error(`${MODEL_EXPORT_SCRIPT} did not load its encoders`));
      else resolve(exporter);
    });
    script.addEventListener('error', () => {
      loading = undefined;
      reject(new Error(`${MODEL_EXPORT_SCRIPT} could not be loaded`));
    });
    document.head.append(script);
  });
  return loading;
}

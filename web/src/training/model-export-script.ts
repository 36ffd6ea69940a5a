import { exportModel, type PortableLayer } from '../../../src/interop/index.js';
import { MODEL_EXPORT_GLOBAL, type ModelExporter } from './model-download.js';

/*
 * A script of its own (model-export.js, built beside the page by web/vite.config.ts): the
 * safetensors and ONNX encoders (and protobufjs) load only when a download is asked for. It is a
 * classic script, as the page is, so it loads from file:// too; it leaves its one function on window.
 */
const exporter: ModelExporter = {
  encode: (layers: readonly PortableLayer[], format) => exportModel(layers, format, { dtype: 'float32' }) as Uint8Array,
};
(globalThis as unknown as Record<typeof MODEL_EXPORT_GLOBAL, ModelExporter>)[MODEL_EXPORT_GLOBAL] = exporter;

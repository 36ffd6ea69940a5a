/*
 * Scripts built beside the page (web/vite.config.ts) and loaded by a script element only when
 * needed: the page is one classic script (it must start from file://, where module scripts and
 * workers from file URLs are refused), so this is how it loads code later.
 */

/** The workers: each file leaves its worker's code, as text, for a blob worker (script-worker.ts). */
export const WORKER_SCRIPTS = {
  graph: { file: 'graph-worker.js', entry: 'graph-worker.ts' },
  formula: { file: 'formula-worker.js', entry: 'formula-worker.ts' },
  training: { file: 'training-worker.js', entry: 'training/worker.ts' },
} as const;

export type WorkerName = keyof typeof WORKER_SCRIPTS;

/** Where a worker script leaves its code: globalThis[WORKER_SOURCES_GLOBAL][name]. */
export const WORKER_SOURCES_GLOBAL = 'mashagradWorkerSources';

/**
 * What a worker script leaves: the worker's code and, for the graph worker, Graphviz's
 * WebAssembly as the string viz-js decodes, kept out of the code (web/graphviz-wasm-outside.ts).
 */
export interface WorkerSource {
  readonly code: string;
  readonly wasm?: string;
}

/** The first message of a worker whose script left WebAssembly (web/src/script-worker.ts). */
export interface WasmMessage {
  readonly wasm: string;
}

/** Where the graph worker puts that string for viz-js's loader, which reads it in place of its own literal. */
export const GRAPHVIZ_WASM_GLOBAL = 'mashagradGraphvizWasm';

/** The safetensors and ONNX encoders (and protobufjs), for a trained network's download. */
export const MODEL_EXPORT_SCRIPT = { file: 'model-export.js', entry: 'training/model-export-script.ts' } as const;

/** KaTeX for the page's own thread, which typesets only in problem mode (formula mode's worker has its own). */
export const KATEX_SCRIPT = { file: 'katex.js', entry: 'katex-script.ts' } as const;

/** Where katex.js leaves KaTeX. */
export const KATEX_GLOBAL = 'mashagradKatex';

/**
 * Problem mode's own code (the problem files' schema in zod, the YAML parser, the solver and the
 * explainer of its traces): loaded when problem mode is first shown, never in formula mode.
 */
export const PROBLEM_SCRIPT = { file: 'problem-mode.js', entry: 'problem-script.ts' } as const;

/** Where problem-mode.js leaves problem mode (web/src/problem-script.ts). */
export const PROBLEM_GLOBAL = 'mashagradProblemMode';

/** The scripts the page itself runs when loaded (not workers). */
export const PAGE_SCRIPTS = [MODEL_EXPORT_SCRIPT, KATEX_SCRIPT, PROBLEM_SCRIPT] as const;

/** Page scripts that typeset with katex.js, as the page does, rather than bundling KaTeX again. */
export const TYPESET_WITH_KATEX_SCRIPT: readonly string[] = [PROBLEM_SCRIPT.entry];

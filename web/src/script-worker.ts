import { loadScript } from './script-element.js';
import { WORKER_SCRIPTS, WORKER_SOURCES_GLOBAL, type WasmMessage, type WorkerName, type WorkerSource } from './separate-scripts.js';

interface LoadedWorker {
  readonly url: string;
  readonly wasm: string | undefined;
}

const loaded = new Map<WorkerName, Promise<LoadedWorker>>();

/**
 * The worker's code as a blob URL, made once (Chromium refuses a worker from a file:// URL, not
 * from a blob), and the WebAssembly its script left beside the code.
 */
function loadWorker(name: WorkerName): Promise<LoadedWorker> {
  let loading = loaded.get(name);
  if (loading === undefined) {
    const { file } = WORKER_SCRIPTS[name];
    loading = loadScript(file).then(() => {
      const sources = (globalThis as unknown as Partial<Record<typeof WORKER_SOURCES_GLOBAL, Partial<Record<WorkerName, Partial<WorkerSource>>>>>)[WORKER_SOURCES_GLOBAL];
      const { code, wasm } = sources?.[name] ?? {};
      if (typeof code !== 'string') throw new Error(`${file} did not leave its worker's code`);
      return { url: URL.createObjectURL(new Blob([code], { type: 'text/javascript' })), wasm: typeof wasm === 'string' ? wasm : undefined };
    });
    loading.catch(() => loaded.delete(name));
    loaded.set(name, loading);
  }
  return loading;
}

/** Resolves after the next frame is painted (or after a moment where frames are not drawn, as in a hidden tab). */
export function afterPaint(): Promise<void> {
  return new Promise((resolve) => {
    const fallback = setTimeout(resolve, 250);
    requestAnimationFrame(() => setTimeout(() => {
      clearTimeout(fallback);
      resolve();
    }, 0));
  });
}

export interface ScriptWorkerOptions<Out> {
  readonly message: (data: Out) => void;
  /** The script could not be loaded or the worker not started. */
  readonly failed: (error: Error) => void;
  /** Load the script only after this (e.g. afterPaint(): after the first result is on the screen). */
  readonly after?: Promise<void>;
}

/**
 * A Web Worker whose code is loaded by a script element when it starts (separate-scripts.ts),
 * so the page's own script stays small. Messages posted before the worker exists wait, in order.
 */
export class ScriptWorker<In, Out> {
  private worker: Worker | undefined;
  private readonly waiting: In[] = [];
  private terminated = false;

  constructor(name: WorkerName, { message, failed, after = Promise.resolve() }: ScriptWorkerOptions<Out>) {
    after.then(() => loadWorker(name)).then(({ url, wasm }) => {
      if (this.terminated) return;
      const worker = new Worker(url);
      // A copy of a one-byte string, about a millisecond: the worker then never parses it as code.
      if (wasm !== undefined) worker.postMessage({ wasm } satisfies WasmMessage);
      worker.addEventListener('message', ({ data }: MessageEvent<Out>) => message(data));
      // An error the worker's code did not catch: it is stopped, and its owner may start another.
      worker.addEventListener('error', (event) => {
        this.terminate();
        failed(new Error(`${WORKER_SCRIPTS[name].file}: ${event.message}`));
      });
      for (const waiting of this.waiting) worker.postMessage(waiting);
      this.waiting.length = 0;
      this.worker = worker;
    }).catch((error: unknown) => failed(error instanceof Error ? error : new Error(String(error))));
  }

  postMessage(message: In): void {
    if (this.worker === undefined) this.waiting.push(message);
    else this.worker.postMessage(message);
  }

  terminate(): void {
    this.terminated = true;
    this.waiting.length = 0;
    this.worker?.terminate();
  }
}

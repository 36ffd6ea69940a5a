import type { LayoutReply, LayoutRequest } from './graph-worker.js';
import { afterPaint, ScriptWorker } from './script-worker.js';

/** Layouts kept for graphs drawn before (the walk, the language, going back to an earlier formula). */
const MOST_CACHED = 40;
const cache = new Map<string, Promise<string>>();
const waiting = new Map<number, { resolve: (svg: string) => void; reject: (error: Error) => void }>();
let worker: ScriptWorker<LayoutRequest, LayoutReply> | undefined;
let nextId = 0;
let firstLayoutDone: () => void = () => {};
/**
 * Settles when the first layout asked for is done (or failed). On two cores the formula worker's
 * start competes with Graphviz's compile for the CPU, so the formula worker waits for this (at
 * most FIRST_LAYOUT_WAIT_MS) when the page has already given the first result itself.
 */
export const firstLayout = new Promise<void>((resolve) => {
  firstLayoutDone = resolve;
});

/**
 * The layout worker, started by the first picture asked for. Graphviz is half the page's code:
 * it loads only after the frame with the first result is painted, and compiles in its worker
 * while the page goes on.
 */
function layoutWorker(): ScriptWorker<LayoutRequest, LayoutReply> {
  worker ??= new ScriptWorker<LayoutRequest, LayoutReply>('graph', {
    after: afterPaint(),
    message: (data) => {
      const promise = waiting.get(data.id);
      waiting.delete(data.id);
      if ('svg' in data) promise?.resolve(data.svg);
      else promise?.reject(new Error(data.error));
    },
    failed: (error) => {
      worker = undefined;
      for (const promise of waiting.values()) promise.reject(error);
      waiting.clear();
    },
  });
  return worker;
}

/** DOT → SVG in the layout worker, with a cache by DOT text. */
export function layOut(dot: string): Promise<string> {
  const cached = cache.get(dot);
  if (cached !== undefined) return cached;
  const id = nextId++;
  const layout = new Promise<string>((resolve, reject) => waiting.set(id, { resolve, reject }));
  layoutWorker().postMessage({ id, dot });
  cache.set(dot, layout);
  // A failed layout is not kept; the oldest layouts make room for new ones.
  layout.catch(() => cache.delete(dot));
  layout.then(firstLayoutDone, firstLayoutDone);
  if (cache.size > MOST_CACHED) cache.delete(cache.keys().next().value!);
  return layout;
}

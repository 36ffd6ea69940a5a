import type { LayoutReply, LayoutRequest } from './graph-worker.js';
import GraphWorker from './graph-worker.ts?worker&inline';

/** Layouts kept for graphs drawn before (the walk, the language, going back to an earlier formula). */
const MOST_CACHED = 40;
const cache = new Map<string, Promise<string>>();
const waiting = new Map<number, { resolve: (svg: string) => void; reject: (error: Error) => void }>();
let worker: Worker | undefined;
let nextId = 0;

/**
 * Start the layout worker now: it compiles Graphviz on its own thread while the page starts,
 * so the first picture does not wait for it.
 */
export function startLayoutWorker(): Worker {
  if (worker === undefined) {
    worker = new GraphWorker();
    worker.addEventListener('message', ({ data }: MessageEvent<LayoutReply>) => {
      const promise = waiting.get(data.id);
      waiting.delete(data.id);
      if ('svg' in data) promise?.resolve(data.svg);
      else promise?.reject(new Error(data.error));
    });
  }
  return worker;
}

/** DOT → SVG in the layout worker, with a cache by DOT text. */
export function layOut(dot: string): Promise<string> {
  const cached = cache.get(dot);
  if (cached !== undefined) return cached;
  const layoutWorker = startLayoutWorker();
  const id = nextId++;
  const layout = new Promise<string>((resolve, reject) => waiting.set(id, { resolve, reject }));
  layoutWorker.postMessage({ id, dot } satisfies LayoutRequest);
  cache.set(dot, layout);
  // A failed layout is not kept; the oldest layouts make room for new ones.
  layout.catch(() => cache.delete(dot));
  if (cache.size > MOST_CACHED) cache.delete(cache.keys().next().value!);
  return layout;
}

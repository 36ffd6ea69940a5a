import { LAYOUT_VERSION, SHIPPED_LAYOUTS } from 'virtual:shipped-layouts';
import type { LayoutReply, LayoutRequest } from './graph-worker.js';
import { LayoutStore } from './layout-store.js';
import { afterPaint, ScriptWorker } from './script-worker.js';
import { checkedSvg } from './stored-svg.js';

/** Layouts kept for graphs drawn before (the walk, the language, going back to an earlier formula). */
const MOST_CACHED = 40;
const cache = new Map<string, Promise<string>>();
const waiting = new Map<number, { resolve: (svg: string) => void; reject: (error: Error) => void }>();
let worker: ScriptWorker<LayoutRequest, LayoutReply> | undefined;
let nextId = 0;
let firstLayoutDone: () => void = () => {};
/** The first picture of a cold load, laid out when the page was built (web/shipped-layouts.ts). */
const shipped = new Map(SHIPPED_LAYOUTS);
/**
 * Layouts of earlier visits (layout-store.ts): a reloaded or shared link's graph without waiting
 * for Graphviz. Another page can write this storage (all of file:// shares one), so a stored SVG
 * is used only as stored-svg.ts checks it.
 */
const stored = new LayoutStore(() => globalThis.localStorage, LAYOUT_VERSION, checkedSvg);
/**
 * Settles when the first layout asked for is done (or failed), or at once for a layout known
 * without Graphviz. On two cores the formula worker's start competes with Graphviz's compile
 * for the CPU, so the formula worker waits for this (at most FIRST_LAYOUT_WAIT_MS) when the page
 * has already given the first result itself.
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
    // A known picture waiting for its frame comes first (pictureOnPage); then the next painted frame.
    after: (pictureOnPage ?? Promise.resolve()).then(afterPaint),
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

/** What a mode needs of the page's Graphviz (problem mode, a script of its own, is handed these). */
export interface GraphLayouts {
  readonly layOut: (dot: string) => Promise<string>;
  readonly pictureShown: () => void;
}

/**
 * DOT → SVG: from memory, the layouts shipped with the page or stored by earlier visits (each by
 * its exact DOT text), else from the layout worker.
 */
export function layOut(dot: string): Promise<string> {
  const cached = cache.get(dot);
  if (cached !== undefined) return cached;
  const layout = knownLayout(dot).then((svg) => svg ?? graphvizLayout(dot));
  cache.set(dot, layout);
  // A failed layout is not kept; the oldest layouts make room for new ones.
  layout.catch(() => cache.delete(dot));
  if (cache.size > MOST_CACHED) cache.delete(cache.keys().next().value!);
  return layout;
}

/** Settles once the frame with the first result is painted (made by the first layout asked for, in that result's task). */
let firstPaint: Promise<void> | undefined;

/**
 * A layout shipped with the page (at once) or stored by an earlier visit. The browser's first
 * read of its storage took 4–14 ms in a fresh Chromium, so storage is read only after the first
 * result is on the screen; after that, reading it waits for nothing.
 */
async function knownLayout(dot: string): Promise<string | undefined> {
  firstPaint ??= afterPaint();
  let svg = shipped.get(dot);
  if (svg === undefined) {
    await firstPaint;
    svg = await storedLayout(dot);
  }
  if (svg !== undefined) {
    // Graphviz starts once this picture is on the page (or a later one), for the next edit.
    void awaitPicture().then(() => layoutWorker());
    firstLayoutDone();
  }
  return svg;
}

/** The longest Graphviz waits for a known picture to be shown (one that is replaced before it is never shown). */
const PICTURE_WAIT_MS = 1000;
/** Set once a layout is known without Graphviz: settles when a picture is on the page, or after PICTURE_WAIT_MS. */
let pictureOnPage: Promise<void> | undefined;
let markPictureOnPage: () => void = () => {};

function awaitPicture(): Promise<void> {
  pictureOnPage ??= new Promise((resolve) => {
    markPictureOnPage = resolve;
    setTimeout(resolve, PICTURE_WAIT_MS);
  });
  return pictureOnPage;
}

/**
 * Called by the code that has just put a picture on the page, in that change's task: Graphviz
 * (for the next edit, or a layout already asked for) loads after the frame showing it is
 * painted, so a picture known without Graphviz comes first. (Started when the layout was found,
 * it could load before a picture still waiting its turn in the page's frame queue.)
 */
export function pictureShown(): void {
  markPictureOnPage();
}

let storageTurn: Promise<unknown> = Promise.resolve();

/**
 * A stored layout, read and checked (stored-svg.ts: 20–45 ms for a picture of 80 nodes) in a task
 * of its own, one at a time, and handed on in a later task: the forward and backward pictures of
 * a reload, and the parse of each on the page, then never add up to one long task.
 */
function storedLayout(dot: string): Promise<string | undefined> {
  const read = storageTurn.then(nextTask).then(() => stored.read(dot));
  storageTurn = read.catch(() => undefined);
  return read.then(async (svg) => {
    if (svg !== undefined) await nextTask();
    return svg;
  });
}

const nextTask = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

/** A layout by Graphviz, in its worker, kept for later visits. */
function graphvizLayout(dot: string): Promise<string> {
  const id = nextId++;
  const layout = new Promise<string>((resolve, reject) => waiting.set(id, { resolve, reject }));
  layoutWorker().postMessage({ id, dot });
  layout.then((svg) => stored.write(dot, svg), () => undefined);
  layout.then(firstLayoutDone, firstLayoutDone);
  return layout;
}

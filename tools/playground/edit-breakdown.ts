/*
 * Where the time of one edit of the 20-term formula goes on the playground's main thread
 * (docs/performance.md, "Playground latency"): each main-thread task over a threshold of CPU,
 * split into the browser's own work by trace event (ParseHTML, UpdateLayoutTree, Layout, Paint,
 * script, ...), each counted by its self time (its own time without the events inside it).
 *
 *   npx tsx tools/playground/edit-breakdown.ts built-page-folder [...] [--runs=3] [--over=20]
 *
 * Several folders are measured in turn, interleaved, so the machine's load falls on each alike.
 */
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import type { BrowserContext } from 'playwright-core';
import { launchChromium, serveDist } from './browser.js';
import { BIG_FORMULA, EDITED_BIG_FORMULA, traceEdit, type TraceEvent } from './edit-trace.js';

/** Besides the timeline: script (V8's compile and execute) and garbage collection, so a task is not only 'RunTask'. */
const MORE_CATEGORIES = ['v8.execute', 'disabled-by-default-v8.gc', 'v8', 'blink.user_timing'];

/** A user-timing mark in the task that changed each of formula mode's boxes, so a task can be told by what it showed. */
const MARK_CHANGES = `
  addEventListener('DOMContentLoaded', () => {
    for (const id of ['formula-result', 'formula-graph', 'node-table', 'formula-solution']) {
      const box = document.getElementById(id);
      if (box !== null) new MutationObserver(() => performance.mark('changed #' + id)).observe(box, { subtree: true, childList: true, characterData: true, attributes: true });
    }
  });
`;

interface TaskBreakdown { readonly startMs: number; readonly postedBy: string; readonly changed: readonly string[]; readonly cpuMs: number; readonly wallMs: number; readonly selfMsByEvent: ReadonlyMap<string, number> }

/** Script run by the page: a style or layout event inside one was forced by it. */
const SCRIPT = new Set(['FunctionCall', 'FireAnimationFrame', 'EvaluateScript', 'v8.callFunction']);

/** Self wall time of each event inside `task`, by name (an event's time minus that of the events it contains). */
function selfTimes(task: TraceEvent, inside: readonly TraceEvent[]): Map<string, number> {
  const events = [...inside].sort((a, b) => a.ts - b.ts || (b.dur ?? 0) - (a.dur ?? 0));
  const self = new Map<string, number>();
  const stack: TraceEvent[] = [task];
  const add = (event: TraceEvent, ms: number) => self.set(event.name, (self.get(event.name) ?? 0) + ms);
  add(task, (task.dur ?? 0) / 1000);
  for (const event of events) {
    while (stack.length > 1 && event.ts >= stack.at(-1).ts + (stack.at(-1).dur ?? 0)) stack.pop();
    add(stack.at(-1), -(event.dur ?? 0) / 1000);
    // Style or layout while script runs: forced by script reading sizes, counted apart.
    const forced = (event.name === 'Layout' || event.name === 'UpdateLayoutTree') && stack.some((outer) => SCRIPT.has(outer.name));
    const counted = forced ? { ...event, name: `${event.name} (forced by script)` } : event;
    add(counted, (event.dur ?? 0) / 1000);
    stack.push(counted);
  }
  return self;
}

/** Rendering events: a task with one of them put the changes made since the last such task on the screen. */
const RENDERING = new Set(['UpdateLayoutTree', 'Layout', 'Paint']);

async function breakdown(context: BrowserContext, url: string, overMs: number): Promise<TaskBreakdown[]> {
  const { main } = await traceEdit(context, `${url}#mode=formula&f=${encodeURIComponent(BIG_FORMULA)}&at=x:1,y:2`, EDITED_BIG_FORMULA, MORE_CATEGORIES, MARK_CHANGES);
  const marks = main.filter((event) => event.name.startsWith('changed #'));
  const complete = main.filter((event) => event.ph === 'X');
  const tasks = complete.filter((event) => event.name === 'RunTask' || event.name === 'ThreadControllerImpl::RunTask').sort((a, b) => a.ts - b.ts);
  const within = (task: TraceEvent, event: TraceEvent) => event !== task && event.ts >= task.ts && event.ts + (event.dur ?? 0) <= task.ts + (task.dur ?? 0);
  const breakdowns: TaskBreakdown[] = [];
  // Marks come at the end of the task that changed a box; the browser renders it in a later task.
  let pending = new Set<string>();
  for (const task of tasks) {
    for (const mark of marks) if (mark.ts >= task.ts && mark.ts <= task.ts + (task.dur ?? 0)) pending.add(mark.name.slice('changed '.length));
    const inside = complete.filter((event) => within(task, event) && (event.dur ?? 0) > 0);
    const rendered = inside.some((event) => RENDERING.has(event.name));
    if ((task.tdur ?? 0) / 1000 > overMs) {
      breakdowns.push({
        startMs: (task.ts - (tasks[0]?.ts ?? task.ts)) / 1000, postedBy: `${task.args?.src_func ?? ''}`,
        changed: rendered ? [...pending] : [], cpuMs: (task.tdur ?? 0) / 1000, wallMs: (task.dur ?? 0) / 1000, selfMsByEvent: selfTimes(task, inside),
      });
    }
    if (rendered) pending = new Set();
  }
  return breakdowns;
}

const args = process.argv.slice(2);
const option = (name: string, fallback: number) => Number(args.find((arg) => arg.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback);
const runs = option('runs', 3);
const overMs = option('over', 20);
const dists = args.filter((arg) => !arg.startsWith('--')).map((dist) => resolve(dist));
if (dists.length === 0) {
  console.error('edit-breakdown: give the folder of a built page (npx vite build --config web/vite.config.ts --outDir DIR)');
  process.exit(2);
}
const browser = await launchChromium();
const sites = await Promise.all(dists.map((dist) => serveDist(dist)));
for (let run = 0; run < runs; run++) {
  for (const [index, dist] of dists.entries()) {
    const tasks = await breakdown(browser.context, sites[index]!.url, overMs);
    console.log(`${dist} run ${run + 1}: ${tasks.length} task(s) over ${overMs} ms of CPU (load ${loadavg()[0]!.toFixed(2)})`);
    for (const task of tasks) {
      const parts = [...task.selfMsByEvent].filter(([, ms]) => ms >= 0.5).sort((a, b) => b[1] - a[1]);
      console.log(`  at ${task.startMs.toFixed(0)} ms, ${task.postedBy}${task.changed.length > 0 ? ` (renders ${task.changed.join(' ')})` : ''}: ${task.cpuMs.toFixed(1)} ms CPU (${task.wallMs.toFixed(1)} wall): ${parts.map(([name, ms]) => `${name} ${ms.toFixed(1)}`).join(', ')}`);
    }
  }
}
await browser.close();
await Promise.all(sites.map((site) => site.close()));

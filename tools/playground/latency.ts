/*
 * The playground's latency in Debian's Chromium (docs/performance.md, "Playground latency"):
 * time to the first formula result and to the graph after a cold load, over http and file://,
 * and the most CPU any one main-thread task takes while a 20-term formula is edited.
 *
 *   npx tsx tools/playground/latency.ts [built-page-folder ...] [--runs=5]
 *
 * Without a folder it builds the page (as `npm run build:web`) into a temporary one. Several
 * folders (e.g. the page of another commit) are measured in turn in the same runs.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { BrowserContext } from 'playwright-core';
import { build } from 'vite';
import { launchChromium, serveDist } from './browser.js';

const ROOT = resolve(import.meta.dirname, '../..');
const BIG = Array.from({ length: 20 }, (_, i) => ['sin(x)*y', 'cos(y)*x', 'x*y', 'exp(x)*y'][i % 4]).join(' + ');

/** Set before the page's script runs: when the result and the graph first appear. */
const MARKS = `
  window.__marks = {};
  new MutationObserver(() => {
    const result = document.getElementById('formula-result'), graph = document.getElementById('formula-graph');
    if (result === null || graph === null) return;
    if (window.__marks.result === undefined && result.textContent) window.__marks.result = performance.now();
    if (window.__marks.graph === undefined && graph.querySelector('svg')) window.__marks.graph = performance.now();
  }).observe(document, { subtree: true, childList: true, characterData: true });
`;

interface TraceEvent { name: string; ph: string; pid: number; tid: number; dur?: number; tdur?: number; args?: { name?: string } }

async function coldLoad(context: BrowserContext, url: string): Promise<{ result: number; graph: number }> {
  const page = await context.newPage();
  await page.addInitScript(MARKS);
  await page.goto(url);
  type Marks = { result?: number; graph?: number };
  await page.waitForFunction(() => (window as unknown as { __marks: Marks }).__marks.graph !== undefined, null, { timeout: 60_000 });
  const marks = await page.evaluate(() => (window as unknown as { __marks: Marks }).__marks);
  await page.close();
  return { result: Math.round(marks.result ?? NaN), graph: Math.round(marks.graph ?? NaN) };
}

/** The longest main-thread task, in CPU time, from a Chrome trace of one edit of the 20-term formula. */
async function editCpu(context: BrowserContext, url: string): Promise<{ longestTaskMs: number; tasksOver50Ms: number }> {
  const page = await context.newPage();
  await page.goto(`${url}#mode=formula&f=${encodeURIComponent(BIG)}&at=x:1,y:2`);
  await page.locator('#formula-graph svg').waitFor({ timeout: 60_000 });
  await page.waitForTimeout(5000);
  const cdp = await context.newCDPSession(page);
  const events: TraceEvent[] = [];
  cdp.on('Tracing.dataCollected', ({ value }) => events.push(...(value as unknown as TraceEvent[])));
  const complete = new Promise((done) => cdp.once('Tracing.tracingComplete', done));
  await cdp.send('Tracing.start', { categories: 'devtools.timeline,disabled-by-default-devtools.timeline', transferMode: 'ReportEvents' });
  await page.fill('#formula-input', BIG.replace(' + x*y', ' + x*x'));
  await page.waitForTimeout(6000);
  await cdp.send('Tracing.end');
  await complete;
  await page.close();
  // The page's main thread: the renderer main thread with the most events.
  const count = new Map<string, number>();
  for (const event of events) count.set(`${event.pid}/${event.tid}`, (count.get(`${event.pid}/${event.tid}`) ?? 0) + 1);
  const main = events.filter((event) => event.name === 'thread_name' && event.args?.name === 'CrRendererMain')
    .sort((a, b) => (count.get(`${b.pid}/${b.tid}`) ?? 0) - (count.get(`${a.pid}/${a.tid}`) ?? 0))[0];
  const tasks = events.filter((event) => event.pid === main?.pid && event.tid === main.tid && event.ph === 'X' && (event.name === 'RunTask' || event.name === 'ThreadControllerImpl::RunTask'));
  const cpu = tasks.map((task) => (task.tdur ?? 0) / 1000);
  return { longestTaskMs: Math.round(Math.max(0, ...cpu) * 10) / 10, tasksOver50Ms: cpu.filter((ms) => ms > 50).length };
}

const args = process.argv.slice(2);
const runs = Number(args.find((arg) => arg.startsWith('--runs='))?.slice('--runs='.length) ?? 5);
let dists = args.filter((arg) => !arg.startsWith('--')).map((dist) => resolve(dist));
let built: string | undefined;
if (dists.length === 0) {
  built = mkdtempSync(join(tmpdir(), 'mashagrad-web-'));
  await build({ configFile: join(ROOT, 'web/vite.config.ts'), logLevel: 'error', build: { outDir: built, emptyOutDir: true } });
  dists = [built];
}
const browser = await launchChromium();
const { context } = browser;
const sites = await Promise.all(dists.map((dist) => serveDist(dist)));
const results = dists.map(() => ({ http: [] as { result: number; graph: number }[], file: [] as { result: number; graph: number }[], edit: [] as { longestTaskMs: number; tasksOver50Ms: number }[] }));
// Interleaved, so a change in the machine's load falls on every folder alike.
for (let run = 0; run < runs; run++) {
  for (const [index, dist] of dists.entries()) {
    const result = results[index]!;
    result.http.push(await coldLoad(context, sites[index]!.url));
    result.file.push(await coldLoad(context, pathToFileURL(join(dist, 'index.html')).href));
    if (run < 2) result.edit.push(await editCpu(context, sites[index]!.url));
  }
}
await browser.close();
await Promise.all(sites.map((site) => site.close()));
if (built !== undefined) rmSync(built, { recursive: true, force: true });
for (const [index, dist] of dists.entries()) {
  const { http, file, edit } = results[index]!;
  console.log(dist);
  console.log(`  cold load over http, ms: result ${http.map((m) => m.result).join(', ')}; graph ${http.map((m) => m.graph).join(', ')}`);
  console.log(`  cold load over file://, ms: result ${file.map((m) => m.result).join(', ')}; graph ${file.map((m) => m.graph).join(', ')}`);
  console.log(`  editing the 20-term formula: longest main-thread task ${edit.map((m) => m.longestTaskMs).join(', ')} ms of CPU; tasks over 50 ms: ${edit.map((m) => m.tasksOver50Ms).join(', ')}`);
}
console.log(`load average ${loadavg().map((load) => load.toFixed(2)).join(' ')}`);

/*
 * The playground's latency in Debian's Chromium (docs/performance.md, "Playground latency"):
 * time to the first formula result and to the graph after a cold load, over http and file://,
 * and the most CPU any one main-thread task takes while a 20-term formula is edited.
 *
 *   npx tsx tools/playground/latency.ts [built-page-folder ...] [--runs=5] [--edits=2]
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
import { BIG_FORMULA, EDITED_BIG_FORMULA, traceEdit } from './edit-trace.js';

const ROOT = resolve(import.meta.dirname, '../..');

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
  const { main } = await traceEdit(context, `${url}#mode=formula&f=${encodeURIComponent(BIG_FORMULA)}&at=x:1,y:2`, EDITED_BIG_FORMULA);
  const tasks = main.filter((event) => event.ph === 'X' && (event.name === 'RunTask' || event.name === 'ThreadControllerImpl::RunTask'));
  const cpu = tasks.map((task) => (task.tdur ?? 0) / 1000);
  return { longestTaskMs: Math.round(Math.max(0, ...cpu) * 10) / 10, tasksOver50Ms: cpu.filter((ms) => ms > 50).length };
}

const args = process.argv.slice(2);
const runs = Number(args.find((arg) => arg.startsWith('--runs='))?.slice('--runs='.length) ?? 5);
// Edits are measured in the first two runs unless told otherwise (each takes about 15 s).
const edits = Number(args.find((arg) => arg.startsWith('--edits='))?.slice('--edits='.length) ?? 2);
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
    if (run < edits) result.edit.push(await editCpu(context, sites[index]!.url));
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

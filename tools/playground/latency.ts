/*
 * The playground's latency in Debian's Chromium (docs/performance.md, "Playground latency"):
 * time to the first formula result and to the graph after a cold load, over http and file://:
 * of the page opened without a fragment (its first picture ships laid out), of a link with
 * another formula on a first visit (nothing stored: Graphviz's start) and on a reload (its
 * layouts stored by the visit before); the time from a click on problem mode's tab to its first
 * numbers (problem-mode.js loads then); and the most CPU any one main-thread task takes while a
 * 20-term formula is edited.
 *
 *   npx tsx tools/playground/latency.ts [built-page-folder ...] [--runs=5] [--edits=2] [--formula='sin(x)*y + exp(x*y)']
 *
 * Every load but a reload starts with the page's storage cleared, so stored layouts
 * (web/src/layout-store.ts) of earlier runs never answer it.
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

/** Before the page's script: no layouts stored by an earlier load (a page that cannot use storage just goes on). */
const CLEAR_STORAGE = `try { localStorage.clear(); } catch {}`;

async function coldLoad(context: BrowserContext, url: string, { keepStorage = false } = {}): Promise<{ result: number; graph: number }> {
  const page = await context.newPage();
  if (!keepStorage) await page.addInitScript(CLEAR_STORAGE);
  await page.addInitScript(MARKS);
  await page.goto(url);
  type Marks = { result?: number; graph?: number };
  await page.waitForFunction(() => (window as unknown as { __marks: Marks }).__marks.graph !== undefined, null, { timeout: 60_000 });
  const marks = await page.evaluate(() => (window as unknown as { __marks: Marks }).__marks);
  await page.close();
  return { result: Math.round(marks.result ?? NaN), graph: Math.round(marks.graph ?? NaN) };
}

/** From a click on problem mode's tab (the page opened in formula mode; problem-mode.js not loaded yet) to the first numbers of its default example, ms. */
async function problemTab(context: BrowserContext, url: string): Promise<number> {
  const page = await context.newPage();
  await page.addInitScript(CLEAR_STORAGE);
  await page.goto(url);
  // Clicked once formula mode has settled (its graph, its solution, Graphviz started), so the
  // load of problem-mode.js does not share the cores with formula mode's start.
  await page.locator('#formula-graph svg').waitFor({ timeout: 60_000 });
  await page.locator('#formula-solution :is(h2, h3)').first().waitFor({ state: 'attached', timeout: 60_000 });
  await page.waitForTimeout(1000);
  await page.evaluate(() => {
    const marks = { clicked: performance.now(), numbers: undefined as number | undefined };
    (window as unknown as { __problem: typeof marks }).__problem = marks;
    const numbers = document.getElementById('problem-numbers')!;
    new MutationObserver(() => {
      if (marks.numbers === undefined && numbers.querySelector('td')?.textContent) marks.numbers = performance.now();
    }).observe(numbers, { subtree: true, childList: true, characterData: true });
    document.getElementById('tab-problem')!.click();
  });
  type Marks = { clicked: number; numbers?: number };
  await page.waitForFunction(() => (window as unknown as { __problem: Marks }).__problem.numbers !== undefined, null, { timeout: 60_000 });
  const marks = await page.evaluate(() => (window as unknown as { __problem: Marks }).__problem);
  await page.close();
  return Math.round(marks.numbers! - marks.clicked);
}

/** The longest main-thread task, in CPU time, from a Chrome trace of one edit of the 20-term formula. */
async function editCpu(context: BrowserContext, url: string): Promise<{ longestTaskMs: number; tasksOver50Ms: number }> {
  const { main } = await traceEdit(context, `${url}#mode=formula&f=${encodeURIComponent(BIG_FORMULA)}&at=x:1,y:2`, EDITED_BIG_FORMULA, [], CLEAR_STORAGE);
  const tasks = main.filter((event) => event.ph === 'X' && (event.name === 'RunTask' || event.name === 'ThreadControllerImpl::RunTask'));
  const cpu = tasks.map((task) => (task.tdur ?? 0) / 1000);
  return { longestTaskMs: Math.round(Math.max(0, ...cpu) * 10) / 10, tasksOver50Ms: cpu.filter((ms) => ms > 50).length };
}

const args = process.argv.slice(2);
const option = (name: string) => args.find((arg) => arg.startsWith(`--${name}=`))?.slice(name.length + 3);
const runs = Number(option('runs') ?? 5);
// Edits are measured in the first two runs unless told otherwise (each takes about 15 s).
const edits = Number(option('edits') ?? 2);
const link = `#mode=formula&f=${encodeURIComponent(option('formula') ?? 'sin(x)*y + exp(x*y)')}`;
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
type Load = { result: number; graph: number };
const CASES = ['default page', 'link, first visit', 'link, reload'] as const;
const results = dists.map(() => ({
  loads: new Map(CASES.flatMap((name) => [[`${name} over http`, [] as Load[]], [`${name} over file://`, [] as Load[]]])),
  problem: [] as number[],
  edit: [] as { longestTaskMs: number; tasksOver50Ms: number }[],
}));
// Interleaved, so a change in the machine's load falls on every folder alike.
for (let run = 0; run < runs; run++) {
  for (const [index, dist] of dists.entries()) {
    const { loads, problem, edit } = results[index]!;
    for (const [over, page] of [['http', sites[index]!.url], ['file://', pathToFileURL(join(dist, 'index.html')).href]] as const) {
      loads.get(`default page over ${over}`)!.push(await coldLoad(context, page));
      loads.get(`link, first visit over ${over}`)!.push(await coldLoad(context, page + link));
      loads.get(`link, reload over ${over}`)!.push(await coldLoad(context, page + link, { keepStorage: true }));
    }
    problem.push(await problemTab(context, sites[index]!.url));
    if (run < edits) edit.push(await editCpu(context, sites[index]!.url));
  }
}
await browser.close();
await Promise.all(sites.map((site) => site.close()));
if (built !== undefined) rmSync(built, { recursive: true, force: true });
console.log(`link: ${link}`);
for (const [index, dist] of dists.entries()) {
  const { loads, problem, edit } = results[index]!;
  console.log(dist);
  for (const [name, measured] of loads) {
    console.log(`  ${name}, ms: result ${measured.map((m) => m.result).join(', ')}; graph ${measured.map((m) => m.graph).join(', ')}`);
  }
  console.log(`  problem mode's tab clicked → its first numbers (over http), ms: ${problem.join(', ')}`);
  console.log(`  editing the 20-term formula: longest main-thread task ${edit.map((m) => m.longestTaskMs).join(', ')} ms of CPU; tasks over 50 ms: ${edit.map((m) => m.tasksOver50Ms).join(', ')}`);
}
console.log(`load average ${loadavg().map((load) => load.toFixed(2)).join(' ')}`);

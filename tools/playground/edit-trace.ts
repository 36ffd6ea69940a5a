/*
 * A Chrome trace of the page's main thread during one edit of the 20-term formula: shared by
 * tools/playground/latency.ts (its longest task) and edit-breakdown.ts (what each task did).
 */
import type { BrowserContext } from 'playwright-core';

/** The 20-term formula of #16 (81 nodes) and the edit that is measured (one x·y becomes x·x). */
export const BIG_FORMULA = Array.from({ length: 20 }, (_, i) => ['sin(x)*y', 'cos(y)*x', 'x*y', 'exp(x)*y'][i % 4]).join(' + ');
export const EDITED_BIG_FORMULA = BIG_FORMULA.replace(' + x*y', ' + x*x');

export interface TraceEvent { name: string; ph: string; pid: number; tid: number; ts: number; dur?: number; tdur?: number; args?: { name?: string; src_file?: string; src_func?: string } }

/** Opens `url`, waits until its graph is drawn and the page is idle, then traces typing `edited` into the formula box. */
export async function traceEdit(context: BrowserContext, url: string, edited: string, moreCategories: readonly string[] = [], initScript = ''): Promise<{ main: TraceEvent[] }> {
  const page = await context.newPage();
  if (initScript !== '') await page.addInitScript(initScript);
  await page.goto(url);
  await page.locator('#formula-graph svg').waitFor({ timeout: 60_000 });
  await page.waitForTimeout(5000);
  // The edit is typed as the browser's own text insertion over the selected formula, not with
  // Playwright's fill: fill's first run compiles Playwright's injected script on the page's main
  // thread, a 40–65 ms task of the tool's own that the trace would count as the page's.
  await page.evaluate(() => {
    const input = document.getElementById('formula-input') as HTMLInputElement;
    input.focus();
    input.select();
  });
  const cdp = await context.newCDPSession(page);
  const events: TraceEvent[] = [];
  cdp.on('Tracing.dataCollected', ({ value }) => events.push(...(value as unknown as TraceEvent[])));
  const complete = new Promise((done) => cdp.once('Tracing.tracingComplete', done));
  await cdp.send('Tracing.start', { categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', ...moreCategories].join(','), transferMode: 'ReportEvents' });
  await cdp.send('Input.insertText', { text: edited });
  await page.waitForTimeout(6000);
  await cdp.send('Tracing.end');
  await complete;
  await page.close();
  // The page's main thread: the renderer main thread with the most events.
  const count = new Map<string, number>();
  for (const event of events) count.set(`${event.pid}/${event.tid}`, (count.get(`${event.pid}/${event.tid}`) ?? 0) + 1);
  const main = events.filter((event) => event.name === 'thread_name' && event.args?.name === 'CrRendererMain')
    .sort((a, b) => (count.get(`${b.pid}/${b.tid}`) ?? 0) - (count.get(`${a.pid}/${a.tid}`) ?? 0))[0];
  return { main: events.filter((event) => event.pid === main?.pid && event.tid === main.tid) };
}

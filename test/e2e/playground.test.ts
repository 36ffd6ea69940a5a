import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Page } from 'playwright-core';
import { parseAst, transformWithEsbuild } from 'vite';
import { describe, expect, it } from 'vitest';
import { dotToSvg } from '../../src/draw/index.js';
import { entryOf } from '../../src/draw/format.js';
import { formatNumber } from '../../src/formula/numbers.js';
import { formatValues } from '../../src/formula/values-text.js';
import { traceExpression } from '../../src/record/expression.js';
import { parseProblem } from '../../src/files/load-problem.js';
import { solvePlan } from '../../src/problem/solve.js';
import type { NetworkTrace } from '../../src/trace/types.js';
import { walkSteps } from '../../web/src/formula-walk.js';
import { DEFAULT_STATE } from '../../web/src/state.js';
import { traceFormula } from '../../web/src/formula-answer.js';
import { firstPictureDot } from '../../web/shipped-layouts.js';
import { ROOT, SCREENSHOTS, usePlayground } from './browser.js';

// The playground in Debian's Chromium: the sheet's exercises typed and chosen as a student would.
const playground = usePlayground();

/** What a built worker script leaves (web/src/separate-scripts.ts), read by the parser: its code and its WebAssembly. */
function workerSource(script: string): { code: string; wasm: string | undefined } {
  type Node = { type: string; [key: string]: unknown };
  const statement = (parseAst(script) as unknown as { body: [{ expression: { right: Node } }] }).body[0];
  const properties = statement.expression.right['properties'] as { key: { name: string }; value: { value: unknown } }[];
  const value = (name: string) => properties.find((property) => property.key.name === name)?.value.value;
  const code = value('code');
  const wasm = value('wasm');
  if (typeof code !== 'string') throw new Error('no code in the worker script');
  return { code, wasm: typeof wasm === 'string' ? wasm : undefined };
}

async function open(hash = ''): Promise<Page> {
  const watched = await playground.watchedPage();
  watched.page.setDefaultTimeout(10_000);
  await watched.page.goto(`${playground.url}${hash}`);
  return watched.page;
}

const cell = (page: Page, row: string, column: string) => page.locator(`${row} .${column}`).textContent();

/** A network example solved in Node by the library, to check the page's numbers against. */
function solvedInNode(text: string): NetworkTrace {
  const trace = solvePlan(parseProblem(text));
  if (trace.kind !== 'network') throw new Error('expected a network problem');
  return trace;
}
const example = (name: string) => readFileSync(join(ROOT, 'examples', `${name}.yaml`), 'utf8');

describe('Formula mode', () => {
  it('exercise 1 typed in: every node with its value and gradient, f = 12, ∂f/∂x = 10, ∂f/∂y = 7', async () => {
    const page = await open();
    await page.fill('#formula-input', '');
    await page.locator('#formula-input').pressSequentially('x^2 + x*y + (x+y)^2');
    await page.locator('input[type=number][data-variable="y"]').fill('2');
    await expect.poll(() => cell(page, 'tr[data-node="y"]', 'value')).toBe('2');
    expect(await cell(page, 'tr[data-node="x"]', 'value')).toBe('1');
    expect(await cell(page, 'tr[data-node="x"]', 'grad')).toBe('10');
    expect(await cell(page, 'tr[data-node="y"]', 'grad')).toBe('7');
    expect(await page.locator('#node-table tbody tr').last().locator('.value').textContent()).toBe('12');
    expect(await page.locator('#formula-result').textContent()).toBe('f(1, 2) = 12; ∂f/∂x = 10; ∂f/∂y = 7');
    await page.locator('#formula-graph svg').waitFor();
    await expect.poll(() => page.locator('#formula-solution :is(h2, h3)').allTextContents(), { timeout: 30_000 }).toContain('Forward pass: the value of every node');
    await page.screenshot({ path: join(SCREENSHOTS, 'playground-formula.png') });
  });

  it('the slider moves the number and everything downstream: ∂f/∂y = 3x + 2y at x = 3 is 13', async () => {
    const page = await open('#mode=formula&f=x%5E2+%2B+x*y+%2B+(x%2By)%5E2&at=x:1,y:2');
    await page.locator('input[type=range][aria-label="x"]').fill('3');
    await expect.poll(() => cell(page, 'tr[data-node="y"]', 'grad')).toBe('13');
    expect(await page.locator('input[type=number][data-variable="x"]').inputValue()).toBe('3');
  });

  it('step by step through exercise 1: the forward pass node by node, then the backward pass edge by edge, and back', async () => {
    const page = await open('#mode=formula&f=x%5E2+%2B+x*y+%2B+(x%2By)%5E2&at=x:1,y:2');
    const head = () => page.locator('#walk-caption .walk-head').textContent();
    const current = (kind: 'node' | 'edge') => page.locator(`#formula-graph g.${kind}.walk-current title`).allTextContents();
    await page.locator('#formula-graph svg').waitFor();
    for (let i = 0; i < 3; i++) await page.click('#walk-step');
    await expect.poll(head).toBe('forward: a = x² = 1² = 1');
    await expect.poll(() => current('node')).toEqual(['a']);
    expect(await current('edge')).toEqual(['x->a']);
    expect(await page.locator('#node-table tr.walk-current').getAttribute('data-node')).toBe('a');
    // Not reached yet: d, e, f and c, b are faded.
    expect(await page.locator('#formula-graph g.node.walk-later title').allTextContents()).toEqual(expect.arrayContaining(['b', 'c', 'f']));
    expect(page.url()).toContain('walk=3');
    // 8 nodes forward, the seed ∂f/∂f = 1, then 10 edges from the output down: the 16th key press is the edge x → a.
    for (let i = 0; i < 16; i++) await page.keyboard.press('ArrowRight');
    await expect.poll(head).toBe('backward: ∂f/∂x += ∂f/∂a · ∂a/∂x = 1 · 2 = 2');
    expect(await page.locator('#walk-caption .walk-detail').textContent()).toBe('∂a/∂x = 2x = 2·1 = 2; every path is in: ∂f/∂x = 10');
    await expect.poll(() => current('edge')).toEqual(['x->a']);
    expect(await current('node')).toEqual(['x']);
    expect(await page.locator('#formula-graph g.node.walk-source title').allTextContents()).toEqual(['a']);
    expect(await page.locator('#walk-counter').textContent()).toBe('step 19 of 20');
    await page.screenshot({ path: join(SCREENSHOTS, 'playground-walk-backward.png') });
    await page.click('#walk-back');
    await expect.poll(head).toBe('backward: ∂f/∂y += ∂f/∂b · ∂b/∂y = 1 · 1 = 1');
    expect(await page.locator('#walk-caption .walk-detail').textContent()).toBe('∂b/∂y = x = 1; every path is in: ∂f/∂y = 7');
    await expect.poll(() => current('edge')).toEqual(['y->b']);
    await page.selectOption('#language', 'ru');
    await expect.poll(head).toBe('обратный проход: ∂f/∂y += ∂f/∂b · ∂b/∂y = 1 · 1 = 1');
    expect(await page.locator('#walk-caption .walk-detail').textContent()).toBe('∂b/∂y = x = 1; все пути учтены: ∂f/∂y = 7');
    // Back into the forward pass: the picture without gradients, the current node c.
    for (let i = 0; i < 13; i++) await page.click('#walk-back');
    await expect.poll(head).toBe('прямой проход: c = x + y = 1 + 2 = 3');
    await expect.poll(() => current('node')).toEqual(['c']);
    await page.screenshot({ path: join(SCREENSHOTS, 'playground-walk-forward-ru.png') });
    // The link keeps the step.
    expect(page.url()).toContain('walk=5');
    await page.click('#walk-reset');
    await expect.poll(() => page.locator('#formula-graph g.walk-current').count()).toBe(0);
    expect(page.url()).not.toContain('walk=');
  });
});

describe('an edit changes only what changed', () => {
  /** The table as the page shows it: each row's node, value and gradient. */
  const shownTable = (page: Page) => page.locator('#node-table tbody tr').evaluateAll((rows) =>
    rows.map((row) => [row.getAttribute('data-node'), row.querySelector('.value')?.textContent, row.querySelector('.grad')?.textContent]));
  const inNode = (formula: string, at: Record<string, number>) =>
    traceExpression(formula, at).nodes.map((node) => [node.id, formatNumber(node.value), formatNumber(node.grad)]);

  it('a new value of y: every row is the same element as before, and only the cells whose numbers changed get new text', async () => {
    const page = await open('#mode=formula&f=x%5E2+%2B+sin(x*y)&at=x:1,y:2');
    await expect.poll(() => shownTable(page)).toEqual(inNode('x^2 + sin(x*y)', { x: 1, y: 2 }));
    await page.evaluate(() => {
      const record = window as unknown as { __rows: Map<string, Element>; __changedCells: string[] };
      record.__rows = new Map(Array.from(document.querySelectorAll('#node-table tbody tr'), (row) => [row.getAttribute('data-node') ?? '', row]));
      record.__changedCells = [];
      new MutationObserver((mutations) => {
        for (const mutation of mutations) {
          const cell = (mutation.target instanceof Element ? mutation.target : mutation.target.parentElement)?.closest('td');
          record.__changedCells.push(cell === null || cell === undefined ? 'not a cell' : `${cell.parentElement?.getAttribute('data-node')}.${cell.className}`);
        }
      }).observe(document.getElementById('node-table')!, { subtree: true, childList: true, characterData: true });
    });
    await page.locator('input[type=number][data-variable="y"]').fill('3');
    await expect.poll(() => shownTable(page)).toEqual(inNode('x^2 + sin(x*y)', { x: 1, y: 3 }));
    const kept = await page.evaluate(() => {
      const { __rows: rows } = window as unknown as { __rows: Map<string, Element> };
      return Array.from(document.querySelectorAll('#node-table tbody tr'), (row) => rows.get(row.getAttribute('data-node') ?? '') === row);
    });
    expect(kept).toEqual(kept.map(() => true));
    // The cells that changed are exactly those whose numbers Node computes differently at y = 3.
    const before = inNode('x^2 + sin(x*y)', { x: 1, y: 2 });
    const changed = inNode('x^2 + sin(x*y)', { x: 1, y: 3 }).flatMap(([id, value, grad], k) =>
      [...(value === before[k]![1] ? [] : [`${id}.value`]), ...(grad === before[k]![2] ? [] : [`${id}.grad`])]);
    expect(changed.length).toBeGreaterThan(0);
    expect(changed.length).toBeLessThan(before.length * 2);
    const changedCells = await page.evaluate(() => (window as unknown as { __changedCells: string[] }).__changedCells);
    expect([...new Set(changedCells)].sort()).toEqual([...changed].sort());
  });

  it('edits that remove and add nodes: the table shows every node of the new formula with its value and gradient, in order, once', async () => {
    const page = await open('#mode=formula&f=x%5E2+%2B+x*y+%2B+(x%2By)%5E2&at=x:1,y:2');
    for (const formula of ['x^2 + x*y + (x+y)^2', 'x*y', 'exp(x)*y + x^2 + sin(x + y)*cos(y)', 'y + x']) {
      await page.fill('#formula-input', formula);
      await expect.poll(() => shownTable(page)).toEqual(inNode(formula, { x: 1, y: 2 }));
      expect(await page.locator('#node-table thead tr').count()).toBe(1);
    }
    // In Russian the headings and operations follow, the rows stay right.
    await page.selectOption('#language', 'ru');
    await expect.poll(() => page.locator('#node-table th').first().textContent()).not.toBe('node');
    expect(await shownTable(page)).toEqual(inNode('y + x', { x: 1, y: 2 }));
  });

  it('an edit of the 20-term formula: the table, each picture and each piece of the solution go on the screen in animation frames of their own', async () => {
    const big = Array.from({ length: 20 }, (_, i) => ['sin(x)*y', 'cos(y)*x', 'x*y', 'exp(x)*y'][i % 4]).join(' + ');
    const edited = big.replace(' + x*y', ' + x*x');
    const { page } = await playground.watchedPage();
    page.setDefaultTimeout(30_000);
    await page.addInitScript(RECORD_FRAMES);
    await page.goto(`${playground.url}#mode=formula&f=${encodeURIComponent(big)}&at=x:1,y:2`);
    await page.locator('#formula-graph svg').waitFor();
    await page.evaluate(() => { (window as unknown as { __changes: unknown[] }).__changes = []; });
    await page.fill('#formula-input', edited);
    const inNodeTrace = traceExpression(edited, { x: 1, y: 2 });
    await expect.poll(() => page.locator('#node-table tbody tr:last-child .value').textContent(), { timeout: 30_000 }).toBe(formatNumber(inNodeTrace.value));
    await expect.poll(() => page.locator('#formula-solution :is(h2, h3)').allTextContents(), { timeout: 30_000 }).toContain('Backpropagation: the same numbers in one sweep');
    await expect.poll(async () => (await page.evaluate(() => (window as unknown as { __changes: FrameChange[] }).__changes)).some((change) => change.box === 'formula-graph'), { timeout: 30_000 }).toBe(true);
    const changes = await page.evaluate(() => (window as unknown as { __changes: FrameChange[] }).__changes);
    expect(new Set(changes.map((change) => change.box))).toEqual(new Set(['node-table', 'formula-graph', 'formula-solution']));
    // Made in animation frame callbacks, not in the message that brought them...
    expect(changes.filter((change) => !change.inFrame)).toEqual([]);
    // ...and never two of the boxes in one frame.
    const boxesByFrame = new Map<number, Set<string>>();
    for (const change of changes) boxesByFrame.set(change.frame, (boxesByFrame.get(change.frame) ?? new Set()).add(change.box));
    expect([...boxesByFrame].filter(([, boxes]) => boxes.size > 1)).toEqual([]);
  });
});

/*
 * Recorded in the page before its script runs: each change to the node table, the graph and the
 * worked solution, with the animation frame it was made in, and whether it was made inside that
 * frame's callbacks (a setTimeout posted by the frame's first callback runs after the frame).
 */
const RECORD_FRAMES = `
  window.__changes = [];
  let frame = 0, inFrame = false;
  const tick = () => { frame += 1; inFrame = true; setTimeout(() => { inFrame = false; }); requestAnimationFrame(tick); };
  requestAnimationFrame(tick);
  addEventListener('DOMContentLoaded', () => {
    for (const box of ['node-table', 'formula-graph', 'formula-solution']) {
      new MutationObserver(() => window.__changes.push({ box, frame, inFrame }))
        .observe(document.getElementById(box), { subtree: true, childList: true, characterData: true });
    }
  });
`;

interface FrameChange { box: string; frame: number; inFrame: boolean }

/*
 * Recorded in the page before its script runs: every message between the page and its workers
 * (what kind, and the formula a request carries), and each change to the worked solution with
 * the number of the animation frame it happened in.
 */
const RECORD_WORK = `
  window.__work = { messages: [], solutionChanges: [] };
  let frame = 0;
  const tick = () => { frame += 1; requestAnimationFrame(tick); };
  requestAnimationFrame(tick);
  const NativeWorker = Worker;
  window.Worker = class extends NativeWorker {
    constructor(...args) {
      super(...args);
      this.addEventListener('message', ({ data }) => window.__work.messages.push({ to: 'page', id: data.id, kind: data.kind ?? ('svg' in data ? 'layout' : 'other'), pieces: data.pieces?.length ?? 0, done: data.done === true }));
    }
    postMessage(data, ...rest) {
      window.__work.messages.push({ to: 'worker', id: data.id, kind: 'formula' in data ? 'formula' : 'dot' in data ? 'layout' : 'other', formula: data.formula });
      return super.postMessage(data, ...rest);
    }
  };
  const articles = new WeakMap();
  let lastArticle = 0;
  new MutationObserver(() => {
    const article = document.querySelector('#formula-solution article');
    if (article === null) return;
    if (!articles.has(article)) articles.set(article, ++lastArticle);
    window.__work.solutionChanges.push({ frame, article: articles.get(article), blocks: article.children.length });
  }).observe(document, { subtree: true, childList: true });
`;

interface WorkRecord {
  messages: { to: 'page' | 'worker'; id: number; kind: string; formula?: string; pieces?: number; done?: boolean }[];
  solutionChanges: { frame: number; article: number; blocks: number }[];
}

/*
 * Recorded in the page before its script runs: when the first formula result appears, and when
 * each script after the page's own is asked for (resource timing's startTime, the same clock).
 */
const RECORD_LOADS = `
  window.__loads = { result: undefined };
  new MutationObserver(() => {
    const result = document.getElementById('formula-result');
    if (window.__loads.result === undefined && result?.textContent) window.__loads.result = performance.now();
  }).observe(document, { subtree: true, childList: true, characterData: true });
`;

describe('the cold load', () => {
  it('the first formula result comes before Graphviz and the formula worker are even asked for; the graph follows', async () => {
    const { page } = await playground.watchedPage();
    page.setDefaultTimeout(30_000);
    const requested: string[] = [];
    page.on('request', (request) => requested.push(new URL(request.url()).pathname));
    await page.addInitScript(RECORD_LOADS);
    await page.goto(`${playground.url}#mode=formula&f=x%5E2+%2B+x*y+%2B+(x%2By)%5E2&at=x:1,y:2`);
    await page.locator('#formula-graph svg').waitFor();
    expect(await page.locator('#formula-result').textContent()).toBe('f(1, 2) = 12; ∂f/∂x = 10; ∂f/∂y = 7');
    // The graph here shipped with the page: Graphviz is asked for only after the frame that shows it.
    await expect.poll(() => page.evaluate(() => performance.getEntriesByType('resource').filter((entry) => /\/(graph|formula)-worker\.js$/.test(entry.name)).length)).toBe(2);
    const loads = await page.evaluate(() => ({
      result: (window as unknown as { __loads: { result?: number } }).__loads.result,
      scripts: performance.getEntriesByType('resource').filter((entry) => entry.name.endsWith('.js')).map((entry) => ({ file: new URL(entry.name).pathname.slice(1), start: entry.startTime })),
    }));
    const requestedAfterResult = (file: string) => loads.scripts.filter((script) => script.file === file).map((script) => script.start > loads.result!);
    expect(loads.result).toBeDefined();
    // Asked for once each, and only after the result was on the page (an order, not a time).
    expect(requestedAfterResult('graph-worker.js')).toEqual([true]);
    expect(requestedAfterResult('formula-worker.js')).toEqual([true]);
    // Graphviz is in graph-worker.js, not in the page's own script; the training worker and the
    // page's own KaTeX (formula mode typesets in its worker) are not loaded at all.
    const pageScript = loads.scripts.find((script) => script.file.startsWith('assets/index-'))!.file;
    expect(readFileSync(join(playground.dist, pageScript), 'utf8')).not.toContain('graphvizVersion');
    expect(readFileSync(join(playground.dist, 'graph-worker.js'), 'utf8')).toContain('graphvizVersion');
    // Graphviz's WebAssembly is beside the worker's code, not in it (web/graphviz-wasm-outside.ts).
    const graphWorker = workerSource(readFileSync(join(playground.dist, 'graph-worker.js'), 'utf8'));
    expect(graphWorker.wasm?.startsWith('\0asm')).toBe(true);
    expect(graphWorker.code.length).toBeLessThan(200_000);
    expect(workerSource(readFileSync(join(playground.dist, 'formula-worker.js'), 'utf8')).wasm).toBeUndefined();
    expect(requested.filter((path) => path.endsWith('.js') && !path.startsWith('/assets/')).sort()).toEqual(['/formula-worker.js', '/graph-worker.js']);
    // Problem mode's zod and YAML are in problem-mode.js (never fetched here), not in the page's script.
    expect(readFileSync(join(playground.dist, pageScript), 'utf8')).not.toMatch(/ZodError|YAMLParseError/);
    expect(readFileSync(join(playground.dist, 'problem-mode.js'), 'utf8')).toMatch(/ZodError/);
  });
});

/*
 * Recorded in the page before its script runs: when the formula's graph first appears, and each
 * layout the Graphviz worker returns with the DOT it was asked for.
 */
const RECORD_LAYOUTS = `
  window.__layouts = { graphShown: undefined, laidOut: [] };
  new MutationObserver(() => {
    if (window.__layouts.graphShown === undefined && document.querySelector('#formula-graph svg')) window.__layouts.graphShown = performance.now();
  }).observe(document, { subtree: true, childList: true });
  const asked = new Map();
  const NativeWorker = Worker;
  window.Worker = class extends NativeWorker {
    constructor(...args) {
      super(...args);
      this.addEventListener('message', ({ data }) => {
        if (typeof data.svg === 'string') window.__layouts.laidOut.push({ dot: asked.get(data.id), svg: data.svg });
      });
    }
    postMessage(data, ...rest) {
      if (typeof data.dot === 'string') asked.set(data.id, data.dot);
      return super.postMessage(data, ...rest);
    }
  };
`;

interface LayoutRecord {
  /** When the graph's SVG appeared, and when graph-worker.js (Graphviz) was asked for (undefined: not yet). */
  graphShown?: number;
  graphvizAsked?: number;
  laidOut: { dot: string; svg: string }[];
}

/** A page opened with RECORD_LAYOUTS, its graph on the screen. */
async function openRecordingLayouts(link: string, before = ''): Promise<{ page: Page; layouts: () => Promise<LayoutRecord> }> {
  const { page } = await playground.watchedPage();
  page.setDefaultTimeout(30_000);
  if (before !== '') await page.addInitScript(before);
  await page.addInitScript(RECORD_LAYOUTS);
  await page.goto(`${playground.url}${link}`);
  await page.locator('#formula-graph svg').waitFor();
  const layouts = () => page.evaluate(() => {
    const { graphShown, laidOut } = (window as unknown as { __layouts: LayoutRecord }).__layouts;
    const graphviz = performance.getEntriesByType('resource').find((entry) => entry.name.endsWith('/graph-worker.js'));
    return { graphShown, graphvizAsked: graphviz?.startTime, laidOut };
  });
  return { page, layouts };
}

/** Every layout the page's Graphviz made is the one Graphviz makes in Node for the same DOT (so Node's can ship). */
async function expectNodeGraphviz(laidOut: LayoutRecord['laidOut']): Promise<void> {
  for (const { dot, svg } of laidOut) expect(svg).toBe(await dotToSvg(dot));
}

const SVG_OPEN = '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="10pt" height="10pt" viewBox="0 0 10 10">';
/** Markup another page could store for a known DOT text, one of each kind the check refuses; each sets window.__planted if it runs. */
const PLANTED: readonly string[] = [
  `${SVG_OPEN}<script>window.__planted = true</script></svg>`,
  `${SVG_OPEN}<foreignObject><img xmlns="http://www.w3.org/1999/xhtml" src="data:," onerror="window.__planted = true"/></foreignObject></svg>`,
  `${SVG_OPEN}<g onmouseover="window.__planted = true"><polygon points="0,0 10,0 10,10" fill="white"/></g></svg>`,
  `${SVG_OPEN}<polygon points="0,0 10,0 10,10" xlink:href="javascript:window.__planted = true"/></svg>`,
  `${SVG_OPEN}<polygon points="0,0 10,0 10,10" style="fill: url(https://example.invalid/__planted.svg#a)"/></svg>`,
  // XML reads the CDATA as text; an HTML parser would read <img …> as an element.
  `${SVG_OPEN}<title><![CDATA[><img src="data:," onerror="window.__planted = true">]]></title></svg>`,
  `<img src="data:," onerror="window.__planted = true">`,
];
/** More the check refuses, given to the check alone (each would be as quiet on the page as the ones above). */
const CHECK_ONLY_PLANTED: readonly string[] = [
  `${SVG_OPEN}<a href="https://example.invalid/__planted"><text>x</text></a></svg>`,
  `${SVG_OPEN}<polygon points="0,0" href="https://example.invalid/__planted"/></svg>`,
  `${SVG_OPEN}<polygon points="0,0" fill="url(https://example.invalid/__planted#a)"/></svg>`,
  `${SVG_OPEN}<?planted ><img src="data:," onerror="window.__planted = true">?></svg>`,
  `${SVG_OPEN}<!--><img src="data:," onerror="window.__planted = true">--></svg>`,
  `${SVG_OPEN}<title><tspan>__planted</tspan></title></svg>`,
  `${SVG_OPEN}<image href="#a"/></svg>`,
  `<html xmlns="http://www.w3.org/1999/xhtml"><body>__planted</body></html>`,
];

/** web/src/stored-svg.ts as a script for a page, its exports on window.storedSvg. */
async function checkScript(): Promise<string> {
  const source = readFileSync(join(ROOT, 'web/src/stored-svg.ts'), 'utf8');
  return (await transformWithEsbuild(source, 'stored-svg.ts', { format: 'iife', globalName: 'storedSvg' })).code;
}

/** Before the page's script: no layouts stored by the tests before. */
const CLEAR_STORAGE = 'localStorage.clear();';

describe('layouts that need no Graphviz', () => {
  it('the page opened without a fragment shows its graph before Graphviz is asked for (the layout shipped with the page), in English and Russian; the walk marks it', async () => {
    for (const link of ['', '#lang=ru']) {
      const { page, layouts } = await openRecordingLayouts(link, CLEAR_STORAGE);
      // Graphviz still starts, for what comes next: it lays out the forward picture (the walk's).
      await expect.poll(async () => (await layouts()).laidOut.length, { timeout: 30_000 }).toBe(1);
      const { graphShown, graphvizAsked, laidOut } = await layouts();
      expect(graphShown! < graphvizAsked!, `${link}: graph at ${graphShown} ms, graph-worker.js asked for at ${graphvizAsked} ms`).toBe(true);
      await expectNodeGraphviz(laidOut);
      if (link !== '') continue;
      // The walk's first step of the backward pass marks its edge and node on the shipped picture.
      const step = walkSteps(traceExpression(DEFAULT_STATE.formula, DEFAULT_STATE.at))[9]!;
      if (step.phase !== 'backward') throw new Error(`step 10 is ${step.phase}, not the backward pass's first edge`);
      for (let k = 0; k < 10; k++) await page.click('#walk-step');
      await expect.poll(() => page.locator('#formula-graph g.edge.walk-current title').allTextContents()).toEqual([`${step.edge.from}->${step.edge.to}`]);
      expect(await page.locator('#formula-graph g.node.walk-current title').allTextContents()).toEqual([step.edge.from]);
    }
  });

  it('a link\'s graph drawn by Graphviz is stored: the link opened again shows the same picture before Graphviz is asked for', async () => {
    const link = `#mode=formula&f=${encodeURIComponent('sin(x)*y + exp(x*y) + 2')}&at=x:1,y:2`;
    const first = await openRecordingLayouts(link, CLEAR_STORAGE);
    await expect.poll(async () => (await first.layouts()).laidOut.length, { timeout: 30_000 }).toBe(2);
    const drawn = await first.layouts();
    expect(drawn.graphvizAsked! < drawn.graphShown!).toBe(true);
    await expectNodeGraphviz(drawn.laidOut);
    const again = await openRecordingLayouts(link);
    const stored = await again.layouts();
    expect(stored.graphvizAsked === undefined || stored.graphShown! < stored.graphvizAsked).toBe(true);
    expect(stored.laidOut).toEqual([]);
    const picture = (page: Page) => page.locator('#formula-graph svg').evaluate((svg) => svg.outerHTML);
    expect(await picture(again.page)).toBe(await picture(first.page));
  });

  it('a stored entry another page planted (script, foreignObject, on* handlers, outside links, style url(), a CDATA trick) is refused and removed: Graphviz draws, nothing of it runs', async () => {
    const link = `#mode=formula&f=${encodeURIComponent('x*y + cos(x) + 4')}&at=x:1,y:2`;
    const first = await openRecordingLayouts(link, CLEAR_STORAGE);
    await expect.poll(async () => (await first.layouts()).laidOut.length, { timeout: 30_000 }).toBe(2);
    const dots = (await first.layouts()).laidOut.map(({ dot }) => dot).sort();
    const picture = await first.page.locator('#formula-graph svg').evaluate((svg) => svg.outerHTML);
    for (const payload of PLANTED) {
      // What any page of the same storage (every file:// page in Chromium) can write: the page's own keys, a known DOT, its markup.
      await first.page.evaluate((markup) => {
        for (const key of Object.keys(localStorage).filter((name) => name.startsWith('mashagrad.layout.'))) {
          const [dot] = JSON.parse(localStorage.getItem(key)!) as [string, string];
          localStorage.setItem(key, JSON.stringify([dot, markup]));
        }
      }, payload);
      const again = await openRecordingLayouts(link);
      await expect.poll(async () => (await again.layouts()).laidOut.length, { timeout: 30_000 }).toBe(2);
      expect((await again.layouts()).laidOut.map(({ dot }) => dot).sort(), payload).toEqual(dots);
      expect(await again.page.evaluate(() => (window as unknown as { __planted?: boolean }).__planted), payload).toBeUndefined();
      expect(await again.page.locator('#formula-graph svg').evaluate((svg) => svg.outerHTML)).toBe(picture);
      // The planted entries are gone: what storage holds now is Graphviz's again.
      const storedSvgs = await again.page.evaluate(() => Object.keys(localStorage).filter((name) => name.startsWith('mashagrad.layout.')).map((key) => (JSON.parse(localStorage.getItem(key)!) as [string, string])[1]));
      expect(storedSvgs.some((svg) => svg.includes('__planted')), payload).toBe(false);
    }
  });

  it('the check of a stored SVG (web/src/stored-svg.ts) in Chromium: Graphviz\'s pictures of the default page and the 20-term formula pass as the same picture; planted markup does not', async () => {
    const big = Array.from({ length: 20 }, (_, i) => ['sin(x)*y', 'cos(y)*x', 'x*y', 'exp(x)*y'][i % 4]).join(' + ');
    const dots = [firstPictureDot(''), firstPictureDot('#lang=ru'), ...Object.values(traceFormula({ id: 0, formula: big, at: { x: 1, y: 2 }, language: 'en' }).dots)];
    const svgs = await Promise.all(dots.map((dot) => dotToSvg(dot)));
    const { page } = await playground.watchedPage();
    await page.goto(`${playground.url}#mode=problem`);
    await page.addScriptTag({ content: await checkScript() });
    const results = await page.evaluate(({ svgs, planted }) => {
      const { checkedSvg } = (window as unknown as { storedSvg: typeof import('../../web/src/stored-svg.js') }).storedSvg;
      /** The <svg> the page would show: markup parsed as HTML, as the page inserts it. */
      const shown = (markup: string) => {
        const box = document.createElement('template');
        box.innerHTML = markup;
        return box.content.querySelector('svg')?.outerHTML;
      };
      return {
        real: svgs.map((svg) => {
          const checked = checkedSvg(svg);
          return checked !== undefined && shown(checked) === shown(svg);
        }),
        planted: planted.map((markup) => checkedSvg(markup)),
      };
    }, { svgs, planted: [...PLANTED, ...CHECK_ONLY_PLANTED] });
    expect(results.real).toEqual(svgs.map(() => true));
    expect(results.planted).toEqual([...PLANTED, ...CHECK_ONLY_PLANTED].map(() => undefined));
  });

  it('where the browser refuses storage, Graphviz draws every time, without an error', async () => {
    const refuse = `Object.defineProperty(window, 'localStorage', { get() { throw new DOMException('The operation is insecure.', 'SecurityError'); } });`;
    const link = `#mode=formula&f=${encodeURIComponent('x/y + 3')}&at=x:1,y:2`;
    for (let visit = 0; visit < 2; visit++) {
      const { layouts } = await openRecordingLayouts(link, refuse);
      const { graphShown, graphvizAsked, laidOut } = await layouts();
      expect(graphvizAsked! < graphShown!).toBe(true);
      expect(laidOut.length).toBeGreaterThan(0);
    }
  });
});

describe('problem mode\'s own script', () => {
  it('while problem-mode.js loads the mode says so; a failed load says why and "Try again" loads it', async () => {
    const { page, errors } = await playground.watchedPage();
    page.setDefaultTimeout(30_000);
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    let failed = false;
    // The first request is held, then fails as if offline; the second goes through.
    await page.route('**/problem-mode.js', async (route) => {
      if (failed) return route.continue();
      failed = true;
      await held;
      await route.abort('internetdisconnected');
    });
    // Not waiting for the load event: the held script holds it back.
    await page.goto(`${playground.url}#mode=problem&lang=ru&ex=exercise-1`, { waitUntil: 'domcontentloaded' });
    await expect.poll(() => page.locator('#problem-loading').textContent()).toBe('Загружается решатель задач…');
    expect(await page.locator('#problem-input').isVisible()).toBe(false);
    await page.selectOption('#language', 'en');
    await expect.poll(() => page.locator('#problem-loading').textContent()).toBe('Loading the problem solver…');
    await page.selectOption('#language', 'ru');
    release();
    // In the reader's language only (the English reason goes to the console).
    await expect.poll(() => page.locator('#problem-loading .error-message').textContent()).toBe('Не удалось загрузить решатель задач: problem-mode.js');
    await page.click('#problem-loading button');
    await expect.poll(() => page.locator('#problem-solution article h1').count(), { timeout: 30_000 }).toBe(1);
    expect(await page.locator('#problem-loading').isVisible()).toBe(false);
    expect(await page.locator('#problem-input').inputValue()).toBe(example('exercise-1'));
    expect(await page.locator('#problem-numbers table.node-table').count()).toBe(1);
    // The browser reports the failed request (we caused it) as a failed request and a console error; nothing else may be there.
    errors.splice(0, errors.length, ...errors.filter((error) => !/problem-mode\.js|Failed to load resource/.test(error)));
  });
});

describe('a big formula never blocks the page', () => {
  // 20 terms, 56 nodes: before, tracing and typesetting it blocked the page for 0.5–1.5 s per edit.
  const big = Array.from({ length: 20 }, (_, i) => ['sin(x)*y', 'cos(y)*x', 'x*y', 'exp(x)*y'][i % 4]).join(' + ');
  const edited = big.replace(' + x*y', ' + x*x');

  it('an edit of a 20-term formula: tracing and typesetting run in a worker, and the page puts the solution on the screen over many frames', async () => {
    const { page } = await playground.watchedPage();
    page.setDefaultTimeout(30_000);
    await page.addInitScript(RECORD_WORK);
    await page.goto(`${playground.url}#mode=formula&f=${encodeURIComponent(big)}&at=x:1,y:2`);
    await page.locator('#formula-graph svg').waitFor();
    const work = () => page.evaluate(() => (window as unknown as { __work: WorkRecord }).__work);
    await page.evaluate(() => {
      const record = (window as unknown as { __work: WorkRecord }).__work;
      record.messages = [];
      record.solutionChanges = [];
    });
    await page.fill('#formula-input', edited);

    // The numbers are the library's in Node.
    const inNode = traceExpression(edited, { x: 1, y: 2 });
    const expected = `f(1, 2) = ${formatNumber(inNode.value)}; ∂f/∂x = ${formatNumber(inNode.gradient.x!)}; ∂f/∂y = ${formatNumber(inNode.gradient.y!)}`;
    await expect.poll(() => page.locator('#formula-result').textContent(), { timeout: 30_000 }).toBe(expected);
    expect(await page.locator('#node-table tbody tr').count()).toBe(inNode.nodes.length);

    // The formula went to a worker; the trace and the typeset solution, in several messages, came back from it.
    const requests = (await work()).messages.filter((message) => message.to === 'worker' && message.kind === 'formula');
    expect(requests.map((message) => message.formula)).toEqual([edited]);
    const request = requests[0]!.id;
    // (Replies to the page load's request may still come in; the page drops them.)
    const fromWorker = async (kind: string) => (await work()).messages.filter((message) => message.to === 'page' && message.kind === kind && (kind === 'layout' || message.id === request));
    await expect.poll(async () => (await fromWorker('solution')).some((message) => message.done), { timeout: 30_000 }).toBe(true);
    expect(await fromWorker('trace')).toHaveLength(1);
    expect((await fromWorker('solution')).length).toBeGreaterThan(1);
    // Both pictures (forward and backward) were laid out by the Graphviz worker.
    expect((await work()).messages.filter((message) => message.to === 'worker' && message.kind === 'layout')).toHaveLength(2);

    // Every piece the worker typeset ends up on the page, inserted over many frames, never all at once.
    const pieces = (await fromWorker('solution')).reduce((sum, message) => sum + (message.pieces ?? 0), 0);
    await expect.poll(() => page.locator('#formula-solution article > *').count(), { timeout: 30_000 }).toBe(pieces);
    const changes = (await work()).solutionChanges;
    const growing = changes.filter((change) => change.article === changes.at(-1)?.article && change.blocks > 0);
    expect(new Set(growing.map((change) => change.frame)).size).toBeGreaterThan(5);
    expect(growing[0]!.blocks).toBeLessThan(pieces / 5);
    await expect.poll(() => page.locator('#formula-solution :is(h2, h3)').allTextContents()).toContain('Backpropagation: the same numbers in one sweep');
  });
});

describe('Problem mode', () => {
  it('exercise 4 from the drop-down: H₁ = (2, −1) and W₁ after the step is [[0, −1], [−1.5, 0]]', async () => {
    const page = await open('#mode=problem&ex=exercise-1');
    await page.selectOption('#example-select', 'exercise-4-regression');
    await expect.poll(() => cell(page, 'tr[data-step="1"][data-layer="0"]', 'output')).toBe('(2, −1)');
    expect(await cell(page, 'tr[data-param="0.weight"]', 'before')).toBe('[[1, −1], [0.5, 0]]');
    expect(await cell(page, 'tr[data-param="0.weight"]', 'after')).toBe('[[0, −1], [−1.5, 0]]');
    await page.locator('#problem-network-picture svg').waitFor();
    expect(page.url()).toContain('ex=exercise-4-regression');
    await page.screenshot({ path: join(SCREENSHOTS, 'playground-problem.png') });
  });

  it('every example of the drop-down solves without an error', async () => {
    const page = await open('#mode=problem');
    const names = await page.locator('#example-select option').evaluateAll((options) => options.map((option) => (option as HTMLOptionElement).value).filter((value) => value !== ''));
    expect(names.length).toBeGreaterThanOrEqual(5);
    for (const name of names) {
      await page.selectOption('#example-select', name);
      await page.locator('#problem-solution article h1').waitFor();
      expect(await page.locator('#problem-error').isHidden()).toBe(true);
    }
  });

  it('exercise 2, training step 2 in the diagram: the loss and the updated weights of that step, as the library in Node computes them', async () => {
    const expected = solvedInNode(example('exercise-2')).steps[1]!;
    const page = await open('#mode=problem&ex=exercise-2');
    await page.locator('#problem-network-picture svg').waitFor();
    const svgText = () => page.locator('#problem-network-picture svg').textContent();
    expect(await svgText()).not.toContain(`L = ${formatNumber(expected.loss)}`);
    await page.selectOption('#problem-step', '2');
    await expect.poll(svgText).toContain(`L = ${formatNumber(expected.loss)}`);
    expect(await svgText()).toContain(`→ ${formatNumber(entryOf(expected.params['4.bias']!, 0))}`);
    expect(page.url()).toContain('step=2');
    await page.screenshot({ path: join(SCREENSHOTS, 'playground-problem-step2.png') });
  });

  it('exercise 4\'s picture is the training mode\'s network component, with the step\'s numbers on it; a clicked weight and neuron open their part of the shown step as Node computes it', async () => {
    const trace = solvedInNode(example('exercise-4-regression'));
    const step = trace.steps[0]!;
    const page = await open('#mode=problem&ex=exercise-4-regression');
    const picture = page.locator('#problem-network-picture');
    await picture.locator('svg').waitFor();
    // The same component as training mode: neurons as circles by column, one clickable line per weight, coloured by value.
    expect(await picture.locator('circle[data-column]').count()).toBe(2 + 2 + 1);
    expect(await picture.locator('line.weight').count()).toBe(2 * 2 + 2 * 1);
    expect(await picture.locator('line.weight[data-layer="0"][data-from="0"][data-to="1"]').getAttribute('stroke')).toBe('#e8731a');
    expect(await page.locator('#training-network').getAttribute('class')).toBe(await picture.getAttribute('class'));
    // Every number the Graphviz diagram wrote: each neuron's value and gradient, each weight before, ∂L/∂w and after, the loss.
    const unit = (column: number, k: number) => picture.locator(`text.unit-numbers[data-column="${column}"][data-unit="${k}"]`).textContent();
    expect(await unit(1, 0)).toContain(`h₁,₁${formatNumber(entryOf(step.layers[0]!.output, 0, 0))}∂L/∂h₁,₁ = ${formatNumber(entryOf(step.layers[0]!.gradOutput, 0, 0))}`);
    const weightLabel = await picture.locator('.weight-numbers text[data-layer="1"][data-from="0"][data-to="0"]').textContent();
    expect(weightLabel).toBe(`${formatNumber(entryOf(step.paramsBefore['2.weight']!, 0, 0))}${formatNumber(entryOf(step.grads['2.weight']!, 0, 0))}→ ${formatNumber(entryOf(step.params['2.weight']!, 0, 0))}`);
    expect(await picture.locator('text.loss-numbers').textContent()).toContain(`L = ${formatNumber(step.loss)}`);
    expect(await page.locator('#problem-network-header').textContent()).toContain(trace.title);

    // A click on W₁[2, 1]: its part of step 1, ∂L/∂w as Node's gradient.
    await picture.locator('line.weight-hit[data-layer="0"][data-from="1"][data-to="0"]').dispatchEvent('click');
    await expect.poll(() => page.locator('#problem-part h3').textContent()).toContain('W₁[2, 1]');
    const values = async (key: string) => JSON.parse((await page.locator(`#problem-part-body tr[data-part="${key}"]`).getAttribute('data-values'))!) as number[];
    expect((await values('gradient'))[0]).toBeCloseTo(entryOf(step.grads['0.weight']!, 1, 0), 12);
    expect((await values('after'))[0]).toBeCloseTo(entryOf(step.params['0.weight']!, 1, 0), 12);
    expect(await picture.locator('line.weight.chosen').count()).toBe(1);
    // A neuron of a layer without a bias: h₁,₂'s sum and output on the batch, and the gradient at its sum.
    await picture.locator('circle[data-column="1"][data-unit="1"]').dispatchEvent('click');
    await expect.poll(() => page.locator('#problem-part h3').textContent()).toContain('H₁[:, 2]');
    expect(await values('passed')).toEqual([entryOf(step.layers[0]!.gradOutput, 0, 1)]);
    expect(await values('forward')).toEqual([entryOf(step.layers[0]!.output, 0, 1)]);
    expect(await values('activation')).toEqual([entryOf(step.layers[1]!.output, 0, 1)]);

    // A phone: the page does not scroll sideways; the picture keeps its text size and scrolls in its own box.
    await page.setViewportSize({ width: 390, height: 844 });
    await expect.poll(() => page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    const fontSize = await picture.locator('text.unit-numbers').first().evaluate((text) => text.getBoundingClientRect().height / text.querySelectorAll('tspan[dy]').length);
    expect(fontSize).toBeGreaterThanOrEqual(11);
    await page.click('#problem-part-close');
    expect(await page.locator('#problem-part').isHidden()).toBe(true);
  });

  it('exercise 4 with W₁[1, 1] edited from 1 to 2: the problem text, H₁, the loss and W₁ after the step follow', async () => {
    const edited = example('exercise-4-regression').replace('weights: [[1, -1], [0.5, 0]]', 'weights: [[2, -1], [0.5, 0]]');
    const expected = solvedInNode(edited);
    const page = await open('#mode=problem&ex=exercise-4-regression');
    await expect.poll(() => cell(page, 'tr[data-step="1"][data-layer="0"]', 'output')).toBe('(2, −1)');
    await page.fill('input[data-param="0.weight"][data-index="0,0"]', '2');
    const output = formatValues(expected.steps[0]!.layers[0]!.output);
    expect(output).toBe('(3, −1)');
    await expect.poll(() => cell(page, 'tr[data-step="1"][data-layer="0"]', 'output')).toBe(output);
    expect(await cell(page, 'tr[data-param="0.weight"]', 'after')).toBe(formatValues(expected.params['0.weight']!));
    expect(await page.locator('#problem-numbers caption').first().textContent()).toBe(`step 1: loss = ${formatNumber(expected.steps[0]!.loss)}`);
    expect(await page.locator('#problem-input').inputValue()).toBe(edited);
    expect(await page.locator('#example-select').inputValue()).toBe('');
    await expect.poll(() => page.locator('#problem-network-picture svg').textContent()).toContain(`L = ${formatNumber(expected.steps[0]!.loss)}`);
    await page.screenshot({ path: join(SCREENSHOTS, 'playground-problem-edited.png') });
  });
});

describe('English and Russian, and the state in the URL', () => {
  it('switching to Russian gives Russian headings and labels, and the link keeps the language', async () => {
    const page = await open();
    await page.selectOption('#language', 'ru');
    // The solution is typeset by the formula worker, which starts only after the first graph (up to 1.5 s): longer than expect.poll's default second.
    await expect.poll(() => page.locator('#formula-solution :is(h2, h3)').allTextContents(), { timeout: 30_000 }).toContain('Прямой проход: значение каждого узла');
    expect(await page.locator('#tab-formula').textContent()).toBe('Формула');
    expect(page.url()).toContain('lang=ru');
    await page.click('#tab-problem');
    await page.selectOption('#example-select', 'exercise-4-regression');
    // After problem-mode.js and then katex.js have loaded.
    await expect.poll(() => page.locator('#problem-solution :is(h2, h3, h4)').allTextContents(), { timeout: 30_000 }).toContain('Прямой проход');
    await page.screenshot({ path: join(SCREENSHOTS, 'playground-russian.png'), fullPage: true });
  });

  it('variables named constructor and __proto__ are just names: each starts at 1 and takes its own value', async () => {
    const page = await open('#mode=formula&f=constructor*x+%2B+__proto__&at=x:2');
    await expect.poll(() => page.locator('input[type=number][data-variable="constructor"]').inputValue()).toBe('1');
    expect(await page.locator('input[type=number][data-variable="__proto__"]').inputValue()).toBe('1');
    await page.locator('input[type=number][data-variable="__proto__"]').fill('5');
    await expect.poll(() => page.locator('#formula-result').textContent()).toBe('f(1, 2, 5) = 7; ∂f/∂constructor = 2; ∂f/∂x = 1; ∂f/∂__proto__ = 1');
  });

  it('a link opens the same formula, values and language', async () => {
    const page = await open();
    await page.fill('#formula-input', 'sin(x)*y');
    await page.locator('input[type=number][data-variable="y"]').fill('3');
    await page.selectOption('#language', 'ru');
    await expect.poll(() => page.url()).toContain('at=x%3A1%2Cy%3A3');
    const again = await playground.context.newPage();
    again.on('pageerror', (error) => playground.errors.push(`page: ${error.message}`));
    await again.goto(page.url());
    expect(await again.locator('#formula-input').inputValue()).toBe('sin(x)*y');
    expect(await again.locator('input[type=number][data-variable="y"]').inputValue()).toBe('3');
    expect(await again.locator('#language').inputValue()).toBe('ru');
    await expect.poll(() => cell(again, 'tr[data-node="y"]', 'grad')).toBe(await cell(page, 'tr[data-node="y"]', 'grad'));
  });

  it('another link pasted over the open page (only the fragment changes, so the browser loads nothing) opens its formula, values and language', async () => {
    const page = await open();
    await page.fill('#formula-input', 'x*y + 1');
    await expect.poll(() => page.url()).toContain('f=x*y');
    // Both workers have started (Graphviz drew the new graph, the formula worker typeset the
    // solution): a reload while a worker's script is still being fetched aborts that request.
    await expect.poll(() => page.locator('#formula-graph svg').textContent(), { timeout: 30_000 }).toContain('x·y');
    await expect.poll(() => page.locator('#formula-solution .katex').count(), { timeout: 30_000 }).toBeGreaterThan(0);
    // The page's own writes change the fragment without a reload; a pasted one must not be ignored.
    await page.evaluate(() => { location.hash = '#mode=formula&lang=ru&f=x%2By&at=x:2,y:5'; });
    await expect.poll(() => page.locator('#formula-result').textContent(), { timeout: 30_000 }).toBe('f(2, 5) = 7; ∂f/∂x = 1; ∂f/∂y = 1');
    expect(await page.locator('#formula-input').inputValue()).toBe('x+y');
    expect(await page.locator('#language').inputValue()).toBe('ru');
  });
});

describe('Bad input', () => {
  it('x^2 + 2x: the error names column 8 and underlines the x', async () => {
    const page = await open();
    await page.fill('#formula-input', 'x^2 + 2x');
    await page.locator('#formula-error').waitFor();
    expect(await page.locator('#formula-error .error-message').textContent()).toBe("column 8: expected an operator but found 'x' (write '2*x' to multiply)");
    expect(await page.locator('#formula-error .error-spot').textContent()).toBe('x');
    expect(await page.locator('#formula-error pre').textContent()).toBe('x^2 + 2x');
    await page.screenshot({ path: join(SCREENSHOTS, 'playground-formula-error.png') });
    // Fixed, the error goes and the page carries on.
    await page.fill('#formula-input', 'x^2 + 2*x');
    await page.locator('#formula-error').waitFor({ state: 'hidden' });
    await expect.poll(() => cell(page, 'tr[data-node="x"]', 'grad')).toBe('4');
  });

  it('user text is shown as text, never as markup', async () => {
    const page = await open();
    await page.fill('#formula-input', 'x + <img src=x onerror=alert(1)>');
    await page.locator('#formula-error').waitFor();
    expect(await page.locator('#formula-error img').count()).toBe(0);
    expect(await page.locator('#formula-error pre').textContent()).toBe('x + <img src=x onerror=alert(1)>');
  });

  it('an invalid problem file lists every problem with where it is', async () => {
    const page = await open('#mode=problem');
    await page.fill('#problem-input', 'model:\n  - linear: { weights: [[1, 2]] }\n  - wobble\nloss: mse\ndata: { x: [[1, 2, 3]], y: [[0]] }\n');
    await page.locator('#problem-error').waitFor();
    const problems = await page.locator('#problem-error li').allTextContents();
    expect(problems.length).toBeGreaterThanOrEqual(2);
    expect(problems.some((problem) => problem.startsWith('model[1]'))).toBe(true);
    expect(page.url()).toContain('p=model');
    await page.screenshot({ path: join(SCREENSHOTS, 'playground-problem-error.png') });
  });
});

describe('from file://', () => {
  it('the built index.html works opened as a file: graph, solution, fonts and the training worker', async () => {
    const watched = await playground.watchedPage();
    const { page } = watched;
    await page.goto(`${pathToFileURL(join(playground.dist, 'index.html')).href}#mode=problem&ex=exercise-4-regression`);
    await expect.poll(() => cell(page, 'tr[data-step="1"][data-layer="0"]', 'output')).toBe('(2, −1)');
    await page.locator('#problem-network-picture svg').waitFor();
    await page.click('#tab-formula');
    await page.locator('#formula-graph svg').waitFor();
    expect(await page.evaluate(() => document.fonts.check('16px KaTeX_Main'))).toBe(true);
    // The training worker's code comes by a script element and starts as a blob: from file:// too.
    await page.click('#tab-training');
    await expect.poll(() => page.locator('#training-status').getAttribute('data-step')).toBe('0');
    await page.click('#training-step');
    await expect.poll(() => page.locator('#training-status').getAttribute('data-step')).toBe('1');
  });
});

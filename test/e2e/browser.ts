import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { build } from 'vite';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { launchChromium, serveDist } from '../../tools/playground/browser.js';

export { launchChromium, serveDist };

export const ROOT = resolve(import.meta.dirname, '../..');
export const SCREENSHOTS = join(ROOT, 'test-output');

/**
 * The playground built with Vite's JS API, as `npm run build:web` builds it, but into a folder
 * of its own: another `npm test` or `npm run build:web` running at the same time empties web/dist.
 */
export async function buildPlayground(): Promise<{ dist: string; remove: () => void }> {
  const dist = mkdtempSync(join(tmpdir(), 'mashagrad-web-'));
  await build({ configFile: join(ROOT, 'web/vite.config.ts'), logLevel: 'error', build: { outDir: dist, emptyOutDir: true } });
  return { dist, remove: () => rmSync(dist, { recursive: true, force: true }) };
}

/** A new page that records every console error, page error and failed request. */
export async function watchedPage(context: BrowserContext): Promise<{ page: Page; errors: string[] }> {
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => errors.push(`page: ${error.message}`));
  page.on('requestfailed', (request) => errors.push(`request failed: ${request.url()} ${request.failure()?.errorText ?? ''}`));
  return { page, errors };
}

/** The playground built, served on localhost and opened in Chromium for one test file. */
export interface PlaygroundSession {
  readonly dist: string;
  readonly url: string;
  readonly context: BrowserContext;
  /** What the page opened last reported; every test must end with none. */
  errors: string[];
  /** A new watched page; its errors are the ones checked after the test. */
  watchedPage(): Promise<{ page: Page; errors: string[] }>;
}

/**
 * Registers the hooks every browser test file needs (build, serve and launch before; close after;
 * no console errors, page errors or failed requests after each test) and returns the session.
 */
export function usePlayground(): PlaygroundSession {
  let built: Awaited<ReturnType<typeof buildPlayground>> | undefined;
  let site: Awaited<ReturnType<typeof serveDist>> | undefined;
  let browser: Awaited<ReturnType<typeof launchChromium>> | undefined;
  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('the playground is not started: use the session inside a test');
    return value;
  };
  const session: PlaygroundSession = {
    get dist() { return started(built).dist; },
    get url() { return started(site).url; },
    get context() { return started(browser).context; },
    errors: [],
    async watchedPage() {
      const watched = await watchedPage(started(browser).context);
      session.errors = watched.errors;
      return watched;
    },
  };
  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    [built, browser] = await Promise.all([buildPlayground(), launchChromium()]);
    site = await serveDist(built.dist);
  }, 600_000);
  // Closing Chromium took over 10 s (vitest's default) on the loaded two-core machine.
  afterAll(async () => {
    await browser?.close();
    await site?.close();
    built?.remove();
  }, 60_000);
  afterEach(async () => {
    const errors = [...session.errors];
    // Every page a test opened is closed after it: a page left open goes on (Graphviz finishing a
    // layout, then storing it), and could write the storage a later test has just cleared.
    await Promise.all(started(browser).context.pages().map((page) => page.close()));
    expect(errors, 'console errors, page errors or failed requests').toEqual([]);
  });
  return session;
}

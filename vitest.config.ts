import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { configDefaults, defineConfig } from 'vitest/config';

// The browser tests (test/e2e files that launch Chromium) need a Chromium. Without one they are
// left out with one loud line, so `npm test` passes on a machine without a browser; CI sets
// MASHAGRAD_REQUIRE_BROWSER=1 (it installs Chromium), and then a missing browser is an error.
const chromium = process.env.CHROMIUM ?? '/usr/bin/chromium';
const e2e = join(import.meta.dirname, 'test/e2e');
const browserTests = readdirSync(e2e)
  .filter((name) => name.endsWith('.test.ts') && readFileSync(join(e2e, name), 'utf8').includes('launchChromium'))
  .map((name) => `test/e2e/${name}`);
const browserMissing = !existsSync(chromium);
if (browserMissing && process.env.MASHAGRAD_REQUIRE_BROWSER === '1') {
  throw new Error(`MASHAGRAD_REQUIRE_BROWSER=1 but there is no Chromium at ${chromium} (set CHROMIUM to its path)`);
}
if (browserMissing) {
  process.stderr.write(`\n*** SKIPPED: ${browserTests.length} browser test file(s) (${browserTests.join(', ')}): no Chromium at ${chromium}; install it or set CHROMIUM ***\n\n`);
}

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    exclude: [...configDefaults.exclude, ...(browserMissing ? browserTests : [])],
    testTimeout: 60_000,
    // expect.poll waits for what a page or a worker shows; its default second is shorter than a
    // worker's start on a loaded 2-core machine (a training worker over file:// missed it in CI
    // rehearsal at load 8). A poll that succeeds returns at once; only a failure waits this long.
    expect: { poll: { timeout: 20_000 } },
  },
});

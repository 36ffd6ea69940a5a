import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * Issue #13's inputs through the real CLI in a child process (what a terminal receives, with a
 * memory cap): control characters never reach the terminal raw, long input is not echoed whole.
 */

const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'mashagrad-corpus-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function mashagrad(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--max-old-space-size=512', '--import', 'tsx', 'src/cli/main.ts', ...argv], { timeout: 60_000, maxBuffer: 64 << 20 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

// eslint-disable-next-line no-control-regex
const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

describe('terminal safety', () => {
  it('a title with ESC sequences is printed with visible escapes (text, md and tex)', async () => {
    const problem = join(dir, 'title.yaml');
    writeFileSync(problem, 'title: "\\x1b]0;pwned\\x07\\x1b[31mred"\nexpression: x\nat: { x: 1 }\n');
    for (const format of ['text', 'md', 'tex']) {
      const { code, stdout } = await mashagrad('solve', problem, '--format', format);
      expect(code).toBe(0);
      expect(stdout).not.toMatch(RAW_CONTROL);
      expect(stdout).toMatch(/\\x1b\\?\]0;pwned\\x07/);
    }
  });

  it('a formula with \\x1b[2J shows it escaped inside its own syntax error; 200 kB are not echoed whole', async () => {
    const escape = await mashagrad('grad', 'x + \x1b[2J y', '--at', 'x=1');
    expect(escape.code).toBe(2);
    expect(escape.stderr).not.toMatch(RAW_CONTROL);
    expect(escape.stderr).toContain("unexpected character '\\x1b' (column 5)\n  x + \\x1b[2J y\n      ^^^^");
    const problem = join(dir, 'long.yaml');
    const side = 'abcdefghij+'.repeat(5000);
    writeFileSync(problem, `expression: "${side}$${side}"\nat: { x: 1 }\n`);
    const long = await mashagrad('solve', problem);
    expect(long.code).toBe(2);
    expect(long.stderr).toContain(`unexpected character '$' (column ${side.length + 1})`);
    expect(long.stderr.length).toBeLessThan(1000);
  });
});

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runMashagrad } from './support/run-cli.js';

/**
 * Issue #13: every hostile or huge input gets a clear answer (exit 0) or a clear one-line
 * refusal (exit 2), never an internal error, a stack trace or a silently wrong result.
 * Each case here is one the issue lists; each failed before the fix it tests.
 */

const dir = mkdtempSync(join(tmpdir(), 'mashagrad-hardening-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let fileCount = 0;
/** A file in the test's own folder with this text. */
function fileWith(text: string | Uint8Array, extension = 'yaml'): string {
  const path = join(dir, `file-${++fileCount}.${extension}`);
  writeFileSync(path, text);
  return path;
}

/** Runs the CLI and checks that it did not fail inside: exit 0 or 2, no internal error, no stack. */
async function run(...argv: string[]) {
  const result = await runMashagrad(...argv);
  expect(result.stderr).not.toContain('internal error');
  expect(result.stderr).not.toMatch(/\n\s+at .*:\d+:\d+/);
  expect([0, 2]).toContain(result.exitCode);
  return result;
}

/** Names that are properties of every plain JavaScript object. */
const OBJECT_NAMES = ['toString', 'constructor', 'valueOf', 'hasOwnProperty', 'isPrototypeOf', '__proto__', '__defineGetter__', 'propertyIsEnumerable'];

describe('names that are JavaScript property names are just names', () => {
  it.each(OBJECT_NAMES)('%s as a variable of grad: value, gradient and derivative', async (name) => {
    const { exitCode, stdout } = await run('grad', `${name}*x + ${name}^2`, '--at', `x=3,${name}=2`, '--json');
    expect(exitCode).toBe(0);
    const trace = JSON.parse(stdout) as { value: number; gradient: Record<string, number>; at: Record<string, number>; derivatives: Record<string, string> };
    // f = n·x + n² at n = 2, x = 3: 6 + 4; ∂f/∂n = x + 2n = 7; ∂f/∂x = n = 2
    expect(trace.value).toBe(10);
    expect(Object.entries(trace.gradient)).toEqual([[name, 7], ['x', 2]]);
    expect(Object.entries(trace.at)).toEqual([[name, 2], ['x', 3]]);
    expect(Object.keys(trace.derivatives)).toEqual([name, 'x']);
  });

  it.each(OBJECT_NAMES)('%s without a value is missing, not inherited (no "undefined + x")', async (name) => {
    const { exitCode, stderr } = await run('grad', `${name} + x`, '--at', 'x=3');
    expect(exitCode).toBe(2);
    expect(stderr).toContain(`no value given for ${name}`);
  });

  it.each(OBJECT_NAMES)('%s in --at is given once, not "twice"', async (name) => {
    const { exitCode, stdout } = await run('grad', `${name} + x`, '--at', `${name}=2,x=3`);
    expect(exitCode).toBe(0);
    expect(stdout).toContain('f = 5');
  });

  it.each(OBJECT_NAMES)('%s( is an unknown function, not an inherited one', async (name) => {
    const { exitCode, stderr } = await run('grad', `${name}(x)`, '--at', 'x=3');
    expect(exitCode).toBe(2);
    expect(stderr).toContain(`unknown function '${name}'`);
  });

  it.each(OBJECT_NAMES)('%s in a problem file: at, and a key of answers', async (name) => {
    const problem = fileWith(`expression: "${name}*x + 1"\nat: { "${name}": 5, x: 3 }\nanswers:\n  gradient: { "${name}": 3, x: 4 }\n  derivatives: { "${name}": "x" }\n`);
    const { exitCode, stdout } = await run('solve', problem, '--json');
    expect(exitCode).toBe(0);
    const trace = JSON.parse(stdout) as { value: number; answers: { checks: { path: string; verdict: string }[] } };
    expect(trace.value).toBe(16);
    expect(trace.answers.checks.map((check) => [check.path, check.verdict])).toEqual([
      [`derivatives.${name}`, 'right'], [`gradient.${name}`, 'right'], ['gradient.x', 'wrong'],
    ]);
  });

  it.each(OBJECT_NAMES)('%s as a layer name is an unknown layer', async (name) => {
    for (const model of [`[${JSON.stringify(name)}]`, `[{ ${JSON.stringify(name)}: {} }]`]) {
      const { exitCode, stderr } = await run('solve', fileWith(`model: ${model}\nloss: mse\ndata: { x: [[1]], y: [[1]] }\ntrain: { lr: 1 }\n`));
      expect(exitCode).toBe(2);
      expect(stderr).toContain(`unknown layer '${name}'`);
    }
  });

  it.each(OBJECT_NAMES)('%s as the name of a weight in a symbolic problem', async (name) => {
    const { exitCode, stdout } = await run('solve', fileWith(`model:\n  - linear: { weights: "${name}" }\n  - relu\n  - linear: { weights: W1 }\nloss: sse\n`), '--json');
    expect(exitCode).toBe(0);
    expect(stdout).toContain(`"${name}"`);
  });

  it.each(OBJECT_NAMES)('%s as a class name of a CSV data set', async (name) => {
    const csv = fileWith(`a,label\n1,${name}\n2,other\n3,${name}\n4,other\n`, 'csv');
    const training = fileWith(`dataset: { csv: ${JSON.stringify(csv)}, target: label, test_fraction: 0 }\nmodel: [{ linear: { out: 2 } }, softmax]\nloss: cross_entropy\ntrain: { lr: 0.1, epochs: 1 }\n`);
    const { exitCode } = await run('train', training, '--out', join(dir, `train-${name}`), '--backend', 'reference', '--json');
    expect(exitCode).toBe(0);
  });
});

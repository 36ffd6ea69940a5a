import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseProblem } from '../src/files/load-problem.js';
import { checkTraceSize, MAX_TRACE_NUMBERS, networkTraceNumbers } from '../src/files/size-limits.js';
import type { NetworkProblem } from '../src/files/plan.js';
import { solvePlan } from '../src/problem/solve.js';
import { runMashagrad } from './support/run-cli.js';

/*
 * Issue #13, unbounded work: a hand-worked problem whose trace would not fit is refused with the
 * estimate and the limit, before any step; train refuses a model that cannot be allocated.
 */

const dir = mkdtempSync(join(tmpdir(), 'mashagrad-size-limits-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const oneRow = (epochs: number | string) => `model:\n  - linear: { weights: [[0.5]], bias: [0] }\n  - sigmoid\nloss: logloss\ndata: { x: [[1]], y: [[1]] }\ntrain: { lr: 1, epochs: ${epochs} }\n`;

/** The refusal of a problem, as the one line it prints. */
function refusal(text: string): string {
  try {
    solvePlan(parseProblem(text));
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('the problem was accepted');
}

describe('a hand-worked problem refuses sizes whose trace would not fit', () => {
  it.each([100_000, 1e9])('epochs: %s on one row, with the estimate and the limit', (epochs) => {
    const message = refusal(oneRow(epochs));
    expect(message).toMatch(/^the worked solution would hold about [\d.,e+]+ numbers/);
    expect(message).toContain(`at most ${MAX_TRACE_NUMBERS.toLocaleString('en-US')}`);
  });

  it('200,000 rows (as a .npy array would give them: the file cap stops them as text)', () => {
    const plan = parseProblem('model:\n  - linear: { weights: [[1]] }\nloss: mse\ndata: { x: [[1]], y: [[1]] }\ntrain: { lr: 0.1 }\n') as NetworkProblem;
    const rows = Array.from({ length: 200_000 }, (_, i) => [i % 7]);
    expect(() => checkTraceSize({ ...plan, data: { x: rows, y: rows } })).toThrow(/about [\d,]+ numbers \(1 step × [\d,]+ per step\)/);
  });

  it('a 1000×1000 weight matrix', () => {
    expect(refusal('model:\n  - linear: { out: 1000 }\n  - linear: { out: 1000 }\n  - linear: { out: 1 }\nloss: mse\ndata: { x: [[1]], y: [[1]] }\ntrain: { lr: 0.1 }\n'))
      .toMatch(/^the worked solution would hold about [\d,]+ numbers/);
  });

  it('the sheet\'s problems and a few thousand steps stay well inside', () => {
    expect(() => checkTraceSize(parseProblem(oneRow(1000)) as NetworkProblem)).not.toThrow();
    const plan = parseProblem(oneRow(1)) as NetworkProblem;
    // One step of a 1-in 1-out layer with a sigmoid: the estimate grows with epochs, rows and weights.
    const one = networkTraceNumbers(plan).total;
    expect(networkTraceNumbers({ ...plan, train: { ...plan.train, epochs: 10 } }).total).toBe(10 * one);
    expect(networkTraceNumbers({ ...plan, data: { x: [[1], [2]], y: [[1], [0]] } }).total).toBeGreaterThan(one);
  });

  it('solve prints the refusal as one line, exit 2, and does no work', async () => {
    const file = join(dir, 'epochs.yaml');
    writeFileSync(file, oneRow('1e9'));
    const { exitCode, stderr } = await runMashagrad('solve', file);
    expect(exitCode).toBe(2);
    expect(stderr).toMatch(/would hold about 2\.\de\+11 numbers/);
    expect(stderr).not.toContain('internal error');
  });
});

describe('train refuses a model that cannot be allocated, before allocating', () => {
  const csv = join(dir, 'points.csv');
  writeFileSync(csv, 'a,b,label\n1,2,0\n2,1,1\n3,3,0\n0,1,1\n');
  it.each([
    ['linear { in: 2, out: 100000 } twice', '  - linear: { out: 100000 }\n  - linear: { out: 100000 }\n  - linear: { out: 2 }\n', /model\[1\]\.linear: the model would have 1\.0e\+10 weights/],
    ['out: 1e9', '  - linear: { out: 1000000000 }\n  - linear: { out: 2 }\n', /model\[\d\]\.linear: the model would have 5\.0e\+9 weights and biases \(this layer 2\.0e\+9\)/],
  ])('%s', async (_, layers, expected) => {
    const file = join(dir, `train-${layers.length}.yaml`);
    writeFileSync(file, `dataset: { csv: points.csv, target: label }\nmodel:\n${layers}  - softmax\nloss: cross_entropy\ntrain: { lr: 0.1, epochs: 1 }\n`);
    const { exitCode, stderr } = await runMashagrad('train', file, '--out', join(dir, 'out'));
    expect(stderr).toMatch(expected);
    expect(exitCode).toBe(2);
    expect(stderr).not.toMatch(/internal error|Invalid typed array length|allocation failed/);
  });
});

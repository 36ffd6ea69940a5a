import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { parseAssignments } from '../src/cli/parse-at.js';
import { loadCsv } from '../src/data/csv.js';
import { parseIdx } from '../src/data/idx.js';
import { byName } from '../src/by-name.js';
import { InputError } from '../src/errors.js';
import { loadDataset } from '../src/files/load-dataset.js';
import { parseProblem } from '../src/files/load-problem.js';
import { loadTrainingFile, planTraining } from '../src/files/training-file.js';
import { solvePlan } from '../src/problem/solve.js';
import { traceExpression } from '../src/record/expression.js';
import { variablesOf } from '../src/formula/ast.js';
import { parseFormula } from '../src/formula/parse.js';

/*
 * Issue #13's fuzz suite: generated formulas, --at values, problem and training files and data
 * bytes, through the library entry points in-process (many runs, fast) and a small sample
 * through the real CLI in child processes with a memory cap. Every run ends with an answer or an
 * InputError (exit 2): never another error (an internal error), never a stack trace.
 * Seeded, so a failure repeats; fast-check prints the shrunk input.
 */

const SEED = 13;
const dir = mkdtempSync(join(tmpdir(), 'mashagrad-fuzz-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** How many runs of each property answered (the generators must reach past the first check). */
const answered = new Map<string, number>();

/** The run answers, or refuses with an InputError: anything else fails the property. */
function answersOrRefuses(property: string, run: () => unknown): void {
  try {
    run();
    answered.set(property, (answered.get(property) ?? 0) + 1);
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    expect(error.message.length).toBeGreaterThan(0);
    expect(error.message).not.toMatch(/\n\s+at .*:\d+:\d+/);
  }
}

/** Pieces people (and attackers) type: the grammar's tokens, names of Object's properties, bad numbers, controls. */
const FORMULA_PIECES = [
  'x', 'y', 'z', '+', '-', '*', '/', '^', '(', ')', ',', ' ', '.', 'e', 'pi', '2', '0', '0.5', '1e309', '1e-320', '0x10', '0b11', '1_0',
  'sin(', 'cos(', 'exp(', 'log(', 'sqrt(', 'tanh(', 'relu(', 'sigmoid(', 'abs(', 'max(', 'min(',
  'constructor', '__proto__', 'toString', 'NaN', 'Infinity', '\u001b[2J', '∞', '√', '²', '×', '−',
];
const formula = fc.oneof(
  fc.array(fc.constantFrom(...FORMULA_PIECES), { minLength: 1, maxLength: 24 }).map((pieces) => pieces.join('')),
  fc.string({ maxLength: 40 }),
);
/** Values for the variables a formula names, in order (a formula's `at` must name exactly its variables). */
const values = fc.array(fc.oneof(fc.double(), fc.constantFrom(0, -0, 1, -1, 2.5, 1e308, -1e-308)), { minLength: 1, maxLength: 4 });

/** The formula's trace at those values: every variable it names gets one. */
function traceAt(source: string, numbers: readonly number[]): void {
  const names = variablesOf(parseFormula(source));
  traceExpression(source, byName(names.map((name, i) => [name, numbers[i % numbers.length]!] as const)));
}

/** A valid text with one hostile edit: a piece inserted, or a stretch deleted. */
function mutated(bases: readonly string[], pieces: readonly string[]): fc.Arbitrary<string> {
  return fc.tuple(fc.constantFrom(...bases), fc.nat(), fc.nat({ max: 12 }), fc.constantFrom(...pieces), fc.boolean()).map(([base, at, length, piece, insert]) => {
    const position = at % (base.length + 1);
    return insert ? base.slice(0, position) + piece + base.slice(position) : base.slice(0, position) + base.slice(position + length);
  });
}
const YAML_PIECES = [
  '1e309', '-', '[', ']', '{', '}', ':', ',', '&a ', '*a', 'constructor', '__proto__', '.nan', '.inf', '-.inf', '"abc"', 'null', 'true',
  '0', '-1', '1000', '100000', '[[]]', '[[1, 2, 3]]', '\u001b]0;x\u0007', 'relu', 'softmax', 'linear', '\n  - sigmoid', 'epochs: 9', 'batch: 0',
];
const PROBLEMS = ['exercise-1', 'exercise-2', 'exercise-4-regression', 'exercise-4-classification', 'exercise-5-symbolic']
  .map((name) => readFileSync(new URL(`../examples/${name}.yaml`, import.meta.url), 'utf8'));

describe('fuzz, in-process: an answer or an InputError, never anything else', () => {
  it('formulas at generated points', () => {
    fc.assert(fc.property(formula, values, (source, numbers) => answersOrRefuses('formulas', () => traceAt(source, numbers))), { seed: SEED, numRuns: 400 });
    // The generator must reach the solver, not only the parser's refusals.
    expect(answered.get('formulas')).toBeGreaterThan(20);
  });

  it('--at values', () => {
    const assignment = fc.oneof(
      fc.tuple(fc.constantFrom('x', 'y', 'constructor', '__proto__', '', '1x', 'x y'), fc.constantFrom('=', '==', ':', ''), fc.oneof(fc.string({ maxLength: 12 }), fc.double().map(String)))
        .map(([name, sign, value]) => `${name}${sign}${value}`),
      fc.string({ maxLength: 30 }),
    );
    fc.assert(fc.property(fc.array(assignment, { maxLength: 3 }), (parts) => answersOrRefuses('at', () => parseAssignments(parts))), { seed: SEED, numRuns: 400 });
    expect(answered.get('at')).toBeGreaterThan(20);
  });

  it('problem files with one hostile edit, parsed and solved', () => {
    fc.assert(fc.property(mutated(PROBLEMS, YAML_PIECES), (text) => answersOrRefuses('problems', () => solvePlan(parseProblem(text)))), { seed: SEED, numRuns: 150 });
    expect(answered.get('problems')).toBeGreaterThan(20);
  });

  it('training files with one hostile edit, checked against a small CSV data set', () => {
    writeFileSync(join(dir, 'points.csv'), 'a,b,label\n1,2,cat\n2,1,dog\n3,3,cat\n0,1,dog\n5,5,cat\n');
    const base = 'dataset: { csv: points.csv, target: label }\nmodel:\n  - linear: { out: 4, init: he }\n  - relu\n  - linear: { out: 2 }\n  - softmax\nloss: cross_entropy\ntrain: { optimizer: adam, lr: 0.01, batch: 2, epochs: 1 }\n';
    let count = 0;
    fc.assert(fc.property(mutated([base], [...YAML_PIECES, 'csv: nowhere.csv', 'idx: x', 'fashion-mnist', 'test_fraction: 0.99', 'standardize: true', 'dtype: float16']), (text) => {
      const file = join(dir, `training-${++count}.yaml`);
      writeFileSync(file, text);
      answersOrRefuses('training', () => {
        const training = loadTrainingFile(file);
        planTraining(training, loadDataset(training.dataset, { seed: 0 }).train);
      });
    }), { seed: SEED, numRuns: 120 });
    expect(answered.get('training')).toBeGreaterThan(3);
  });

  it('IDX bytes: random, and a valid header with hostile sizes', () => {
    answered.delete('idx');
    const header = fc.tuple(fc.constantFrom(0x08, 0x09, 0x0b, 0x0c, 0x0d, 0x0e, 0xff), fc.integer({ min: 0, max: 4 }), fc.array(fc.constantFrom(0, 1, 2, 28, 0x7fffffff, 0xffffffff), { maxLength: 4 }), fc.uint8Array({ maxLength: 64 }))
      .map(([type, rank, sizes, body]) => {
        const bytes = new Uint8Array(4 + 4 * sizes.length + body.length);
        const view = new DataView(bytes.buffer);
        bytes[2] = type;
        bytes[3] = rank;
        sizes.forEach((size, i) => view.setUint32(4 + 4 * i, size));
        bytes.set(body, 4 + 4 * sizes.length);
        return bytes;
      });
    fc.assert(fc.property(fc.oneof(header, fc.uint8Array({ maxLength: 64 })), (bytes) => answersOrRefuses('idx', () => parseIdx(bytes, 'fuzz.idx'))), { seed: SEED, numRuns: 300 });
  });

  it('CSV text', () => {
    const cell = fc.oneof(fc.constantFrom('1', '-2.5', '', 'NaN', 'Infinity', '1e309', '"a,b"', '"', 'cat', '__proto__', 'constructor', '\u001b[31m', ' '), fc.string({ maxLength: 6 }));
    const anyLines = fc.array(fc.array(cell, { minLength: 1, maxLength: 4 }).map((cells) => cells.join(',')), { maxLength: 8 }).map((lines) => lines.join('\n'));
    // Mostly well formed (a header, numbers, a label), with hostile cells here and there.
    const number = fc.oneof(fc.double({ noNaN: true, min: -1e6, max: 1e6 }).map(String), cell);
    const table = fc.array(fc.tuple(number, number, fc.constantFrom('cat', 'dog', '__proto__', 'constructor', '1', '')).map((cells) => cells.join(',')), { minLength: 1, maxLength: 8 })
      .map((rows) => ['a,b,label', ...rows].join('\n'));
    const csv = fc.oneof(anyLines, table);
    let count = 0;
    fc.assert(fc.property(csv, fc.constantFrom(undefined, 0, 1, 'label', 'constructor'), (text, target) => {
      const file = join(dir, `data-${++count}.csv`);
      writeFileSync(file, text);
      answersOrRefuses('csv', () => loadCsv(file, target === undefined ? {} : { target }));
    }), { seed: SEED, numRuns: 200 });
    expect(answered.get('csv')).toBeGreaterThan(3);
  });
});

const run = promisify(execFile);

describe('fuzz, a sample through the real CLI (child processes, 256 MB heap)', () => {
  it('exit 0 or 2, no internal error, no stack trace', async () => {
    const formulas = fc.sample(formula, { seed: SEED, numRuns: 3 });
    const problems = fc.sample(mutated(PROBLEMS, YAML_PIECES), { seed: SEED, numRuns: 3 }).map((text, i) => {
      const file = join(dir, `cli-${i}.yaml`);
      writeFileSync(file, text);
      return file;
    });
    const pointFor = (source: string) => {
      try {
        return variablesOf(parseFormula(source)).map((name, i) => `${name}=${i + 1}`).join(',') || 'x=1';
      } catch {
        return 'x=1';
      }
    };
    // And one that would need gigabytes without its limit: the 256 MB heap shows the bound holds.
    const huge = join(dir, 'cli-huge.yaml');
    writeFileSync(huge, PROBLEMS[1]!.replace('epochs: 1', 'epochs: 100000'));
    const runs = [...formulas.map((source) => ['grad', source, '--at', pointFor(source), '--explain']), ...problems.map((file) => ['solve', file]), ['solve', huge]];
    const results = await Promise.all(runs.map(async (argv) => {
      try {
        const { stdout, stderr } = await run(process.execPath, ['--max-old-space-size=256', '--import', 'tsx', 'src/cli/main.ts', ...argv], { timeout: 90_000, maxBuffer: 64 << 20 });
        return { argv, code: 0, stdout, stderr };
      } catch (error) {
        const failed = error as { code: number | null; stderr: string; stdout: string };
        return { argv, code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
      }
    }));
    for (const result of results) {
      expect([0, 2], JSON.stringify(result.argv)).toContain(result.code);
      expect(result.stderr).not.toContain('internal error');
      expect(result.stderr).not.toMatch(/\n\s+at .*:\d+:\d+/);
    }
  }, 180_000);
});

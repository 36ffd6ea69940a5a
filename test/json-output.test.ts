import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadSavedModel } from '../src/files/saved-model.js';
import { jsonNumber, jsonText } from '../src/trace/json-text.js';
import type { AnswerReport } from '../src/trace/types.js';
import { runMashagrad, solveText } from './worked-solutions.js';

/** Issue #13: JSON wrote NaN and ±∞ as null; now as "NaN", "Infinity", "-Infinity", read back where numbers are read. */

const dir = mkdtempSync(join(tmpdir(), 'mashagrad-json-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('lossless JSON', () => {
  it('writes NaN, Infinity and -Infinity as strings, everything else as JSON.stringify does', () => {
    const value = { a: Number.NaN, b: [Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 1.5, -0], c: 'NaN', d: null, e: new Float64Array([Number.NaN, 2]) };
    expect(JSON.parse(jsonText(value))).toEqual({ a: 'NaN', b: ['Infinity', '-Infinity', 1.5, 0], c: 'NaN', d: null, e: ['NaN', 2] });
    for (const number of [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 0.1]) {
      expect(jsonNumber(JSON.parse(jsonText(number)))).toBe(number);
    }
    expect(jsonNumber('nan')).toBeUndefined();
  });

  it('grad --json keeps a NaN value and an infinite gradient apart from each other', async () => {
    const nan = JSON.parse((await runMashagrad('grad', 'log(x)', '--at', 'x=-1', '--json')).stdout) as { value: unknown };
    expect(nan.value).toBe('NaN');
    const infinite = JSON.parse((await runMashagrad('grad', 'sqrt(x)', '--at', 'x=0', '--json')).stdout) as { gradient: { x: unknown } };
    expect(infinite.gradient.x).toBe('Infinity');
  });

  it('answers accept the strings back as numbers', () => {
    const trace = solveText('expression: log(x)\nat: { x: -1 }\nanswers: { value: "NaN", gradient: { x: -1 } }\n');
    const checks = (trace.answers as AnswerReport).checks;
    expect(checks.find((check) => check.path === 'value')?.verdict).toBe('right');
    const wrong = solveText('expression: log(x)\nat: { x: -1 }\nanswers: { value: "Infinity" }\n');
    expect((wrong.answers as AnswerReport).checks.find((check) => check.path === 'value')?.verdict).toBe('wrong');
  });

  it('a saved model reads the strings back as numbers (test results; non-finite weights are then refused by name)', () => {
    const model = { format: 'mashagrad-model', version: 1, title: 't', loss: 'mse', dtype: 'float64', classNames: null, training: { testLoss: 'NaN', testAccuracy: null }, model: [{ linear: { weights: [[1]], bias: [0] } }] };
    const good = join(dir, 'model.json');
    writeFileSync(good, jsonText(model));
    expect(Number.isNaN(loadSavedModel(good).saved.training.testLoss)).toBe(true);
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, jsonText({ ...model, model: [{ linear: { weights: [['Infinity']], bias: false } }] }));
    expect(() => loadSavedModel(bad)).toThrow(/model\[0\]\.linear\.weights/);
  });
});

import { describe, expect, it } from 'vitest';
import { parseProblem, solvePlan } from '../../src/problem/index.js';
import { CsvRefusal, readCsv } from '../../web/src/training/csv-data.js';
import { problemFileOf } from '../../web/src/training/problem-export.js';
import { checkSettings } from '../../web/src/training/settings.js';
import { DEFAULT_TRAINING, Trainer } from '../../web/src/training/trainer.js';
import { threeClusters } from './csv-sample.js';

const refusal = (text: string) => {
  try {
    readCsv(text);
  } catch (error) {
    if (error instanceof CsvRefusal) return error.expected;
    throw error;
  }
  return null;
};

// Your own points in the training mode, in Node: the same code the page's worker runs.
describe('Training mode: your own CSV', () => {
  it('reads a header, semicolons with decimal commas, scales each coordinate onto [−1, 1] and orders numeric classes by value', () => {
    const data = readCsv('a;b;class\n0,5;10;2\n1,5;20;10\n\n2,5;30;2\n3,5;40;10\n');
    [-1, -1, -1 / 3, -1 / 3, 1 / 3, 1 / 3, 1, 1].forEach((value, i) => expect(data.points[i]).toBeCloseTo(value, 14));
    expect(data.classNames).toEqual(['2', '10']);
    expect([...data.labels]).toEqual([0, 1, 0, 1]);
  });

  it('refuses a bad CSV naming the row and the column', () => {
    expect(refusal('x,y,l\n1,2,a\n3,4\n5,6,b\n7,8,a\n')).toEqual({ word: 'csvColumns', fill: { row: '3', count: '2' } });
    expect(refusal('1,2,a\n3,abc,b\n5,6,b\n7,8,a\n')).toEqual({ word: 'csvNumber', fill: { row: '2', column: '2', given: 'abc' } });
    expect(refusal('1,2,a\n3,4,\n5,6,b\n7,8,a\n')).toEqual({ word: 'csvLabel', fill: { row: '2' } });
    expect(refusal('1,2,a\n3,4,a\n5,6,a\n7,8,a\n')?.word).toBe('csvOneClass');
    expect(refusal('1,2,a\n3,4,b\n')?.word).toBe('csvTooFewRows');
    expect(refusal(Array.from({ length: 8 }, (_, i) => `${i},${i},c${i}`).join('\n'))?.word).toBe('csvTooManyClasses');
    expect(refusal('')?.word).toBe('csvEmpty');
    expect(checkSettings({ dataset: 'csv', csv: '1,2,a\n3,x,b\n5,6,b\n7,8,a\n' }).problems).toEqual([{ field: 'csv', given: '', expected: { word: 'csvNumber', fill: { row: '2', column: '2', given: 'x' } } }]);
    expect(checkSettings({ dataset: 'csv', csv: 12 }).problems.map((problem) => problem.expected.word)).toEqual(['csvNotText']);
    expect(checkSettings({ dataset: 'csv', csv: `${'1,2,a\n'.repeat(8000)}` }).problems.map((problem) => problem.expected.word)).toEqual(['csvTooLong']);
    // A bad CSV that is not chosen as the data does not stop the generated sets.
    expect(checkSettings({ dataset: 'xor', csv: 'nonsense' }).problems).toEqual([]);
  });

  it('three classes train a softmax of three outputs with cross-entropy to 90% accuracy, and the explained step is that step', () => {
    const settings = { ...DEFAULT_TRAINING, dataset: 'csv', csv: threeClusters(), lr: 0.05 } as const;
    const trainer = new Trainer(settings);
    expect(trainer.classes).toBe(3);
    expect(trainer.classNames).toEqual(['cat', 'dog', 'fox']);
    expect(trainer.loss).toBe('cross_entropy');
    expect(trainer.model.layers.at(-1)!.kind).toBe('softmax');
    expect(trainer.weights().at(-1).outputs).toBe(3);
    for (let i = 0; i < 400 && (trainer.report().accuracy ?? 0) < 0.9; i++) trainer.step();
    expect(trainer.report().accuracy).toBeGreaterThanOrEqual(0.9);
    const trace = solvePlan(parseProblem(problemFileOf(trainer, trainer.stepper.nextRows(), 'step')));
    if (trace.kind !== 'network') throw new Error('expected a network problem');
    trainer.step();
    expect(trace.steps[0]!.loss).toBeCloseTo(trainer.last!.loss, 12);
    // The grid gives each cell its three probabilities.
    const { output } = trainer.grid(4, false);
    expect(output.length).toBe(4 * 4 * 3);
    expect(output[0]! + output[1]! + output[2]!).toBeCloseTo(1, 12);
  });

  it('two classes of your own train as the generated sets do: one output and a sigmoid', () => {
    const trainer = new Trainer({ ...DEFAULT_TRAINING, dataset: 'csv', csv: '0,0,no\n1,1,yes\n0,1,no\n1,0,yes\n0.2,0.1,no\n0.9,0.8,yes\n' });
    expect(trainer.classes).toBe(2);
    expect(trainer.loss).toBe('logloss');
    expect(trainer.model.layers.at(-1)!.kind).toBe('sigmoid');
  });
});

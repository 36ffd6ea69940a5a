import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { loadCsv, type CsvOptions } from './csv.js';
import { DataError } from './data-error.js';

const folder = mkdtempSync(join(tmpdir(), 'mashagrad-csv-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

let fileNumber = 0;
function csvFile(text: string): string {
  const path = join(folder, `table-${++fileNumber}.csv`);
  writeFileSync(path, text);
  return path;
}

function loadError(path: string, options: Partial<CsvOptions> = {}): string {
  try {
    loadCsv(path, options);
  } catch (error) {
    expect(error).toBeInstanceOf(DataError);
    return (error as DataError).message;
  }
  throw new Error(`loadCsv(${path}) should have failed`);
}

const IRIS = `sepal_length,sepal_width,petal_length,petal_width,species
5.1,3.5,1.4,0.2,setosa
7.0,3.2,4.7,1.4,versicolor
6.3,3.3,6.0,2.5,virginica
4.9,3.0,1.4,0.2,setosa
`;

describe('loadCsv: reading the table', () => {
  it('detects a header, takes the last column as target and encodes string labels in sorted order', () => {
    const path = csvFile(IRIS);
    const { train, test } = loadCsv(path);
    expect(test).toBeNull();
    expect(train).toMatchObject({ source: path, count: 4, features: 4, classes: 3, targets: null, targetWidth: 0 });
    expect(train.classNames).toEqual(['setosa', 'versicolor', 'virginica']);
    expect(Array.from(train.labels ?? [])).toEqual([0, 1, 2, 0]);
    expect(Array.from(train.x.subarray(4, 8))).toEqual([7.0, 3.2, 4.7, 1.4].map(Math.fround));
  });

  it('sorts classes rather than taking them in order of first appearance', () => {
    const { train } = loadCsv(csvFile('x,animal\n1,dog\n2,cat\n3,dog\n4,bee\n'));
    expect(train.classNames).toEqual(['bee', 'cat', 'dog']);
    expect(Array.from(train.labels ?? [])).toEqual([2, 1, 2, 0]);
  });

  it('sorts numeric class labels as numbers and treats 1 and 1.0 as one class', () => {
    const { train } = loadCsv(csvFile('a,b,grade\n0,0,10\n0,1,2\n1,0,1.0\n1,1,1\n'));
    expect(train.classNames).toEqual(['1', '2', '10']);
    expect(Array.from(train.labels ?? [])).toEqual([2, 1, 0, 0]);
  });

  it('reads a file without a header as data from line 1', () => {
    const { train } = loadCsv(csvFile('1,2,0\n3,4,1\n5,6,0\n'));
    expect(train.count).toBe(3);
    expect(Array.from(train.x)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(train.classNames).toEqual(['0', '1']);
    expect(Array.from(train.labels ?? [])).toEqual([0, 1, 0]);
  });

  it('does not mistake a string label column on line 1 for a header', () => {
    const { train } = loadCsv(csvFile('5.1,setosa\n7.0,versicolor\n'));
    expect(train.count).toBe(2);
    expect(train.classNames).toEqual(['setosa', 'versicolor']);
  });

  it('obeys header: true and header: false over the detection', () => {
    const numericHeader = csvFile('1,2,3\n4,5,0\n7,8,1\n');
    expect(loadCsv(numericHeader).train.count).toBe(3);
    expect(loadCsv(numericHeader, { header: true }).train.count).toBe(2);
    expect(loadCsv(numericHeader, { header: true, target: '1' }).train.x[0]).toBe(5);
    expect(loadError(csvFile('a,b\n1,2\n'), { header: false })).toContain("line 1, column 0 (0-based): 'a' is not a number");
  });

  it('skips blank lines, strips a byte-order mark and CRLF, trims fields and reads gzip', () => {
    const text = '\uFEFFa , b,label\r\n\r\n1, 2 ,yes\r\n3,4, no\r\n';
    const { train } = loadCsv(csvFile(text));
    expect(Array.from(train.x)).toEqual([1, 2, 3, 4]);
    expect(train.classNames).toEqual(['no', 'yes']);
    const zipped = join(folder, 'zipped.csv.gz');
    writeFileSync(zipped, gzipSync(IRIS));
    expect(loadCsv(zipped).train.count).toBe(4);
  });
});

const PEOPLE = `age,height,weight,group
20,1.70,65.5,1
31,1.82,80.25,2
47,1.65,70,1
`;

describe('loadCsv: target and task', () => {
  it('takes the target column by name, by index and by a string of digits; the rest stay in file order', () => {
    const path = csvFile(PEOPLE);
    const byName = loadCsv(path, { target: 'height' }).train;
    expect(byName.features).toBe(3);
    expect(Array.from(byName.x.subarray(0, 3))).toEqual([20, 65.5, 1]);
    expect(Array.from(byName.targets ?? [])).toEqual([1.7, 1.82, 1.65].map(Math.fround));
    expect(loadCsv(path, { target: 1 }).train.targets).toEqual(byName.targets);
    expect(loadCsv(path, { target: '1' }).train.targets).toEqual(byName.targets);
    expect(Array.from(loadCsv(path, { target: 0 }).train.x.subarray(0, 3))).toEqual([1.7, 65.5, 1].map(Math.fround));
  });

  it('infers regression from non-integer targets or more than 20 distinct integers', () => {
    const { train } = loadCsv(csvFile(PEOPLE), { target: 'weight' });
    expect(train).toMatchObject({ labels: null, classes: 0, classNames: null, targetWidth: 1 });
    expect(Array.from(train.targets ?? [])).toEqual([65.5, 80.25, 70]);
    const integers = (count: number): string => `x,y\n${Array.from({ length: count }, (_, i) => `${i},${i * 3}`).join('\n')}\n`;
    expect(loadCsv(csvFile(integers(20))).train.classes).toBe(20);
    expect(loadCsv(csvFile(integers(21))).train).toMatchObject({ classes: 0, targetWidth: 1 });
  });

  it('infers classification from up to 20 distinct integers, and obeys an explicit task', () => {
    const path = csvFile(PEOPLE);
    expect(loadCsv(path).train).toMatchObject({ classes: 2, classNames: ['1', '2'], targets: null });
    const regression = loadCsv(path, { task: 'regression' }).train;
    expect(Array.from(regression.targets ?? [])).toEqual([1, 2, 1]);
    const classification = loadCsv(path, { target: 'weight', task: 'classification' }).train;
    expect(classification.classNames).toEqual(['65.5', '70', '80.25']);
    expect(Array.from(classification.labels ?? [])).toEqual([0, 2, 1]);
  });
});

describe('loadCsv: seeded train/test split', () => {
  const rows = Array.from({ length: 10 }, (_, i) => `${i},${i % 2}`).join('\n');
  const path = csvFile(`id,parity\n${rows}\n`);
  const ids = (x: Float32Array | undefined): number[] => Array.from(x ?? []);

  it('holds out round(count × fraction) rows, each part in file order, together every row once', () => {
    const { train, test } = loadCsv(path, { testFraction: 0.3, seed: 7 });
    expect(train.count).toBe(7);
    expect(test?.count).toBe(3);
    const trainIds = ids(train.x);
    const testIds = ids(test?.x);
    expect([...trainIds, ...testIds].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(trainIds).toEqual([...trainIds].sort((a, b) => a - b));
    expect(testIds).toEqual([...testIds].sort((a, b) => a - b));
    // labels travel with their rows: parity of the id
    expect(Array.from(test?.labels ?? [])).toEqual(testIds.map((id) => id % 2));
    expect(test?.classNames).toEqual(['0', '1']);
    expect(test?.source).toBe(`${path} (test part, seed 7)`);
  });

  it('moves regression targets with their rows', () => {
    const scaled = csvFile(`id,tenfold\n${Array.from({ length: 10 }, (_, i) => `${i},${i * 10 + 0.5}`).join('\n')}\n`);
    const { test } = loadCsv(scaled, { testFraction: 0.5, seed: 3 });
    expect(test?.count).toBe(5);
    expect(Array.from(test?.targets ?? [])).toEqual(ids(test?.x).map((id) => id * 10 + 0.5));
  });

  it('gives the same split for the same seed and another for another seed', () => {
    const first = ids(loadCsv(path, { testFraction: 0.3, seed: 7 }).test?.x);
    expect(ids(loadCsv(path, { testFraction: 0.3, seed: 7 }).test?.x)).toEqual(first);
    const others = [1, 2, 3].map((seed) => ids(loadCsv(path, { testFraction: 0.3, seed }).test?.x));
    expect(others.some((other) => other.join() !== first.join())).toBe(true);
  });

  it('rejects a fraction outside [0, 1)', () => {
    expect(loadError(path, { testFraction: 1 })).toContain('test fraction 1 is not in [0, 1)');
    expect(loadError(path, { testFraction: -0.1 })).toContain('test fraction -0.1 is not in [0, 1)');
  });
});

describe('loadCsv: errors name the file, line and column', () => {
  it('a ragged row', () => {
    const path = csvFile('a,b,c\n1,2,3\n\n4,5\n');
    expect(loadError(path)).toBe(
      `${path}: line 4 has 2 field(s), but line 1 has 3; every row needs one value per column (a missing value or a stray comma?)`,
    );
  });

  it('a feature that is not a number, or empty', () => {
    const lines = IRIS.split('\n');
    lines.splice(6, 0, '5.0,3.6,1.4,abc,setosa');
    const path = csvFile(lines.join('\n'));
    expect(loadError(path)).toBe(`${path}: line 7, column 'petal_width' (index 3): 'abc' is not a number; features must be numbers`);
    expect(loadError(csvFile('a,b,y\n1,,0\n2,3,1\n'))).toContain("line 2, column 'b' (index 1): the value is empty");
  });

  it('a regression target that is not a number', () => {
    expect(loadError(csvFile(IRIS), { task: 'regression' })).toContain(
      "line 2, column 'species' (index 4): 'setosa' is not a number; regression targets must be numbers (or use task classification)",
    );
  });

  it('an unknown target column, listing the columns', () => {
    const path = csvFile(PEOPLE);
    expect(loadError(path, { target: 'mass' })).toBe(
      `${path}: no target column named 'mass'; its columns are 'age' (0), 'height' (1), 'weight' (2), 'group' (3)`,
    );
    expect(loadError(path, { target: 4 })).toContain('target column index 4 is outside 0–3');
    expect(loadError(csvFile('1,2\n3,4\n'), { target: 'y' })).toContain("no target column named 'y'; it has no header row, so pass a 0-based index 0–1");
    expect(loadError(csvFile('x,x,y\n1,2,0\n'), { target: 'x' })).toContain("target column 'x' is ambiguous: 2 header columns have that name (indices 0, 1)");
  });

  it('an empty class label', () => {
    expect(loadError(csvFile('a,y\n1,cat\n2,\n'))).toContain("line 3, column 'y' (index 1): the class label is empty");
  });

  it('a file without data, without features, with a broken quote, or missing', () => {
    expect(loadError(csvFile(''))).toContain('is empty');
    expect(loadError(csvFile('a,b,c\n'))).toContain('has no data rows below its header line');
    expect(loadError(csvFile('a;b;c\n1;2;3\n'))).toContain('a data set needs at least one feature column too (are the fields separated by commas?)');
    expect(loadError(csvFile('a,b\n"1,2\n'))).toContain('not valid CSV: Quote Not Closed');
    const missing = join(folder, 'absent.csv');
    expect(loadError(missing)).toBe(`cannot read ${missing}: no such file`);
  });
});

describe('loadCsv: numbers', () => {
  it('reads signs, decimals and exponents, and rejects hex, Infinity and words', () => {
    const { train } = loadCsv(csvFile('a,b,c,y\n-1.5,+.25,2e3,0\n7.,1E-2,-0,1\n'));
    expect(Array.from(train.x)).toEqual([-1.5, 0.25, 2000, 7, Math.fround(0.01), -0]);
    expect(loadError(csvFile('a,y\n0x1F,0\n'))).toContain("'0x1F' is not a number");
    expect(loadError(csvFile('a,y\nInfinity,0\n'))).toContain("'Infinity' is not a number");
  });
});

import { Random } from '../../src/index.js';

/** Three clusters of 30 points each, labelled by name: a multi-class CSV a teacher might paste. */
export function threeClusters(): string {
  const random = new Random(3);
  const centres: [number, number, string][] = [[2, 2, 'cat'], [-2, 1, 'dog'], [0, -2.5, 'fox']];
  const rows = centres.flatMap(([x, y, label]) => Array.from({ length: 30 }, () => `${(x + random.normal(0, 0.5)).toFixed(3)},${(y + random.normal(0, 0.5)).toFixed(3)},${label}`));
  return `x1,x2,animal\n${rows.join('\n')}\n`;
}

import type { Line } from '../../src/draw/index.js';
import type { PictureNumbers } from './network-picture.js';

/** Where the network picture puts its neurons. */
export interface Geometry {
  readonly width: number;
  readonly height: number;
  readonly radius: number;
  /** The centre of neuron `unit` of column `column` (0: the inputs). */
  readonly place: (column: number, unit: number) => [number, number];
  /** With numbers, the picture keeps its size in pixels (text stays readable) and scrolls in its box; otherwise it scales to the box. */
  readonly fixedSize: boolean;
  /** The left middle of the loss's box (with numbers), and its width. */
  readonly lossAt: [number, number];
  readonly lossWidth: number;
}

/** Training mode's picture: 300 × 400, scaled to its box. */
const [SMALL_WIDTH, SMALL_HEIGHT, SMALL_RADIUS] = [300, 400, 14];
/** Problem mode's picture: a column per layer wide enough for its numbers, 13 px a line of text. */
const [COLUMN, LINE, RADIUS, MARGIN] = [190, 13, 16, 70];
/** About the width of a character of 11 px text, to size the loss's box to its longest line. */
const CHARACTER = 6.5;

export function pictureGeometry(widths: readonly number[], numbers: PictureNumbers | undefined): Geometry {
  if (numbers === undefined) {
    return {
      width: SMALL_WIDTH, height: SMALL_HEIGHT, radius: SMALL_RADIUS, fixedSize: false, lossAt: [SMALL_WIDTH, SMALL_HEIGHT / 2], lossWidth: 0,
      place: (column, unit) => [
        SMALL_RADIUS + 44 + (column * (SMALL_WIDTH - 2 * SMALL_RADIUS - 64)) / Math.max(1, widths.length - 1),
        (SMALL_HEIGHT * (unit + 0.5)) / widths[column]!,
      ],
    };
  }
  // Each neuron's slot: its circle, then its lines of numbers (and its bias's line) under it.
  const linesUnder = Math.max(1, ...numbers.units.map((column, k) => Math.max(0, ...column.map((lines) => lines.length + (k > 0 ? 1 : 0)))));
  const slot = 2 * RADIUS + 24 + linesUnder * LINE;
  const height = Math.max(...widths) * slot + 10;
  const lossWidth = Math.round(16 + CHARACTER * Math.max(...numbers.loss.map(lineLength)));
  const width = MARGIN + (widths.length - 1) * COLUMN + RADIUS + 60 + lossWidth + 10;
  const place = (column: number, unit: number): [number, number] => [
    MARGIN + column * COLUMN,
    // A column with fewer neurons is centred beside the tallest one.
    (height - widths[column]! * slot) / 2 + unit * slot + RADIUS + 10,
  ];
  return { width, height, radius: RADIUS, fixedSize: true, place, lossAt: [width - lossWidth - 10, height / 2], lossWidth };
}

const lineLength = (line: Line): number => (typeof line === 'string' ? line : line.map((span) => span.text).join('')).length;

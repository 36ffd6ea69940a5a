const SVG = 'http://www.w3.org/2000/svg';
const [WIDTH, HEIGHT] = [320, 150];
const [LEFT, RIGHT, TOP, BOTTOM] = [44, 10, 10, 28];
/** The most points kept per line: beyond it every other point is dropped (the chart stays cheap). */
const MOST_POINTS = 600;

export interface LossPoint {
  readonly step: number;
  readonly loss: number;
  readonly testLoss: number | null;
}

export interface ChartWords {
  readonly step: string;
  readonly loss: string;
  readonly train: string;
  readonly test: string;
}

/** The losses seen so far, thinned evenly once there are many. */
export class LossHistory {
  points: LossPoint[] = [];
  add(point: LossPoint): void {
    if (this.points.length > 0 && this.points[this.points.length - 1]!.step === point.step) this.points.pop();
    this.points.push(point);
    if (this.points.length > MOST_POINTS) this.points = this.points.filter((_, i) => i % 2 === 0 || i === this.points.length - 1);
  }
}

/**
 * The training and test loss against the step, with numbered axes. The y axis is linear while
 * the losses stay within 20× of each other; beyond that (a blow-up) it is logarithmic, so a
 * jump from 0.7 to 700 stays a jump of three decades instead of flattening the start into a line.
 */
export function drawLossChart(target: HTMLElement, points: readonly LossPoint[], startLoss: number, words: ChartWords): void {
  const values = points.flatMap(({ loss, testLoss }) => [loss, testLoss ?? Number.NaN]).filter((value) => Number.isFinite(value) && value >= 0);
  if (Number.isFinite(startLoss)) values.push(startLoss);
  const low = Math.min(...values, Number.POSITIVE_INFINITY);
  const high = Math.max(...values, 0);
  const logarithmic = values.length > 0 && high > 20 * Math.max(low, 1e-12) && low > 0;
  const lastStep = Math.max(1, points[points.length - 1]?.step ?? 1);
  const [y0, y1] = logarithmic ? [Math.log10(low), Math.log10(high)] : [0, high > 0 ? high * 1.05 : 1];
  const toY = (value: number) => {
    const v = logarithmic ? Math.log10(Math.max(value, low)) : value;
    return TOP + (HEIGHT - TOP - BOTTOM) * (1 - (v - y0) / Math.max(y1 - y0, 1e-12));
  };
  const toX = (step: number) => LEFT + ((WIDTH - LEFT - RIGHT) * step) / lastStep;
  const svg = make('svg', { viewBox: `0 0 ${WIDTH} ${HEIGHT}`, role: 'img', 'data-scale': logarithmic ? 'log' : 'linear' });
  svg.append(make('line', { x1: LEFT, y1: HEIGHT - BOTTOM, x2: WIDTH - RIGHT, y2: HEIGHT - BOTTOM, stroke: '#555' }));
  svg.append(make('line', { x1: LEFT, y1: TOP, x2: LEFT, y2: HEIGHT - BOTTOM, stroke: '#555' }));
  for (const tick of yTicks(y0, y1, logarithmic)) {
    const y = toY(tick);
    svg.append(make('line', { x1: LEFT - 3, y1: y, x2: WIDTH - RIGHT, y2: y, stroke: '#ddd' }));
    svg.append(text(LEFT - 5, y + 3, shortNumber(tick), 'end', 'y-tick'));
  }
  for (const [tick, anchor] of [[0, 'start'], [lastStep / 2, 'middle'], [lastStep, 'end']] as const) svg.append(text(toX(tick), HEIGHT - BOTTOM + 12, shortNumber(Math.round(tick)), anchor, 'x-tick'));
  svg.append(text((LEFT + WIDTH) / 2, HEIGHT - 3, words.step, 'middle', 'axis-name'));
  svg.append(text(4, TOP + 8, words.loss, 'start', 'axis-name'));
  if (Number.isFinite(startLoss)) svg.append(make('line', { x1: LEFT, y1: toY(startLoss), x2: WIDTH - RIGHT, y2: toY(startLoss), stroke: '#999', 'stroke-dasharray': '3 3' }));
  const line = (pick: (point: LossPoint) => number | null, colour: string, name: string) => {
    const drawn = points.filter((point) => Number.isFinite(pick(point) ?? Number.NaN));
    if (drawn.length === 0) return;
    const coordinates = drawn.map((point) => `${toX(point.step).toFixed(1)},${toY(pick(point)!).toFixed(1)}`);
    // One point (step 0): a dot, so the chart is not empty before training.
    if (drawn.length === 1) svg.append(make('circle', { cx: toX(drawn[0]!.step), cy: toY(pick(drawn[0]!)!), r: 2.5, fill: colour, class: name }));
    else svg.append(make('polyline', { points: coordinates.join(' '), fill: 'none', stroke: colour, 'stroke-width': 1.8, class: name }));
  };
  line((point) => point.testLoss, '#999', 'test-line');
  line((point) => point.loss, '#2d3e50', 'train-line');
  svg.append(text(WIDTH - RIGHT, TOP + 8, `— ${words.train}`, 'end', 'legend-train'));
  if (points.some((point) => point.testLoss !== null)) svg.append(text(WIDTH - RIGHT, TOP + 20, `— ${words.test}`, 'end', 'legend-test', '#888'));
  target.replaceChildren(svg);
}

function yTicks(y0: number, y1: number, logarithmic: boolean): number[] {
  if (logarithmic) {
    const ticks: number[] = [];
    for (let power = Math.ceil(y0); power <= Math.floor(y1); power++) ticks.push(10 ** power);
    return ticks;
  }
  const step = niceStep(y1 / 4);
  return Array.from({ length: Math.floor(y1 / step) + 1 }, (_, i) => i * step);
}

function niceStep(rough: number): number {
  const power = 10 ** Math.floor(Math.log10(rough));
  const fraction = rough / power;
  return (fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10) * power;
}

function shortNumber(value: number): string {
  if (value === 0) return '0';
  if (Math.abs(value) >= 1e6 || Math.abs(value) < 1e-3) return value.toExponential(0);
  return String(Number(value.toPrecision(3)));
}

function text(x: number, y: number, content: string, anchor: string, className: string, fill = '#333'): SVGTextElement {
  const node = make('text', { x, y, 'text-anchor': anchor, 'font-size': 10, fill, class: className });
  node.textContent = content;
  return node;
}

function make<K extends keyof SVGElementTagNameMap>(tag: K, attributes: Readonly<Record<string, string | number>>): SVGElementTagNameMap[K] {
  const node = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, String(value));
  return node;
}

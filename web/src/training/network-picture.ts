import type { LayerWeights } from './trainer.js';

const SVG = 'http://www.w3.org/2000/svg';
const [WIDTH, HEIGHT, RADIUS] = [300, 400, 11];
/** A weight of this size or more is drawn at the widest line. */
const WIDEST_WEIGHT = 3;

/**
 * The network being trained, as TensorFlow Playground draws it: neurons in columns, one line
 * per weight, blue for a positive weight and orange for a negative one, thicker the larger it
 * is; a neuron's fill is its bias in the same colours. It is drawn once per network shape and
 * then only its colours and widths change, so it can follow training at every frame.
 */
export class NetworkPicture {
  private svg: SVGSVGElement | undefined;
  private lines: SVGLineElement[] = [];
  private neurons: SVGCircleElement[] = [];
  private shape = '';

  constructor(private readonly target: HTMLElement) {}

  show(layers: readonly LayerWeights[]): void {
    const shape = layers.map((layer) => `${layer.inputs}x${layer.outputs}`).join(',');
    if (shape !== this.shape || this.svg === undefined) this.build(layers, shape);
    let line = 0;
    let neuron = 0;
    for (const layer of layers) {
      layer.weight.forEach((weight) => this.colourLine(this.lines[line++], weight));
      layer.bias.forEach((bias) => this.colourNeuron(this.neurons[neuron++], bias));
    }
  }

  private build(layers: readonly LayerWeights[], shape: string): void {
    this.shape = shape;
    const widths = [layers[0]?.inputs ?? 0, ...layers.map((layer) => layer.outputs)];
    const place = (column: number, unit: number): [number, number] => [
      RADIUS + 20 + (column * (WIDTH - 2 * RADIUS - 40)) / Math.max(1, widths.length - 1),
      (HEIGHT * (unit + 0.5)) / widths[column]!,
    ];
    const svg = make('svg', { viewBox: `0 0 ${WIDTH} ${HEIGHT}`, role: 'img' });
    this.lines = [];
    this.neurons = [];
    const lineGroup = make('g', {});
    layers.forEach((layer, k) => {
      // W is [inputs, outputs] row by row: entry i·outputs + j joins input i to output j.
      for (let i = 0; i < layer.inputs; i++) {
        for (let j = 0; j < layer.outputs; j++) {
          const [x1, y1] = place(k, i);
          const [x2, y2] = place(k + 1, j);
          const line = make('line', { x1, y1, x2, y2, 'data-layer': k, 'data-from': i, 'data-to': j });
          line.append(make('title', {}));
          lineGroup.append(line);
          this.lines.push(line);
        }
      }
    });
    svg.append(lineGroup);
    widths.forEach((width, column) => {
      for (let unit = 0; unit < width; unit++) {
        const [cx, cy] = place(column, unit);
        const circle = make('circle', { cx, cy, r: RADIUS, fill: '#fff', stroke: '#555', 'stroke-width': 1 });
        svg.append(circle);
        if (column > 0) {
          circle.append(make('title', {}));
          this.neurons.push(circle);
        }
        const label = column === 0 ? `x${'₁₂₃₄₅₆₇₈₉'[unit] ?? ''}` : column === widths.length - 1 ? 'ŷ' : '';
        if (label !== '') {
          const text = make('text', { x: cx, y: cy + 4, 'text-anchor': 'middle', 'font-size': 11 });
          text.textContent = label;
          svg.append(text);
        }
      }
    });
    this.svg = svg;
    this.target.replaceChildren(svg);
  }

  private colourLine(line: SVGLineElement | undefined, weight: number): void {
    if (line === undefined) return;
    const size = Number.isFinite(weight) ? Math.min(1, Math.abs(weight) / WIDEST_WEIGHT) : 0;
    line.setAttribute('stroke', weight >= 0 ? '#0877bd' : '#e8731a');
    line.setAttribute('stroke-width', (0.3 + 5.7 * size).toFixed(2));
    line.setAttribute('stroke-opacity', (0.35 + 0.6 * size).toFixed(2));
    line.dataset.weight = String(weight);
    const title = line.firstElementChild;
    if (title !== null) title.textContent = `w = ${weight.toFixed(3)}`;
  }

  private colourNeuron(circle: SVGCircleElement | undefined, bias: number): void {
    if (circle === undefined) return;
    const [r, g, b] = weightColour(Math.tanh(bias));
    circle.setAttribute('fill', `rgb(${r}, ${g}, ${b})`);
    circle.dataset.bias = String(bias);
    const title = circle.firstElementChild;
    if (title !== null) title.textContent = `b = ${bias.toFixed(3)}`;
  }
}

/** −1 → orange, 0 → white, 1 → blue. */
export function weightColour(t: number): [number, number, number] {
  const [orange, white, blue] = [[245, 147, 34], [232, 234, 235], [8, 119, 189]] as const;
  const clamped = Number.isFinite(t) ? Math.max(-1, Math.min(1, t)) : 0;
  const [from, to, s] = clamped < 0 ? [white, orange, -clamped] : [white, blue, clamped];
  return [0, 1, 2].map((c) => Math.round(from[c]! + (to[c]! - from[c]!) * s)) as [number, number, number];
}

function make<K extends keyof SVGElementTagNameMap>(tag: K, attributes: Readonly<Record<string, string | number>>): SVGElementTagNameMap[K] {
  const node = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, String(value));
  return node;
}

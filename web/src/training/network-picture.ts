import { paintGrid, rgb, signedColour } from './colours.js';
import type { LayerWeights } from './trainer.js';

const SVG = 'http://www.w3.org/2000/svg';
const [WIDTH, HEIGHT, RADIUS] = [300, 400, 14];
/** A weight of this size or more is drawn at the widest line. */
const WIDEST_WEIGHT = 3;

/** Which weight or bias was clicked: layer k, from input i to output j (to null: the bias of neuron i of layer k). */
export interface WeightChoice {
  readonly layer: number;
  readonly from: number;
  readonly to: number | null;
  readonly value: number;
}

/**
 * The network being trained, as TensorFlow Playground draws it: neurons in columns, one line
 * per weight, blue for a positive weight and orange for a negative one, thicker the larger it
 * is; each neuron shows its own output over the plane as a small heat map (large on hover),
 * ringed in its bias's colour. Drawn once per network shape; then only colours change.
 */
export class NetworkPicture {
  private svg: SVGSVGElement | undefined;
  private lines: SVGLineElement[] = [];
  private rings: SVGCircleElement[] = [];
  private maps: HTMLCanvasElement[] = [];
  private shape = '';
  private weights: readonly LayerWeights[] = [];

  constructor(private readonly target: HTMLElement, private readonly onChoose: (choice: WeightChoice) => void) {}

  /** The network with these weights; outputs are labelled ŷ, or by `outputLabels` (your classes' names). */
  show(layers: readonly LayerWeights[], inputLabels: readonly string[], outputLabels: readonly string[] = []): void {
    this.weights = layers;
    const shape = `${inputLabels.join(',')}|${outputLabels.join(',')}|${layers.map((layer) => `${layer.inputs}x${layer.outputs}`).join(',')}`;
    if (shape !== this.shape || this.svg === undefined) this.build(layers, shape, inputLabels, outputLabels);
    let line = 0;
    let ring = 0;
    for (const layer of layers) {
      layer.weight.forEach((weight) => this.colourLine(this.lines[line++], weight));
      layer.bias.forEach((bias) => this.colourRing(this.rings[ring++], bias));
    }
  }

  /** Each neuron's own output (inputs, then hidden layers; size×size each), mapped to colours. */
  showNeurons(neurons: readonly Float64Array[], size: number): void {
    neurons.forEach((values, i) => {
      const canvas = this.maps[i];
      if (canvas !== undefined) paintGrid(canvas, values, size, (value) => Math.tanh(value), 1);
    });
  }

  private build(layers: readonly LayerWeights[], shape: string, inputLabels: readonly string[], outputLabels: readonly string[]): void {
    this.shape = shape;
    const widths = [layers[0]?.inputs ?? inputLabels.length, ...layers.map((layer) => layer.outputs)];
    const place = (column: number, unit: number): [number, number] => [
      RADIUS + 44 + (column * (WIDTH - 2 * RADIUS - 64)) / Math.max(1, widths.length - 1),
      (HEIGHT * (unit + 0.5)) / widths[column]!,
    ];
    const svg = make('svg', { viewBox: `0 0 ${WIDTH} ${HEIGHT}`, role: 'img' });
    this.lines = [];
    this.rings = [];
    const lineGroup = make('g', {});
    layers.forEach((layer, k) => {
      // W is [inputs, outputs] row by row: entry i·outputs + j joins input i to output j.
      for (let i = 0; i < layer.inputs; i++) {
        for (let j = 0; j < layer.outputs; j++) {
          const [x1, y1] = place(k, i);
          const [x2, y2] = place(k + 1, j);
          const line = make('line', { x1, y1, x2, y2, 'data-layer': k, 'data-from': i, 'data-to': j, class: 'weight' });
          line.append(make('title', {}));
          // A wide invisible line over it, so that a thin weight is easy to click.
          const hit = make('line', { x1, y1, x2, y2, class: 'weight-hit', stroke: 'transparent', 'stroke-width': 8, 'data-layer': k, 'data-from': i, 'data-to': j });
          hit.addEventListener('click', () => this.choose(k, i, j));
          lineGroup.append(line, hit);
          this.lines.push(line);
        }
      }
    });
    svg.append(lineGroup);
    const overlays: HTMLElement[] = [];
    this.maps = [];
    widths.forEach((width, column) => {
      for (let unit = 0; unit < width; unit++) {
        const [cx, cy] = place(column, unit);
        const circle = make('circle', { cx, cy, r: RADIUS, fill: '#fff', stroke: '#555', 'stroke-width': 3, 'data-column': column, 'data-unit': unit });
        svg.append(circle);
        if (column > 0) {
          circle.append(make('title', {}));
          circle.addEventListener('click', () => this.choose(column - 1, unit, null));
          this.rings.push(circle);
        }
        const isOutput = column === widths.length - 1;
        if (!isOutput) {
          // The neuron's heat map: an HTML canvas over the circle, placed in percent of the picture.
          const map = document.createElement('canvas');
          [map.width, map.height] = [20, 20];
          map.className = 'neuron-map';
          map.style.left = `${(100 * (cx - RADIUS * 0.7)) / WIDTH}%`;
          map.style.top = `${(100 * (cy - RADIUS * 0.7)) / HEIGHT}%`;
          map.style.width = `${(100 * RADIUS * 1.4) / WIDTH}%`;
          map.dataset.column = String(column);
          map.dataset.unit = String(unit);
          // A hidden neuron's map covers most of its circle: a click on it chooses the neuron too.
          if (column > 0) map.addEventListener('click', () => this.choose(column - 1, unit, null));
          overlays.push(map);
          this.maps.push(map);
        }
        const named = isOutput && outputLabels[unit] !== undefined;
        const label = column === 0 ? inputLabels[unit] ?? '' : named ? outputLabels[unit]!.slice(0, 10) : isOutput ? 'ŷ' : '';
        if (label !== '') {
          // Inputs are named on their left; a class's name sits under its output neuron, ŷ inside it.
          const [x, y, anchor] = column === 0 ? [cx - RADIUS - 3, cy + 4, 'end'] : named ? [cx, cy + RADIUS + 11, 'middle'] : [cx, cy + 4, 'middle'];
          const text = make('text', { x, y, 'text-anchor': anchor, 'font-size': 10 });
          text.textContent = label;
          svg.append(text);
        }
      }
    });
    this.svg = svg;
    this.target.replaceChildren(svg, ...overlays);
  }

  /** Outline the chosen weight's line or neuron's circle (null: none). */
  mark(choice: Pick<WeightChoice, 'layer' | 'from' | 'to'> | null): void {
    for (const old of Array.from(this.target.querySelectorAll('.chosen'))) old.classList.remove('chosen');
    if (choice === null) return;
    const selector = choice.to === null
      ? `circle[data-column="${choice.layer + 1}"][data-unit="${choice.from}"]`
      : `line.weight[data-layer="${choice.layer}"][data-from="${choice.from}"][data-to="${choice.to}"]`;
    this.target.querySelector(selector)?.classList.add('chosen');
  }

  private choose(layer: number, from: number, to: number | null): void {
    const weights = this.weights[layer];
    if (weights === undefined) return;
    const value = to === null ? weights.bias[from] : weights.weight[from * weights.outputs + to];
    if (value !== undefined) this.onChoose({ layer, from, to, value });
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

  private colourRing(circle: SVGCircleElement | undefined, bias: number): void {
    if (circle === undefined) return;
    circle.setAttribute('stroke', rgb(signedColour(Math.tanh(bias))));
    circle.dataset.bias = String(bias);
    const title = circle.firstElementChild;
    if (title !== null) title.textContent = `b = ${bias.toFixed(3)}`;
  }
}

function make<K extends keyof SVGElementTagNameMap>(tag: K, attributes: Readonly<Record<string, string | number>>): SVGElementTagNameMap[K] {
  const node = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, String(value));
  return node;
}

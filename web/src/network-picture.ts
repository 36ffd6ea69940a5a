import type { Line } from '../../src/draw/index.js';
import { paintGrid, rgb, signedColour } from './training/colours.js';
import { pictureGeometry, type Geometry } from './network-geometry.js';

const SVG = 'http://www.w3.org/2000/svg';
/** A weight of this size or more is drawn at the widest line. */
const WIDEST_WEIGHT = 3;

/** A linear layer as the picture draws it: W is [inputs, outputs] row by row (entry i·outputs + j joins input i to output j). */
export interface PictureLayer {
  readonly inputs: number;
  readonly outputs: number;
  readonly weight: ArrayLike<number>;
  readonly bias: ArrayLike<number>;
}

/** Problem mode's numbers of one step, written on the picture (network-numbers.ts). */
export interface PictureNumbers {
  /** Per column (the inputs, then each linear layer with the activations after it), per neuron: its lines. */
  readonly units: readonly (readonly (readonly Line[])[])[];
  /** Per linear layer, per weight (i·outputs + j): before the step, ∂L/∂w, after. */
  readonly weights: readonly (readonly (readonly Line[])[])[];
  /** Per linear layer, per neuron: its bias's numbers, on one line. */
  readonly biases: readonly (readonly Line[])[];
  /** The loss's box. */
  readonly loss: readonly Line[];
}

/** Which weight or bias was clicked: layer k, from input i to output j (to null: the bias of neuron i of layer k). */
export interface WeightChoice {
  readonly layer: number;
  readonly from: number;
  readonly to: number | null;
  readonly value: number;
}

/**
 * The network picture of both modes, as TensorFlow Playground draws a network: neurons as
 * circles in columns, one line per weight, blue for a positive weight and orange for a negative
 * one, thicker the larger it is, each neuron ringed in its bias's colour. Training mode adds each
 * neuron's own output over the plane as a small heat map (large on hover); Problem mode writes
 * the numbers of the chosen step on it (values and gradients by the neurons, weight before, ∂L/∂w
 * and after on the lines) at a readable size, scrolling sideways in its box on a narrow screen.
 * A click on a neuron or a weight calls `onChoose`. Drawn once per shape; then only colours change.
 */
export class NetworkPicture {
  private svg: SVGSVGElement | undefined;
  private lines: SVGLineElement[] = [];
  private rings: SVGCircleElement[] = [];
  private maps: HTMLCanvasElement[] = [];
  private shape = '';
  private weights: readonly PictureLayer[] = [];

  constructor(private readonly target: HTMLElement, private readonly onChoose: (choice: WeightChoice) => void) {}

  /** The network with these weights; outputs are labelled ŷ, or by `outputLabels`; with `numbers`, a step's numbers on it. */
  show(layers: readonly PictureLayer[], inputLabels: readonly string[], outputLabels: readonly string[] = [], numbers?: PictureNumbers): void {
    this.weights = layers;
    const shape = `${inputLabels.join(',')}|${outputLabels.join(',')}|${layers.map((layer) => `${layer.inputs}x${layer.outputs}`).join(',')}`;
    // Numbers change with every step: a picture with numbers is drawn anew.
    if (numbers !== undefined || shape !== this.shape || this.svg === undefined) this.build(layers, shape, inputLabels, outputLabels, numbers);
    let line = 0;
    let ring = 0;
    for (const layer of layers) {
      Array.from(layer.weight, (weight) => this.colourLine(this.lines[line++], weight));
      Array.from(layer.bias, (bias) => this.colourRing(this.rings[ring++], bias));
    }
  }

  /** Each neuron's own output (inputs, then hidden layers; size×size each), mapped to colours. */
  showNeurons(neurons: readonly Float64Array[], size: number): void {
    neurons.forEach((values, i) => {
      const canvas = this.maps[i];
      if (canvas !== undefined) paintGrid(canvas, values, size, (value) => Math.tanh(value), 1);
    });
  }

  private build(layers: readonly PictureLayer[], shape: string, inputLabels: readonly string[], outputLabels: readonly string[], numbers: PictureNumbers | undefined): void {
    this.shape = numbers === undefined ? shape : '';
    const widths = [layers[0]?.inputs ?? inputLabels.length, ...layers.map((layer) => layer.outputs)];
    const geometry = pictureGeometry(widths, numbers);
    const { place, radius } = geometry;
    const svg = make('svg', geometry.fixedSize
      ? { viewBox: `0 0 ${geometry.width} ${geometry.height}`, width: geometry.width, height: geometry.height, role: 'img', class: 'with-numbers' }
      : { viewBox: `0 0 ${geometry.width} ${geometry.height}`, role: 'img' });
    this.lines = [];
    this.rings = [];
    const lineGroup = make('g', {});
    const labelGroup = make('g', { class: 'weight-numbers' });
    layers.forEach((layer, k) => {
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
          const label = numbers?.weights[k]?.[i * layer.outputs + j];
          if (label !== undefined) {
            // Input i's labels sit at (i + 1)/(inputs + 1) of the way along its lines: two lines that cross carry theirs apart.
            const t = (i + 1) / (layer.inputs + 1);
            labelGroup.append(textBlock(label, x1 + t * (x2 - x1), y1 + t * (y2 - y1) - 6 * label.length, 'middle', { 'data-layer': k, 'data-from': i, 'data-to': j }));
          }
        }
      }
    });
    svg.append(lineGroup, labelGroup);
    const overlays: HTMLElement[] = [];
    this.maps = [];
    widths.forEach((width, column) => {
      for (let unit = 0; unit < width; unit++) {
        const [cx, cy] = place(column, unit);
        const circle = make('circle', { cx, cy, r: radius, fill: column === 0 && numbers !== undefined ? '#eef3fb' : '#fff', stroke: '#555', 'stroke-width': 3, 'data-column': column, 'data-unit': unit });
        svg.append(circle);
        if (column > 0) {
          circle.append(make('title', {}));
          circle.addEventListener('click', () => this.choose(column - 1, unit, null));
          this.rings.push(circle);
        }
        const isOutput = column === widths.length - 1;
        if (!isOutput && numbers === undefined) overlays.push(this.heatMap(geometry, column, unit));
        const named = isOutput && outputLabels[unit] !== undefined;
        const label = column === 0 ? inputLabels[unit] ?? '' : named ? outputLabels[unit]!.slice(0, 10) : isOutput ? 'ŷ' : '';
        if (label !== '' && numbers === undefined) {
          // Inputs are named on their left; a class's name sits under its output neuron, ŷ inside it.
          const [x, y, anchor] = column === 0 ? [cx - radius - 3, cy + 4, 'end'] : named ? [cx, cy + radius + 11, 'middle'] : [cx, cy + 4, 'middle'];
          const text = make('text', { x, y, 'text-anchor': anchor, 'font-size': 10 });
          text.textContent = label;
          svg.append(text);
        }
        const lines = numbers?.units[column]?.[unit];
        if (lines !== undefined) {
          const bias = column > 0 ? numbers?.biases[column - 1]?.[unit] : undefined;
          svg.append(textBlock(bias === undefined ? lines : [...lines, bias], cx, cy + radius + 13, 'middle', { 'data-column': column, 'data-unit': unit, class: 'unit-numbers' }));
        }
      }
    });
    if (numbers !== undefined) {
      const [x, y] = geometry.lossAt;
      for (let unit = 0; unit < widths[widths.length - 1]!; unit++) {
        const [ux, uy] = place(widths.length - 1, unit);
        svg.insertBefore(make('line', { x1: ux + radius, y1: uy, x2: x, y2: y, stroke: '#333', 'stroke-width': 1 }), svg.firstChild);
      }
      svg.append(make('rect', { x, y: y - 30, width: geometry.lossWidth, height: 60, rx: 4, fill: '#fdf1e6', stroke: '#333' }), textBlock(numbers.loss, x + geometry.lossWidth / 2, y - 14, 'middle', { class: 'loss-numbers' }));
    }
    this.svg = svg;
    this.target.replaceChildren(svg, ...overlays);
  }

  /** A neuron's heat map: an HTML canvas over its circle, placed in percent of the picture. */
  private heatMap({ place, radius, width, height }: Geometry, column: number, unit: number): HTMLCanvasElement {
    const [cx, cy] = place(column, unit);
    const map = document.createElement('canvas');
    [map.width, map.height] = [20, 20];
    map.className = 'neuron-map';
    map.style.left = `${(100 * (cx - radius * 0.7)) / width}%`;
    map.style.top = `${(100 * (cy - radius * 0.7)) / height}%`;
    map.style.width = `${(100 * radius * 1.4) / width}%`;
    map.dataset.column = String(column);
    map.dataset.unit = String(unit);
    // A hidden neuron's map covers most of its circle: a click on it chooses the neuron too.
    if (column > 0) map.addEventListener('click', () => this.choose(column - 1, unit, null));
    this.maps.push(map);
    return map;
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
    // A neuron of a layer without a bias (a problem file may say so) is chosen too: its value is NaN.
    const value = to === null ? weights.bias[from] ?? Number.NaN : weights.weight[from * weights.outputs + to];
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

/** Lines of text, one under the other from y, each a run of coloured spans (the Graphviz labels' lines). */
function textBlock(lines: readonly Line[], x: number, y: number, anchor: string, attributes: Readonly<Record<string, string | number>>): SVGTextElement {
  const text = make('text', { x, y, 'text-anchor': anchor, 'font-size': 11, ...attributes });
  lines.forEach((line, row) => {
    const spans = typeof line === 'string' ? [{ text: line }] : line;
    spans.forEach((span, k) => {
      const tspan = make('tspan', k === 0 ? { x, dy: row === 0 ? 0 : 13 } : {});
      if (span.color !== undefined) tspan.setAttribute('fill', span.color);
      if (span.bold === true) tspan.setAttribute('font-weight', 'bold');
      tspan.textContent = span.text;
      text.append(tspan);
    });
  });
  return text;
}

function make<K extends keyof SVGElementTagNameMap>(tag: K, attributes: Readonly<Record<string, string | number>>): SVGElementTagNameMap[K] {
  const node = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, String(value));
  return node;
}

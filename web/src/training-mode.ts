import { OPTIMIZER_NAMES } from '../../src/optim/create.js';
import { byId, element } from './dom.js';
import { word } from './i18n.js';
import type { PageState } from './state.js';
import { DATASET_NAMES } from './training/datasets.js';
import { NetworkPicture } from './training/network-picture.js';
import type { FromWorker, ToWorker } from './training/protocol.js';
import { ACTIVATION_NAMES, TRAINING_LOSSES, type LayerWeights, type TrainingReport, type TrainingSettings } from './training/trainer.js';
import TrainingWorker from './training/worker.ts?worker&inline';

const GRID = 50;
const STEPS_PER_FRAME = 10;
const SVG = 'http://www.w3.org/2000/svg';
/** While training runs, the network picture is redrawn at most this often (ms): it is for the eye. */
const NETWORK_REDRAW_MS = 150;

/** Training mode: TensorFlow Playground's core, trained by mashagrad in a Web Worker. */
export class TrainingMode {
  private readonly form = byId<HTMLFormElement>('training-settings');
  private readonly canvas = byId<HTMLCanvasElement>('boundary');
  private readonly chart = byId('loss-chart');
  private readonly status = byId('training-status');
  private readonly playButton = byId<HTMLButtonElement>('training-play');
  private worker: Worker | undefined;
  private running = false;
  private waiting = false;
  private points: Float64Array = new Float64Array(0);
  private labels: Float64Array = new Float64Array(0);
  private losses: number[] = [];
  private last: TrainingReport | undefined;
  private readonly network = new NetworkPicture(byId('training-network'));
  private networkDrawn = 0;
  /** Weights that arrived while the picture was throttled: drawn on pause. */
  private pendingWeights: readonly LayerWeights[] | undefined;

  constructor(private readonly state: PageState, private readonly changed: () => void) {
    fill(byId('training-dataset'), DATASET_NAMES);
    fill(byId('training-activation'), ACTIVATION_NAMES);
    fill(byId('training-optimizer'), OPTIMIZER_NAMES);
    fill(byId('training-loss'), TRAINING_LOSSES);
    this.writeForm(state.training);
    this.form.addEventListener('change', () => this.reset());
    this.form.addEventListener('submit', (event) => event.preventDefault());
    this.playButton.addEventListener('click', () => (this.running ? this.pause() : this.play()));
    byId('training-step').addEventListener('click', () => this.run(1));
    byId('training-reset').addEventListener('click', () => this.reset());
  }

  /** Shown: start a worker with the settings (once; later the settings' changes restart it). */
  update(): void {
    this.playButton.textContent = word(this.state.language, this.running ? 'pause' : 'play');
    if (this.worker === undefined) this.reset();
    else this.showStatus();
  }

  private reset(): void {
    this.pause();
    this.state.training = this.readForm();
    this.changed();
    this.worker?.terminate();
    this.worker = new TrainingWorker();
    this.worker.addEventListener('message', (event: MessageEvent<FromWorker>) => this.received(event.data));
    this.losses = [];
    this.last = undefined;
    this.waiting = true;
    this.post({ kind: 'reset', settings: this.state.training, gridSize: GRID });
  }

  private play(): void {
    this.running = true;
    this.playButton.textContent = word(this.state.language, 'pause');
    if (!this.waiting) this.run(STEPS_PER_FRAME);
  }

  private pause(): void {
    this.running = false;
    this.drawNetwork();
    this.playButton.textContent = word(this.state.language, 'play');
  }

  private run(steps: number): void {
    if (this.waiting || this.last?.diverged === true) return;
    this.waiting = true;
    this.post({ kind: 'run', steps });
  }

  private post(message: ToWorker): void {
    this.worker?.postMessage(message);
  }

  private received(message: FromWorker): void {
    this.waiting = false;
    if (message.points !== undefined && message.labels !== undefined) [this.points, this.labels] = [message.points, message.labels];
    const { report } = message;
    this.last = report;
    if (Number.isFinite(report.loss)) this.losses.push(report.loss);
    if (message.grid.length === GRID * GRID) this.drawBoundary(message.grid);
    this.drawLosses();
    if (message.weights !== undefined) {
      this.pendingWeights = message.weights;
      if (!this.running || performance.now() - this.networkDrawn >= NETWORK_REDRAW_MS) this.drawNetwork();
    }
    this.showStatus();
    if (report.diverged) this.pause();
    else if (this.running) requestAnimationFrame(() => this.run(STEPS_PER_FRAME));
  }

  private showStatus(): void {
    const report = this.last;
    if (report === undefined) return;
    const say = (key: Parameters<typeof word>[1]) => word(this.state.language, key);
    this.status.dataset.step = String(report.step);
    this.status.dataset.accuracy = String(report.accuracy);
    this.status.dataset.diverged = String(report.diverged);
    const numbers = `${say('step')} ${report.step} · ${say('loss')} ${report.loss.toFixed(4)} · ${say('accuracy')} ${(100 * report.accuracy).toFixed(1)}%`;
    const problem = report.reason ?? (report.diverged ? say('diverged') : '');
    this.status.replaceChildren(element('span', {}, numbers), ...(problem === '' ? [] : [element('strong', { class: 'error-message' }, ` ${problem}`)]));
  }

  private drawNetwork(): void {
    if (this.pendingWeights === undefined) return;
    this.network.show(this.pendingWeights);
    this.pendingWeights = undefined;
    this.networkDrawn = performance.now();
  }

  /** P(label 1) as orange/blue behind the points, as TensorFlow Playground colours them. */
  private drawBoundary(grid: Float64Array): void {
    const context = this.canvas.getContext('2d');
    if (context === null) return;
    const { width, height } = this.canvas;
    const image = context.createImageData(GRID, GRID);
    grid.forEach((p, i) => {
      const [r, g, b] = mix(p);
      image.data.set([r, g, b, 255], 4 * i);
    });
    const cells = document.createElement('canvas');
    [cells.width, cells.height] = [GRID, GRID];
    cells.getContext('2d')?.putImageData(image, 0, 0);
    context.imageSmoothingEnabled = true;
    context.drawImage(cells, 0, 0, width, height);
    for (let i = 0; i < this.labels.length; i++) {
      const x = ((this.points[2 * i]! + 1) / 2) * width;
      const y = ((1 - this.points[2 * i + 1]!) / 2) * height;
      context.beginPath();
      context.arc(x, y, 4, 0, 2 * Math.PI);
      context.fillStyle = this.labels[i] === 1 ? '#0877bd' : '#e8731a';
      context.fill();
      context.strokeStyle = '#fff';
      context.stroke();
    }
  }

  /** The loss on the whole dataset after each batch of steps, as a polyline. */
  private drawLosses(): void {
    const [width, height] = [300, 100];
    const top = Math.max(...this.losses, 1e-9);
    const points = this.losses.map((loss, i) => `${(i / Math.max(1, this.losses.length - 1)) * width},${height - (loss / top) * height}`).join(' ');
    const line = document.createElementNS(SVG, 'polyline');
    line.setAttribute('points', points);
    line.setAttribute('fill', 'none');
    line.setAttribute('stroke', '#2d3e50');
    line.setAttribute('stroke-width', '2');
    const svg = document.createElementNS(SVG, 'svg');
    svg.setAttribute('viewBox', `0 0 ${width} ${height}`);
    svg.append(line);
    this.chart.replaceChildren(svg);
  }

  private readForm(): TrainingSettings {
    const value = (name: string) => (this.form.elements.namedItem(name) as HTMLInputElement | HTMLSelectElement).value;
    const hidden = value('hidden').split(',').map((width) => Math.round(Number(width.trim()))).filter((width) => Number.isFinite(width) && width > 0).slice(0, 6);
    const pick = <T extends string>(names: readonly T[], chosen: string): T => names.find((name) => name === chosen) ?? names[0]!;
    const positive = (text: string, fallback: number) => (Number(text) > 0 ? Number(text) : fallback);
    return {
      dataset: pick(DATASET_NAMES, value('dataset')),
      hidden: hidden.map((width) => Math.min(width, 32)),
      activation: pick(ACTIVATION_NAMES, value('activation')),
      optimizer: pick(OPTIMIZER_NAMES, value('optimizer')),
      loss: pick(TRAINING_LOSSES, value('loss')),
      lr: positive(value('lr'), 0.03),
      batch: positive(value('batch'), 10),
      seed: this.state.training.seed,
    };
  }

  private writeForm(settings: TrainingSettings): void {
    const set = (name: string, value: string) => ((this.form.elements.namedItem(name) as HTMLInputElement | HTMLSelectElement).value = value);
    set('dataset', settings.dataset);
    set('hidden', settings.hidden.join(', '));
    set('activation', settings.activation);
    set('optimizer', settings.optimizer);
    set('loss', settings.loss);
    set('lr', String(settings.lr));
    set('batch', String(settings.batch));
  }
}

function fill(select: HTMLElement, names: readonly string[]): void {
  select.replaceChildren(...names.map((name) => element('option', { value: name }, name)));
}

/** 0 → orange, ½ → white, 1 → blue. */
function mix(p: number): [number, number, number] {
  const [orange, white, blue] = [[245, 147, 34], [232, 234, 235], [8, 119, 189]] as const;
  const [from, to, t] = p < 0.5 ? [orange, white, p * 2] : [white, blue, (p - 0.5) * 2];
  return [0, 1, 2].map((c) => Math.round(from[c]! + (to[c]! - from[c]!) * t)) as [number, number, number];
}

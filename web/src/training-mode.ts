import { OPTIMIZER_NAMES } from '../../src/index.js';
import { byId, element } from './dom.js';
import { filled, word, type Word } from './i18n.js';
import type { PageState } from './state.js';
import { classColour, paintClasses, paintGrid, rgb, signedColour } from './training/colours.js';
import { MAX_CSV_CHARS } from './training/csv-data.js';
import { DATA_NAMES, FEATURE_LABELS, FEATURE_NAMES, isRegression } from './training/datasets.js';
import { drawLossChart, LossHistory } from './training/loss-chart.js';
import { NetworkPicture } from './network-picture.js';
import { NEURON_GRID, type ExplainPurpose, type FromWorker, type ModelMessage, type PartMessage, type ProblemMessage, type ToWorker } from './training/protocol.js';
import { checkSettings, MAX_LAYERS, MAX_WIDTH, type RawSettings, type SettingProblem } from './training/settings.js';
import { loadModelExporter } from './training/model-download.js';
import { StepPartPanel } from './training/step-part-panel.js';
import { ACTIVATION_NAMES, REGULARIZATION_NAMES, TRAINING_LOSSES, type TrainingReport, type TrainingSettings } from './training/trainer.js';
import { ScriptWorker } from './script-worker.js';

const GRID = 50;
/** Control groups a teacher can hide for a lesson (fieldsets and the chart carry data-group). */
const CONTROL_GROUPS = ['data', 'features', 'network', 'learning', 'chart'] as const;
const GROUP_WORDS: Readonly<Record<(typeof CONTROL_GROUPS)[number], Word>> = { data: 'groupData', features: 'groupFeatures', network: 'groupNetwork', learning: 'groupLearning', chart: 'groupChart' };

/** Training mode: TensorFlow Playground's controls, trained by mashagrad's own Stepper in a Web Worker. */
export class TrainingMode {
  private readonly form = byId<HTMLFormElement>('training-settings');
  private readonly canvas = byId<HTMLCanvasElement>('boundary');
  private readonly status = byId('training-status');
  private readonly problem = byId('training-problem');
  private readonly playButton = byId<HTMLButtonElement>('training-play');
  private worker: ScriptWorker<ToWorker, FromWorker | ProblemMessage | PartMessage | ModelMessage> | undefined;
  private running = false;
  private points: Float64Array = new Float64Array(0);
  private labels: Float64Array = new Float64Array(0);
  private isTest: Uint8Array = new Uint8Array(0);
  private classNames: readonly string[] | null = null;
  private grid: Float64Array = new Float64Array(0);
  private history = new LossHistory();
  private last: TrainingReport | undefined;
  private stepsPerSecond = 0;
  private problems: SettingProblem[] = [];
  private failure = '';
  private readonly network = new NetworkPicture(byId('training-network'), (choice) => this.panel.choose(choice));
  private readonly panel: StepPartPanel;

  constructor(private readonly state: PageState, private readonly changed: () => void, private readonly openProblem: (text: string) => void) {
    this.panel = new StepPartPanel(state, this.network, {
      explainPart: (choice) => {
        this.pause();
        this.post({ kind: 'explain-part', title: this.say('nextStepTitle'), stateNote: this.say('stateNote'), choice });
      },
      setWeight: ({ layer, from, to }, value) => this.post({ kind: 'set-weight', layer, from, to, value }),
    });
    fill(byId('training-dataset'), DATA_NAMES);
    fill(byId('training-activation'), ACTIVATION_NAMES);
    fill(byId('training-optimizer'), OPTIMIZER_NAMES);
    fill(byId('training-loss'), TRAINING_LOSSES);
    fill(byId('training-regularization'), REGULARIZATION_NAMES);
    byId('training-features').append(...FEATURE_NAMES.map((name) => element('label', { class: 'feature' }, element('input', { type: 'checkbox', name: 'features', value: name }), ` ${FEATURE_LABELS[name]}`)));
    this.buildTeacherControls();
    // A link's settings are shown as given, wrong ones marked; otherwise the defaults.
    const link = state.trainingLink;
    this.writeForm(link === null ? state.training : { ...formValues(state.training), ...link });
    this.form.addEventListener('change', () => this.reset());
    this.form.addEventListener('submit', (event) => event.preventDefault());
    this.playButton.addEventListener('click', () => (this.running ? this.pause() : this.play()));
    byId('training-step').addEventListener('click', () => {
      this.post({ kind: 'step' });
      this.panel.refresh();
    });
    byId('training-reset').addEventListener('click', () => this.reset());
    byId('training-explain').addEventListener('click', () => this.explain('open'));
    byId('training-download').addEventListener('click', () => this.explain('download'));
    byId('training-download-safetensors').addEventListener('click', () => this.post({ kind: 'model', format: 'safetensors' }));
    byId('training-download-onnx').addEventListener('click', () => this.post({ kind: 'model', format: 'onnx' }));
    byId('step-part-whole').addEventListener('click', () => this.explain('open'));
    byId('training-regenerate').addEventListener('click', () => this.reset({ dataSeed: this.state.training.dataSeed + 1 }));
    byId('training-add-layer').addEventListener('click', () => this.changeHidden((widths) => (widths.length < MAX_LAYERS ? [...widths, widths[widths.length - 1] ?? 4] : widths)));
    byId('training-remove-layer').addEventListener('click', () => this.changeHidden((widths) => widths.slice(0, -1)));
    for (const [id, key] of [['training-show-test', 'showTest'], ['training-discretize', 'discretize']] as const) {
      const box = byId<HTMLInputElement>(id);
      box.checked = state.trainingView[key];
      box.addEventListener('change', () => {
        this.state.trainingView[key] = box.checked;
        this.changed();
        this.drawBoundary();
      });
    }
    byId<HTMLInputElement>('training-csv-file').addEventListener('change', (event) => void this.loadCsvFile(event.target as HTMLInputElement));
  }

  /** Shown: start a worker with the settings (once; later the settings' changes restart it). */
  update(): void {
    this.playButton.textContent = word(this.state.language, this.running ? 'pause' : 'play');
    this.applyHiding();
    this.panel.draw();
    if (this.worker === undefined && this.problems.length === 0) this.reset();
    else this.showStatus();
  }

  private reset(change: Partial<TrainingSettings> = {}): void {
    this.pause();
    const { settings, problems } = checkSettings({ ...this.readForm(), ...change });
    // The CSV box takes room: it is there when the data is your own points.
    this.form.querySelector<HTMLElement>('.own-data')!.hidden = byId<HTMLSelectElement>('training-dataset').value !== 'csv';
    this.problems = problems;
    this.markProblems();
    this.worker?.terminate();
    this.worker = undefined;
    this.history = new LossHistory();
    this.last = undefined;
    this.failure = '';
    this.panel.close();
    if (problems.length > 0) {
      this.showStatus();
      return;
    }
    this.state.training = settings;
    this.state.trainingLink = null;
    this.writeForm(settings);
    this.changed();
    const worker = new ScriptWorker<ToWorker, FromWorker | ProblemMessage | PartMessage | ModelMessage>('training', {
      message: (data) => {
        if (data.kind === 'state') this.received(data);
        else if (data.kind === 'part') this.panel.show(data);
        else if (data.kind === 'model') void this.saveModel(data);
        else if (data.purpose === 'open') this.openProblem(data.text);
        else download(data.text, `mashagrad-playground-step-${data.step}.json`);
      },
      // The worker's script could not be loaded: said where the training's problems are.
      failed: (error) => {
        if (this.worker !== worker) return;
        this.worker = undefined;
        this.failure = error.message;
        this.showStatus();
      },
    });
    this.worker = worker;
    this.post({ kind: 'reset', settings, gridSize: GRID });
  }

  private play(): void {
    if (this.worker === undefined || this.last?.stopped) return;
    // The part shown is of one step: training on makes it another.
    this.panel.close();
    this.running = true;
    this.playButton.textContent = word(this.state.language, 'pause');
    this.post({ kind: 'play' });
  }

  private pause(): void {
    if (this.running) this.post({ kind: 'pause' });
    this.running = false;
    this.playButton.textContent = word(this.state.language, 'play');
  }

  private post(message: ToWorker): void {
    this.worker?.postMessage(message);
  }

  private received(message: FromWorker): void {
    if (message.points !== undefined) this.points = message.points;
    if (message.labels !== undefined) this.labels = message.labels;
    if (message.isTest !== undefined) this.isTest = message.isTest;
    if (message.classNames !== undefined) this.classNames = message.classNames;
    const { report } = message;
    this.last = report;
    this.failure = message.failure ?? '';
    this.stepsPerSecond = message.stepsPerSecond;
    if (Number.isFinite(report.loss)) this.history.add({ step: report.step, loss: report.loss, testLoss: report.testLoss });
    this.grid = message.grid;
    // Drawn at the display's rate: the worker sends the next picture only after this one is up.
    requestAnimationFrame(() => {
      this.drawBoundary();
      this.network.show(message.weights, this.state.training.features.map((name) => FEATURE_LABELS[name]), (this.classNames?.length ?? 0) > 2 ? this.classNames! : []);
      this.network.showNeurons(message.neurons, NEURON_GRID);
      drawLossChart(byId('loss-chart'), this.history.points, report.startLoss, {
        step: this.say('stepAxis'), loss: this.say('lossAxis'), train: this.say('trainLine'), test: this.say('testLine'),
      });
      this.showStatus();
      this.post({ kind: 'drawn' });
    });
    if (report.stopped !== null && this.running) {
      this.running = false;
      this.playButton.textContent = this.say('play');
    }
  }

  private say(key: Word): string {
    return word(this.state.language, key);
  }

  private showStatus(): void {
    this.markProblems();
    const report = this.last;
    if (report === undefined) {
      this.status.replaceChildren();
      this.problem.textContent = this.problems.length > 0 ? this.say('notTrained') : '';
      return;
    }
    this.status.dataset.step = String(report.step);
    this.status.dataset.epoch = String(report.epoch);
    this.status.dataset.accuracy = String(report.accuracy);
    this.status.dataset.stopped = String(report.stopped);
    this.status.dataset.stepsPerSecond = String(Math.round(this.stepsPerSecond));
    const parts = [`${this.say('step')} ${report.step}`, `${this.say('epoch')} ${report.epoch}`, `${this.say('loss')} ${report.loss.toFixed(4)}`];
    if (report.testLoss !== null) parts.push(`${this.say('testLoss')} ${report.testLoss.toFixed(4)}`);
    if (report.accuracy !== null) parts.push(`${this.say('accuracy')} ${(100 * report.accuracy).toFixed(1)}%`);
    if (report.testAccuracy !== null) parts.push(`${this.say('testAccuracy')} ${(100 * report.testAccuracy).toFixed(1)}%`);
    if (this.running && this.stepsPerSecond > 0) parts.push(`${Math.round(this.stepsPerSecond)} ${this.say('stepsPerSecond')}`);
    this.status.textContent = parts.join(' · ');
    const stopped = report.stopped === 'blownUp'
      ? this.say('blownUp').replace('{start}', report.startLoss.toPrecision(3)).replace('{loss}', report.loss.toPrecision(3))
      : report.stopped === 'diverged' ? this.say('diverged') : '';
    this.problem.textContent = this.failure !== '' ? this.failure : this.problems.length > 0 ? this.say('notTrained') : stopped;
    this.showLegend();
  }

  /** The colours' meaning: P(label 1), the regression's value, or your classes by name. */
  private showLegend(): void {
    const legend = byId('legend-text');
    const names = this.classNames;
    const ownClasses = this.state.training.dataset === 'csv' && names !== null;
    // The orange-to-blue bar means P(label 1) or a value; your classes are named with their colours instead.
    const bar = document.querySelector<HTMLElement>('#boundary-legend .legend-bar');
    if (bar !== null) bar.hidden = ownClasses && names.length > 2;
    if (ownClasses) {
      legend.replaceChildren(`${this.say('legendClasses')} `, ...names.map((name, k) =>
        element('span', { class: 'legend-class', style: `color: ${rgb(classColour(k))}` }, `● ${name} `)));
    } else {
      legend.textContent = this.say(isRegression(this.state.training.dataset) ? 'legendRegression' : 'legendClass');
    }
  }

  /** A chosen file's text goes into the CSV box (only its first characters: a longer one is refused there). */
  private async loadCsvFile(input: HTMLInputElement): Promise<void> {
    const file = input.files?.[0];
    if (file === undefined) return;
    const text = await file.slice(0, MAX_CSV_CHARS + 1).text();
    (this.form.elements.namedItem('csv') as HTMLTextAreaElement).value = text;
    byId<HTMLSelectElement>('training-dataset').value = 'csv';
    input.value = '';
    this.reset();
  }

  /** Each refused value: the field marked invalid, the reason written right after it. */
  private markProblems(): void {
    for (const old of Array.from(this.form.querySelectorAll('.field-problem'))) old.remove();
    for (const field of Array.from(this.form.querySelectorAll('[aria-invalid]'))) field.removeAttribute('aria-invalid');
    for (const problem of this.problems) {
      const input = this.form.querySelector<HTMLElement>(`[name="${problem.field}"]`) ?? this.form.querySelector<HTMLElement>('[data-group="data"]');
      if (input === null) continue;
      input.setAttribute('aria-invalid', 'true');
      const expected = filled(this.state.language, problem.expected.word, problem.expected.fill);
      // Your CSV is not quoted back whole: its message names the row and column instead.
      const text = problem.field === 'csv' ? filled(this.state.language, 'csvProblem', { expected }) : filled(this.state.language, 'settingProblem', { given: problem.given, expected });
      const note = element('span', { class: 'field-problem error-message', 'data-field': problem.field }, text);
      (input.closest('label') ?? input).after(note);
    }
  }

  /** P(label 1), or the regression's value, behind the points, in TensorFlow Playground's colours. */
  private drawBoundary(): void {
    const context = this.canvas.getContext('2d');
    if (context === null) return;
    const regression = isRegression(this.state.training.dataset);
    const { discretize, showTest } = this.state.trainingView;
    const toSigned = (value: number) => {
      const signed = regression ? value : 2 * value - 1;
      return discretize ? Math.sign(signed) : signed;
    };
    // The background stays light (0.55 of the full colour) so that points of either class stand out on it.
    const classes = this.classNames?.length ?? 2;
    if (classes > 2 && this.grid.length === GRID * GRID * classes) paintClasses(this.canvas, this.grid, GRID, classes, 0.55, discretize);
    else if (this.grid.length === GRID * GRID) paintGrid(this.canvas, this.grid, GRID, toSigned, 0.55);
    else context.clearRect(0, 0, this.canvas.width, this.canvas.height);
    const { width, height } = this.canvas;
    for (let i = 0; i < this.labels.length; i++) {
      const test = this.isTest[i] === 1;
      if (test && !showTest) continue;
      const x = ((this.points[2 * i]! + 1) / 2) * width;
      const y = ((1 - this.points[2 * i + 1]!) / 2) * height;
      context.beginPath();
      context.arc(x, y, 4.5, 0, 2 * Math.PI);
      context.fillStyle = rgb(classes > 2 ? classColour(this.labels[i]!) : signedColour(regression ? this.labels[i]! : 2 * this.labels[i]! - 1));
      context.fill();
      context.lineWidth = test ? 2 : 1;
      context.strokeStyle = test ? '#000' : '#fff';
      context.stroke();
    }
  }

  /** The next step (training pauses for it): opened whole in Problem mode, or saved as a file. */
  private explain(purpose: ExplainPurpose): void {
    this.pause();
    this.post({ kind: 'explain', title: this.say('nextStepTitle'), purpose, stateNote: this.say('stateNote') });
  }

  /** The trained network as a .safetensors or .onnx file: the encoders load on the first such download. */
  private async saveModel({ format, layers, steps }: ModelMessage): Promise<void> {
    try {
      const exporter = await loadModelExporter();
      download(exporter.encode(layers, format), `mashagrad-playground-step-${steps}.${format}`);
    } catch (error) {
      this.problem.textContent = `${this.say('exportFailed')} ${error instanceof Error ? error.message : String(error)}`;
    }
  }

  private changeHidden(change: (widths: number[]) => number[]): void {
    const widths = change([...this.state.training.hidden]);
    this.reset({ hidden: widths });
  }

  private buildTeacherControls(): void {
    const groups = CONTROL_GROUPS.map((group) => {
      const box = element('input', { type: 'checkbox', value: group });
      box.checked = this.state.trainingView.hide.includes(group);
      box.addEventListener('change', () => {
        const hide = new Set(this.state.trainingView.hide);
        if (box.checked) hide.add(group);
        else hide.delete(group);
        this.state.trainingView.hide = CONTROL_GROUPS.filter((name) => hide.has(name));
        this.changed();
        this.applyHiding();
      });
      return element('label', { 'data-group-word': GROUP_WORDS[group] }, box, ` ${group}`);
    });
    byId('teacher-groups').replaceChildren(...groups);
  }

  private applyHiding(): void {
    for (const group of CONTROL_GROUPS) {
      for (const node of Array.from(document.querySelectorAll<HTMLElement>(`#training-mode [data-group="${group}"]`))) node.hidden = this.state.trainingView.hide.includes(group);
    }
    for (const label of Array.from(document.querySelectorAll<HTMLElement>('#teacher-groups label'))) {
      const box = label.querySelector('input');
      if (box !== null) label.replaceChildren(box, ` ${this.say(label.dataset.groupWord as Word)}`);
    }
    const buttons = this.state.training.hidden.flatMap((width, layer) => [
      element('button', { type: 'button', 'data-layer': String(layer), 'data-change': '1', title: `${this.say('layer')} ${layer + 1}` }, `+${layer + 1}`),
      element('button', { type: 'button', 'data-layer': String(layer), 'data-change': '-1', title: `${this.say('layer')} ${layer + 1}` }, `−${layer + 1}`),
    ].map((button) => {
      button.addEventListener('click', () => this.changeHidden((widths) => widths.map((w, k) => (k === layer ? Math.max(1, Math.min(MAX_WIDTH, w + Number(button.dataset.change))) : w))));
      void width;
      return button;
    }));
    byId('training-neuron-buttons').replaceChildren(...buttons);
  }

  private readForm(): RawSettings {
    const value = (name: string) => (this.form.elements.namedItem(name) as HTMLInputElement | HTMLSelectElement).value;
    const features = Array.from(this.form.querySelectorAll<HTMLInputElement>('input[name="features"]')).filter((box) => box.checked).map((box) => box.value);
    return {
      dataset: value('dataset'), csv: value('csv'), hidden: value('hidden'), activation: value('activation'), optimizer: value('optimizer'), loss: value('loss'),
      lr: value('lr'), batch: value('batch'), noise: value('noise'), trainPercent: value('trainPercent'), features,
      regularization: value('regularization'), regularizationRate: value('regularizationRate'),
      seed: this.state.training.seed, dataSeed: this.state.training.dataSeed,
    };
  }

  /** The form shows exactly what will be trained, or — for a refused link value — the value as given. */
  private writeForm(values: RawSettings): void {
    for (const name of ['dataset', 'csv', 'hidden', 'activation', 'optimizer', 'loss', 'lr', 'batch', 'noise', 'trainPercent', 'regularization', 'regularizationRate'] as const) {
      const field = this.form.elements.namedItem(name) as HTMLInputElement | HTMLSelectElement | null;
      const given = values[name];
      if (field === null || given === undefined) continue;
      const text = name === 'hidden' && Array.isArray(given) ? (given.length === 0 ? 'none' : given.join(', ')) : typeof given === 'string' ? given : JSON.stringify(given);
      if (field instanceof HTMLSelectElement && !Array.from(field.options).some((option) => option.value === text)) {
        // A link's unknown choice is shown, as text, so that the mark beside it makes sense.
        field.append(element('option', { value: text, 'data-refused': 'true' }, text));
      }
      field.value = text;
    }
    const features = values.features;
    for (const box of Array.from(this.form.querySelectorAll<HTMLInputElement>('input[name="features"]'))) box.checked = Array.isArray(features) && features.includes(box.value);
  }
}

/** Save text (a JSON problem file) or bytes as a file: a link to it clicked, nothing sent anywhere. */
function download(contents: string | Uint8Array, name: string): void {
  const type = typeof contents === 'string' ? 'application/json' : 'application/octet-stream';
  const url = URL.createObjectURL(new Blob([contents as BlobPart], { type }));
  const link = element('a', { href: url, download: name });
  document.body.append(link);
  link.click();
  link.remove();
  // The browser reads the file after this click is handled: the URL stays a while, then goes.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

function formValues(settings: TrainingSettings): RawSettings {
  return { ...settings };
}

function fill(select: HTMLElement, names: readonly string[]): void {
  select.replaceChildren(...names.map((name) => element('option', { value: name }, name)));
}

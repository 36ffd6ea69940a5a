import { convDiagramDot, expressionGraphDot, flowDot, drawableNeuronByNeuron, entryOf, type Line } from '../../src/draw/index.js';
import { loadPageKatex } from './katex-page.js';
import { renderHtmlArticle, explain } from '../../src/explain/index.js';
import { formatNumber, formatValues, type NetworkTrace, type ProblemTrace } from '../../src/index.js';
import { parseProblem, solvePlan } from '../../src/problem/index.js';
import { byId, debounce, element, setOwnMarkup } from './dom.js';
import { fitGraph } from './graph-fit.js';
import { computeOrShowError } from './errors.js';
import { EXAMPLES, exampleTitle } from './examples.js';
import { word } from './i18n.js';
import type { PageState } from './state.js';
import type { GraphLayouts } from './graph-layout.js';
import { NetworkPicture, type WeightChoice } from './network-picture.js';
import { networkNumbers } from './network-numbers.js';
import { algorithmTables, nodeTableRows } from './trace-tables.js';
import { stepPart } from './training/step-part.js';
import { stepPartTable } from './training/step-part-view.js';
import { entriesOf, withWeight, type WeightEntry } from './weight-edit.js';

/** Problem mode: a problem file in, its solution, numbers and picture out. */
export class ProblemMode {
  private readonly select = byId<HTMLSelectElement>('example-select');
  private readonly input = byId<HTMLTextAreaElement>('problem-input');
  private readonly error = byId('problem-error');
  private readonly graph = byId('problem-graph');
  private readonly numbers = byId('problem-numbers');
  private readonly solution = byId('problem-solution');
  private readonly results = byId('problem-results');
  private readonly stepControl = byId('problem-step-control');
  private readonly stepSelect = byId<HTMLSelectElement>('problem-step');
  private readonly weights = byId('problem-weights');
  private readonly networkBox = byId('problem-network');
  /** Solutions are typeset after KaTeX loads: only the latest one is shown. */
  private solutionShown = 0;
  private readonly picture = new NetworkPicture(byId('problem-network-picture'), (choice) => this.choosePart(choice));
  /** The neuron or weight whose part of the shown step is open (kept across steps and edits). */
  private chosen: WeightChoice | undefined;
  private drawing = 0;
  /** The last good network trace: its starting weights are what an edit changes. */
  private network: NetworkTrace | undefined;
  /** Names and shapes of the weight boxes shown: the same problem keeps its boxes (and the focus). */
  private shownWeights = '';

  /**
   * `graphs` is the page's Graphviz worker (web/src/graph-layout.ts), handed in: this class is
   * built into problem-mode.js (problem-script.ts), which must not start a second worker.
   */
  constructor(private readonly state: PageState, private readonly changed: () => void, private readonly graphs: GraphLayouts) {
    this.input.value = this.state.example === '' ? this.state.problem : (EXAMPLES.find((example) => example.name === this.state.example)?.text ?? '');
    const resolve = debounce(() => this.update(), 300);
    this.input.addEventListener('input', () => {
      this.state.example = '';
      this.state.problem = this.input.value;
      this.select.value = '';
      resolve();
    });
    this.select.addEventListener('change', () => {
      const example = EXAMPLES.find((candidate) => candidate.name === this.select.value);
      if (example === undefined) return;
      this.state.example = example.name;
      this.state.problem = '';
      this.input.value = example.text;
      this.state.problemStep = 1;
      this.chosen = undefined;
      this.update();
    });
    this.stepSelect.addEventListener('change', () => {
      this.state.problemStep = Number(this.stepSelect.value);
      this.update();
    });
    byId('problem-part-close').addEventListener('click', () => this.choosePart(undefined));
    const edit = debounce(() => this.update(), 300);
    this.weights.addEventListener('input', (event) => {
      if (event.target instanceof HTMLInputElement && this.editWeight(event.target)) edit();
    });
  }

  /** A problem made elsewhere (the training mode's next step): shown as the user's own text. */
  open(text: string): void {
    this.input.value = text;
    this.state.example = '';
    this.state.problem = text;
    this.state.problemStep = 1;
  }

  /** A starting weight typed in: the problem text is rewritten with it (it is now the user's own problem). */
  private editWeight(box: HTMLInputElement): boolean {
    const value = Number(box.value);
    const name = box.dataset.param;
    const index = box.dataset.index?.split(',').map(Number);
    if (this.network === undefined || name === undefined || index === undefined || box.value.trim() === '' || !Number.isFinite(value)) return false;
    const entry: WeightEntry = { name, index };
    try {
      this.input.value = withWeight(this.input.value, this.network.initialParams, entry, value);
    } catch {
      // The text no longer has that layer where the last good solution had it (it is being
      // edited and has an error, which is shown): the box waits for a good text.
      return false;
    }
    this.state.example = '';
    this.state.problem = this.input.value;
    this.select.value = '';
    return true;
  }

  /** The drop-down's titles follow the language. */
  private fillSelect(): void {
    const { language } = this.state;
    const options = EXAMPLES.map((example) => element('option', { value: example.name }, exampleTitle(example, language)));
    this.select.replaceChildren(element('option', { value: '' }, word(language, 'custom')), ...options);
    this.select.value = this.state.example;
  }

  update(): void {
    const { language } = this.state;
    this.fillSelect();
    const trace = computeOrShowError(
      (): ProblemTrace => solvePlan(parseProblem(this.input.value, this.state.example === '' ? '(problem)' : `${this.state.example}.yaml`)),
      { error: this.error, results: this.results, language, changed: () => this.changed() },
    );
    if (trace === null) return;
    this.network = trace.kind === 'network' ? trace : undefined;
    if (trace.kind === 'network') {
      this.state.problemStep = Math.max(1, Math.min(this.state.problemStep, trace.steps.length));
      this.showStepChoice(trace);
      this.showWeights(trace);
      this.showNetworkNumbers(trace);
    } else {
      this.stepControl.hidden = true;
      this.weights.replaceChildren();
      this.shownWeights = '';
      // Exercise 1 (a formula) gets its node table, exercise 5 (named weights) its algorithm, line by line; a layer question only its solution.
      this.numbers.replaceChildren(...(trace.kind === 'expression'
        ? [element('table', { class: 'node-table' }, ...nodeTableRows(trace, language))]
        : trace.kind === 'symbolic' ? algorithmTables(trace, language) : []));
    }
    this.changed();
    void this.showSolution(trace);
    void this.draw(trace);
  }

  /** The worked solution, typeset once KaTeX has loaded (the first time problem mode shows one). */
  private async showSolution(trace: ProblemTrace): Promise<void> {
    const { language } = this.state;
    const shown = ++this.solutionShown;
    // Until KaTeX has come the box says so (never an empty solution); a solution shown before stays, marked busy.
    this.solution.setAttribute('aria-busy', 'true');
    if (this.solution.childElementCount === 0) this.solution.replaceChildren(element('p', { class: 'solution-waiting' }, word(language, 'solutionLoading')));
    try {
      await loadPageKatex();
    } catch (error) {
      if (shown !== this.solutionShown) return;
      this.solution.replaceChildren(element('p', { class: 'error-message' }, `${word(language, 'solutionFailed')} ${String(error)}`));
      this.solution.removeAttribute('aria-busy');
      return;
    }
    if (shown !== this.solutionShown) return;
    setOwnMarkup(this.solution, renderHtmlArticle(explain(trace, { language }), language));
    this.solution.removeAttribute('aria-busy');
  }

  /** Which training step the diagram shows: "step 2 (observation 1)". */
  private showStepChoice(trace: NetworkTrace): void {
    const say = (key: Parameters<typeof word>[1]) => word(this.state.language, key);
    this.stepControl.hidden = trace.steps.length < 2 || !drawableNeuronByNeuron(trace);
    const options = trace.steps.map((step) => element('option', { value: String(step.step) },
      `${say('diagramStepOption')} ${step.step} (${say('observation')} ${step.observations.join(', ')})`));
    this.stepSelect.replaceChildren(...options);
    this.stepSelect.value = String(this.state.problemStep);
  }

  /** A number box for every starting weight and bias, laid out as its matrix. */
  private showWeights(trace: NetworkTrace): void {
    const params = Object.entries(trace.initialParams);
    const key = `${this.state.language}|${params.map(([name, values]) => `${name}:${entriesOf(name, values).length}`).join(',')}`;
    if (key === this.shownWeights) {
      // Same boxes: only the numbers move (the box being typed in keeps its text and the focus).
      for (const box of Array.from(this.weights.querySelectorAll<HTMLInputElement>('input[data-param]'))) {
        if (box === document.activeElement) continue;
        const values = trace.initialParams[box.dataset.param ?? ''];
        const [i = 0, j = 0] = (box.dataset.index ?? '').split(',').map(Number);
        if (values !== undefined) box.value = String(entryOf(values, i, j));
      }
      return;
    }
    this.shownWeights = key;
    const symbols = new Map(trace.formulas.flatMap((layer) => Object.entries(layer.parameters).map(([name, text]) => [name, text.pretty] as const)));
    const tables = params.map(([name, values]) => {
      const symbol = symbols.get(name) ?? name;
      const rows = new Map<number, HTMLElement[]>();
      for (const { entry, value, row } of entriesOf(name, values)) {
        const label = `${symbol}[${entry.index.map((k) => k + 1).join(', ')}]`;
        const box = element('input', { type: 'number', step: 'any', value: String(value), 'data-param': name, 'data-index': entry.index.join(','), 'aria-label': label, title: label });
        rows.set(row, [...(rows.get(row) ?? []), element('td', {}, box)]);
      }
      const body = [...rows.values()].map((cells) => element('tr', {}, ...cells));
      return element('div', { class: 'weight-matrix' }, element('span', { class: 'weight-symbol' }, `${symbol} =`), element('table', {}, element('tbody', {}, ...body)));
    });
    this.weights.replaceChildren(element('h2', {}, word(this.state.language, 'weightsHeading')), element('div', { class: 'weight-matrices' }, ...tables));
  }

  /** Each step's layer outputs and gradients, and the parameters before and after, as data the tests can read. */
  private showNetworkNumbers(trace: NetworkTrace): void {
    const say = (key: Parameters<typeof word>[1]) => word(this.state.language, key);
    const steps = trace.steps.map((step) => {
      const header = element('tr', {}, ...[say('layer'), say('output'), say('gradOutput')].map((text) => element('th', {}, text)));
      const rows = step.layers.map((layer) =>
        element('tr', { 'data-step': String(step.step), 'data-layer': String(layer.index) },
          element('td', {}, `${layer.index}: ${layer.kind}`),
          element('td', { class: 'output' }, formatValues(layer.output)),
          element('td', { class: 'grad-output' }, formatValues(layer.gradOutput))));
      const caption = element('caption', {}, `${say('step')} ${step.step}: ${say('loss')} = ${formatNumber(step.loss)}`);
      return element('table', { class: 'step-table' }, caption, element('thead', {}, header), element('tbody', {}, ...rows));
    });
    const paramHeader = element('tr', {}, ...[say('parameter'), say('before'), say('after')].map((text) => element('th', {}, text)));
    const params = Object.keys(trace.params).map((name) =>
      element('tr', { 'data-param': name },
        element('td', {}, name),
        element('td', { class: 'before' }, formatValues(trace.initialParams[name] ?? NaN)),
        element('td', { class: 'after' }, formatValues(trace.params[name] ?? NaN))));
    this.numbers.replaceChildren(
      element('h2', {}, say('stepsHeading')), ...steps,
      element('h2', {}, say('paramsHeading')), element('table', { class: 'params-table' }, element('thead', {}, paramHeader), element('tbody', {}, ...params)));
  }

  private async draw(trace: ProblemTrace): Promise<void> {
    const drawing = ++this.drawing;
    const isNetwork = trace.kind === 'network' && drawableNeuronByNeuron(trace);
    this.networkBox.hidden = !isNetwork;
    // A layer question has no picture: its worked solution says it all.
    if (isNetwork || trace.kind === 'layer' || trace.kind === 'matrix') {
      this.graph.replaceChildren();
      if (isNetwork) this.drawNetwork(trace);
      return;
    }
    try {
      const dot = trace.kind === 'expression' ? expressionGraphDot(trace, { backward: true }).dot
        : trace.kind === 'conv' ? convDiagramDot(trace).dot : flowDot(trace).dot;
      const svg = await this.graphs.layOut(dot);
      if (drawing === this.drawing) {
        setOwnMarkup(this.graph, svg);
        fitGraph(this.graph);
        this.graphs.pictureShown();
      }
    } catch (error) {
      if (drawing === this.drawing) this.graph.replaceChildren(element('p', { class: 'error-message' }, `${word(this.state.language, 'drawingFailed')} ${String(error)}`));
    }
  }

  /** The network picture training mode draws too, with the chosen step's numbers written on it. */
  private drawNetwork(trace: NetworkTrace): void {
    const step = trace.steps.length > 0 ? this.state.problemStep : undefined;
    const { layers, inputLabels, numbers, header } = networkNumbers(trace, step, this.state.language);
    byId('problem-network-header').replaceChildren(...header.map(lineElement));
    this.picture.show(layers, inputLabels, [], numbers);
    this.showPart();
  }

  /** A click on a neuron or a weight (undefined: Close): its part of the shown step's worked solution. */
  private choosePart(choice: WeightChoice | undefined): void {
    this.chosen = choice;
    this.showPart();
  }

  private showPart(): void {
    const trace = this.network;
    const choice = this.chosen;
    const panel = byId('problem-part');
    const body = byId('problem-part-body');
    const inPicture = choice !== undefined && trace !== undefined && trace.steps.length > 0 && drawableNeuronByNeuron(trace);
    this.picture.mark(inPicture ? choice : null);
    panel.hidden = !inPicture;
    if (!inPicture) return void body.replaceChildren();
    try {
      body.replaceChildren(...stepPartTable(stepPart(trace, choice, this.state.problemStep), this.state.problemStep, this.state.language, 'problemPartNote'));
    } catch (error) {
      // The text changed under the choice (fewer layers or neurons): nothing of it to show.
      body.replaceChildren(element('p', { class: 'error-message' }, `${word(this.state.language, 'partFailed')} ${error instanceof Error ? error.message : String(error)}`));
    }
  }
}

/** One line of the picture's header: its spans with their colours. */
function lineElement(line: Line): HTMLElement {
  const spans = typeof line === 'string' ? [{ text: line }] : line;
  return element('p', {}, ...spans.map((span) => element('span', {
    ...(span.color === undefined ? {} : { style: `color: ${span.color}` }),
    ...(span.bold === true ? { class: 'bold' } : {}),
  }, span.text)));
}

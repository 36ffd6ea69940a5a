import { expressionGraphDot } from '../../src/draw/expression-graph.js';
import { flowDot } from '../../src/draw/flow-diagram.js';
import { drawableNeuronByNeuron, networkDiagramDot } from '../../src/draw/network-diagram.js';
import { dotToSvg } from '../../src/draw/render.js';
import { renderHtmlArticle } from '../../src/explain/render-html.js';
import { explain } from '../../src/explain/solution.js';
import { formatNumber } from '../../src/formula/numbers.js';
import { formatValues } from '../../src/formula/values-text.js';
import { parseProblem } from '../../src/problem/load.js';
import { solvePlan } from '../../src/problem/solve.js';
import type { NetworkTrace, ProblemTrace } from '../../src/trace/types.js';
import { byId, debounce, element, setOwnMarkup } from './dom.js';
import { computeOrShowError } from './errors.js';
import { EXAMPLES, exampleTitle } from './examples.js';
import { word } from './i18n.js';
import type { PageState } from './state.js';

/** Problem mode: a problem file in, its solution, numbers and picture out. */
export class ProblemMode {
  private readonly select = byId<HTMLSelectElement>('example-select');
  private readonly input = byId<HTMLTextAreaElement>('problem-input');
  private readonly error = byId('problem-error');
  private readonly graph = byId('problem-graph');
  private readonly numbers = byId('problem-numbers');
  private readonly solution = byId('problem-solution');
  private readonly results = byId('problem-results');
  private drawing = 0;

  constructor(private readonly state: PageState, private readonly changed: () => void) {
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
      this.update();
    });
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
    if (trace.kind === 'network') this.showNetworkNumbers(trace);
    else this.numbers.replaceChildren();
    setOwnMarkup(this.solution, renderHtmlArticle(explain(trace, { language }), language));
    void this.draw(trace);
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
    try {
      const dot = trace.kind === 'expression' ? expressionGraphDot(trace, { backward: true }).dot
        : trace.kind === 'network' && drawableNeuronByNeuron(trace) ? networkDiagramDot(trace, { step: trace.steps.length > 0 ? 1 : undefined }).dot
          : flowDot(trace).dot;
      const svg = await dotToSvg(dot);
      if (drawing === this.drawing) setOwnMarkup(this.graph, svg);
    } catch (error) {
      if (drawing === this.drawing) this.graph.replaceChildren(element('p', { class: 'error-message' }, `${word(this.state.language, 'drawingFailed')} ${String(error)}`));
    }
  }
}

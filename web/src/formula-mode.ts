import { renderHtmlArticle } from '../../src/explain/render-html.js';
import { explainExpression } from '../../src/explain/expression-solution.js';
import { expressionGraphDot } from '../../src/draw/expression-graph.js';
import { dotToSvg } from '../../src/draw/render.js';
import { variablesOf } from '../../src/formula/ast.js';
import { formatNumber } from '../../src/formula/numbers.js';
import { parseFormula } from '../../src/formula/parse.js';
import { traceExpression } from '../../src/trace/record-expression.js';
import type { ExpressionTrace } from '../../src/trace/types.js';
import { byId, debounce, element, setOwnMarkup } from './dom.js';
import { computeOrShowError } from './errors.js';
import { word } from './i18n.js';
import type { PageState } from './state.js';

const SLIDER_RANGE = 10;

/** Formula mode: a formula and its variables in, the graph with values and gradients and the worked solution out. */
export class FormulaMode {
  private readonly input = byId<HTMLInputElement>('formula-input');
  private readonly variables = byId('variables');
  private readonly error = byId('formula-error');
  private readonly result = byId('formula-result');
  private readonly graph = byId('formula-graph');
  private readonly table = byId<HTMLTableElement>('node-table');
  private readonly solution = byId('formula-solution');
  /** Pictures are drawn asynchronously: only the latest one is shown. */
  private readonly results = byId('formula-results');
  private drawing = 0;
  private shownVariables = '';

  constructor(private readonly state: PageState, private readonly changed: () => void) {
    this.input.value = state.formula;
    const retrace = debounce(() => this.update(), 150);
    this.input.addEventListener('input', () => {
      this.state.formula = this.input.value;
      retrace();
    });
  }

  /** Recompute everything from the state; bad input shows an error and keeps the last good output. */
  update(): void {
    const { language } = this.state;
    const trace = computeOrShowError((): ExpressionTrace => {
      const variables = variablesOf(parseFormula(this.state.formula));
      this.state.at = Object.fromEntries(variables.map((name) => [name, this.state.at[name] ?? 1]));
      this.showVariables(variables);
      return traceExpression(this.state.formula, this.state.at);
    }, { error: this.error, results: this.results, language, changed: () => this.changed() });
    if (trace === null) return;
    this.showResult(trace);
    this.showTable(trace);
    setOwnMarkup(this.solution, renderHtmlArticle(explainExpression(trace, { language }), language));
    void this.draw(trace);
  }

  private showVariables(variables: readonly string[]): void {
    const key = variables.join(',');
    if (key === this.shownVariables) return;
    this.shownVariables = key;
    this.variables.replaceChildren(...variables.map((name) => this.variableControl(name)));
  }

  /** A number box and a slider that move together. */
  private variableControl(name: string): HTMLElement {
    const value = String(this.state.at[name] ?? 1);
    const number = element('input', { type: 'number', step: 'any', value, 'data-variable': name, 'aria-label': name });
    const slider = element('input', { type: 'range', min: String(-SLIDER_RANGE), max: String(SLIDER_RANGE), step: '0.1', value, 'aria-label': name });
    const set = (text: string, other: HTMLInputElement) => {
      const parsed = Number(text);
      if (text.trim() === '' || !Number.isFinite(parsed)) return;
      other.value = text;
      this.state.at[name] = parsed;
      this.update();
    };
    number.addEventListener('input', () => set(number.value, slider));
    slider.addEventListener('input', () => set(slider.value, number));
    return element('label', { class: 'variable' }, element('span', { class: 'variable-name' }, name), number, slider);
  }

  private showResult(trace: ExpressionTrace): void {
    const args = trace.variables.map((name) => formatNumber(trace.at[name] ?? NaN)).join(', ');
    const parts = [`f(${args}) = ${formatNumber(trace.value)}`, ...trace.variables.map((name) => `∂f/∂${name} = ${formatNumber(trace.gradient[name] ?? NaN)}`)];
    this.result.textContent = parts.join('; ');
  }

  /** Every node with its value and ∂f/∂node, as the graph shows them, in a table the tests can read. */
  private showTable(trace: ExpressionTrace): void {
    const { language } = this.state;
    const header = element('tr', {}, ...(['node', 'op', 'expression', 'value', 'grad'] as const).map((key) => element('th', {}, word(language, key))));
    const rows = trace.nodes.map((node) =>
      element('tr', { 'data-node': node.id },
        element('td', { class: 'id' }, node.id),
        element('td', { class: 'op' }, node.op),
        element('td', { class: 'expression' }, node.formula.pretty),
        element('td', { class: 'value' }, formatNumber(node.value)),
        element('td', { class: 'grad' }, formatNumber(node.grad))));
    this.table.replaceChildren(element('thead', {}, header), element('tbody', {}, ...rows));
  }

  private async draw(trace: ExpressionTrace): Promise<void> {
    const drawing = ++this.drawing;
    try {
      const svg = await dotToSvg(expressionGraphDot(trace, { backward: true }).dot);
      if (drawing === this.drawing) setOwnMarkup(this.graph, svg);
    } catch (error) {
      if (drawing === this.drawing) this.graph.replaceChildren(element('p', { class: 'error-message' }, `${word(this.state.language, 'drawingFailed')} ${String(error)}`));
    }
  }
}

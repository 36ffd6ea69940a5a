import { fitGraph } from './graph-fit.js';
import { layOut, pictureShown } from './graph-layout.js';
import { variablesOf, formatNumber, parseFormula, type ExpressionTrace } from '../../src/index.js';
import { byId, debounce, element, setOwnMarkup } from './dom.js';
import { computeOrShowError, showComputeError } from './errors.js';
import { FormulaWork } from './formula-work.js';
import { walkCaption, walkProgress, walkSteps, type WalkStep, type WalkWords } from './formula-walk.js';
import { word, type Language } from './i18n.js';
import { type PageState, valueOf, variableValues } from './state.js';
import { updateNodeTable } from './trace-tables.js';
import { FrameQueue } from './frame-queue.js';
import { PiecewiseHtml } from './piecewise-html.js';
import { markWalk } from './walk-marks.js';

const SLIDER_RANGE = 10;

/**
 * Formula mode: a formula and its variables in, the graph with values and gradients and the
 * worked solution out. The formula is parsed here (an error shows at once); tracing, the DOT and
 * the typesetting run in a worker (formula-worker.ts) and Graphviz in another (graph-worker.ts),
 * so a big formula never blocks typing: this thread only puts their results on the screen.
 */
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
  private readonly walkCaption = byId('walk-caption');
  private readonly walkCounter = byId('walk-counter');
  private readonly walkBack = byId<HTMLButtonElement>('walk-back');
  private readonly walkStep = byId<HTMLButtonElement>('walk-step');
  private readonly walkReset = byId<HTMLButtonElement>('walk-reset');
  /**
   * The last good trace, its walk, and its two pictures (forward only; with the backward pass),
   * each parsed when it arrives, so showing it in a frame (or switching them while walking) only
   * moves nodes into the page.
   */
  private trace: ExpressionTrace | undefined;
  private steps: readonly WalkStep[] = [];
  private pictures: { readonly forward: readonly Node[]; readonly backward: readonly Node[] } | undefined;
  private shownPicture: readonly Node[] | undefined;
  /** The table, each picture and each piece of the solution reach the screen in frames of their own. */
  private readonly frames = new FrameQueue();
  private readonly solutionPieces = new PiecewiseHtml(this.solution, this.frames);
  private readonly work = new FormulaWork({
    trace: ({ trace, dots }) => this.showTrace(trace, dots),
    solution: ({ pieces }) => this.solutionPieces.add(pieces),
    error: (error) => showComputeError(error, this.errorView()),
  });

  constructor(private readonly state: PageState, private readonly changed: () => void) {
    this.input.value = state.formula;
    const retrace = debounce(() => this.update(), 150);
    this.input.addEventListener('input', () => {
      this.state.formula = this.input.value;
      // Another formula has other nodes: its walk starts again.
      this.state.walk = 0;
      retrace();
    });
    this.walkBack.addEventListener('click', () => this.walkTo(this.state.walk - 1));
    this.walkStep.addEventListener('click', () => this.walkTo(this.state.walk + 1));
    this.walkReset.addEventListener('click', () => this.walkTo(0));
    document.addEventListener('keydown', (event) => this.walkKey(event));
  }

  /** ← and → walk, Esc stops, while Formula mode is shown and no text box, slider or list has the keys. */
  private walkKey(event: KeyboardEvent): void {
    if (byId('formula-mode').hidden || event.altKey || event.ctrlKey || event.metaKey) return;
    if (event.target instanceof HTMLElement && event.target.closest('input, textarea, select') !== null) return;
    const to = { ArrowRight: this.state.walk + 1, ArrowLeft: this.state.walk - 1, Escape: 0 }[event.key];
    if (to === undefined) return;
    event.preventDefault();
    this.walkTo(to);
  }

  private walkTo(position: number): void {
    this.state.walk = Math.max(0, Math.min(this.steps.length, position));
    this.changed();
    this.showWalk();
  }

  /**
   * Recompute everything from the state; bad input shows an error and keeps the last good
   * output. The formula is parsed here; the rest arrives from the worker (showTrace).
   */
  update(): void {
    const { language } = this.state;
    const parsed = computeOrShowError(() => {
      const variables = variablesOf(parseFormula(this.state.formula));
      this.state.at = variableValues(variables.map((name) => [name, valueOf(this.state.at, name) ?? 1]));
      this.showVariables(variables);
      return true;
    }, this.errorView());
    if (parsed === null) return;
    this.work.request({ formula: this.state.formula, at: this.state.at, language });
  }

  private errorView(): Parameters<typeof showComputeError>[1] {
    return { error: this.error, results: this.results, language: this.state.language, changed: () => this.changed() };
  }

  private showTrace(trace: ExpressionTrace, dots: { readonly forward: string; readonly backward: string }): void {
    this.trace = trace;
    this.steps = walkSteps(trace);
    this.state.walk = Math.min(this.state.walk, this.steps.length);
    // The result line at once; the table, with the walk's marks, in the next frame.
    this.showResult(trace);
    // Keyed: a newer trace's table replaces one still waiting (a slider dragged gives one a frame).
    this.frames.add(() => {
      this.showTable();
      this.showWalk();
    }, 'table');
    this.solutionPieces.begin(this.state.language);
    void this.draw(dots);
  }

  /** The walk's caption, buttons, table row and marks on the picture for the current step. */
  private showWalk(): void {
    const { language } = this.state;
    const trace = this.trace;
    if (trace === undefined) return;
    const position = this.state.walk;
    const step = this.steps[position - 1];
    this.walkBack.disabled = position === 0;
    this.walkStep.disabled = position >= this.steps.length;
    this.walkReset.disabled = position === 0;
    this.walkBack.parentElement?.setAttribute('title', word(language, 'walkTitle'));
    this.walkCounter.textContent = position === 0 ? '' : `${word(language, 'walkCounter')} ${position} ${word(language, 'walkOf')} ${this.steps.length}`;
    const caption = step === undefined ? { head: word(language, 'walkOff'), detail: '' } : walkCaption(trace, step, walkWords(language));
    this.walkCaption.dataset.phase = step?.phase ?? 'off';
    this.walkCaption.classList.toggle('walking', step !== undefined);
    this.walkCaption.replaceChildren(element('span', { class: 'walk-head' }, caption.head), ...(caption.detail === '' ? [] : [element('span', { class: 'walk-detail' }, caption.detail)]));
    const current = step === undefined ? undefined : step.phase === 'forward' || step.phase === 'seed' ? step.node.id : step.phase === 'backward' ? step.edge.from : undefined;
    // The table fades what the walk has not reached: values in the forward pass, gradients in the backward pass.
    const progress = walkProgress(this.steps, position);
    const forward = step?.phase === 'forward';
    for (const row of Array.from(this.table.querySelectorAll('tbody tr'))) {
      const id = row.getAttribute('data-node') ?? '';
      row.classList.toggle('walk-current', id === current);
      const valueLater = forward && !progress.computed.has(id);
      row.querySelector('.value')?.classList.toggle('walk-later', valueLater);
      row.querySelector('.grad')?.classList.toggle('walk-later', step !== undefined && step.phase !== 'done' && !progress.gradientsComplete.has(id));
    }
    this.graph.dataset.walkNode = current ?? '';
    this.showPicture();
  }

  /** While the walk is in the forward pass the picture has no gradients yet. */
  private showPicture(): void {
    const trace = this.trace;
    if (this.pictures === undefined || trace === undefined) return;
    const step = this.steps[this.state.walk - 1];
    const svg = step?.phase === 'forward' ? this.pictures.forward : this.pictures.backward;
    if (svg !== this.shownPicture) {
      this.graph.replaceChildren(...svg);
      fitGraph(this.graph);
      this.shownPicture = svg;
      pictureShown();
    }
    const root = this.graph.querySelector('svg');
    if (root !== null) markWalk(root, trace, this.steps, this.state.walk);
  }

  private showVariables(variables: readonly string[]): void {
    const key = variables.join(',');
    if (key === this.shownVariables) return;
    this.shownVariables = key;
    this.variables.replaceChildren(...variables.map((name) => this.variableControl(name)));
  }

  /** A number box and a slider that move together. */
  private variableControl(name: string): HTMLElement {
    const value = String(valueOf(this.state.at, name) ?? 1);
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
  private showTable(): void {
    if (this.trace !== undefined) updateNodeTable(this.table, this.trace, this.state.language);
  }

  /** The backward picture (the one shown when not walking) first, then the forward one the walk needs. */
  private async draw(dots: { readonly forward: string; readonly backward: string }): Promise<void> {
    const drawing = ++this.drawing;
    try {
      // The backward picture is asked for first: it is the one shown, and a stored one is then
      // known before the forward layout asks for Graphviz (which waits for it to be shown).
      const backwardLayout = layOut(dots.backward);
      const forwardLayout = layOut(dots.forward);
      // Laid out in the worker in turn; a failed forward layout is reported below, not unhandled.
      forwardLayout.catch(() => undefined);
      const backwardSvg = await backwardLayout;
      if (drawing !== this.drawing) return;
      const backward = parsedPicture(backwardSvg);
      // Until its own picture comes, the forward walk is marked on the backward one (same nodes and edges).
      this.pictures = { forward: backward, backward };
      this.shownPicture = undefined;
      // In a frame of its own: a new picture is the biggest change an edit makes to the page.
      this.frames.add(() => this.showPicture(), 'picture');
      const forwardSvg = await forwardLayout;
      if (drawing !== this.drawing) return;
      this.pictures = { forward: parsedPicture(forwardSvg), backward };
      this.frames.add(() => this.showPicture(), 'picture');
    } catch (error) {
      if (drawing !== this.drawing) return;
      this.pictures = undefined;
      this.shownPicture = undefined;
      this.graph.replaceChildren(element('p', { class: 'error-message' }, `${word(this.state.language, 'drawingFailed')} ${String(error)}`));
    }
  }
}

/** Graphviz's SVG parsed into nodes outside the page, in the task that brought it, not in the frame that shows it. */
function parsedPicture(svg: string): readonly Node[] {
  const box = document.createElement('div');
  setOwnMarkup(box, svg);
  return Array.from(box.childNodes);
}

function walkWords(language: Language): WalkWords {
  return {
    forward: word(language, 'walkForward'),
    backward: word(language, 'walkBackward'),
    seed: word(language, 'walkSeed'),
    soFar: word(language, 'walkSoFar'),
    complete: word(language, 'walkComplete'),
    done: word(language, 'walkDone'),
  };
}

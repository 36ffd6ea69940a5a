import { byId, element } from './dom.js';
import { layOut, pictureShown, type GraphLayouts } from './graph-layout.js';
import { word } from './i18n.js';
import { loadScript } from './script-element.js';
import { PROBLEM_GLOBAL, PROBLEM_SCRIPT } from './separate-scripts.js';
import type { PageState } from './state.js';

/** What the page asks of problem mode (web/src/problem-mode.ts). */
export interface ProblemModeView {
  /** A problem made elsewhere (the training mode's next step), shown as the user's own text. */
  open(text: string): void;
  update(): void;
}

/** What problem-mode.js leaves on globalThis: problem mode started with the page's state and its Graphviz worker. */
export type StartProblemMode = (state: PageState, changed: () => void, graphs: GraphLayouts) => ProblemModeView;

/**
 * Problem mode as the page holds it: its code (zod, YAML, the solver, the explainer: most of
 * what the page would otherwise load) is problem-mode.js, asked for when problem mode is first
 * shown. Until it has loaded the mode says so; if it cannot be loaded, it says why and offers
 * to try again.
 */
export class ProblemModeHost {
  private readonly section = byId('problem-mode');
  private readonly status = byId('problem-loading');
  private mode: ProblemModeView | undefined;
  private loading: Promise<void> | undefined;
  private failure: Error | undefined;
  /** A problem opened before the mode had loaded: it is opened once it has. */
  private opened: string | undefined;

  constructor(private readonly state: PageState, private readonly changed: () => void) {}

  open(text: string): void {
    if (this.mode === undefined) this.opened = text;
    else this.mode.open(text);
  }

  /** Shows the mode; after a failed load, showing it again (a tab, a language) tries the load again, as the button does. */
  update(): void {
    if (this.mode !== undefined) return this.mode.update();
    this.loading ??= this.load();
    this.showStatus();
  }

  private async load(): Promise<void> {
    this.failure = undefined;
    let mode: ProblemModeView;
    try {
      await loadScript(PROBLEM_SCRIPT.file);
      const start = (globalThis as unknown as Partial<Record<typeof PROBLEM_GLOBAL, StartProblemMode>>)[PROBLEM_GLOBAL];
      if (typeof start !== 'function') throw new Error(`${PROBLEM_SCRIPT.file} did not leave problem mode`);
      mode = start(this.state, this.changed, { layOut, pictureShown });
    } catch (error) {
      this.failure = error instanceof Error ? error : new Error(String(error));
      console.error(this.failure);
      this.loading = undefined;
      this.showStatus();
      return;
    }
    this.mode = mode;
    if (this.opened !== undefined) mode.open(this.opened);
    this.opened = undefined;
    this.showStatus();
    // Shown meanwhile in another mode: it is updated when shown again.
    if (this.state.mode === 'problem') mode.update();
  }

  /** The loading line or the failure with its button; nothing (and the mode's own controls) once loaded. */
  private showStatus(): void {
    const { language } = this.state;
    const waiting = this.mode === undefined;
    this.section.classList.toggle('loading', waiting);
    this.status.hidden = !waiting;
    if (!waiting) return void this.status.replaceChildren();
    if (this.failure === undefined) return void this.status.replaceChildren(word(language, 'problemLoading'));
    const retry = element('button', { type: 'button' }, word(language, 'problemLoadRetry'));
    retry.addEventListener('click', () => this.update());
    // The reader's language only; the technical reason (in English) goes to the console.
    this.status.replaceChildren(element('span', { class: 'error-message' }, `${word(language, 'problemLoadFailed')} ${PROBLEM_SCRIPT.file}`), ' ', retry);
  }
}

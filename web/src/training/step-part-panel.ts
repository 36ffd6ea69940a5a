import { byId, element } from '../dom.js';
import { word, type Word } from '../i18n.js';
import type { PageState } from '../state.js';
import type { NetworkPicture, WeightChoice } from '../network-picture.js';
import type { PartMessage } from './protocol.js';
import type { StepPart } from './step-part.js';
import { stepPartTable } from './step-part-view.js';

/** What the panel needs from the training mode: ask the worker for the next step, or set a weight. */
export interface PanelActions {
  /** Pause and ask the worker for the chosen part of the next step; it comes back to show(). */
  readonly explainPart: (choice: WeightChoice) => void;
  readonly setWeight: (choice: WeightChoice, value: number) => void;
}

/**
 * The panel beside the network: a clicked weight's or neuron's part of the next step's worked
 * solution (the problem file the worker writes, solved by the worker as Problem mode would), and
 * the box to edit its value.
 */
export class StepPartPanel {
  private chosen: WeightChoice | undefined;
  /** The part last shown (redrawn when the language changes), or why the step could not be explained. */
  private part: { readonly part: StepPart; readonly step: number } | { readonly failure: string } | undefined;

  constructor(private readonly state: PageState, private readonly network: NetworkPicture, private readonly actions: PanelActions) {
    byId<HTMLInputElement>('weight-editor-value').addEventListener('change', (event) => this.setValue((event.target as HTMLInputElement).value));
    byId('step-part-close').addEventListener('click', () => this.close());
  }

  /** A click on a weight or a neuron: its name and value in the box, and its part of the next step asked for. */
  choose(choice: WeightChoice): void {
    this.chosen = choice;
    // Written as the worked solution writes it: W₂[3, 5], b₁[3].
    const low = (n: number) => String(n + 1).replace(/\d/g, (digit) => '₀₁₂₃₄₅₆₇₈₉'[Number(digit)]!);
    const at = (n: number) => String(n + 1);
    byId('weight-editor-name').textContent = choice.to === null
      ? `${this.say('editBias')} b${low(choice.layer)}[${at(choice.from)}]`
      : `${this.say('editWeight')} W${low(choice.layer)}[${at(choice.from)}, ${at(choice.to)}]`;
    this.network.mark(choice);
    byId<HTMLInputElement>('weight-editor-value').value = String(Number(choice.value.toPrecision(6)));
    byId('step-part').hidden = false;
    this.refresh();
  }

  /** Ask for the next step again when a part is shown: after a step or an edit it is another step. */
  refresh(): void {
    if (this.chosen !== undefined) this.actions.explainPart(this.chosen);
  }

  /** The worker's answer: shown if it is still about the chosen neuron or weight (another click may have come since). */
  show({ choice, step, result }: PartMessage): void {
    const chosen = this.chosen;
    if (chosen === undefined || chosen.layer !== choice.layer || chosen.from !== choice.from || chosen.to !== choice.to) return;
    this.part = 'part' in result ? { part: result.part, step } : result;
    this.draw();
  }

  draw(): void {
    const body = byId('step-part-body');
    const shown = this.part;
    if (shown === undefined) return void body.replaceChildren();
    body.dataset.step = 'step' in shown ? String(shown.step) : '';
    const { regularization, regularizationRate } = this.state.training;
    // A problem file has no place for the page's L1/L2 penalty: say so rather than show a different step silently.
    const penalty = regularization !== 'none' && regularizationRate > 0 ? [element('p', { class: 'part-note error-message' }, this.say('partNoPenalty'))] : [];
    body.replaceChildren(...('part' in shown
      ? [...stepPartTable(shown.part, shown.step, this.state.language), ...penalty]
      : [element('p', { class: 'error-message' }, `${this.say('partFailed')} ${shown.failure}`)]));
  }

  close(): void {
    this.chosen = undefined;
    this.network.mark(null);
    this.part = undefined;
    byId('step-part').hidden = true;
    byId('step-part-body').replaceChildren();
  }

  private setValue(text: string): void {
    const value = Number(text);
    if (this.chosen === undefined || text.trim() === '' || !Number.isFinite(value)) return;
    this.actions.setWeight(this.chosen, value);
    this.refresh();
  }

  private say(key: Word): string {
    return word(this.state.language, key);
  }
}

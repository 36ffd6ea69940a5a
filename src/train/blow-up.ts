/**
 * Says when training has blown up although the loss is still a number: the loss stayed far
 * above where it started (by `factor`) for `patience` observations in a row. A learning rate
 * of 1000 gives losses of 700–1000 on a problem that starts near 0.7, which NaN checks never see.
 */
export interface BlowUpOptions {
  /** How many times the starting loss counts as "far above" (default 10). */
  readonly factor?: number;
  /** How many observations in a row it must stay there (default 50). */
  readonly patience?: number;
}

export class BlowUpWatch {
  readonly factor: number;
  readonly patience: number;
  #start: number | null = null;
  #above = 0;
  #blownUp = false;

  constructor(options: BlowUpOptions = {}) {
    this.factor = options.factor ?? 10;
    this.patience = options.patience ?? 50;
  }

  /** The loss all later ones are compared with: the first finite one observed. */
  get start(): number | null {
    return this.#start;
  }

  get blownUp(): boolean {
    return this.#blownUp;
  }

  /** Observe one loss; true once the loss is not finite or has stayed far above its start. */
  observe(loss: number): boolean {
    if (this.#blownUp) return true;
    if (!Number.isFinite(loss)) return (this.#blownUp = true);
    if (this.#start === null) {
      this.#start = loss;
      return false;
    }
    // A start of 0 (a perfect fit) would make any noise "far above": compare with a small floor.
    const limit = Math.max(this.#start, 1e-3) * this.factor;
    this.#above = loss > limit ? this.#above + 1 : 0;
    return (this.#blownUp = this.#above >= this.patience);
  }
}

/**
 * Changes to the page that are each big for the browser to restyle, lay out and paint (the node
 * table, the graph's SVG, a piece of the worked solution), made one per animation frame, in the
 * order asked for. A frame that puts a new picture on the screen then does not also lay out a
 * piece of the solution, so no one frame's rendering blocks input for long.
 *
 * A change may have a key ('table', 'picture'): a newer change with the key of one still waiting
 * replaces it and keeps its place. While a slider is dragged each new result asks for a table and
 * pictures; without this they piled up one per frame and the newest waited behind stale ones.
 * Keeping the place (not moving to the end) puts the newest data on the screen soonest.
 */
export class FrameQueue {
  private readonly jobs: Job[] = [];
  /** The job waiting under each key. */
  private readonly waiting = new Map<string, Job>();
  private frame: number | undefined;

  /** Runs `change` in a coming animation frame, after the changes asked for before it; a keyed one replaces the waiting change of its key. */
  add(change: () => void, key?: string): void {
    const pending = key === undefined ? undefined : this.waiting.get(key);
    if (pending !== undefined) {
      pending.change = change;
      return;
    }
    const job: Job = { change, key };
    this.jobs.push(job);
    if (key !== undefined) this.waiting.set(key, job);
    this.frame ??= requestAnimationFrame(() => this.runOne());
  }

  private runOne(): void {
    this.frame = undefined;
    const job = this.jobs.shift();
    if (job?.key !== undefined) this.waiting.delete(job.key);
    // The next frame is asked for first, so a change that throws does not hold up those after it.
    if (this.jobs.length > 0) this.frame = requestAnimationFrame(() => this.runOne());
    job?.change();
  }
}

interface Job {
  change: () => void;
  readonly key: string | undefined;
}

/**
 * Changes to the page that are each big for the browser to restyle, lay out and paint (the node
 * table, the graph's SVG, a piece of the worked solution), made one per animation frame, in the
 * order asked for. A frame that puts a new picture on the screen then does not also lay out a
 * piece of the solution, so no one frame's rendering blocks input for long.
 */
export class FrameQueue {
  private readonly jobs: (() => void)[] = [];
  private frame: number | undefined;

  /** Runs `change` in a coming animation frame, after the changes asked for before it. */
  add(change: () => void): void {
    this.jobs.push(change);
    this.frame ??= requestAnimationFrame(() => this.runOne());
  }

  private runOne(): void {
    this.frame = undefined;
    const change = this.jobs.shift();
    // The next frame is asked for first, so a change that throws does not hold up those after it.
    if (this.jobs.length > 0) this.frame = requestAnimationFrame(() => this.runOne());
    change?.();
  }
}

import { element } from './dom.js';
import type { FrameQueue } from './frame-queue.js';

/**
 * Markup put on the page per animation frame. What a frame costs is mostly the browser's
 * style and layout of what was just inserted, so the budget counts characters, not time
 * spent inserting: about 20 kB of KaTeX markup lays out in a few milliseconds.
 */
const CHARACTERS_PER_FRAME = 20_000;

/**
 * A long article (a worked solution of a big formula is megabytes of KaTeX markup) put on the
 * page a few pieces per frame instead of in one innerHTML that blocks the page for as long as
 * the browser lays it out. The previous article stays until the next one's first pieces come.
 */
export class PiecewiseHtml {
  private article: HTMLElement | undefined;
  private queue: string[] = [];
  private next = 0;
  private queued = false;

  /** `frames` is shared with the page's other big changes: each frame gets one of them. */
  constructor(private readonly target: HTMLElement, private readonly frames: FrameQueue) {}

  /** Start a new article: the next pieces replace what is shown. */
  begin(language: string): void {
    this.article = element('article', { lang: language });
    this.queue = [];
    this.next = 0;
  }

  /** Markup that mashagrad made itself (KaTeX-typeset, escaped when made). */
  add(pieces: readonly string[]): void {
    this.queue.push(...pieces);
    this.insertLater();
  }

  private insertLater(): void {
    if (this.queued) return;
    this.queued = true;
    this.frames.add(() => this.insertSome());
  }

  private insertSome(): void {
    this.queued = false;
    const article = this.article;
    if (article === undefined) return;
    if (article.parentElement !== this.target) this.target.replaceChildren(article);
    // At least one piece a frame, however long it is.
    let characters = 0;
    while (this.next < this.queue.length && (characters === 0 || characters + this.queue[this.next]!.length <= CHARACTERS_PER_FRAME)) {
      const piece = this.queue[this.next++]!;
      characters += piece.length;
      article.insertAdjacentHTML('beforeend', piece);
    }
    if (this.next < this.queue.length) this.insertLater();
  }
}

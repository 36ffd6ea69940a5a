import { FormulaError } from '../../src/index.js';
import { traceFormula } from './formula-answer.js';
import type { FormulaReply, FormulaRequest } from './formula-worker.js';
import { firstLayout } from './graph-layout.js';
import { afterPaint, ScriptWorker } from './script-worker.js';

/** The longest the formula worker's script waits for the first graph (see firstLayout). */
const FIRST_LAYOUT_WAIT_MS = 1500;

type Reply<K extends FormulaReply['kind']> = Extract<FormulaReply, { kind: K }>;

export interface FormulaWorkHandlers {
  trace(reply: Reply<'trace'>): void;
  solution(reply: Reply<'solution'>): void;
  error(error: Error): void;
}

/**
 * The page's side of the formula worker (formula-worker.ts); replies to anything but the latest
 * request are dropped. The worker takes a few tenths of a second to start: until it says it is
 * ready, the page traces on its own thread, so the first result does not wait for it; the
 * worker still typesets the solution.
 */
export class FormulaWork {
  private worker: ScriptWorker<FormulaRequest, FormulaReply> | undefined;
  private latest = -1;
  private workerReady = false;
  private tracedHere = -1;
  /** Lets the worker's script load at once: the page could not give the first result itself. */
  private workerNeeded: () => void = () => {};
  private readonly needed = new Promise<void>((resolve) => {
    this.workerNeeded = resolve;
  });

  constructor(private readonly handlers: FormulaWorkHandlers) {}

  request(request: Omit<FormulaRequest, 'id'>): void {
    const id = ++this.latest;
    this.started().postMessage({ ...request, id } satisfies FormulaRequest);
    if (this.workerReady) return;
    let traced;
    try {
      traced = traceFormula({ ...request, id });
    } catch {
      // The worker reports the same error in a moment.
      this.workerNeeded();
      return;
    }
    this.tracedHere = id;
    this.handlers.trace({ id, kind: 'trace', ...traced });
  }

  /**
   * The worker, started on the first formula (a page opened in another mode never needs it); its
   * script loads after the frame with the page's own first result is painted.
   */
  private started(): ScriptWorker<FormulaRequest, FormulaReply> {
    this.worker ??= new ScriptWorker<FormulaRequest, FormulaReply>('formula', {
      // Its script loads after the first result is painted and the first graph laid out, so
      // that Graphviz's compile has both cores' worth of the machine to itself.
      after: afterPaint().then(() => Promise.race([firstLayout, this.needed, new Promise<void>((resolve) => setTimeout(resolve, FIRST_LAYOUT_WAIT_MS))])),
      message: (data) => {
        if (data.kind === 'ready') this.workerReady = true;
        else if (data.id !== this.latest) return;
        else if (data.kind === 'trace') {
          if (data.id !== this.tracedHere) this.handlers.trace(data);
        } else if (data.kind === 'solution') this.handlers.solution(data);
        else this.handlers.error(rebuiltError(data));
      },
      failed: (error) => {
        this.worker = undefined;
        this.handlers.error(error);
      },
    });
    return this.worker;
  }
}

/** A formula error keeps its class, so the page underlines the spot as for a parse error of its own. */
function rebuiltError({ formulaError, message }: Reply<'error'>): Error {
  if (formulaError === undefined) return new Error(message);
  const { reason, formula, index, length } = formulaError;
  return new FormulaError(reason, formula, index, length);
}

import { FormulaError } from '../../src/index.js';
import { traceFormula } from './formula-answer.js';
import type { FormulaReply, FormulaRequest } from './formula-worker.js';
import FormulaWorker from './formula-worker.ts?worker&inline';

type Reply<K extends FormulaReply['kind']> = Extract<FormulaReply, { kind: K }>;

export interface FormulaWorkHandlers {
  trace(reply: Reply<'trace'>): void;
  solution(reply: Reply<'solution'>): void;
  error(error: Error): void;
}

/**
 * The page's side of the formula worker (formula-worker.ts); replies to anything but the latest
 * request are dropped. The worker takes a few tenths of a second to start with the page: until
 * it says it is ready, the page traces on its own thread (a formula in a link, typed before
 * then), so the first result does not wait for it; the worker still typesets the solution.
 */
export class FormulaWork {
  private readonly worker = new FormulaWorker();
  private latest = -1;
  private workerReady = false;
  private tracedHere = -1;

  constructor(private readonly handlers: FormulaWorkHandlers) {
    this.worker.addEventListener('message', ({ data }: MessageEvent<FormulaReply>) => {
      if (data.kind === 'ready') this.workerReady = true;
      else if (data.id !== this.latest) return;
      else if (data.kind === 'trace') {
        if (data.id !== this.tracedHere) handlers.trace(data);
      } else if (data.kind === 'solution') handlers.solution(data);
      else handlers.error(rebuiltError(data));
    });
  }

  request(request: Omit<FormulaRequest, 'id'>): void {
    const id = ++this.latest;
    this.worker.postMessage({ ...request, id } satisfies FormulaRequest);
    if (this.workerReady) return;
    let traced;
    try {
      traced = traceFormula({ ...request, id });
    } catch {
      // The worker reports the same error in a moment.
      return;
    }
    this.tracedHere = id;
    this.handlers.trace({ id, kind: 'trace', ...traced });
  }
}

/** A formula error keeps its class, so the page underlines the spot as for a parse error of its own. */
function rebuiltError({ formulaError, message }: Reply<'error'>): Error {
  if (formulaError === undefined) return new Error(message);
  const { reason, formula, index, length } = formulaError;
  return new FormulaError(reason, formula, index, length);
}

import { FormulaError } from '../../src/index.js';
import type { FormulaReply, FormulaRequest } from './formula-worker.js';
import FormulaWorker from './formula-worker.ts?worker&inline';

type Reply<K extends FormulaReply['kind']> = Extract<FormulaReply, { kind: K }>;

export interface FormulaWorkHandlers {
  trace(reply: Reply<'trace'>): void;
  solution(reply: Reply<'solution'>): void;
  error(error: Error): void;
}

/**
 * The page's side of the formula worker (formula-worker.ts): the worker starts with the page,
 * so it loads while the page does; replies to anything but the latest request are dropped.
 */
export class FormulaWork {
  private readonly worker = new FormulaWorker();
  private latest = -1;

  constructor(handlers: FormulaWorkHandlers) {
    this.worker.addEventListener('message', ({ data }: MessageEvent<FormulaReply>) => {
      if (data.id !== this.latest) return;
      if (data.kind === 'trace') handlers.trace(data);
      else if (data.kind === 'solution') handlers.solution(data);
      else handlers.error(rebuiltError(data));
    });
  }

  request(request: Omit<FormulaRequest, 'id'>): void {
    this.latest += 1;
    this.worker.postMessage({ ...request, id: this.latest } satisfies FormulaRequest);
  }
}

/** A formula error keeps its class, so the page underlines the spot as for a parse error of its own. */
function rebuiltError({ formulaError, message }: Reply<'error'>): Error {
  if (formulaError === undefined) return new Error(message);
  const { reason, formula, index, length } = formulaError;
  return new FormulaError(reason, formula, index, length);
}

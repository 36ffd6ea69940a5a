import { explainExpression, htmlArticleBody, loadKatex } from '../../src/explain/index.js';
import { FormulaError } from '../../src/index.js';
import { traceFormula, type FormulaRequest, type TracedFormula } from './formula-answer.js';

/*
 * Formula mode's work, off the page's thread: tracing, the two graphs' DOT and the worked
 * solution typeset by KaTeX. For a 20-term formula this is most of a second; the page only
 * puts the results on the screen. Each request replies with the trace first, then the
 * solution in pieces; a newer request stops the typesetting of an older one.
 */

export type { FormulaRequest };

/** A FormulaError as data (errors lose their class in postMessage): the page rebuilds it to underline the spot. */
export interface FormulaErrorData {
  readonly reason: string;
  readonly formula: string;
  readonly index: number;
  readonly length: number;
}

export type FormulaReply =
  | { readonly kind: 'ready' }
  | ({ readonly id: number; readonly kind: 'trace' } & TracedFormula)
  | { readonly id: number; readonly kind: 'solution'; readonly pieces: readonly string[]; readonly done: boolean }
  | { readonly id: number; readonly kind: 'error'; readonly formulaError?: FormulaErrorData; readonly message: string };

/** Pieces of the solution are sent in batches of about this many milliseconds of typesetting. */
const BATCH_MS = 30;
/** Rows of an aligned run or a list per piece: one piece is laid out in a few milliseconds. */
const ROWS_PER_PIECE = 4;

const scope = self as unknown as {
  addEventListener(type: 'message', listener: (event: MessageEvent<FormulaRequest>) => void): void;
  postMessage(message: FormulaReply): void;
};

const katexLoaded = loadKatex();
let latest = -1;
// The page traces by itself until it hears this (formula-work.ts).
void katexLoaded.then(() => scope.postMessage({ kind: 'ready' }));

scope.addEventListener('message', ({ data }) => {
  latest = data.id;
  void answer(data);
});

/** A macrotask boundary, so a newer request's message is received before typesetting goes on. */
const nextTask = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

async function answer(request: FormulaRequest): Promise<void> {
  const { id, language } = request;
  try {
    await katexLoaded;
    if (id !== latest) return;
    const { trace, dots } = traceFormula(request);
    scope.postMessage({ id, kind: 'trace', trace, dots });
    const pieces = htmlArticleBody(explainExpression(trace, { language }), language, { rowsPerPiece: ROWS_PER_PIECE });
    for (;;) {
      const batch: string[] = [];
      const start = performance.now();
      let next = pieces.next();
      while (next.done !== true) {
        batch.push(next.value);
        if (performance.now() - start > BATCH_MS) break;
        next = pieces.next();
      }
      const done = next.done === true;
      scope.postMessage({ id, kind: 'solution', pieces: batch, done });
      if (done) return;
      await nextTask();
      if (id !== latest) return;
    }
  } catch (error) {
    const formulaError = error instanceof FormulaError ? { reason: error.reason, formula: error.formula, index: error.index, length: error.length } : undefined;
    scope.postMessage({ id, kind: 'error', formulaError, message: error instanceof Error ? error.message : String(error) });
  }
}

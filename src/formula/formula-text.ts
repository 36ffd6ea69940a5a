import type { Sym } from './symbolic.js';
import { writeSym, type WriteOptions } from './write.js';

/** One formula in the three ways mashagrad writes formulas. */
export interface FormulaText {
  /** The formula grammar: parses back with `mashagrad grad`. */
  readonly ascii: string;
  /** Unicode for terminals and people: x², 2x, σ(x). */
  readonly pretty: string;
  readonly latex: string;
}

export function formulaText(sym: Sym, substitute?: WriteOptions['substitute'], grouping: Pick<WriteOptions, 'keepGrouping'> = {}): FormulaText {
  const options = substitute === undefined ? grouping : { ...grouping, substitute };
  return { ascii: writeSym(sym, 'ascii', options), pretty: writeSym(sym, 'pretty', options), latex: writeSym(sym, 'latex', options) };
}

import { getByName } from '../by-name.js';
import { registry } from '../ops/registry.js';
import { Precedence, type OpAttrs, type OpDef, type Style, type WrittenArg } from '../ops/types.js';
import { exactText, formatNumber } from './numbers.js';
import { isMatrix, type Sym } from './symbolic.js';

export interface WriteOptions {
  /** Significant digits for numbers that are not simple fractions (pretty and latex only). */
  digits?: number;
  /** Write these variables as the given text instead of their names (numbers substituted). */
  substitute?: ReadonlyMap<string, { readonly pretty: string; readonly latex: string; readonly ascii?: string; readonly negative?: boolean }>;
}

function writeNumber(value: number, style: Style, options: WriteOptions): WrittenArg {
  const text =
    style === 'ascii'
      ? exactText(value)
      : formatNumber(value, { digits: options.digits ?? 6, fractions: style === 'latex' ? 'latex' : 'text' }).replace('−', style === 'latex' ? '-' : '−');
  const negative = value < 0;
  const isFraction = /\//.test(text) || text.includes('\\frac');
  return { text, precedence: negative ? Precedence.negativeNumber : isFraction ? Precedence.product : Precedence.atom };
}

/** A Sym written in one of the three styles, via each op's notation in the registry. */
export function writeSymArg(sym: Sym, style: Style, options: WriteOptions = {}): WrittenArg {
  switch (sym.kind) {
    case 'const':
      return writeNumber(sym.value, style, options);
    case 'var': {
      const replacement = options.substitute?.get(sym.name);
      if (replacement !== undefined) {
        const replaced = style === 'ascii' ? (replacement.ascii ?? replacement.pretty) : replacement[style];
        return { text: replaced, precedence: replacement.negative === true ? Precedence.negativeNumber : Precedence.atom, matrix: sym.matrix === true, literal: true };
      }
      return { text: style === 'latex' ? latexName(sym.name) : style === 'pretty' ? prettyName(sym.name) : sym.name, precedence: Precedence.atom, matrix: sym.matrix === true };
    }
    case 'op': {
      const op = registry[sym.op] as OpDef<OpAttrs[typeof sym.op]>;
      const args = sym.args.map((arg) => writeSymArg(arg, style, options));
      if (op.notation.precedence === 'transparent') return args[0] ?? { text: '', precedence: Precedence.atom };
      return { text: op.notation.write(args, sym.attrs as OpAttrs[typeof sym.op], style), precedence: op.notation.precedence, matrix: isMatrix(sym) };
    }
  }
}

export function writeSym(sym: Sym, style: Style, options: WriteOptions = {}): string {
  return writeSymArg(sym, style, options).text;
}

/** Names with a conventional written form: ŷ for the prediction. */
const SPECIAL_NAMES: Record<string, { pretty: string; latex: string }> = {
  yhat: { pretty: 'ŷ', latex: '\\hat{y}' },
  gamma: { pretty: 'γ', latex: '\\gamma' },
  // The row of ones that sums a matrix's columns (∂L/∂b = 1ᵀ·d); no formula a person types has this name.
  '1ᵀ': { pretty: '1ᵀ', latex: '\\mathbf{1}^{\\top}' },
};

const SUBSCRIPTS = '₀₁₂₃₄₅₆₇₈₉';

/** W1 → W₁, x_2 → x₂: trailing digits read as subscripts; gamma → γ; dL_dW1 → ∂L/∂W₁. */
export function prettyName(name: string): string {
  const special = getByName(SPECIAL_NAMES, name);
  if (special !== undefined) return special.pretty;
  const derivative = /^d([A-Za-z]\w*?)_d(\w+)$/.exec(name);
  if (derivative !== null) return `∂${prettyName(derivative[1]!)}/∂${prettyName(derivative[2]!)}`;
  const match = /^([A-Za-z]+)_?(\d+)$/.exec(name);
  return match === null ? name : `${match[1]}${[...match[2]!].map((digit) => SUBSCRIPTS[Number(digit)]).join('')}`;
}

/** W1 → W_{1}, x_2 → x_{2}: names with digits read as subscripts in LaTeX. */
export function latexName(name: string): string {
  const special = getByName(SPECIAL_NAMES, name);
  if (special !== undefined) return special.latex;
  const derivative = /^d([A-Za-z]\w*?)_d(\w+)$/.exec(name);
  if (derivative !== null) return `\\frac{\\partial ${latexName(derivative[1]!)}}{\\partial ${latexName(derivative[2]!)}}`;
  const match = /^([A-Za-z]+)_?(\d+)$/.exec(name);
  if (match !== null) return `${match[1]}_{${match[2]}}`;
  return name.replace(/_/g, '\\_');
}

import { getByName } from '../by-name.js';
import { registry } from '../ops/registry.js';
import { Precedence, type OpAttrs, type OpDef, type Style, type WrittenArg } from '../ops/types.js';
import { exactText, formatNumber, isWrittenNumber, numberBinding } from './numbers.js';
import { keepsOneAxis, type Sym } from './symbolic.js';
import { greekLetter } from './greek.js';
import { withTextbookSigns } from './textbook-signs.js';
import { wrap } from '../ops/notation.js';

export interface WriteOptions {
  /** Significant digits for numbers that are not simple fractions (pretty and latex only). */
  digits?: number;
  /** Write these variables as the given text instead of their names (numbers substituted). */
  substitute?: ReadonlyMap<string, { readonly pretty: string; readonly latex: string; readonly ascii?: string; readonly negative?: boolean }>;
  /**
   * The formula as typed, beside its graph's nodes: no sign rules, so x − (y − z) keeps the node
   * y − z and y·(−(−x)) the nodes −x and −(−x) that the forward pass lists.
   */
  keepGrouping?: boolean;
}

function writeNumber(value: number, style: Style, options: WriteOptions): WrittenArg {
  const text =
    style === 'ascii'
      ? exactText(value)
      : formatNumber(value, { digits: options.digits ?? 6, fractions: style === 'latex' ? 'latex' : 'text' }).replace('−', style === 'latex' ? '-' : '−');
  return { text, precedence: numberPrecedence(text, value < 0) };
}

/** How a written number binds: −2 as a term, 1/3 and 1.6·10³⁸ as products, 10⁴⁰ as a power, 2.5 as an atom. */
function numberPrecedence(text: string, negative: boolean): number {
  return negative ? Precedence.negativeNumber : Precedence[numberBinding(text)];
}

/**
 * A Sym written in one of the three styles, via each op's notation in the registry. Written
 * bottom-up with an explicit stack, so a sum of thousands of terms does not overflow the stack.
 */
export function writeSymArg(formula: Sym, style: Style, options: WriteOptions = {}): WrittenArg {
  const sym = options.keepGrouping === true ? formula : withTextbookSigns<Sym>(formula, (x) => ({ kind: 'op', op: 'neg', args: [x], attrs: {} }));
  const written = new Map<Sym, WrittenArg>();
  const stack: { sym: Sym; expanded: boolean }[] = [{ sym, expanded: false }];
  while (stack.length > 0) {
    const entry = stack.pop()!;
    const node = entry.sym;
    if (written.has(node)) continue;
    if (node.kind !== 'op') {
      written.set(node, writeLeaf(node, style, options));
    } else if (!entry.expanded) {
      stack.push({ sym: node, expanded: true });
      for (const arg of node.args) if (!written.has(arg)) stack.push({ sym: arg, expanded: false });
    } else {
      const op = registry[node.op] as OpDef<OpAttrs[typeof node.op]>;
      const args = exponentBracketed(node.op, node.args.map((arg) => written.get(arg)!), style);
      // isMatrix(node), from the arguments already written (isMatrix itself would recurse).
      const matrix = (keepsOneAxis(node) || (node.op !== 'sum' && node.op !== 'mean')) && args.some((arg) => arg.matrix === true);
      written.set(node, node.op === 'neg' ? writeNegation(args[0]!, style, matrix) : op.notation.precedence === 'transparent'
        ? (args[0] ?? { text: '', precedence: Precedence.atom })
        : { text: op.notation.write(args, node.attrs as OpAttrs[typeof node.op], style), precedence: op.notation.precedence, matrix });
    }
  }
  return written.get(sym)!;
}

/** A power in an exponent is bracketed, 2^(x²), never 2^x², which reads as (2^x)² as well (LaTeX's braces say it). */
function exponentBracketed(op: string, args: WrittenArg[], style: Style): WrittenArg[] {
  const exponent = args[1];
  if (op !== 'pow' || style === 'latex' || exponent === undefined || exponent.precedence !== Precedence.power) return args;
  return [args[0]!, { ...exponent, text: `(${exponent.text})`, precedence: Precedence.atom }];
}

/**
 * −x, −2x, −a/(x·x): a minus before a product or a quotient needs no brackets, −(a/b) = (−a)/b
 * (the ascii grammar keeps them). It binds as a negative number does: bracketed after + and ·,
 * 2·(−x), which withTextbookSigns leaves only where the sign cannot be pulled out.
 */
function writeNegation(arg: WrittenArg, style: Style, matrix: boolean): WrittenArg {
  const minus = style === 'pretty' ? '−' : '-';
  const bare = style !== 'ascii' && arg.precedence >= Precedence.product;
  return { text: `${minus}${bare ? arg.text : wrap(arg, Precedence.power, style)}`, precedence: Precedence.negativeNumber, matrix };
}

function writeLeaf(sym: Exclude<Sym, { kind: 'op' }>, style: Style, options: WriteOptions): WrittenArg {
  if (sym.kind === 'const') return writeNumber(sym.value, style, options);
  const replacement = options.substitute?.get(sym.name);
  if (replacement !== undefined) {
    const replaced = style === 'ascii' ? (replacement.ascii ?? replacement.pretty) : replacement[style];
    // A substituted fraction binds like a quotient: √(729/400), not √729/400; 1.6·10³⁸ like a product.
    const number = isWrittenNumber(replacement.pretty);
    const precedence = replacement.negative === true ? Precedence.negativeNumber : number ? numberPrecedence(replacement.pretty, false) : Precedence.atom;
    return { text: replaced, precedence, matrix: sym.matrix === true, literal: true };
  }
  // Matrix symbols are the network recorders' own (a typed formula has only scalars): only they may be dL_dh1 → ∂L/∂h₁.
  const recorded = sym.matrix === true;
  return { text: style === 'latex' ? latexWrittenName(sym.name, recorded) : style === 'pretty' ? writtenName(sym.name, recorded) : sym.name, precedence: Precedence.atom, matrix: recorded };
}

export function writeSym(sym: Sym, style: Style, options: WriteOptions = {}): string {
  return writeSymArg(sym, style, options).text;
}

/** Names with a conventional written form: ŷ for the prediction (the Greek names are greek.ts's, below). */
const SPECIAL_NAMES: Record<string, { pretty: string; latex: string }> = {
  yhat: { pretty: 'ŷ', latex: '\\hat{y}' },
  // The row of ones that sums a matrix's columns (∂L/∂b = 1ᵀ·d); no formula a person types has this name.
  '1ᵀ': { pretty: '1ᵀ', latex: '\\mathbf{1}^{\\top}' },
};

const SUBSCRIPTS = '₀₁₂₃₄₅₆₇₈₉';
/** Letters before a subscript that are not greek.ts's: x̂ (xhat2 → x̂₂). */
const HATTED = new Map([['xhat', { pretty: 'x\u0302', latex: '\\hat{x}' }]]);
/** The written letter of a name with or without a subscript: mu → μ, gamma2 → γ, xhat → x̂. */
const letterOf = (name: string) => greekLetter(name) ?? HATTED.get(name);
/** A variance: sigmasq2 → σ₂², with the square after the subscript. */
const SQUARED = new Map([['sigmasq', greekLetter('sigma')!]]);

/**
 * The recorders' names of gradients of the loss: dL_dh1 → ∂L/∂h₁. Only the loss L, and only for
 * names a recorder made (`recorded`): a variable a person names dL_dx, dist_delta or dx_dy in a
 * formula is written as typed, not as ∂L/∂x, ∂ist/∂elta or ∂x/∂y.
 */
const DERIVATIVE_NAME = /^d(L)_d(\w+)$/;

/** W1 → W₁, x_2 → x₂: trailing digits read as subscripts; gamma → γ; a recorder's dL_dW1 → ∂L/∂W₁. */
export function prettyName(name: string): string {
  return writtenName(name, false);
}

/** The name a network recorder made: its dL_dh1 is ∂L/∂h₁. */
export function recordedPrettyName(name: string): string {
  return writtenName(name, true);
}

function writtenName(name: string, recorded: boolean): string {
  const special = getByName(SPECIAL_NAMES, name) ?? greekLetter(name);
  if (special !== undefined) return special.pretty;
  const derivative = recorded ? DERIVATIVE_NAME.exec(name) : null;
  if (derivative !== null) return `∂${prettyName(derivative[1]!)}/∂${prettyName(derivative[2]!)}`;
  const match = /^([A-Za-z]+)_?(\d+)$/.exec(name);
  if (match === null) return name;
  const subscript = [...match[2]!].map((digit) => SUBSCRIPTS[Number(digit)]).join('');
  const squared = SQUARED.get(match[1]!);
  if (squared !== undefined) return `${squared.pretty}${subscript}²`;
  return `${letterOf(match[1]!)?.pretty ?? match[1]!}${subscript}`;
}

/** A name of several letters as one word (\mathit{ab}), so LaTeX does not space it as the product a·b; _ escaped. */
export function latexWord(name: string): string {
  const escaped = name.replace(/_/g, '\\_');
  return name.length > 1 ? `\\mathit{${escaped}}` : escaped;
}

/** W1 → W_{1}, x_2 → x_{2}: names with digits read as subscripts in LaTeX. */
export function latexName(name: string): string {
  return latexWrittenName(name, false);
}

/** The LaTeX of a name a network recorder made: its dL_dh1 is \frac{\partial L}{\partial h_{1}}. */
export function recordedLatexName(name: string): string {
  return latexWrittenName(name, true);
}

function latexWrittenName(name: string, recorded: boolean): string {
  const special = getByName(SPECIAL_NAMES, name) ?? greekLetter(name);
  if (special !== undefined) return special.latex;
  const derivative = recorded ? DERIVATIVE_NAME.exec(name) : null;
  if (derivative !== null) return `\\frac{\\partial ${latexName(derivative[1]!)}}{\\partial ${latexName(derivative[2]!)}}`;
  const match = /^([A-Za-z]+)_?(\d+)$/.exec(name);
  if (match !== null) {
    const squared = SQUARED.get(match[1]!);
    return squared !== undefined ? `${squared.latex}_{${match[2]}}^{2}` : `${letterOf(match[1]!)?.latex ?? latexWord(match[1]!)}_{${match[2]}}`;
  }
  return latexWord(name);
}

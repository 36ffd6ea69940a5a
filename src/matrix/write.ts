import type { FormulaText } from '../formula/formula-text.js';
import { exactText, formatNumber, isWrittenNumber, numberBinding } from '../formula/numbers.js';
import { withTextbookSigns } from '../formula/textbook-signs.js';
import { latexName, prettyName } from '../formula/write.js';
import { registry } from '../ops/registry.js';
import { isScalar, type MatrixExpr } from './expr.js';

/**
 * A matrix formula written out: `ascii` in the matrix grammar (x'*A*x, (A + A')*x; it parses
 * back), `pretty` as a teacher writes it (xᵀ·A·x, X⁻¹, A ⊙ B), and LaTeX. The identity
 * matrix is I and a matrix of ones 1 (their size is the shape beside them).
 */

type Style = 'ascii' | 'pretty' | 'latex';
const Level = { sum: 1, product: 2, unary: 3, power: 4, postfix: 5 } as const;

interface Written {
  readonly text: string;
  readonly level: number;
  /** A matrix product or a number times a matrix: associative, so no brackets on the right of another. */
  readonly associative?: boolean;
  /** P ⊗ Q: a term of a sum, or negated, without brackets; a factor of a product only in brackets, (P ⊗ Q)·R. */
  readonly kronecker?: boolean;
}

/** Whether a formula has a matrix product outside any function's brackets (2·xᵀ·A·x does, det(A·B) does not). */
const hasMatrixProduct = (x: MatrixExpr): boolean =>
  x.kind === 'op' && (x.op === 'matmul' || (['mul', 'div', 'neg', 'add', 'sub'].includes(x.op) && x.args.some(hasMatrixProduct)));

/** The right factor of an associative product: A·(B·C) = A·B·C needs no brackets, A·(B ⊙ C) does. */
const rightFactor = (arg: Written, style: Style): string => (arg.associative === true ? arg.text : wrap(arg, Level.power, style));

/** The left factor of a product: P ⊗ Q there is bracketed, (P ⊗ Q)·R (on the right the product's own rule brackets it). */
const leftFactor = (arg: Written, style: Style): string => (arg.kronecker === true ? wrap(arg, Level.power, style) : wrap(arg, Level.product, style));

const productLevel = (left: Written): number => (left.level === Level.unary ? Level.unary : Level.product);

const bracketed = (text: string, style: Style): string => (style === 'latex' ? `\\left(${text}\\right)` : `(${text})`);

const wrap = (arg: Written, needed: number, style: Style): string => (arg.level >= needed ? arg.text : bracketed(arg.text, style));

/** An operand after an operator (+, −, /, a leading −): bracketed below `needed`, and always where it starts with a minus (x − (−2), x/(−2·3)). */
const afterOperator = (arg: Written, needed: number, style: Style): string => wrap(arg, arg.level === Level.unary ? Level.power : needed, style);

const CALLS: Partial<Record<string, { ascii: string; pretty: string; latex: string }>> = {
  trace: { ascii: 'tr', pretty: 'tr', latex: '\\operatorname{tr}' },
  det: { ascii: 'det', pretty: 'det', latex: '\\det' },
  sum: { ascii: 'sum', pretty: 'sum', latex: '\\operatorname{sum}' },
  commutation: { ascii: 'commutation', pretty: 'K', latex: 'K' },
};

/** A plain number binds as tightly as xᵀ: nothing takes it apart. */
const NUMBER_LEVEL = { product: Level.product, power: Level.power, atom: Level.postfix } as const;

function number(value: number, style: Style): Written {
  const text = style === 'ascii' ? exactText(value) : formatNumber(value, { fractions: style === 'latex' ? 'latex' : 'text' });
  // 1/3 and 1.6·10³⁸ are products: bracketed where a product would be, x/(1.6·10³⁸).
  const level = value < 0 ? Level.unary : NUMBER_LEVEL[numberBinding(text)];
  return { text: style === 'latex' ? text.replace('−', '-') : text, level };
}

/** Values written in for variables: each style, and the transposed value (a column vector (1, 2)ᵀ transposed is (1, 2)). */
export interface MatrixSubstitute {
  readonly ascii: string;
  readonly pretty: string;
  readonly latex: string;
  readonly transposed: { readonly ascii: string; readonly pretty: string; readonly latex: string };
}
type Substitutes = ReadonlyMap<string, MatrixSubstitute>;

/** How a value written in binds: a negative number as −2 does, (−2)², a number as its text does, 1/(2·10⁻⁸); a vector or matrix as an atom. */
function substituteLevel(given: MatrixSubstitute): number {
  if (!isWrittenNumber(given.pretty.replace(/^−/, ''))) return Level.postfix;
  return given.pretty.startsWith('−') ? Level.unary : NUMBER_LEVEL[numberBinding(given.pretty)];
}

function write(x: MatrixExpr, style: Style, substitutes?: Substitutes): Written {
  const given = x.kind === 'var' ? substitutes?.get(x.name) : undefined;
  if (given !== undefined) return { text: given[style], level: substituteLevel(given) };
  if (x.kind === 'var' && x.differentialOf !== undefined && style === 'latex') return { text: `\\mathrm{d}${write({ kind: 'var', name: x.differentialOf, shape: x.shape }, style).text}`, level: Level.postfix };
  if (x.kind === 'var') return { text: matrixName(x.name)[style], level: Level.postfix };
  if (x.kind === 'const') return number(x.value, style);
  const first = x.args[0];
  const transposedValue = x.op === 'transpose' && first?.kind === 'var' ? substitutes?.get(first.name)?.transposed : undefined;
  if (transposedValue !== undefined) return { text: transposedValue[style], level: Level.postfix };
  const args = x.args.map((arg) => write(arg, style, substitutes));
  const [a, b] = args;
  const times = style === 'ascii' ? '*' : style === 'pretty' ? '·' : ' \\cdot ';
  switch (x.op) {
    case 'add': return { text: `${wrap(a!, Level.sum, style)} + ${afterOperator(b!, Level.product, style)}`, level: Level.sum };
    case 'sub': return { text: `${wrap(a!, Level.sum, style)} ${style === 'pretty' ? '−' : '-'} ${afterOperator(b!, Level.product, style)}`, level: Level.sum };
    case 'neg': return { text: `${style === 'pretty' ? '−' : '-'}${afterOperator(a!, Level.product, style)}`, level: Level.unary };
    // A product whose first factor starts with a minus (−2·x) starts with it too: bracketed after + or −.
    case 'matmul': return { text: `${leftFactor(a!, style)}${times}${rightFactor(b!, style)}`, level: productLevel(a!), associative: true };
    case 'mul': {
      const hadamard = !isScalar(x.args[0]!) && !isScalar(x.args[1]!);
      if (!hadamard) {
        // A number that is a matrix product (xᵀ·A·x) times a matrix is bracketed: (bᵀ·A·b)·A·b, since
        // bᵀ·A·b·A·b would read as one chain of matrix products, which is not defined.
        const chainNumber = (k: number) => isScalar(x.args[k]!) && !isScalar(x) && args[k]!.level < Level.postfix && hasMatrixProduct(x.args[k]!);
        const left = chainNumber(0) ? bracketed(a!.text, style) : leftFactor(a!, style);
        const right = chainNumber(1) ? bracketed(b!.text, style) : rightFactor(b!, style);
        return { text: `${left}${times}${right}`, level: productLevel(a!), associative: !chainNumber(0) && !chainNumber(1) };
      }
      const symbol = style === 'ascii' ? '.*' : style === 'pretty' ? ' ⊙ ' : ' \\odot ';
      return { text: `${leftFactor(a!, style)}${symbol}${wrap(b!, Level.power, style)}`, level: productLevel(a!) };
    }
    case 'div': {
      const elementwise = !isScalar(x.args[1]!);
      if (style === 'latex' && !elementwise) return { text: `\\frac{${a!.text}}{${b!.text}}`, level: Level.postfix };
      const symbol = elementwise ? (style === 'ascii' ? './' : ' ⊘ ') : '/';
      return { text: `${leftFactor(a!, style)}${symbol}${afterOperator(b!, Level.unary, style)}`, level: productLevel(a!) };
    }
    case 'pow': {
      const elementwise = !isScalar(x.args[0]!);
      if (style === 'latex') return { text: `{${wrap(a!, Level.postfix, style)}}^{${b!.text}}`, level: Level.power };
      // A matrix exponent is bracketed: (2, 3)ᵀ^((1, 2)ᵀ), so its ᵀ is not read as the power's.
      // An exponent is bracketed unless it is a number or a name: 2^(x²), not 2^x², and a matrix
      // exponent's ᵀ or ⁻¹ is not read as the power's: (2, 3)ᵀ^((1, 2)ᵀ), A^(B⁻¹).
      const plain = (x.args[1]!.kind === 'const' || x.args[1]!.kind === 'var') && b!.level >= Level.postfix && !/[ᵀ'⁻]/.test(b!.text);
      const exponent = plain ? b!.text : bracketed(b!.text, style);
      return { text: `${wrap(a!, Level.postfix, style)}${elementwise && style === 'ascii' ? '.^' : '^'}${exponent}`, level: Level.power };
    }
    case 'transpose': {
      // (X⁻¹)ᵀ is written X⁻ᵀ, as in books; in LaTeX a second superscript needs its own braces.
      const inner = x.args[0]!;
      if (inner.kind === 'op' && inner.op === 'inv' && style !== 'ascii') {
        const base = write(inner.args[0]!, style, substitutes);
        return { text: `${wrap(base, Level.postfix, style)}${style === 'pretty' ? '⁻ᵀ' : '^{-T}'}`, level: Level.postfix };
      }
      if (style === 'latex' && a!.text.includes('^')) return { text: `{${wrap(a!, Level.postfix, style)}}^{T}`, level: Level.postfix };
      return { text: `${wrap(a!, Level.postfix, style)}${style === 'ascii' ? "'" : style === 'pretty' ? 'ᵀ' : '^{T}'}`, level: Level.postfix };
    }
    case 'inv':
      if (style === 'latex' && a!.text.includes('^')) return { text: `{${wrap(a!, Level.postfix, style)}}^{-1}`, level: Level.postfix };
      return style === 'ascii' ? { text: `inv(${a!.text})`, level: Level.postfix } : { text: `${wrap(a!, Level.postfix, style)}${style === 'pretty' ? '⁻¹' : '^{-1}'}`, level: Level.postfix };
    case 'eyeLike': return { text: 'I', level: Level.postfix };
    case 'kron': {
      if (style === 'ascii') return { text: `kron(${a!.text}, ${b!.text})`, level: Level.postfix };
      const symbol = style === 'pretty' ? ' ⊗ ' : ' \\otimes ';
      return { text: `${wrap(a!, Level.power, style)}${symbol}${wrap(b!, Level.power, style)}`, level: Level.product, kronecker: true };
    }
    // A number spread over a shape is that number times the matrix of ones of the shape.
    case 'broadcastTo': {
      if (!isScalar(x.args[0]!) || isScalar(x)) return a!;
      const [rows = 1, columns = 1] = x.shape;
      const ones = style === 'latex' ? `\\mathbf{1}_{${rows}\\times ${columns}}` : `ones(${rows},${columns})`;
      const spread = x.args[0]!;
      const unit = spread.kind === 'const' && spread.value === 1;
      return unit ? { text: ones, level: Level.postfix } : { text: `${wrap(a!, Level.product, style)}${times}${ones}`, level: Level.product, associative: true };
    }
    case 'reshape':
    case 'identity': return a!;
    default: {
      // A comparison (a mask of 0s and 1s, as the power rule's limit terms use) is written as
      // its registry notation writes it: [x = 0] as a textbook does, and ascii that parses back.
      if (registry[x.op].differentiable === false && args.length === 2) {
        return { text: registry[x.op].notation.write(args.map((arg) => ({ text: arg.text, precedence: arg.level })), x.attrs as never, style), level: Level.postfix };
      }
      const names = CALLS[x.op];
      const op = registry[x.op];
      const name = names?.[style] ?? (op.grammarNames?.[0] ?? x.op);
      const inner = args.map((arg) => arg.text).join(', ');
      const prettyName = style === 'pretty' && x.op === 'sigmoid' ? 'σ' : style === 'latex' && names === undefined ? `\\operatorname{${name}}` : name;
      return { text: style === 'latex' ? `${prettyName}\\left(${inner}\\right)` : `${prettyName}(${inner})`, level: Level.postfix };
    }
  }
}

/** Signs as a textbook prints them (formula/textbook-signs.ts): a − b, not a + −b or a − −2·b. */
const signed = (x: MatrixExpr): MatrixExpr => withTextbookSigns<MatrixExpr>(x, (inner) => ({ kind: 'op', op: 'neg', args: [inner], attrs: {}, shape: inner.shape }));

export function matrixText(x: MatrixExpr, substitutes?: Substitutes): FormulaText {
  const formula = signed(x);
  return { ascii: write(formula, 'ascii', substitutes).text, pretty: write(formula, 'pretty', substitutes).text, latex: write(formula, 'latex', substitutes).text };
}

/** The ascii form alone: also the key two equal formulas share. */
export const matrixAscii = (x: MatrixExpr): string => write(signed(x), 'ascii').text;

/**
 * A matrix variable's name as every line of a matrix solution shows it, by the one rule the
 * scalar formulas use (formula/write.ts): mu → μ, lambda → λ, W1 → W₁, a name of several letters
 * as one word (\mathit{ab}) in LaTeX; the ascii form is the name as typed (what the grammar reads).
 * The one writer for the formulas, the hat, the ∇ labels, the prose and the CLI summary, so one
 * solution never writes a variable two ways (μ̂ beside ∇_mu f) — docs/matrix-calculus.md.
 */
export function matrixName(name: string): FormulaText {
  return { ascii: name, pretty: prettyName(name), latex: latexName(name) };
}

/**
 * The point being solved for, written with a hat (ŵ, X̂, μ̂): an equation in the unknown is not an
 * identity at the problem's values, so it must not read as one. A hat goes on one written letter;
 * a name of several is hat(name), \widehat in LaTeX, since a hat on its last letter (ab̂) misreads.
 * The name under the hat is matrixName's. The ascii form stays the plain name (what parses back).
 */
export function hatted(name: string): FormulaText {
  const shown = matrixName(name);
  if ([...shown.pretty].length === 1) return { ascii: name, pretty: `${shown.pretty}\u0302`, latex: `\\hat{${shown.latex}}` };
  return { ascii: name, pretty: `hat(${shown.pretty})`, latex: `\\widehat{${shown.latex}}` };
}

/** Substitutes writing each unknown with its hat (and its transpose as ŵᵀ). */
export function hattedSubstitutes(names: readonly string[]): ReadonlyMap<string, MatrixSubstitute> {
  return new Map(names.map((name) => {
    const hat = hatted(name);
    return [name, { ...hat, transposed: { ascii: `${name}'`, pretty: `${hat.pretty}ᵀ`, latex: `${hat.latex}^{T}` } }];
  }));
}

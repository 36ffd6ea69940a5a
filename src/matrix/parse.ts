import { getByName } from '../by-name.js';
import { NUMBER_TEXT } from '../formula/parse.js';
import { describeToken, tokenCursor, tokenize, type Token as TokenOf, type TokenGrammar } from '../formula/tokens.js';
import type { Span } from '../formula/ast.js';
import { MATRIX_FUNCTIONS } from './functions.js';
import { MAX_VALUE_ELEMENTS } from './values.js';
import { registry } from '../ops/registry.js';
import type { OpName } from '../ops/types.js';

/*
 * The matrix grammar (MATLAB-like, as matrixcalculus.org; docs/matrix-calculus.md):
 *   sum     := product (('+' | '-') product)*
 *   product := unary (('*' | '/' | '.*' | './') unary)*
 *   unary   := ('-' | '+') unary | power
 *   power   := postfix (('^' | '.^') unary)?
 *   postfix := atom "'"*                    x' is the transpose of x
 *   atom    := number | name | name '(' sum (',' sum)* ')' | 'ones(' number ',' number ')' | '(' sum ')'
 * A function takes as many arguments as its registry op (kron(A, B) two, the others one).
 * `I` (when no variable is called I) is the identity, its size taken from what it meets;
 * `diag(v)` is the diagonal matrix of a vector and `ones(r,c)` an r×c matrix of ones: what the
 * derivative formulas print, so that every printed derivative parses back.
 * What `*` means (matrix product or a number times a matrix) depends on the shapes, which the
 * values decide: resolve.ts turns this tree into registry ops.
 */

export type MatrixOperator = '+' | '-' | '*' | '/' | '.*' | './' | '^' | '.^';

export type MatrixSyntax =
  | { readonly kind: 'number'; readonly value: number; readonly span: Span }
  | { readonly kind: 'variable'; readonly name: string; readonly span: Span }
  | { readonly kind: 'negate'; readonly arg: MatrixSyntax; readonly span: Span }
  | { readonly kind: 'transpose'; readonly arg: MatrixSyntax; readonly span: Span }
  | { readonly kind: 'binary'; readonly operator: MatrixOperator; readonly left: MatrixSyntax; readonly right: MatrixSyntax; readonly span: Span; readonly at: number }
  | { readonly kind: 'call'; readonly name: string; readonly op: OpName; readonly args: readonly MatrixSyntax[]; readonly span: Span }
  | { readonly kind: 'ones'; readonly rows: number; readonly columns: number; readonly span: Span };

type Punctuation = "'" | '(' | ')' | ',';
type Token = TokenOf<Punctuation>;

/**
 * Operations (operators, calls, transposes) in one matrix formula. A matrix-calculus exercise
 * has a few dozen; the derivative formulas grow with the square of the product chains, and
 * their simplification faster (measured: a product of 50 matrices 1.7 s, of 100 matrices 14 s),
 * so the limit is far lower than the grammar of numbers' 20,000 (docs/limits.md).
 */
export const MAX_MATRIX_OPERATIONS = 64;


const GRAMMAR: TokenGrammar<Punctuation> = {
  // 2.*x is 2 .* x: a point before an operator belongs to the operator, not to the number.
  number: new RegExp(NUMBER_TEXT.source.slice(1, -1).replace('\\.?\\d*', '(?:\\.(?![*/^]))?\\d*'), 'y'),
  operator: /\.\*|\.\/|\.\^|[-+*/^]/y,
  punctuation: ["'", '(', ')', ','],
  isOperation: (token) => token.kind === 'op' || token.kind === '(' || token.kind === "'",
  maxOperations: MAX_MATRIX_OPERATIONS,
  tooMany: `the formula has more than ${MAX_MATRIX_OPERATIONS} operations; a formula of matrices is worked by hand with far fewer`,
  hintFor: (ch) => (ch === '[' || ch === '{' ? " (use round brackets '(' and ')'; values go in --at or at:)" : ch === '×' || ch === '·' ? " (write '*' for a product)" : ch === 'ᵀ' || ch === '’' ? " (write x' for the transpose)" : ''),
};

/** Parse matrix formula text; a FormulaError points at the column at fault. */
export function parseMatrixFormula(source: string): MatrixSyntax {
  const tokens = tokenize(source, GRAMMAR);
  const { peek, next, previous, fail, deeper } = tokenCursor(tokens, source);
  const isOperator = (token: Token, operators: readonly string[]) => token.kind === 'op' && operators.includes(token.text);

  function binaryLevel(operators: readonly string[], operand: () => MatrixSyntax): MatrixSyntax {
    let left = operand();
    while (isOperator(peek(), operators)) {
      const operator = next();
      const right = operand();
      left = { kind: 'binary', operator: operator.text as MatrixOperator, left, right, span: { start: left.span.start, end: right.span.end }, at: operator.start };
    }
    return left;
  }
  const sum = (): MatrixSyntax => binaryLevel(['+', '-'], product);
  const product = (): MatrixSyntax => binaryLevel(['*', '/', '.*', './'], unary);

  function unary(): MatrixSyntax {
    const token = peek();
    if (isOperator(token, ['-', '+'])) {
      next();
      const arg = deeper(token, unary);
      return token.text === '+' ? arg : { kind: 'negate', arg, span: { start: token.start, end: arg.span.end } };
    }
    return power();
  }

  function power(): MatrixSyntax {
    const base = postfix();
    if (isOperator(peek(), ['^', '.^'])) {
      const caret = next();
      const exponent = deeper(caret, unary);
      return { kind: 'binary', operator: caret.text as MatrixOperator, left: base, right: exponent, span: { start: base.span.start, end: exponent.span.end }, at: caret.start };
    }
    return base;
  }

  function postfix(): MatrixSyntax {
    let result = atom();
    while (peek().kind === "'") {
      const quote = next();
      result = { kind: 'transpose', arg: result, span: { start: result.span.start, end: quote.end } };
    }
    return result;
  }

  function atom(): MatrixSyntax {
    const token = next();
    if (token.kind === 'number') return { kind: 'number', value: Number(token.text), span: { start: token.start, end: token.end } };
    if (token.kind === 'name') {
      if (peek().kind === '(') return call(token);
      return { kind: 'variable', name: token.text, span: { start: token.start, end: token.end } };
    }
    if (token.kind === '(') {
      const inner = deeper(token, sum);
      const close = next();
      if (close.kind !== ')') fail(`expected ')' to close the '(' at column ${token.start + 1}, but found ${describeToken(close)}`, close);
      return { ...inner, span: { start: token.start, end: close.end } };
    }
    return fail(`expected a number, a name or '(' but found ${describeToken(token)}`, token);
  }

  /** A size in ones(r, c): a whole number, at least 1. */
  function size(): number {
    const token = next();
    const value = Number(token.text);
    if (token.kind !== 'number' || !Number.isInteger(value) || value < 1) fail(`ones(r, c) takes two whole numbers of at least 1, but found ${describeToken(token)}`, token);
    return value;
  }

  function call(nameToken: Token): MatrixSyntax {
    if (nameToken.text === 'ones') {
      next();
      const rows = size();
      const comma = next();
      if (comma.kind !== ',') fail(`ones(r, c) takes two sizes separated by ',', but found ${describeToken(comma)}`, comma);
      const columns = size();
      const close = next();
      if (close.kind !== ')') fail(`expected ')' to close ones(r, c), but found ${describeToken(close)}`, close);
      // As many numbers as a value may hold (values.ts), so that a formula cannot ask for unbounded memory.
      if (rows * columns > MAX_VALUE_ELEMENTS) fail(`ones(${rows}, ${columns}) has more than ${MAX_VALUE_ELEMENTS.toLocaleString('en-US')} numbers`, nameToken);
      return { kind: 'ones', rows, columns, span: { start: nameToken.start, end: close.end } };
    }
    const op = getByName(MATRIX_FUNCTIONS, nameToken.text);
    if (op === undefined) fail(`unknown function '${nameToken.text}'; known functions: ${[...Object.keys(MATRIX_FUNCTIONS), 'ones'].join(', ')}`, nameToken);
    const arity = registry[op!].arity as number;
    const wanted = arity === 1 ? 'one argument' : `${arity} arguments separated by ','`;
    const open = next();
    const args = [deeper(open, sum)];
    let close = next();
    while (close.kind === ',' && args.length < arity) {
      args.push(deeper(close, sum));
      close = next();
    }
    if (close.kind === ',') fail(`${nameToken.text} takes ${wanted}`, close);
    if (close.kind === ')' && args.length < arity) fail(`${nameToken.text} takes ${wanted}, but found ${args.length}`, close);
    if (close.kind !== ')') fail(`expected ')' in the call of ${nameToken.text}, but found ${describeToken(close)}`, close);
    return { kind: 'call', name: nameToken.text, op: op!, args, span: { start: nameToken.start, end: close.end } };
  }

  if (peek().kind === 'end') fail('the formula is empty', peek());
  const formula = sum();
  const trailing = peek();
  if (trailing.kind !== 'end') {
    const implicit = trailing.kind === 'name' || trailing.kind === 'number' || trailing.kind === '(';
    fail(`expected an operator but found ${describeToken(trailing)}${implicit ? ` (write '${previous().text}*${trailing.text}' for a product)` : ''}`, trailing);
  }
  return formula;
}

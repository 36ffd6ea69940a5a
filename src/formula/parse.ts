import { getByName } from '../by-name.js';
import type { OpName } from '../ops/types.js';
import { FUNCTIONS, type Formula, type Span } from './ast.js';
import { describeToken, tokenCursor, tokenize, type Token as TokenOf, type TokenGrammar } from './tokens.js';

/*
 * The formula grammar (a recursive-descent parser; see README "Formulas"):
 *   sum     := product (('+' | '-') product)*
 *   product := unary (('*' | '/') unary)*
 *   unary   := ('-' | '+') unary | power
 *   power   := atom ('^' unary)?          right-associative; binds tighter than unary minus
 *   atom    := number | name | name '(' sum (',' sum)* ')' | '(' sum ')'
 * so -x^2 = -(x²) and 2^3^2 = 2^9 = 512.
 */

type Punctuation = '(' | ')' | ',';
type Token = TokenOf<Punctuation>;

/** A number as the grammar writes it (12, 0.5, .5, 1e-3), for other places that read numbers: --at. */
export const NUMBER_TEXT = /^(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
/** The most operations (operators and function calls) in one formula: well above what a person types. */
export const MAX_OPERATIONS = 20_000;

// x' and .* belong to formulas of vectors and matrices, which values in brackets select.
const MATRIX_HINT = " (a formula of vectors and matrices: give their values in brackets, --at 'x=[1,2]; A=[[1,2],[3,4]]')";
const GRAMMAR: TokenGrammar<Punctuation> = {
  number: new RegExp(NUMBER_TEXT.source.slice(1, -1), 'y'),
  operator: /[-+*/^]/y,
  punctuation: ['(', ')', ','],
  isOperation: (token) => token.kind === 'op' || token.kind === '(',
  maxOperations: MAX_OPERATIONS,
  tooMany: `the formula has more than ${MAX_OPERATIONS.toLocaleString('en-US')} operations; this tool works formulas a person can follow`,
  hintFor: (ch) => (ch === '[' || ch === '{' ? " (use round brackets '(' and ')')" : ch === '×' || ch === '·' ? " (write '*' for multiplication)" : ch === "'" || ch === '.' ? MATRIX_HINT : ''),
};

const BINARY: Record<string, OpName> = { '+': 'add', '-': 'sub', '*': 'mul', '/': 'div', '^': 'pow' };

/** Parse formula text into a Formula tree; a FormulaError points at the column at fault. */
export function parseFormula(source: string): Formula {
  const tokens = tokenize(source, GRAMMAR);
  const { peek, next, previous, fail, deeper } = tokenCursor(tokens, source);
  const span = (start: number, end: number): Span => ({ start, end });

  function binaryLevel(operators: string, operand: () => Formula): Formula {
    let left = operand();
    while (peek().kind === 'op' && operators.includes(peek().text)) {
      const operator = next().text;
      const right = operand();
      left = { kind: 'op', op: BINARY[operator]!, args: [left, right], span: span(left.span.start, right.span.end) };
    }
    return left;
  }
  const sum = (): Formula => binaryLevel('+-', product);
  const product = (): Formula => binaryLevel('*/', unary);

  function unary(): Formula {
    const token = peek();
    if (token.kind === 'op' && (token.text === '-' || token.text === '+')) {
      next();
      const operand = deeper(token, unary);
      if (token.text === '+') return operand;
      return { kind: 'op', op: 'neg', args: [operand], span: span(token.start, operand.span.end) };
    }
    return power();
  }

  function power(): Formula {
    const base = atom();
    if (peek().kind === 'op' && peek().text === '^') {
      const caret = next();
      const exponent = deeper(caret, unary);
      return { kind: 'op', op: 'pow', args: [base, exponent], span: span(base.span.start, exponent.span.end) };
    }
    return base;
  }

  function atom(): Formula {
    const token = next();
    if (token.kind === 'number') {
      return { kind: 'number', value: Number(token.text), span: span(token.start, token.end) };
    }
    if (token.kind === 'name') {
      if (peek().kind === '(') return call(token);
      return { kind: 'variable', name: token.text, span: span(token.start, token.end) };
    }
    if (token.kind === '(') {
      const inner = deeper(token, sum);
      const close = next();
      if (close.kind !== ')') fail(`expected ')' to close the '(' at column ${token.start + 1}, but found ${describeToken(close)}`, close);
      return { ...inner, span: span(token.start, close.end) };
    }
    return fail(`expected a number, a name or '(' but found ${describeToken(token)}`, token);
  }

  function call(nameToken: Token): Formula {
    const known = getByName(FUNCTIONS, nameToken.text);
    if (known === undefined) {
      fail(`unknown function '${nameToken.text}'; known functions: ${Object.keys(FUNCTIONS).join(', ')}`, nameToken);
    }
    const open = next(); // the '('
    const args: Formula[] = [deeper(open, sum)];
    while (peek().kind === ',') {
      next();
      args.push(deeper(open, sum));
    }
    const close = next();
    if (close.kind !== ')') fail(`expected ',' or ')' in the call of ${nameToken.text}, but found ${describeToken(close)}`, close);
    if (args.length !== known!.arity) {
      fail(`${nameToken.text} takes ${known!.arity} argument${known!.arity === 1 ? '' : 's'}, but ${args.length} ${args.length === 1 ? 'was' : 'were'} given`, { ...nameToken, end: close.end });
    }
    return { kind: 'op', op: known!.op, args, span: span(nameToken.start, close.end) };
  }

  if (peek().kind === 'end') fail('the formula is empty', peek());
  const formula = sum();
  const trailing = peek();
  if (trailing.kind !== 'end') {
    const implicit = trailing.kind === 'name' || trailing.kind === 'number' || trailing.kind === '(';
    const hint = implicit ? ` (write '${previous().text}*${trailing.text}' to multiply)` : '';
    fail(`expected an operator but found ${describeToken(trailing)}${hint}`, trailing);
  }
  return formula;
}

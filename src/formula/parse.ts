import { getByName } from '../by-name.js';
import type { OpName } from '../ops/types.js';
import { FUNCTIONS, type Formula, type Span } from './ast.js';
import { FormulaError } from './formula-error.js';

/*
 * The formula grammar (a recursive-descent parser; see README "Formulas"):
 *   sum     := product (('+' | '-') product)*
 *   product := unary (('*' | '/') unary)*
 *   unary   := ('-' | '+') unary | power
 *   power   := atom ('^' unary)?          right-associative; binds tighter than unary minus
 *   atom    := number | name | name '(' sum (',' sum)* ')' | '(' sum ')'
 * so -x^2 = -(x²) and 2^3^2 = 2^9 = 512.
 */

type TokenKind = 'number' | 'name' | 'op' | '(' | ')' | ',' | 'end';
interface Token {
  kind: TokenKind;
  text: string;
  start: number;
  end: number;
}

// Sticky (y) patterns match at lastIndex: no copy of the rest of the text per token.
const NAME = /[A-Za-z_][A-Za-z0-9_]*/y;
const SPACE = /\s+/y;

/**
 * Limits well above what a person types, so that hostile input gets a clear refusal instead
 * of a stack overflow or minutes of work: brackets, calls and signs nested this deep, and
 * this many operations (operators and function calls) in one formula.
 */
export const MAX_NESTING = 200;

/** A number as the grammar writes it (12, 0.5, .5, 1e-3), for other places that read numbers: --at. */
export const NUMBER_TEXT = /^(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const NUMBER = new RegExp(NUMBER_TEXT.source.slice(1, -1), 'y');
export const MAX_OPERATIONS = 20_000;

/** A number past the largest double (1e309) is refused where it stands, in every grammar, instead of becoming Infinity. */
export function checkNumberSize(number: string, source: string, at: number): void {
  if (!Number.isFinite(Number(number))) {
    throw new FormulaError(`the number ${number} is too large (the largest is about 1.8e308)`, source, at, number.length);
  }
}

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let operations = 0;
  let i = 0;
  const matchAt = (pattern: RegExp): string | null => {
    pattern.lastIndex = i;
    return pattern.exec(source)?.[0] ?? null;
  };
  while (i < source.length) {
    const space = matchAt(SPACE);
    if (space !== null) {
      i += space.length;
      continue;
    }
    const ch = source[i]!;
    const number = matchAt(NUMBER);
    const name = number === null ? matchAt(NAME) : null;
    if (number !== null) {
      checkNumberSize(number, source, i);
      tokens.push({ kind: 'number', text: number, start: i, end: i + number.length });
    } else if (name !== null) {
      tokens.push({ kind: 'name', text: name, start: i, end: i + name.length });
    } else if ('+-*/^'.includes(ch)) {
      tokens.push({ kind: 'op', text: ch, start: i, end: i + 1 });
      operations++;
    } else if (ch === '(' || ch === ')' || ch === ',') {
      tokens.push({ kind: ch, text: ch, start: i, end: i + 1 });
      if (ch === '(') operations++;
    } else {
      // x' and .* belong to formulas of vectors and matrices, which values in brackets select.
      const matrixHint = " (a formula of vectors and matrices: give their values in brackets, --at 'x=[1,2]; A=[[1,2],[3,4]]')";
      const hint = ch === '[' || ch === '{' ? " (use round brackets '(' and ')')" : ch === '×' || ch === '·' ? " (write '*' for multiplication)" : ch === "'" || ch === '.' ? matrixHint : '';
      throw new FormulaError(`unexpected character '${ch}'${hint}`, source, i);
    }
    if (operations > MAX_OPERATIONS) {
      throw new FormulaError(`the formula has more than ${MAX_OPERATIONS.toLocaleString('en-US')} operations; this tool works formulas a person can follow`, source, i);
    }
    i = tokens[tokens.length - 1]!.end;
  }
  tokens.push({ kind: 'end', text: 'end of formula', start: source.length, end: source.length });
  return tokens;
}

const BINARY: Record<string, OpName> = { '+': 'add', '-': 'sub', '*': 'mul', '/': 'div', '^': 'pow' };

function describe(token: Token): string {
  return token.kind === 'end' ? 'the end of the formula' : `'${token.text}'`;
}

/** Parse formula text into a Formula tree; a FormulaError points at the column at fault. */
export function parseFormula(source: string): Formula {
  const tokens = tokenize(source);
  let position = 0;
  const peek = (): Token => tokens[position]!;
  const next = (): Token => tokens[position++]!;
  const fail = (reason: string, token: Token): never => {
    throw new FormulaError(reason, source, token.start, Math.max(1, token.end - token.start));
  };
  const span = (start: number, end: number): Span => ({ start, end });
  // Each bracket, call, sign and exponent goes one level deeper in the recursive descent.
  let depth = 0;
  const deeper = <T>(token: Token, parse: () => T): T => {
    if (++depth > MAX_NESTING) fail(`brackets, calls, signs or powers are nested more than ${MAX_NESTING} deep here`, token);
    const result = parse();
    depth--;
    return result;
  };

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
      if (close.kind !== ')') fail(`expected ')' to close the '(' at column ${token.start + 1}, but found ${describe(close)}`, close);
      return { ...inner, span: span(token.start, close.end) };
    }
    return fail(`expected a number, a name or '(' but found ${describe(token)}`, token);
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
    if (close.kind !== ')') fail(`expected ',' or ')' in the call of ${nameToken.text}, but found ${describe(close)}`, close);
    if (args.length !== known!.arity) {
      fail(`${nameToken.text} takes ${known!.arity} argument${known!.arity === 1 ? '' : 's'}, but ${args.length} ${args.length === 1 ? 'was' : 'were'} given`, { ...nameToken, end: close.end });
    }
    return { kind: 'op', op: known!.op, args, span: span(nameToken.start, close.end) };
  }

  if (peek().kind === 'end') fail('the formula is empty', peek());
  const formula = sum();
  const trailing = peek();
  if (trailing.kind !== 'end') {
    const previous = tokens[position - 1]!;
    const implicit = trailing.kind === 'name' || trailing.kind === 'number' || trailing.kind === '(';
    const hint = implicit ? ` (write '${previous.text}*${trailing.text}' to multiply)` : '';
    fail(`expected an operator but found ${describe(trailing)}${hint}`, trailing);
  }
  return formula;
}

import { FormulaError } from './formula-error.js';

/*
 * What the two grammars' parsers share (the formula grammar, parse.ts, and the matrix grammar,
 * matrix/parse.ts): cutting the text into tokens, and the cursor a recursive descent walks them
 * with. Each grammar says which numbers, operators and punctuation it has, what counts as an
 * operation, and the hint for a character it does not know.
 */

/**
 * Limits well above what a person types, so that hostile input gets a clear refusal instead
 * of a stack overflow or minutes of work: brackets, calls and signs nested this deep.
 */
export const MAX_NESTING = 200;

/** A number past the largest double (1e309) is refused where it stands, in every grammar, instead of becoming Infinity. */
export function checkNumberSize(number: string, source: string, at: number): void {
  if (!Number.isFinite(Number(number))) {
    throw new FormulaError(`the number ${number} is too large (the largest is about 1.8e308)`, source, at, number.length);
  }
}

export interface Token<Punctuation extends string> {
  readonly kind: 'number' | 'name' | 'op' | 'end' | Punctuation;
  readonly text: string;
  readonly start: number;
  readonly end: number;
}

export interface TokenGrammar<Punctuation extends string> {
  /** Sticky (y) patterns, matched at the position: no copy of the rest of the text per token. */
  readonly number: RegExp;
  readonly operator: RegExp;
  /** Characters that are tokens of their own kind: brackets, the comma, the transpose quote. */
  readonly punctuation: readonly Punctuation[];
  /** Whether a token counts towards `maxOperations`. */
  readonly isOperation: (token: Token<Punctuation>) => boolean;
  readonly maxOperations: number;
  /** The refusal past `maxOperations`. */
  readonly tooMany: string;
  /** What to write instead of a character the grammar does not know ('' for none). */
  readonly hintFor: (character: string) => string;
}

const NAME = /[A-Za-z_][A-Za-z0-9_]*/y;
const SPACE = /\s+/y;

/** The tokens of `source`, ending with an 'end' token; a FormulaError points at a character the grammar does not know. */
export function tokenize<Punctuation extends string>(source: string, grammar: TokenGrammar<Punctuation>): Token<Punctuation>[] {
  const tokens: Token<Punctuation>[] = [];
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
    const number = matchAt(grammar.number);
    const name = number === null ? matchAt(NAME) : null;
    const operator = number === null && name === null ? matchAt(grammar.operator) : null;
    const punctuation = grammar.punctuation.find((p) => p === ch);
    let token: Token<Punctuation>;
    if (number !== null) {
      checkNumberSize(number, source, i);
      token = { kind: 'number', text: number, start: i, end: i + number.length };
    } else if (name !== null) token = { kind: 'name', text: name, start: i, end: i + name.length };
    else if (operator !== null) token = { kind: 'op', text: operator, start: i, end: i + operator.length };
    else if (punctuation !== undefined) token = { kind: punctuation, text: ch, start: i, end: i + 1 };
    else throw new FormulaError(`unexpected character '${ch}'${grammar.hintFor(ch)}`, source, i);
    if (grammar.isOperation(token)) operations++;
    if (operations > grammar.maxOperations) throw new FormulaError(grammar.tooMany, source, i);
    tokens.push(token);
    i = token.end;
  }
  tokens.push({ kind: 'end', text: 'end of formula', start: source.length, end: source.length });
  return tokens;
}

export const describeToken = (token: Token<string>): string => (token.kind === 'end' ? 'the end of the formula' : `'${token.text}'`);

/**
 * The cursor of a recursive descent over `tokens`: `peek` and `next`, `fail` (a FormulaError at a
 * token), and `deeper`, which counts each bracket, call, sign and exponent the descent enters and
 * refuses past MAX_NESTING, before the stack would overflow.
 */
export function tokenCursor<Punctuation extends string>(tokens: readonly Token<Punctuation>[], source: string) {
  let position = 0;
  let depth = 0;
  const fail = (reason: string, token: Token<Punctuation>): never => {
    throw new FormulaError(reason, source, token.start, Math.max(1, token.end - token.start));
  };
  return {
    peek: (): Token<Punctuation> => tokens[position]!,
    next: (): Token<Punctuation> => tokens[position++]!,
    previous: (): Token<Punctuation> => tokens[position - 1]!,
    fail,
    deeper: <T>(token: Token<Punctuation>, parse: () => T): T => {
      if (++depth > MAX_NESTING) fail(`brackets, calls, signs or powers are nested more than ${MAX_NESTING} deep here`, token);
      const result = parse();
      depth--;
      return result;
    },
  };
}

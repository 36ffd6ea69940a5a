import { Precedence, type Notation, type Style, type WrittenArg } from './types.js';

/** Parenthesise an argument whose own operation binds looser than its place needs. */
export function wrap(arg: WrittenArg, needed: number, style: Style): string {
  if (arg.precedence >= needed) return arg.text;
  return style === 'latex' ? `\\left(${arg.text}\\right)` : `(${arg.text})`;
}

function at(args: readonly WrittenArg[], index: number): WrittenArg {
  return args[index] ?? { text: '?', precedence: Precedence.atom };
}

export interface InfixSymbols { ascii: string; pretty: string; latex: string }

/** a ∘ b; `left`/`right` are the precedences each side needs to go without parentheses. */
export function infix(symbols: InfixSymbols, precedence: number, left: number, right: number): Notation<unknown> {
  return {
    precedence,
    write: (args, _attrs, style) =>
      `${wrap(at(args, 0), left, style)}${symbols[style]}${wrap(at(args, 1), right, style)}`,
  };
}

export interface FunctionNames { ascii: string; pretty?: string; latex?: string }

/** name(x, …) in every style, e.g. exp(x), σ(x), \operatorname{ReLU}(x). */
export function call(names: FunctionNames): Notation<unknown> {
  return {
    precedence: Precedence.atom,
    write: (args, _attrs, style) => {
      const name = style === 'ascii' ? names.ascii : style === 'pretty' ? (names.pretty ?? names.ascii) : (names.latex ?? `\\operatorname{${names.ascii}}`);
      const inner = args.map((arg) => arg.text).join(', ');
      return style === 'latex' ? `${name}\\left(${inner}\\right)` : `${name}(${inner})`;
    },
  };
}

/** Iverson bracket [a > b] for people; in ASCII a step function, which the grammar parses. */
export function comparison(pretty: string, latex: string, ascii: (a: string, b: string) => string): Notation<unknown> {
  return {
    precedence: Precedence.atom,
    write: (args, _attrs, style) => {
      const a = at(args, 0).text;
      const b = at(args, 1).text;
      if (style === 'ascii') return ascii(wrap(at(args, 0), Precedence.product, style), wrap(at(args, 1), Precedence.product, style));
      return style === 'pretty' ? `[${a} ${pretty} ${b}]` : `\\left[${a} ${latex} ${b}\\right]`;
    },
  };
}

/** Ops that do not change what a formula says (reshape, identity): write the argument. */
export const transparent: Notation<unknown> = {
  precedence: 'transparent',
  write: (args) => at(args, 0).text,
};

const SUPERSCRIPT: Record<string, string> = {
  '0': '⁰', '1': '¹', '2': '²', '3': '³', '4': '⁴', '5': '⁵', '6': '⁶', '7': '⁷', '8': '⁸', '9': '⁹', '-': '⁻', '−': '⁻',
};

/** x², x⁻¹ for small integer powers (a negative one written with - or the typeset −), a^(b) otherwise. */
export function superscript(exponent: string): string | null {
  if (!/^[-−]?\d{1,2}$/.test(exponent)) return null;
  return [...exponent].map((ch) => SUPERSCRIPT[ch] ?? ch).join('');
}

export { at as argAt };

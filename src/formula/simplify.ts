import type { MathNode } from 'mathjs';
import { loadOptional, requireOptional } from '../optional.js';
import type { OpName } from '../ops/types.js';
import { FUNCTIONS } from './ast.js';
import { buildSym, symConst, symVar, type Sym } from './symbolic.js';
import { writeSym } from './write.js';

/*
 * Simplification is mathjs's job (its rationalize expands polynomials to canonical form,
 * simplify handles the rest); mashagrad only translates to and from it. Variables are
 * renamed v0, v1, … on the way in, so names mathjs treats as constants (e, pi, i) stay ours.
 */

type MathJs = Pick<typeof import('mathjs'), 'rationalize' | 'simplify'>;
let mathjs: MathJs | undefined;

/**
 * Load mathjs (an optional package) before simplifying where it cannot be required on the
 * spot: in browsers. Node loads it by itself on first use.
 */
export async function loadSimplifier(): Promise<void> {
  mathjs ??= await loadOptional('mathjs', () => import('mathjs'));
}

function mathjsNow(): MathJs {
  mathjs ??= requireOptional('mathjs') as MathJs | undefined;
  if (mathjs === undefined) throw new Error('mathjs is not loaded: await loadSimplifier() once before tracing formulas in a browser');
  return mathjs;
}

const OPERATORS: Record<string, OpName> = { add: 'add', subtract: 'sub', multiply: 'mul', divide: 'div', pow: 'pow', unaryMinus: 'neg' };

function rename(sym: Sym, names: Map<string, string>): Sym {
  if (sym.kind === 'var') {
    if (!names.has(sym.name)) names.set(sym.name, `v${names.size}`);
    return symVar(names.get(sym.name)!);
  }
  if (sym.kind === 'const') return sym;
  return { ...sym, args: sym.args.map((arg) => rename(arg, names)) };
}

function fromMath(node: MathNode, back: ReadonlyMap<string, string>): Sym {
  switch (node.type) {
    case 'ConstantNode': {
      const value = (node as unknown as { value: unknown }).value;
      if (typeof value !== 'number') throw new Error('non-numeric constant');
      return symConst(value);
    }
    case 'SymbolNode': {
      const name = back.get((node as unknown as { name: string }).name);
      if (name === undefined) throw new Error('unknown symbol');
      return symVar(name);
    }
    case 'ParenthesisNode':
      return fromMath((node as unknown as { content: MathNode }).content, back);
    case 'OperatorNode': {
      const { fn, args } = node as unknown as { fn: string; args: MathNode[] };
      if (fn === 'unaryPlus') return fromMath(args[0]!, back);
      const op = OPERATORS[fn];
      if (op === undefined) throw new Error(`operator ${fn}`);
      return buildSym(op, args.map((arg) => fromMath(arg, back)), {});
    }
    case 'FunctionNode': {
      const { fn, args } = node as unknown as { fn: { name: string }; args: MathNode[] };
      const known = FUNCTIONS[fn.name];
      if (known === undefined || known.arity !== args.length) throw new Error(`function ${fn.name}`);
      return buildSym(known.op, args.map((arg) => fromMath(arg, back)), {});
    }
    default:
      throw new Error(`node ${node.type}`);
  }
}

/** Terms of a sum, each with its sign: a − (b + c) gives +a, −b, −c. */
function terms(sym: Sym, sign = 1, out: { sym: Sym; sign: number }[] = []): { sym: Sym; sign: number }[] {
  if (sym.kind === 'op' && (sym.op === 'add' || sym.op === 'sub')) {
    terms(sym.args[0]!, sign, out);
    terms(sym.args[1]!, sym.op === 'sub' ? -sign : sign, out);
  } else if (sym.kind === 'op' && sym.op === 'neg') {
    terms(sym.args[0]!, -sign, out);
  } else {
    out.push({ sym, sign });
  }
  return out;
}

/** Exponent of each variable in a monomial such as 3·x²·y (null when it is not one). */
function exponents(sym: Sym, order: readonly string[]): number[] | null {
  const result = order.map(() => 0);
  const visit = (node: Sym): boolean => {
    if (node.kind === 'const') return true;
    if (node.kind === 'var') return (result[order.indexOf(node.name)]! += 1), true;
    if (node.op === 'mul') return node.args.every(visit);
    if (node.op === 'neg') return visit(node.args[0]!);
    if (node.op === 'pow' && node.args[0]?.kind === 'var' && node.args[1]?.kind === 'const') {
      result[order.indexOf(node.args[0].name)]! += node.args[1].value;
      return true;
    }
    return false;
  };
  return visit(sym) ? result : null;
}

/** Order a polynomial's terms as people do: higher degree first, then by variable order. */
function orderTerms(sym: Sym, order: readonly string[]): Sym {
  const list = terms(sym).map((term) => ({ ...term, key: exponents(term.sym, order) }));
  if (list.length < 2 || list.some((term) => term.key === null)) return sym;
  const degree = (key: number[]) => key.reduce((total, e) => total + e, 0);
  list.sort((p, q) => {
    const byDegree = degree(q.key!) - degree(p.key!);
    if (byDegree !== 0) return byDegree;
    for (let i = 0; i < order.length; i++) if (p.key![i] !== q.key![i]) return q.key![i]! - p.key![i]!;
    return 0;
  });
  let result: Sym | null = null;
  for (const term of list) {
    const magnitude = term.sym;
    if (result === null) result = term.sign < 0 ? buildSym('neg', [magnitude], {}) : magnitude;
    else result = buildSym(term.sign < 0 ? 'sub' : 'add', [result, magnitude], {});
  }
  return result!;
}

/** Formulas larger than this (in operations and leaves) are not handed to mathjs. */
export const MAX_SIMPLIFIED_NODES = 80;

/** Operations and leaves of a formula, counted up to `limit` (iterative: deep sums do not overflow the stack). */
function countNodes(sym: Sym, limit = Infinity): number {
  let count = 0;
  const stack: Sym[] = [sym];
  while (stack.length > 0 && count <= limit) {
    const node = stack.pop()!;
    count++;
    if (node.kind === 'op') stack.push(...node.args);
  }
  return count;
}

function isPolynomial(sym: Sym): boolean {
  if (sym.kind !== 'op') return true;
  const allowed = sym.op === 'add' || sym.op === 'sub' || sym.op === 'mul' || sym.op === 'neg' || (sym.op === 'pow' && sym.args[1]?.kind === 'const');
  return allowed && sym.args.every(isPolynomial);
}

/**
 * What a person would write: a polynomial expanded to canonical form with its terms ordered
 * (4x + 3y); anything else in mathjs's simplified form when that has fewer operations.
 */
export function simplifySym(sym: Sym, variableOrder: readonly string[] = [], options: { expand?: boolean } = {}): Sym {
  // A name, a number or one operation on them (y, 2x, x + y) is already as simple as it gets;
  // skipping mathjs here keeps large graphs (one local derivative per edge) fast.
  if (countNodes(sym, 3) <= 3 && !(sym.kind === 'op' && sym.args.every((arg) => arg.kind === 'const'))) return sym;
  // mathjs's simplify grows much faster than linearly; past this size the sum over paths is kept as it is.
  if (countNodes(sym, MAX_SIMPLIFIED_NODES) > MAX_SIMPLIFIED_NODES) return sym;
  const names = new Map<string, string>();
  for (const name of variableOrder) names.set(name, `v${names.size}`);
  const renamed = rename(sym, names);
  const back = new Map([...names].map(([name, placeholder]) => [placeholder, name]));
  const order = [...names.keys()];
  const text = writeSym(renamed, 'ascii');
  const { rationalize, simplify } = mathjsNow();
  if (options.expand !== false && isPolynomial(sym)) {
    try {
      return orderTerms(fromMath(rationalize(text), back), order);
    } catch {
      // Fall through to simplify.
    }
  }
  try {
    const simplified = orderTerms(fromMath(simplify(text), back), order);
    return countNodes(simplified) < countNodes(sym) ? simplified : sym;
  } catch {
    // mathjs produced something outside our grammar: keep what we have.
    return sym;
  }
}

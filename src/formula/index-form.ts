import { registry } from '../ops/registry.js';
import type { Sym } from './symbolic.js';
import { formulaText, type FormulaText } from './formula-text.js';
import { latexName, prettyName } from './write.js';

/**
 * A matrix formula element by element, as a teacher writes it beside the matrix form:
 * d·W₂ᵀ at (i, j) is Σₖ dᵢₖ·(W₂)ⱼₖ, Xᵀ·d is Σₖ Xₖᵢ·dₖⱼ, 1ᵀ·d is Σᵢ dᵢⱼ, and an elementwise
 * formula is itself with every matrix replaced by its element (d ⊙ [H₁ > 0] → dᵢⱼ·[(H₁)ᵢⱼ > 0]).
 * A product of matrices becomes a sum over a new index; anything else that moves elements
 * (sums, softmax) has no such form here, and the result is null.
 */

/** An index, or none: a row vector (a bias, 1ᵀ·d) has one index, the column's. */
export type Index = string | null;

/** How the caller's names are written element by element; null: a scalar (λ), written as it is. */
export type ElementOf = (name: string, row: Index, column: Index) => { readonly pretty: string; readonly latex: string } | null;

const SUBSCRIPT: Readonly<Record<string, string>> = { i: 'ᵢ', j: 'ⱼ', k: 'ₖ', l: 'ₗ', m: 'ₘ', p: 'ₚ', t: 'ₜ' };
const FRESH = ['k', 'l', 'm', 'p', 't', 'i', 'j'];

/** ᵢⱼ for pretty text, ij for LaTeX subscripts. */
export function indexText(row: Index, column: Index): { pretty: string; latex: string } {
  const letters = [row, column].filter((index): index is string => index !== null);
  return { pretty: letters.map((letter) => SUBSCRIPT[letter] ?? letter).join(''), latex: letters.join('') };
}

/** Xᵢⱼ for a one-letter name, (W₁)ᵢⱼ otherwise. */
export function elementName(name: string, row: Index, column: Index): { pretty: string; latex: string } {
  const index = indexText(row, column);
  const pretty = prettyName(name);
  const latex = latexName(name);
  return [...pretty].length === 1 ? { pretty: `${pretty}${index.pretty}`, latex: `${latex}_{${index.latex}}` } : { pretty: `(${pretty})${index.pretty}`, latex: `(${latex})_{${index.latex}}` };
}

class Unsupported extends Error {}

interface Written {
  readonly pretty: string;
  readonly latex: string;
  /** Whether it must be parenthesised inside a product: a sum, a Σ. */
  readonly loose: boolean;
}

const wrap = (written: Written): Written => (written.loose ? { pretty: `(${written.pretty})`, latex: `\\left(${written.latex}\\right)`, loose: false } : written);

export function indexForm(sym: Sym, row: Index, column: Index, elementOf: ElementOf, onesRow: string): FormulaText | null {
  const used = new Set([row, column].filter((index): index is string => index !== null));
  // A row vector's sum runs over the rows, i, as the sheet writes Σᵢ dᵢⱼ.
  const order = row === null ? ['i', ...FRESH] : FRESH;
  const fresh = () => {
    const letter = order.find((candidate) => !used.has(candidate));
    if (letter === undefined) throw new Unsupported('out of index letters');
    used.add(letter);
    return letter;
  };

  const walk = (node: Sym, r: Index, c: Index): Written => {
    if (node.kind === 'const') {
      const text = formulaText(node);
      return { pretty: text.pretty, latex: text.latex, loose: node.value < 0 };
    }
    if (node.kind === 'var') {
      const element = node.matrix === true ? elementOf(node.name, r, c) : null;
      return element === null ? { pretty: prettyName(node.name), latex: latexName(node.name), loose: false } : { ...element, loose: false };
    }
    const [a, b] = node.args;
    switch (node.op) {
      case 'transpose': return walk(a!, c, r);
      case 'matmul': {
        const k = fresh();
        if (a!.kind === 'var' && a!.name === onesRow) {
          const inner = walk(b!, k, c);
          return { pretty: `Σ${SUBSCRIPT[k] ?? k} ${wrap(inner).pretty}`, latex: `\\sum_{${k}} ${wrap(inner).latex}`, loose: true };
        }
        const left = wrap(walk(a!, r, k));
        const right = wrap(walk(b!, k, c));
        return { pretty: `Σ${SUBSCRIPT[k] ?? k} ${left.pretty}·${right.pretty}`, latex: `\\sum_{${k}} ${left.latex} \\cdot ${right.latex}`, loose: true };
      }
      case 'add':
      case 'sub': {
        const left = walk(a!, r, c);
        const right = walk(b!, r, c);
        const sign = node.op === 'add' ? '+' : '−';
        const second = node.op === 'sub' ? wrap(right) : right;
        return { pretty: `${left.pretty} ${sign} ${second.pretty}`, latex: `${left.latex} ${node.op === 'add' ? '+' : '-'} ${second.latex}`, loose: true };
      }
      case 'mul': {
        const left = wrap(walk(a!, r, c));
        const right = wrap(walk(b!, r, c));
        return { pretty: `${left.pretty}·${right.pretty}`, latex: `${left.latex} \\cdot ${right.latex}`, loose: false };
      }
      default: {
        // Any other elementwise op of the registry: written by its own notation around the elements.
        if (registry[node.op].forwardScalar === undefined) throw new Unsupported(node.op);
        const elements = node.args.map((arg) => walk(arg, r, c));
        const args = elements.map((_, n) => ({ kind: 'var' as const, name: `element ${n}` }));
        const written = (parenthesise: boolean) => formulaText({ ...node, args }, new Map(elements.map((element, n) => {
          const text = parenthesise ? wrap(element) : element;
          return [`element ${n}`, { pretty: text.pretty, latex: text.latex }];
        })));
        // A function call already brackets its argument (σ(Σₖ …)); anything else gets brackets around a sum.
        const bare = written(false);
        const called = elements.length === 1 && bare.pretty.includes(`(${elements[0]!.pretty})`);
        const text = called ? bare : written(true);
        return { pretty: text.pretty, latex: text.latex, loose: /[+−-]/.test(text.pretty.replace(/\(.*\)|\[.*\]/g, '')) };
      }
    }
  };

  try {
    const written = walk(sym, row, column);
    return { pretty: written.pretty, latex: written.latex, ascii: written.pretty };
  } catch (error) {
    if (error instanceof Unsupported) return null;
    throw error;
  }
}

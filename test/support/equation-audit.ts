/**
 * The equation audit: every display equation of a worked solution that carries numbers is read
 * back from its printed (Unicode) form and re-evaluated, part by part: the left side, each middle
 * form and the right side must agree within the rounding they were printed with. Symbols are
 * known from what the solution said before (`X = (1, 2)` in a sentence, an equation whose left
 * side is a name, `W₁ ← …`); a part with a symbol not yet known is left out and counted.
 * Independent of the code that wrote the lines: its own small parser and arithmetic.
 */
import type { Block, WorkedSolution } from '../../src/explain/document.js';

type Matrix = number[][];

class Unknown extends Error {}

const SUBSCRIPT = '₀₁₂₃₄₅₆₇₈₉';
const isNameChar = (c: string) => c !== 'ᵀ' && (/[\p{L}\p{M}_]/u.test(c) || SUBSCRIPT.includes(c));

interface Token { readonly kind: 'num' | 'name' | 'op'; readonly text: string }

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const name = (): string => {
    let j = i;
    while (j < text.length && isNameChar(text[j]!)) j++;
    const word = text.slice(i, j);
    i = j;
    return word;
  };
  while (i < text.length) {
    const c = text[i]!;
    if (c === ' ') { i++; continue; }
    // 10⁻⁷ is a number; in 1.652·10³⁸ the · is an ordinary product, read as a student reads it,
    // so 1/2·10³ is 500: a number written without the brackets it needs makes a false line.
    const powerOfTen = /^10(⁻?[⁰¹²³⁴⁵⁶⁷⁸⁹]+)/.exec(text.slice(i));
    if (powerOfTen !== null) {
      const exponent = [...powerOfTen[1]!].map((ch) => (ch === '⁻' ? '-' : String('⁰¹²³⁴⁵⁶⁷⁸⁹'.indexOf(ch)))).join('');
      tokens.push({ kind: 'num', text: `1e${exponent}` });
      i += powerOfTen[0].length;
      continue;
    }
    if (/\d/.test(c) || (c === '.' && /\d/.test(text[i + 1] ?? ''))) {
      const match = /^\d*\.?\d+(e[-−+]?\d+)?/.exec(text.slice(i))!;
      tokens.push({ kind: 'num', text: match[0].replace('−', '-') });
      i += match[0].length;
      continue;
    }
    if (c === '∞') { tokens.push({ kind: 'num', text: 'Infinity' }); i++; continue; }
    if (c === '∂' && text[i + 1] === '(') {
      // ∂(a + y)/∂y, an edge's local derivative into the output, is one name too.
      let depth = 0;
      let j = i + 1;
      do { depth += text[j] === '(' ? 1 : text[j] === ')' ? -1 : 0; j++; } while (depth > 0 && j < text.length);
      if (text[j] !== '/' || text[j + 1] !== '∂') throw new Unknown(`∂ at ${i}`);
      const top = text.slice(i, j);
      i = j + 2;
      tokens.push({ kind: 'name', text: `${top}/∂${name()}` });
      continue;
    }
    if (c === '∂') {
      // ∂L/∂W₁ is one name.
      i++;
      const top = name();
      if (text[i] !== '/' || text[i + 1] !== '∂') throw new Unknown(`∂ at ${i}`);
      i += 2;
      tokens.push({ kind: 'name', text: `∂${top}/∂${name()}` });
      continue;
    }
    if (isNameChar(c)) {
      tokens.push({ kind: 'name', text: name() });
      continue;
    }
    tokens.push({ kind: 'op', text: c });
    i++;
  }
  return tokens;
}

const SUPERSCRIPT_DIGITS = '⁰¹²³⁴⁵⁶⁷⁸⁹';

const shape = (m: Matrix) => [m.length, m[0]?.length ?? 0] as const;
const isScalar = (m: Matrix) => m.length === 1 && m[0]!.length === 1;
const scalar = (v: number): Matrix => [[v]];
const identity = (n: number): Matrix => Array.from({ length: n }, (_, i) => Array.from({ length: n }, (__, j) => (i === j ? 1 : 0)));

function broadcast(a: Matrix, b: Matrix, f: (x: number, y: number) => number): Matrix {
  const [ar, ac] = shape(a);
  const [br, bc] = shape(b);
  const rows = Math.max(ar, br);
  const cols = Math.max(ac, bc);
  if ((ar !== rows && ar !== 1) || (br !== rows && br !== 1) || (ac !== cols && ac !== 1) || (bc !== cols && bc !== 1)) throw new Error(`shapes ${ar}×${ac} and ${br}×${bc} do not match`);
  return Array.from({ length: rows }, (_, i) => Array.from({ length: cols }, (_, j) => f(a[ar === 1 ? 0 : i]![ac === 1 ? 0 : j]!, b[br === 1 ? 0 : i]![bc === 1 ? 0 : j]!)));
}
const map = (a: Matrix, f: (x: number) => number): Matrix => a.map((row) => row.map(f));
const transpose = (a: Matrix): Matrix => a[0]!.map((_, j) => a.map((row) => row[j]!));

/** 1ᵀ, the row of ones as long as what it multiplies: 1ᵀ·d is the column sums of d. */
const ONES: Matrix = [[1]];

/** A·B: a matrix product where the shapes chain, else (a number on either side) elementwise. */
function dot(a: Matrix, b: Matrix): Matrix {
  if (a === ONES) return [b[0]!.map((_, j) => b.reduce((total, row) => total + row[j]!, 0))];
  if (isScalar(a) || isScalar(b)) return broadcast(a, b, (x, y) => x * y);
  const [ar, ac] = shape(a);
  const [br, bc] = shape(b);
  if (ac !== br) throw new Error(`matrix product of ${ar}×${ac} and ${br}×${bc}`);
  return Array.from({ length: ar }, (_, i) => Array.from({ length: bc }, (_, j) => a[i]!.reduce((total, x, k) => total + x * b[k]![j]!, 0)));
}

/** A⁻¹ by Gauss–Jordan elimination with partial pivoting (the audit's own, not src/ops/lu.ts). */
function inverse(a: Matrix): Matrix {
  const n = a.length;
  const rows = a.map((row, i) => [...row, ...Array.from({ length: n }, (_, j) => (i === j ? 1 : 0))]);
  for (let col = 0; col < n; col++) {
    const pivot = rows.slice(col).reduce((best, row, k) => (Math.abs(row[col]!) > Math.abs(rows[best]![col]!) ? col + k : best), col);
    [rows[col], rows[pivot]] = [rows[pivot]!, rows[col]!];
    const p = rows[col]![col]!;
    if (p === 0) throw new Error('singular matrix');
    rows[col] = rows[col]!.map((x) => x / p);
    rows.forEach((row, r) => { if (r !== col) { const f = row[col]!; rows[r] = row.map((x, k) => x - f * rows[col]![k]!); } });
  }
  return rows.map((row) => row.slice(n));
}

/** det A as the product of the pivots of the elimination, with the sign of the row swaps. */
function determinant(a: Matrix): number {
  const rows = a.map((row) => [...row]);
  let det = 1;
  for (let col = 0; col < rows.length; col++) {
    const pivot = rows.slice(col).reduce((best, row, k) => (Math.abs(row[col]!) > Math.abs(rows[best]![col]!) ? col + k : best), col);
    if (pivot !== col) { [rows[col], rows[pivot]] = [rows[pivot]!, rows[col]!]; det = -det; }
    const p = rows[col]![col]!;
    det *= p;
    if (p === 0) return 0;
    for (let r = col + 1; r < rows.length; r++) { const f = rows[r]![col]! / p; rows[r] = rows[r]!.map((x, k) => x - f * rows[col]![k]!); }
  }
  return det;
}

const FUNCTIONS: Readonly<Record<string, (m: Matrix) => Matrix>> = {
  tr: (m) => scalar(m.reduce((t, row, i) => t + row[i]!, 0)),
  det: (m) => scalar(determinant(m)),
  sum: (m) => scalar(m.flat().reduce((t, x) => t + x, 0)),
  ReLU: (m) => map(m, (x) => Math.max(0, x)),
  σ: (m) => map(m, (x) => 1 / (1 + Math.exp(-x))),
  ln: (m) => map(m, Math.log),
  log: (m) => map(m, Math.log),
  // ones(r,c) of the matrix grammar: its (r, c) is read as the row [r, c].
  ones: (m) => Array.from({ length: m[0]![0]! }, () => Array.from({ length: m[0]![1]! }, () => 1)),
  // The diagonal matrix of a vector (a row or a column; a Jacobian of an elementwise function), and
  // the diagonal of a square matrix as a column.
  diag: (m) => {
    if (m.length > 1 && m[0]!.length > 1) return m.map((row, i) => [row[i]!]);
    const v = m.flat();
    return v.map((_, i) => v.map((__, j) => (i === j ? v[i]! : 0)));
  },
  exp: (m) => map(m, Math.exp),
  sin: (m) => map(m, Math.sin),
  cos: (m) => map(m, Math.cos),
  sign: (m) => map(m, Math.sign),
  tanh: (m) => map(m, Math.tanh),
  tan: (m) => map(m, Math.tan),
  arcsin: (m) => map(m, Math.asin),
  arccos: (m) => map(m, Math.acos),
  arctan: (m) => map(m, Math.atan),
  sinh: (m) => map(m, Math.sinh),
  cosh: (m) => map(m, Math.cosh),
  mean: (m) => scalar(m.flat().reduce((t, x) => t + x, 0) / m.flat().length),
  Σ: (m) => scalar(m.flat().reduce((t, x) => t + x, 0)),
  // ln(1 + eˣ), without overflow for a large x (a saturated logit).
  softplus: (m) => map(m, (x) => Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)))),
  // Row by row, as the network's softmax layer.
  softmax: (m) => m.map((row) => {
    const top = Math.max(...row);
    const exps = row.map((x) => Math.exp(x - top));
    const total = exps.reduce((t, x) => t + x, 0);
    return exps.map((x) => x / total);
  }),
  // Batch norm's mean of each column (down the rows), layer norm's mean of each row.
  colmean: (m) => [m[0]!.map((_, j) => m.reduce((t, row) => t + row[j]!, 0) / m.length)],
  rowmean: (m) => m.map((row) => [row.reduce((t, x) => t + x, 0) / row.length]),
  // The sum of each column (a row) and of each row (a column: softmax's rowsum(d ⊙ ŷ)); Σ and sum add everything.
  colsum: (m) => [m[0]!.map((_, j) => m.reduce((t, row) => t + row[j]!, 0))],
  rowsum: (m) => m.map((row) => [row.reduce((t, x) => t + x, 0)]),
};

/** Functions of two arguments, elementwise. */
const PAIRWISE: Readonly<Record<string, (x: number, y: number) => number>> = { max: Math.max, min: Math.min };

/** The comparisons of an Iverson bracket: [x > y] is 1 where it holds. */
const COMPARISONS: Readonly<Record<string, (x: number, y: number) => boolean>> = {
  '>': (x, y) => x > y, '<': (x, y) => x < y, '≥': (x, y) => x >= y, '≤': (x, y) => x <= y, '=': (x, y) => x === y, '≠': (x, y) => x !== y,
};

/** A recursive-descent reader of the printed notation, evaluating as it goes. */
class Reader {
  #i = 0;
  constructor(private readonly tokens: Token[], private readonly env: ReadonlyMap<string, Matrix>) {}
  peek(text?: string): Token | undefined {
    const token = this.tokens[this.#i];
    return text === undefined || token?.text === text ? token : undefined;
  }
  take(text?: string): Token {
    const token = this.tokens[this.#i];
    if (token === undefined || (text !== undefined && token.text !== text)) throw new Unknown(`expected ${text ?? 'more'} at token ${this.#i}`);
    this.#i++;
    return token;
  }
  done(): boolean { return this.#i >= this.tokens.length; }

  comparison(): Matrix {
    const left = this.sum();
    const holds = COMPARISONS[this.peek()?.text ?? ''];
    if (holds !== undefined) { this.take(); const right = this.sum(); return broadcast(left, right, (x, y) => (holds(x, y) ? 1 : 0)); }
    return left;
  }
  sum(): Matrix {
    let value = this.peek('−') || this.peek('-') ? (this.take(), map(this.product(), (x) => -x)) : this.product();
    for (;;) {
      if (this.peek('+')) { this.take(); value = broadcast(value, this.product(), (x, y) => x + y); continue; }
      if (this.peek('−') || this.peek('-')) { this.take(); value = broadcast(value, this.product(), (x, y) => x - y); continue; }
      return value;
    }
  }
  product(): Matrix {
    let value = this.unary();
    for (;;) {
      if (this.peek('·')) { this.take(); value = dot(value, this.unary()); continue; }
      if (this.peek('⊙')) { this.take(); value = broadcast(value, this.unary(), (x, y) => x * y); continue; }
      if (this.peek('/')) { this.take(); value = broadcast(value, this.unary(), (x, y) => x / y); continue; }
      // Juxtaposition: 2(ŷ − y), 2x.
      const next = this.peek();
      // …and before an Iverson bracket: 0.5[x = y].
      if (next !== undefined && (next.kind === 'name' || next.text === '(' || next.text === '√' || (next.text === '[' && this.tokens[this.#i + 1]?.text !== '['))) { value = dot(value, this.unary()); continue; }
      return value;
    }
  }
  unary(): Matrix {
    if (this.peek('−') || this.peek('-')) { this.take(); return map(this.unary(), (x) => -x); }
    if (this.peek('√')) { this.take(); return map(this.postfix(), Math.sqrt); }
    return this.postfix();
  }
  postfix(): Matrix {
    let value = this.atom();
    for (;;) {
      const token = this.peek();
      if (token?.text === 'ᵀ') { this.take(); value = transpose(value); continue; }
      const after = (k: number) => this.tokens[this.#i + k]?.text ?? '';
      // X⁻¹ and X⁻ᵀ (matrix calculus); x⁻¹² is a power.
      if (token?.text === '⁻' && ((after(1) === '¹' && !SUPERSCRIPT_DIGITS.includes(after(2) || ' ')) || after(1) === 'ᵀ')) {
        this.take();
        value = inverse(value);
        if (this.take().text === 'ᵀ') value = transpose(value);
        continue;
      }
      // A power written in superscript digits, of any length: 0.9¹¹ (Adam's β₁ᵗ at step 11), x⁻².
      if (token?.kind === 'op' && (SUPERSCRIPT_DIGITS.includes(token.text) || (token.text === '⁻' && SUPERSCRIPT_DIGITS.includes(after(1) || ' ')))) {
        let exponent = this.take().text === '⁻' ? '-' : String(SUPERSCRIPT_DIGITS.indexOf(token.text));
        while (this.peek()?.kind === 'op' && SUPERSCRIPT_DIGITS.includes(this.peek()!.text)) exponent += String(SUPERSCRIPT_DIGITS.indexOf(this.take().text));
        const p = Number(exponent);
        value = map(value, (x) => x ** p);
        continue;
      }
      if (token?.text === '^') { this.take(); const exponent = this.atom(); value = broadcast(value, exponent, (x, y) => x ** y); continue; }
      return value;
    }
  }
  atom(): Matrix {
    const token = this.take();
    if (token.kind === 'num' && token.text === '1' && this.peek('ᵀ')) { this.take(); return ONES; }
    if (token.kind === 'num') return scalar(Number(token.text));
    if (token.kind === 'name' && token.text === 'NaN') return scalar(NaN);
    if (token.kind === 'name' && PAIRWISE[token.text] !== undefined && this.peek('(')) {
      // max(a, b), min(a, b)
      this.take('(');
      const first = this.comparison();
      this.take(',');
      const second = this.comparison();
      this.take(')');
      return broadcast(first, second, PAIRWISE[token.text]!);
    }
    if (token.text === '|') {
      const inside = this.comparison();
      this.take('|');
      return map(inside, Math.abs);
    }
    if (token.kind === 'name') {
      const fn = FUNCTIONS[token.text];
      if (fn !== undefined && this.peek('(')) {
        this.take('(');
        const items = [this.comparison()];
        // ones(r,c): two numbers, read as the row [r, c].
        while (token.text === 'ones' && this.peek(',')) { this.take(); items.push(this.comparison()); }
        this.take(')');
        return fn(items.length === 1 ? items[0]! : [items.map((item) => item[0]![0]!)]);
      }
      const value = this.env.get(token.text);
      if (value === undefined) throw new Unknown(`unknown symbol ${token.text}`);
      return value;
    }
    if (token.text === '(') {
      const items = [this.comparison()];
      while (this.peek(',')) { this.take(); items.push(this.comparison()); }
      this.take(')');
      return items.length === 1 ? items[0]! : [items.map((item) => item[0]![0]!)];
    }
    if (token.text === '[') {
      if (this.peek('[')) {
        const rows: number[][] = [];
        do {
          this.take('[');
          const row = [this.sum()[0]![0]!];
          while (this.peek(',')) { this.take(); row.push(this.sum()[0]![0]!); }
          this.take(']');
          rows.push(row);
        } while (this.peek(',') && (this.take(), true));
        this.take(']');
        return rows;
      }
      // The Iverson bracket: [H > 0] is 1 where the comparison holds.
      const inner = this.comparison();
      this.take(']');
      return inner;
    }
    throw new Unknown(`unexpected ${token.text}`);
  }
}

/** The value of one printed part, or Unknown when it has a symbol not yet known or notation the reader does not read. */
export function evaluatePrinted(text: string, env: ReadonlyMap<string, Matrix>, nudge?: (token: string) => number): Matrix {
  const tokens = tokenize(text).map((token) => (token.kind === 'num' && nudge !== undefined ? { ...token, text: String(Number(token.text) + nudge(token.text)) } : token));
  const reader = new Reader(tokens, env);
  const value = reader.comparison();
  if (!reader.done()) throw new Unknown(`trailing tokens in ${text}`);
  return value;
}

/**
 * Half a unit in the last printed digit of a rounded number (0.9859 → 0.00005). Numbers are
 * printed to 4 significant digits, so one with fewer (0.1, 12, 0.25) is exact.
 */
function halfUnit(text: string): number {
  const match = /^\d*\.(\d+)$/.exec(text);
  const significant = text.replace('.', '').replace(/^0+/, '').length;
  return match === null || significant < 4 ? 0 : 0.5 * 10 ** -match[1]!.length;
}

/** Half a unit in the 4th significant digit of a number: the most it is off when printed to 4 digits (88.38: 0.005). */
const fourDigitHalfUnit = (value: number): number => (value === 0 || !Number.isFinite(value) ? 0 : 0.5 * 10 ** (Math.floor(Math.log10(Math.abs(value))) - 3));

/**
 * How far a form's value can move when each rounded number in it moves within its rounding:
 * 1/(1 − 0.9859) is 70.92, and 71.11 with ŷ = 0.98593 — both printed lines are true. A symbol
 * whose value was printed rounded (b = 88.38 for 88.3838) moves too: exp(b) stands for the exact
 * b, and exp(88.38) is 0.4% off exp(88.3838).
 */
function roundingSpread(form: string, env: ReadonlyMap<string, Matrix>, value: Matrix, rounded: ReadonlySet<string> = new Set()): number {
  let spread = 0;
  for (let pattern = 1; pattern <= 16; pattern++) {
    let k = 0;
    const sign = () => (((pattern * 2654435761) >>> (k++ % 31)) & 1 ? 1 : -1) * (pattern > 8 ? 1 : -1);
    const moved = new Map(env);
    for (const name of rounded) {
      const direction = sign();
      moved.set(name, env.get(name)!.map((row) => row.map((entry) => entry + direction * fourDigitHalfUnit(entry))));
    }
    let nudged: Matrix;
    // Nudged numbers can make a nearly singular matrix singular: that reading is left out.
    try { nudged = evaluatePrinted(form, moved, (text) => halfUnit(text) * sign()); } catch { continue; }
    nudged.flat().forEach((x, i) => { const d = Math.abs(x - value.flat()[i]!); if (Number.isFinite(d)) spread = Math.max(spread, d); });
  }
  return spread;
}

/** How many significant digits a printed number shows sets how close it must be. */
function agree(a: Matrix, b: Matrix, scale: number, spread = 0): boolean {
  const flatA = a.flat();
  const flatB = b.flat();
  const n = Math.max(flatA.length, flatB.length);
  if (flatA.length !== flatB.length && flatA.length !== 1 && flatB.length !== 1) return false;
  for (let k = 0; k < n; k++) {
    const x = flatA[flatA.length === 1 ? 0 : k]!;
    const y = flatB[flatB.length === 1 ? 0 : k]!;
    if (Number.isNaN(x) || Number.isNaN(y)) { if (Number.isNaN(x) !== Number.isNaN(y)) return false; continue; }
    if (!Number.isFinite(x) || !Number.isFinite(y)) { if (x !== y) return false; continue; }
    // Four significant digits are printed: 0.05% of the value, plus what rounding the inputs carries.
    if (Math.abs(x - y) > 1.5e-3 * Math.max(Math.abs(x), Math.abs(y)) + 1e-3 * scale + 2 * spread) return false;
  }
  return true;
}

/** Whether a printed form is numbers only (no symbol read from what was said before). */
const numbersOnly = (form: string): boolean => tokenize(form).every((token) => token.kind !== 'name' || token.text in FUNCTIONS);

export interface AuditResult {
  readonly checked: number;
  readonly skipped: number;
  readonly false: readonly string[];
  /** Lines true only when their rounded numbers are taken as the unrounded ones they stand for. */
  readonly roundedOnly: readonly string[];
}

const NAME = /^(∂[^ ]+\/∂[^ ]+|∂\(.*\)\/∂[^ ]+|[\p{L}\p{M}_₀-₉]+)$/u;

/**
 * Audit a solution: every equation part that can be read is compared with the right side.
 * `defined` parts (NAME = value) add to the symbols known for the parts that follow.
 */
export function auditSolution(solution: WorkedSolution): AuditResult {
  const env = new Map<string, Matrix>();
  let checked = 0;
  let skipped = 0;
  const wrong: string[] = [];
  const roundedOnly: string[] = [];
  // Symbols whose printed value was rounded (4 significant digits or more in it).
  const rounded = new Set<string>();
  const learn = (name: string, value: Matrix, printed: string) => {
    if (!NAME.test(name)) return;
    env.set(name, value);
    if (/\d{4,}/.test(printed.replace(/(\d)\.(\d)/g, '$1$2'))) rounded.add(name);
    else rounded.delete(name);
  };
  const learnInline = (text: string) => {
    // X = (1, 2), d = …, γ = 0.1, μ = 0.9: names a sentence states with their values.
    // (A comma before a number, a bracket, ∞ or NaN is inside a value: d = (NaN, ∞).)
    for (const piece of text.split(/,\s(?=[^\d(−[∞])(?!NaN)/)) {
      const [name, ...rest] = piece.split(' = ');
      if (name === undefined || rest.length === 0) continue;
      try { learn(name.trim(), evaluatePrinted(rest[rest.length - 1]!, env), rest[rest.length - 1]!); } catch { /* not a value */ }
    }
  };
  const visit = (block: Block) => {
    if (block.kind === 'paragraph' || block.kind === 'note') {
      for (const part of block.content) if (part.kind === 'math') learnInline(part.math.pretty);
      return;
    }
    if (block.kind !== 'equation' || block.parts.length < 2) return;
    const parts = block.parts.map((part) => part.pretty);
    const [first, ...more] = parts;
    const arrow = first!.split(' ← ');
    const target = arrow.length === 2 ? arrow[0]! : parts.length >= 2 ? first! : '';
    const forms = arrow.length === 2 ? [arrow[1]!, ...more] : NAME.test(first!) ? more : parts;
    let right: Matrix;
    try {
      right = evaluatePrinted(forms[forms.length - 1]!, env);
    } catch {
      skipped += forms.length;
      return;
    }
    const scale = Math.max(1, ...forms.flatMap((form) => [...form.matchAll(/\d*\.?\d+/g)].map((match) => Math.abs(Number(match[0])))).filter(Number.isFinite));
    // Each = of the chain is checked: every form against the next one, the last against the right side.
    // (A symbolic form reads the same rounded numbers as the substituted form after it.)
    // The left-hand name is read before it is redefined: W₁ ← W₁ − … uses the old W₁.
    // I is the identity of the size the line needs: tried as the right side's rows, then its columns
    // (c·I = [[2, 0], [0, 2]], (A + I)·x = (3, 5)ᵀ), so a line with I is read, not skipped.
    // A number on the right (sum(I) = 2) leaves I's size open: each size up to 4 is tried, and a
    // reading that gives the right side is taken.
    const sizes = isScalar(right) ? [1, 2, 3, 4] : [...new Set([right.length, right[0]?.length ?? 1])];
    const withIdentity = sizes.map((n) => new Map([...env, ['I', identity(n)]]));
    // The symbols each form was read with (with I of the size that fits), for its nudged readings below.
    const envs = forms.map(() => env as ReadonlyMap<string, Matrix>);
    const values = forms.map((form, i) => {
      const tries = env.has('I') || !/(^|[^\p{L}])I([^\p{L}]|$)/u.test(form) ? [env] : withIdentity;
      let failure: Error | null = null;
      let first: { value: Matrix; known: ReadonlyMap<string, Matrix> } | null = null;
      for (const known of tries) {
        try {
          const value = evaluatePrinted(form, known);
          if (tries.length === 1 || agree(value, right, scale)) { envs[i] = known; return value; }
          first ??= { value, known };
        } catch (error) {
          if (error instanceof Unknown) return null;
          failure ??= error as Error;
        }
      }
      if (first !== null) { envs[i] = first.known; return first.value; }
      return failure;
    });
    values.forEach((value, i) => {
      if (i === values.length - 1) return;
      if (value === null) { skipped++; return; }
      checked++;
      if (value instanceof Error) { wrong.push(`${parts.join(' = ')}   [${forms[i]}: ${value.message}]`); return; }
      const j = values.findIndex((next, k) => k > i && next !== null && !(next instanceof Error));
      let next = values[j] as Matrix;
      // A form with symbols reads their values as printed before (ŷ = 0.9859); the numbers written
      // into the next form may carry more digits (0.9859363), so they are read at 4 digits here.
      if (!numbersOnly(forms[i]!) && numbersOnly(forms[j]!)) {
        const atFour = (text: string) => (Number.isFinite(Number(text)) ? Number(Number(text).toPrecision(4)) : Number(text));
        try { next = evaluatePrinted(forms[j]!, envs[j]!, (text) => (Number.isFinite(Number(text)) ? atFour(text) - Number(text) : 0)); } catch { /* as printed */ }
      }
      if (agree(value, next, scale)) return;
      // Moving rounded numbers within their last digit may excuse a form with symbols read as printed
      // before, never a form of numbers only: computed as printed, it must give what follows it.
      const spread = roundingSpread(forms[i]!, envs[i]!, value, rounded) + roundingSpread(forms[j]!, envs[j]!, next, rounded);
      if (agree(value, next, scale, spread) && numbersOnly(forms[i]!)) roundedOnly.push(`${parts.join(' = ')}   [${forms[i]} ≈ ${forms[j]}]`);
      else if (!agree(value, next, scale, spread)) wrong.push(`${parts.join(' = ')}   [${forms[i]} ≠ ${forms[j]}]`);
    });
    learn(target, right, forms[forms.length - 1]!);
  };
  solution.blocks.forEach(visit);
  return { checked, skipped, false: wrong, roundedOnly };
}

import { noGrad } from '../autograd/grad-mode.js';
import type { Tensor } from '../autograd/tensor.js';
import type { FormulaText } from '../formula/formula-text.js';
import type { Values } from '../formula/values-text.js';
import { differential } from '../matrix/differential.js';
import { evaluateMatrix } from '../matrix/evaluate.js';
import type { MatrixExpr } from '../matrix/expr.js';
import { chainExpr, simplifyMatrix, termsOf } from '../matrix/simplify.js';
import { matrixOp } from '../matrix/symbolic.js';
import { matrixText } from '../matrix/write.js';
import type { MatrixKronecker } from '../trace/types.js';

/**
 * The derivative of a matrix F(X) by a matrix X (docs/matrix-calculus.md, "A matrix by a
 * matrix"): the differential dF = Σ c·L·dX·R (dX⁻¹ = −X⁻¹·dX·X⁻¹, d(A·X·B) = A·dX·B), and, with
 * vec stacking columns (column-major, as in Magnus & Neudecker), vec(L·dX·R) = (Rᵀ ⊗ L)·vec dX,
 * so the Jacobian ∂vec F/∂vec X = Σ c·Rᵀ ⊗ L. Its numbers are computed from the Kronecker
 * products and compared with the engine's Jacobian, reordered to column-major. Null where the
 * differential is not such a sum (dXᵀ in it, an elementwise function, a number times dX inside
 * a scalar factor).
 */
export function kroneckerOf(expr: MatrixExpr, name: string, shape: readonly number[], leaves: ReadonlyMap<string, Tensor> | null, engineRows: readonly (readonly number[])[] | undefined): MatrixKronecker | null {
  const { expr: raw } = differential(expr, name);
  if (raw === null) return null;
  const simplified = simplifyMatrix(raw);
  const dX = (x: MatrixExpr) => x.kind === 'var' && x.differentialOf === name;
  const hasDX = (x: MatrixExpr): boolean => dX(x) || (x.kind === 'op' && x.args.some(hasDX));
  const [rows, columns] = shape as [number, number];
  const [outRows = 1, outColumns = 1] = expr.shape;
  const parts: { coef: number; scalars: readonly MatrixExpr[]; right: MatrixExpr | null; left: MatrixExpr | null }[] = [];
  for (const term of termsOf(simplified)) {
    const at = term.chain.findIndex(dX);
    if (at < 0 || term.scalars.some(hasDX) || term.chain.some((factor, i) => i !== at && hasDX(factor))) return null;
    const left = at === 0 ? null : chainExpr(term.chain.slice(0, at));
    const right = at === term.chain.length - 1 ? null : simplifyMatrix(matrixOp('transpose', [chainExpr(term.chain.slice(at + 1))], { perm: [1, 0] }));
    parts.push({ coef: term.coef, scalars: term.scalars, right, left });
  }
  if (parts.length === 0) return null;
  const text = (part: (typeof parts)[number], style: keyof FormulaText): string => {
    // A product or sum beside ⊗ is bracketed: (Bᵀ·Xᵀ) ⊗ I.
    const factor = (x: MatrixExpr | null) => {
      const written = x === null ? 'I' : matrixText(x)[style];
      const compound = style !== 'ascii' && /[·+ ]|\\cdot|−|-/.test(written);
      return compound ? (style === 'latex' ? `\\left(${written}\\right)` : `(${written})`) : written;
    };
    const scalars = part.scalars.map((s) => matrixText(s)[style]);
    const kron = style === 'ascii' ? `kron(${factor(part.right)}, ${factor(part.left)})` : `${factor(part.right)} ${style === 'latex' ? '\\otimes' : '⊗'} ${factor(part.left)}`;
    const magnitude = Math.abs(part.coef) === 1 ? '' : `${Math.abs(part.coef)}${style === 'ascii' ? '*' : '·'}`;
    const scalarText = scalars.length === 0 ? '' : `${scalars.join(style === 'ascii' ? '*' : '·')}${style === 'ascii' ? '*' : '·'}`;
    const bracketed = magnitude !== '' || scalarText !== '' ? (style === 'latex' ? `\\left(${kron}\\right)` : `(${kron})`) : kron;
    return `${magnitude}${scalarText}${bracketed}`;
  };
  const join = (style: keyof FormulaText) => parts.map((part, i) => `${i === 0 ? (part.coef < 0 ? (style === 'pretty' ? '−' : '-') : '') : part.coef < 0 ? (style === 'pretty' ? ' − ' : ' - ') : ' + '}${text(part, style)}`).join('');
  const formula: FormulaText = { ascii: join('ascii'), pretty: join('pretty'), latex: join('latex') };
  const result: MatrixKronecker = { differential: matrixText(raw), linear: matrixText(simplified), formula, rows: outRows * outColumns, columns: rows * columns };
  if (leaves === null || engineRows === undefined) return result;

  // The numbers: Σ c·s·(Rᵀ ⊗ L), an (outRows·outColumns) × (rows·columns) matrix.
  const value = noGrad(() => {
    const total = Array.from({ length: outRows * outColumns }, () => new Array<number>(rows * columns).fill(0));
    for (const part of parts) {
      const scale = part.coef * part.scalars.reduce((product, s) => product * evaluateMatrix(s, leaves).data[0]!, 1);
      const matrixOf = (x: MatrixExpr | null, n: number) => (x === null ? { data: identity(n), shape: [n, n] } : (() => { const t = evaluateMatrix(x, leaves); return { data: Array.from(t.data), shape: t.shape.length === 2 ? t.shape : [t.shape[0] ?? 1, 1] }; })());
      const l = matrixOf(part.left, outRows);
      const r = matrixOf(part.right, outColumns);
      const [lr, lc] = l.shape as [number, number];
      const [rr, rc] = r.shape as [number, number];
      for (let i = 0; i < rr; i++) for (let j = 0; j < rc; j++) for (let p = 0; p < lr; p++) for (let q = 0; q < lc; q++) {
        total[i * lr + p]![j * lc + q]! += scale * r.data[i * rc + j]! * l.data[p * lc + q]!;
      }
    }
    return total;
  });
  // The engine's rows are F's elements row by row, its columns X's elements row by row: reorder both to column-major vec.
  const engine = Array.from({ length: outRows * outColumns }, (_, k) => {
    const [i, j] = [k % outRows, Math.floor(k / outRows)];
    const row = engineRows[i * outColumns + j]!;
    return Array.from({ length: rows * columns }, (__, m) => row[(m % rows) * columns + Math.floor(m / rows)]!);
  });
  const agrees = value.every((row, i) => row.every((v, j) => Math.abs(v - engine[i]![j]!) <= 1e-9 * (1 + Math.abs(engine[i]![j]!))));
  return { ...result, value: value as Values, engine: engine as Values, agrees };
}

function identity(n: number): number[] {
  return Array.from({ length: n * n }, (_, k) => (Math.floor(k / n) === k % n ? 1 : 0));
}

import { ShapeError } from '../errors.js';
import { formatShape, type Shape } from '../tensor/shape.js';
import { determinant, inverse } from './lu.js';
import { argAt, call, wrap } from './notation.js';
import { Precedence, type NoAttrs, type OpDef } from './types.js';

/** The ops of square matrices (matrix calculus, docs/matrix-calculus.md): tr, det, inv and I. */

/** n for an n×n matrix, or a ShapeError naming the op and the shape. */
function squareSide(op: string, shape: Shape): number {
  if (shape.length !== 2 || shape[0] !== shape[1]) {
    throw new ShapeError(`${op}: needs a square matrix (n×n), got shape ${formatShape(shape)}`);
  }
  return shape[0]!;
}

export const trace: OpDef<NoAttrs> = {
  name: 'trace', summary: 'trace of a square matrix, the sum of its diagonal', arity: 1, differentiable: true,
  matrixGrammarNames: ['tr', 'trace'],
  outputShape([x = []]) {
    squareSide('trace', x);
    return [];
  },
  forward([x], _attrs, out) {
    const n = x!.shape[0]!;
    let total = 0;
    for (let i = 0; i < n; i++) total += x!.data[i * n + i]!;
    out[0] = total;
  },
  // d tr X = tr(I·dX): ∂(tr X)/∂X = I
  vjp: (m, { inputs: [x], gy }) => [m.mul(m.broadcastTo(gy, m.shapeOf(x!)), m.eyeLike(x!))],
  notation: call({ ascii: 'tr', pretty: 'tr', latex: '\\operatorname{tr}' }),
};

export const det: OpDef<NoAttrs> = {
  name: 'det', summary: 'determinant of a square matrix', arity: 1, differentiable: true,
  matrixGrammarNames: ['det'],
  outputShape([x = []]) {
    squareSide('det', x);
    return [];
  },
  forward([x], _attrs, out) {
    out[0] = determinant(x!.data, x!.shape[0]!);
  },
  // d det X = det X · tr(X⁻¹dX) (Jacobi): ∂(det X)/∂X = det X · X⁻ᵀ
  vjp: (m, { inputs: [x], output: y, gy }) => [m.mul(m.mul(gy, y), m.mT(m.inv(x!)))],
  notation: call({ ascii: 'det', pretty: 'det', latex: '\\det' }),
};

export const inv: OpDef<NoAttrs> = {
  name: 'inv', summary: 'inverse of a square matrix', arity: 1, differentiable: true,
  matrixGrammarNames: ['inv'],
  outputShape([x = []]) {
    squareSide('inv', x);
    return x;
  },
  forward([x], _attrs, out) {
    inverse(x!.data, x!.shape[0]!, out);
  },
  // d X⁻¹ = −X⁻¹·dX·X⁻¹: ∂L/∂X = −X⁻ᵀ·G·X⁻ᵀ for G = ∂L/∂X⁻¹
  vjp: (m, { output: y, gy }) => [m.neg(m.matmul(m.matmul(m.mT(y), gy), m.mT(y)))],
  notation: {
    precedence: Precedence.atom,
    write: (args, _attrs, style) => {
      const x = wrap(argAt(args, 0), Precedence.atom, style);
      return style === 'ascii' ? `inv(${argAt(args, 0).text})` : style === 'pretty' ? `${x}⁻¹` : `${x}^{-1}`;
    },
  },
};

/**
 * diag, as MATLAB's: a vector ([n], [n,1] or [1,n]) gives the n×n diagonal matrix with it on the
 * diagonal; a square matrix (n > 1) gives its diagonal as an n×1 column (the matrix grammar's
 * vectors are columns). Each is the other's adjoint, so the vjp is diag again.
 */
const isVectorShape = (shape: Shape): boolean => shape.length === 1 || (shape.length === 2 && (shape[0] === 1 || shape[1] === 1));
export const diag: OpDef<NoAttrs> = {
  name: 'diag', summary: 'the diagonal matrix of a vector, or the diagonal of a square matrix as a column', arity: 1, differentiable: true,
  matrixGrammarNames: ['diag'],
  outputShape([x = []]) {
    if (isVectorShape(x)) {
      const n = x.reduce((p, q) => p * q, 1);
      return [n, n];
    }
    if (x.length !== 2 || x[0] !== x[1]) throw new ShapeError(`diag: needs a vector (its diagonal matrix) or a square matrix (its diagonal), got shape ${formatShape(x)}`);
    return [x[0]!, 1];
  },
  forward([x], _attrs, out) {
    const shape = x!.shape;
    out.fill(0);
    if (isVectorShape(shape)) {
      const n = x!.data.length;
      for (let i = 0; i < n; i++) out[i * n + i] = x!.data[i]!;
    } else {
      const n = shape[0]!;
      for (let i = 0; i < n; i++) out[i] = x!.data[i * n + i]!;
    }
  },
  // diag of a vector and diag of a matrix are adjoint: ⟨diag(v), G⟩ = ⟨v, diag(G)⟩.
  vjp: (m, { inputs: [x], gy }) => {
    const g = m.diag(gy);
    const shape = m.shapeOf(x!);
    return [m.shapeOf(g).join() === shape.join() ? g : m.reshape(g, shape)];
  },
  notation: call({ ascii: 'diag', latex: '\\operatorname{diag}' }),
};

export const eyeLike: OpDef<NoAttrs> = {
  name: 'eyeLike', summary: 'the identity matrix of the size of a square matrix', arity: 1, differentiable: false,
  outputShape([x = []]) {
    squareSide('eyeLike', x);
    return x;
  },
  forward([x], _attrs, out) {
    const n = x!.shape[0]!;
    out.fill(0);
    for (let i = 0; i < n; i++) out[i * n + i] = 1;
  },
  vjp: () => [null],
  // Written as a call on the matrix whose size it takes; matrix formulas write it I.
  notation: call({ ascii: 'eye', latex: '\\operatorname{eye}' }),
};

/**
 * kron(A, B), the Kronecker product (MATLAB's kron, torch.kron) of two matrices: A m×n and B p×q
 * give the (m·p)×(n·q) block matrix whose block (i, j) is Aᵢⱼ·B, that is
 * y[i·p + k, j·q + l] = A[i, j]·B[k, l]. It writes ∂vec F/∂vec X = Σ c·Rᵀ ⊗ L (docs/matrix-calculus.md).
 */
export const kron: OpDef<NoAttrs> = {
  name: 'kron', summary: 'Kronecker product of two matrices: block (i, j) is Aᵢⱼ·B', arity: 2, differentiable: true,
  matrixGrammarNames: ['kron'],
  outputShape([a = [], b = []]) {
    if (a.length !== 2 || b.length !== 2) throw new ShapeError(`kron: needs two matrices, got shapes ${formatShape(a)} and ${formatShape(b)}`);
    return [a[0]! * b[0]!, a[1]! * b[1]!];
  },
  forward([a, b], _attrs, out) {
    const [m, n] = a!.shape as [number, number];
    const [p, q] = b!.shape as [number, number];
    for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) {
      const aij = a!.data[i * n + j]!;
      for (let k = 0; k < p; k++) for (let l = 0; l < q; l++) out[(i * p + k) * n * q + j * q + l] = aij * b!.data[k * q + l]!;
    }
  },
  // Bilinear: with gy seen as [m, p, n, q] (block (i, j) at [i, :, j, :]),
  // ∂L/∂A[i, j] = Σₖₗ gy[i, k, j, l]·B[k, l] and ∂L/∂B[k, l] = Σᵢⱼ gy[i, k, j, l]·A[i, j].
  vjp: (m, { inputs: [a, b], gy, needsGrad }) => {
    const [rowsA, columnsA] = m.shapeOf(a!) as [number, number];
    const [rowsB, columnsB] = m.shapeOf(b!) as [number, number];
    const blocks = m.reshape(gy, [rowsA, rowsB, columnsA, columnsB]);
    return [
      needsGrad[0] === false ? null : m.sum(m.mul(blocks, m.reshape(b!, [1, rowsB, 1, columnsB])), [1, 3], false),
      needsGrad[1] === false ? null : m.sum(m.mul(blocks, m.reshape(a!, [rowsA, 1, columnsA, 1])), [0, 2], false),
    ];
  },
  notation: {
    precedence: Precedence.product,
    write: (args, _attrs, style) => (style === 'ascii'
      ? `kron(${argAt(args, 0).text}, ${argAt(args, 1).text})`
      : `${wrap(argAt(args, 0), Precedence.power, style)}${style === 'pretty' ? ' ⊗ ' : ' \\otimes '}${wrap(argAt(args, 1), Precedence.power, style)}`),
  },
};

/**
 * The commutation matrix K of a matrix's shape (Magnus & Neudecker's K_mn for X m×n): the mn×mn
 * permutation with K·vec X = vec Xᵀ, vec stacking columns, so K[i·n + j, j·m + i] = 1. It writes
 * the Jacobian of a transpose, ∂vec Xᵀ/∂vec X = K, and of L·dXᵀ·R, (Rᵀ ⊗ L)·K (docs/matrix-calculus.md).
 * It depends only on the shape: no gradient flows through it.
 */
export const commutation: OpDef<NoAttrs> = {
  name: 'commutation', summary: 'the commutation matrix K of a matrix\'s shape: K·vec X = vec Xᵀ (columns stacked)', arity: 1, differentiable: false,
  matrixGrammarNames: ['commutation'],
  outputShape([x = []]) {
    if (x.length !== 2) throw new ShapeError(`commutation: needs a matrix, got shape ${formatShape(x)}`);
    const size = x[0]! * x[1]!;
    return [size, size];
  },
  forward([x], _attrs, out) {
    const [m, n] = x!.shape as [number, number];
    out.fill(0);
    for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) out[(i * n + j) * m * n + j * m + i] = 1;
  },
  vjp: () => [null],
  notation: call({ ascii: 'commutation', pretty: 'K', latex: 'K' }),
};

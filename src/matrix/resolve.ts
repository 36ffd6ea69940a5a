import { getByName, type ByName } from '../by-name.js';
import { FormulaError } from '../formula/formula-error.js';
import { registry } from '../ops/registry.js';
import type { OpAttrs, OpName } from '../ops/types.js';
import { isScalarShape, shapeText as numericShapeText, type MatrixExpr } from './expr.js';
import { shapeInLetters } from './declared.js';
import { isMatrixFunction } from './functions.js';
import type { MatrixSyntax } from './parse.js';
import { MAX_RESULT_ELEMENTS } from './values.js';

/**
 * Sizes of an I that what it meets does not decide, known to a caller comparing an answer:
 * `alone`, the whole formula's (I as the gradient of tr X); `inKron`, I as kron's first or second
 * argument (a Kronecker Jacobian ∂vec F/∂vec X of F p×q: kron(Rᵀ, L) with Rᵀ = I is q×q, L = I p×p).
 */
export interface IdentitySizes {
  readonly alone?: number;
  readonly inKron?: readonly [number, number];
}

/**
 * Give every part of a parsed matrix formula its shape, from the shapes of the variables, and
 * turn the grammar's operators into registry ops: `*` is matmul between matrices and an
 * elementwise product when one side is a number. A shape mismatch is a FormulaError naming both
 * shapes and pointing at the operator or call.
 */
export function resolveMatrixFormula(source: string, syntax: MatrixSyntax, shapes: ByName<readonly number[]>, sizeNames?: Readonly<Record<string, number>>, identitySizes: IdentitySizes = {}): MatrixExpr {
  const { alone: identitySize, inKron } = identitySizes;
  // Declared variables have stand-in sizes: errors name their letters (m×n), not the stand-ins.
  const dimension = (size: number | undefined): string => (sizeNames === undefined ? String(size) : (Object.entries(sizeNames).find(([, value]) => value === size)?.[0] ?? String(size)));
  const shapeText = (shape: readonly number[]): string => (sizeNames === undefined ? numericShapeText(shape) : shapeInLetters(shape, sizeNames));
  const failAt = (reason: string, start: number, end = start + 1): never => {
    throw new FormulaError(reason, source, start, Math.max(1, end - start));
  };
  const text = (x: MatrixSyntax) => source.slice(x.span.start, x.span.end).trim();
  const described = (x: MatrixSyntax, e: MatrixExpr) => `${text(x)} is ${shapeText(e.shape)}`;

  const op = <N extends OpName>(name: N, args: readonly MatrixExpr[], attrs: OpAttrs[N]): MatrixExpr => ({
    kind: 'op', op: name, args, attrs, shape: registry[name].outputShape(args.map((arg) => arg.shape), attrs as never),
  });

  /** Every part, with a bound on its size (values.ts, MAX_RESULT_ELEMENTS). */
  function visit(node: MatrixSyntax): MatrixExpr {
    const result = visitPart(node);
    const elements = result.shape.reduce((product, extent) => product * extent, 1);
    if (elements > MAX_RESULT_ELEMENTS) failAt(`${text(node)} would be ${shapeText(result.shape)}, more than ${MAX_RESULT_ELEMENTS.toLocaleString('en-US')} numbers; this tool works matrices a person can follow`, node.span.start, node.span.end);
    return result;
  }

  function visitPart(node: MatrixSyntax): MatrixExpr {
    switch (node.kind) {
      case 'number': return { kind: 'const', value: node.value, shape: [] };
      case 'variable': {
        const shape = getByName(shapes, node.name);
        // I without a value is the identity; what it meets decides its size (sized below).
        if (shape === undefined && node.name === 'I') return FREE_IDENTITY;
        if (shape === undefined) failAt(`${node.name} has no value; give it one (a number, a list for a vector, a list of rows for a matrix)`, node.span.start, node.span.end);
        return { kind: 'var', name: node.name, shape: shape! };
      }
      case 'negate': return op('neg', [visit(node.arg)], {});
      case 'transpose': {
        const arg = visit(node.arg);
        return arg.shape.length < 2 ? arg : op('transpose', [arg], { perm: [1, 0] });
      }
      case 'call': return call(node);
      case 'binary': return binary(node);
      case 'ones': return op('broadcastTo', [{ kind: 'const', value: 1, shape: [] }], { shape: [node.rows, node.columns] });
    }
  }

  const unsized = (node: MatrixSyntax): never =>
    failAt(`the size of I is not known here: write I beside a vector or matrix it multiplies or is added to (x'*x*I + 2*x*x')`, node.span.start, node.span.end);

  /**
   * One side holds I of unknown size, the other side a vector or matrix: that decides the size
   * (A + I, I*x, x'*I). Null when it still cannot be told (2*I, I + 1).
   */
  function sizeOfIdentity(node: Extract<MatrixSyntax, { kind: 'binary' }>, left: MatrixExpr, right: MatrixExpr): number | null {
    const freeLeft = hasFreeIdentity(left);
    if (freeLeft === hasFreeIdentity(right)) return null;
    const other = freeLeft ? right : left;
    if (isScalarShape(other.shape)) return null;
    if (node.operator === '*') return freeLeft ? other.shape[0]! : other.shape[1]!;
    const [rows, columns] = other.shape;
    if (rows !== columns) failAt(`I is square, but ${described(freeLeft ? node.right : node.left, other)}`, node.at, node.at + node.operator.length);
    return rows!;
  }

  function call(node: Extract<MatrixSyntax, { kind: 'call' }>): MatrixExpr {
    if (node.op === 'kron') return kronecker(node);
    const [syntaxArg] = node.args as [MatrixSyntax];
    const arg = visit(syntaxArg);
    if (hasFreeIdentity(arg)) unsized(node);
    if (node.op === 'sum') return op('sum', [arg], { axes: [...arg.shape.keys()], keepdims: false });
    // commutation(X): K of X's shape, for any matrix (a number is 1×1, K = 1).
    if (node.op === 'commutation') return op('commutation', [arg.shape.length === 0 ? op('reshape', [arg], { shape: [1, 1] }) : arg], {});
    if (node.op === 'diag') {
      // diag of a number is the number; of a vector its diagonal matrix; of a square matrix its diagonal (a column).
      if (isScalarShape(arg.shape)) return arg;
      const vector = arg.shape[0] === 1 || arg.shape[1] === 1;
      if (!vector && arg.shape[0] !== arg.shape[1]) failAt(`diag needs a vector (for its diagonal matrix) or a square matrix (for its diagonal), but ${described(syntaxArg, arg)}`, node.span.start, node.span.end);
      return op('diag', [arg], {});
    }
    if (isMatrixFunction(node.op)) {
      const square = arg.shape.length === 0 || (arg.shape.length === 2 && arg.shape[0] === arg.shape[1]);
      if (!square) failAt(`${node.name} needs a square matrix, but ${described(syntaxArg, arg)}`, node.span.start, node.span.end);
      // A number is a 1×1 matrix: tr(a) = det(a) = a, inv(a) = 1/a.
      const matrix = arg.shape.length === 0 ? op('reshape', [arg], { shape: [1, 1] }) : arg;
      return op(node.op, [matrix], {});
    }
    return op(node.op, [arg], {});
  }

  /**
   * kron(P, Q) of two matrices (a number is 1×1). I inside takes its size from `identitySizes.inKron`
   * where the caller knows it (a Kronecker Jacobian answer: kron(X', I) + kron(I, X)); else it is unsized.
   */
  function kronecker(node: Extract<MatrixSyntax, { kind: 'call' }>): MatrixExpr {
    const args = node.args.map((syntaxArg, i) => {
      const arg = visit(syntaxArg);
      if (!hasFreeIdentity(arg)) return arg;
      const size = inKron?.[i];
      return size === undefined ? failAt(`the size of I is not known inside ${node.name}(…): a Kronecker factor does not fix it; I there is sized only in an answer for ∂vec F/∂vec X (answers: kronecker)`, node.span.start, node.span.end) : withIdentitySize(arg, size);
    });
    const matrices = args.map((arg) => (arg.shape.length === 0 ? op('reshape', [arg], { shape: [1, 1] }) : arg));
    return op('kron', matrices, {});
  }

  function binary(node: Extract<MatrixSyntax, { kind: 'binary' }>): MatrixExpr {
    let left = visit(node.left);
    let right = visit(node.right);
    if (hasFreeIdentity(left) || hasFreeIdentity(right)) {
      const size = sizeOfIdentity(node, left, right);
      if (size !== null) {
        left = withIdentitySize(left, size);
        right = withIdentitySize(right, size);
      } else if (!['+', '-', '*', '.*', './', '/'].includes(node.operator) || (node.operator === '/' && hasFreeIdentity(right))) {
        unsized(node);
      }
    }
    const scalarLeft = isScalarShape(left.shape);
    const scalarRight = isScalarShape(right.shape);
    const sameShape = left.shape.join() === right.shape.join();
    const both = `${described(node.left, left)} and ${described(node.right, right)}`;
    const at = node.at;
    const end = at + node.operator.length;
    switch (node.operator) {
      case '+':
      case '-':
        if (!sameShape && !scalarLeft && !scalarRight) failAt(`cannot ${node.operator === '+' ? 'add' : 'subtract'}: ${both}; a sum needs equal shapes (or a number)`, at, end);
        return op(node.operator === '+' ? 'add' : 'sub', [left, right], {});
      case '*':
        if (scalarLeft || scalarRight) return op('mul', [left, right], {});
        if (left.shape[1] !== right.shape[0]) {
          failAt(`cannot multiply: ${both}; a matrix product needs as many columns on the left as rows on the right (${dimension(left.shape[1])} ≠ ${dimension(right.shape[0])}); for the elementwise product write .*`, at, end);
        }
        return op('matmul', [left, right], {});
      case '.*':
      case './':
        if (!sameShape && !scalarLeft && !scalarRight) failAt(`cannot apply ${node.operator} elementwise: ${both}; it needs equal shapes (or a number)`, at, end);
        return op(node.operator === '.*' ? 'mul' : 'div', [left, right], {});
      case '/':
        if (!scalarRight) failAt(`cannot divide by a matrix: ${both}; write inv(…) for the inverse or ./ to divide elementwise`, at, end);
        return op('div', [left, right], {});
      case '^':
        if (!scalarLeft || !scalarRight) failAt(`^ is the power of numbers, but ${both}; write A*A for the matrix power or .^ elementwise`, at, end);
        return op('pow', [left, right], {});
      case '.^':
        if (!scalarRight && !sameShape) failAt(`cannot apply .^: ${both}; the exponent must be a number or have the same shape`, at, end);
        return op('pow', [left, right], {});
    }
  }

  const result = visit(syntax);
  if (!hasFreeIdentity(result)) return result;
  if (identitySize !== undefined) return withIdentitySize(result, identitySize);
  // Point at the I when there is one (x'*x + 2*I); with several, at the whole formula.
  const identities = identityNodes(syntax);
  return unsized(identities.length === 1 ? identities[0]! : syntax);
}

/** The places a formula writes I (the identity when no variable is called I). */
function identityNodes(node: MatrixSyntax): MatrixSyntax[] {
  switch (node.kind) {
    case 'variable': return node.name === 'I' ? [node] : [];
    case 'negate':
    case 'transpose': return identityNodes(node.arg);
    case 'binary': return [...identityNodes(node.left), ...identityNodes(node.right)];
    case 'call': return node.args.flatMap(identityNodes);
    default: return [];
  }
}

/** I before its size is known: a name no formula can use (the grammar's names are letters, digits and _). */
const FREE_IDENTITY: MatrixExpr = { kind: 'var', name: '#I', shape: [] };

const hasFreeIdentity = (x: MatrixExpr): boolean => (x.kind === 'var' ? x === FREE_IDENTITY : x.kind === 'op' && x.args.some(hasFreeIdentity));

const build = <N extends OpName>(name: N, args: readonly MatrixExpr[], attrs: OpAttrs[N]): MatrixExpr => ({
  kind: 'op', op: name, args, attrs, shape: registry[name].outputShape(args.map((arg) => arg.shape), attrs as never),
});

/** The identity matrix of size n: eyeLike of an n×n matrix of zeros (written I). */
export const identityMatrix = (n: number): MatrixExpr => build('eyeLike', [build('broadcastTo', [{ kind: 'const', value: 0, shape: [] }], { shape: [n, n] })], {});

/** diag(v) for a column vector v: the registry's diag op (a number stays a number). */
export const diagonalMatrix = (v: MatrixExpr): MatrixExpr => (isScalarShape(v.shape) ? v : build('diag', [v], {}));

/** The formula with every I of unknown size given size n, shapes worked out again. */
function withIdentitySize(x: MatrixExpr, n: number): MatrixExpr {
  if (x === FREE_IDENTITY) return identityMatrix(n);
  if (x.kind !== 'op' || !hasFreeIdentity(x)) return x;
  return build(x.op, x.args.map((arg) => withIdentitySize(arg, n)), x.attrs);
}

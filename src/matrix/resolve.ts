import { getByName, type ByName } from '../by-name.js';
import { FormulaError } from '../formula/formula-error.js';
import { registry } from '../ops/registry.js';
import type { OpAttrs, OpName } from '../ops/types.js';
import { isScalarShape, shapeText as numericShapeText, type MatrixExpr } from './expr.js';
import { shapeInLetters } from './declared.js';
import { isMatrixFunction } from './functions.js';
import type { MatrixSyntax } from './parse.js';

/**
 * Give every part of a parsed matrix formula its shape, from the shapes of the variables, and
 * turn the grammar's operators into registry ops: `*` is matmul between matrices and an
 * elementwise product when one side is a number. A shape mismatch is a FormulaError naming both
 * shapes and pointing at the operator or call.
 */
export function resolveMatrixFormula(source: string, syntax: MatrixSyntax, shapes: ByName<readonly number[]>, sizeNames?: Readonly<Record<string, number>>): MatrixExpr {
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

  function visit(node: MatrixSyntax): MatrixExpr {
    switch (node.kind) {
      case 'number': return { kind: 'const', value: node.value, shape: [] };
      case 'variable': {
        const shape = getByName(shapes, node.name);
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
    }
  }

  function call(node: Extract<MatrixSyntax, { kind: 'call' }>): MatrixExpr {
    const arg = visit(node.arg);
    if (node.op === 'sum') return op('sum', [arg], { axes: [...arg.shape.keys()], keepdims: false });
    if (isMatrixFunction(node.op)) {
      const square = arg.shape.length === 0 || (arg.shape.length === 2 && arg.shape[0] === arg.shape[1]);
      if (!square) failAt(`${node.name} needs a square matrix, but ${described(node.arg, arg)}`, node.span.start, node.span.end);
      // A number is a 1×1 matrix: tr(a) = det(a) = a, inv(a) = 1/a.
      const matrix = arg.shape.length === 0 ? op('reshape', [arg], { shape: [1, 1] }) : arg;
      return op(node.op, [matrix], {});
    }
    return op(node.op, [arg], {});
  }

  function binary(node: Extract<MatrixSyntax, { kind: 'binary' }>): MatrixExpr {
    const left = visit(node.left);
    const right = visit(node.right);
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

  return visit(syntax);
}

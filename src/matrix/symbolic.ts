import { makeAlgebra, withoutLimitTerms, type Algebra } from '../ops/algebra.js';
import { registry } from '../ops/registry.js';
import type { OpAttrs, OpName } from '../ops/types.js';
import type { MatrixExpr } from './expr.js';

/**
 * Matrix formulas as the registry's vjp rules build them: the same rules the engine runs on
 * tensors, run on formulas, give the gradient of a formula as a formula (reverse mode). The
 * result is then brought to a teacher's form by simplify.ts.
 */

export function matrixOp<N extends OpName>(op: N, args: readonly MatrixExpr[], attrs: OpAttrs[N]): MatrixExpr {
  return { kind: 'op', op, args, attrs, shape: registry[op].outputShape(args.map((arg) => arg.shape), attrs as never) };
}

export const matrixAlgebra: Algebra<MatrixExpr> = makeAlgebra<MatrixExpr>({
  apply: matrixOp,
  constant: (value) => ({ kind: 'const', value, shape: [] }),
  shapeOf: (x) => x.shape,
});

/** The same, the rules as a textbook writes them: y ⊙ x^(y − 1), without pow's terms for a base of 0 (Algebra.limitTerms). */
export const textbookMatrixAlgebra: Algebra<MatrixExpr> = withoutLimitTerms(matrixAlgebra);

const dependsOn = (x: MatrixExpr, names: ReadonlySet<string>, memo: Map<MatrixExpr, boolean>): boolean => {
  const known = memo.get(x);
  if (known !== undefined) return known;
  const result = x.kind === 'var' ? names.has(x.name) : x.kind === 'op' && registry[x.op].differentiable && x.args.some((arg) => dependsOn(arg, names, memo));
  memo.set(x, result);
  return result;
};

/**
 * ∂(Σ seed ⊙ output)/∂v for each variable v in `names`, as formulas: reverse mode over the
 * formula's nodes with the registry's vjps, gradients summed back to each input's shape as
 * the engine does. Unsimplified.
 */
export function symbolicMatrixGradients(output: MatrixExpr, seed: MatrixExpr, names: readonly string[], algebra: Algebra<MatrixExpr> = matrixAlgebra): Map<string, MatrixExpr> {
  const wanted = new Set(names);
  const memo = new Map<MatrixExpr, boolean>();
  // Post-order: every node after its arguments.
  const order: MatrixExpr[] = [];
  const seen = new Set<MatrixExpr>();
  const stack: { node: MatrixExpr; expanded: boolean }[] = [{ node: output, expanded: false }];
  while (stack.length > 0) {
    const top = stack.pop()!;
    if (top.expanded) {
      order.push(top.node);
      continue;
    }
    if (seen.has(top.node)) continue;
    seen.add(top.node);
    stack.push({ node: top.node, expanded: true });
    if (top.node.kind === 'op') for (const arg of top.node.args) stack.push({ node: arg, expanded: false });
  }
  const adjoint = new Map<MatrixExpr, MatrixExpr>([[output, seed]]);
  const gradients = new Map<string, MatrixExpr>();
  for (let i = order.length - 1; i >= 0; i--) {
    const node = order[i]!;
    const gy = adjoint.get(node);
    if (gy === undefined) continue;
    if (node.kind === 'var') {
      if (wanted.has(node.name)) {
        const before = gradients.get(node.name);
        gradients.set(node.name, before === undefined ? gy : matrixAlgebra.add(before, gy));
      }
      continue;
    }
    if (node.kind !== 'op' || !dependsOn(node, wanted, memo)) continue;
    const needsGrad = node.args.map((arg) => dependsOn(arg, wanted, memo));
    const op = registry[node.op] as { vjp: (m: Algebra<MatrixExpr>, ctx: unknown) => readonly (MatrixExpr | null)[] };
    const grads = op.vjp(algebra, { inputs: node.args, output: node, gy, attrs: node.attrs, needsGrad });
    node.args.forEach((arg, k) => {
      const g = grads[k];
      if (g === null || g === undefined || !needsGrad[k]) return;
      const shaped = matrixAlgebra.sumTo(g, arg.shape);
      const before = adjoint.get(arg);
      adjoint.set(arg, before === undefined ? shaped : matrixAlgebra.add(before, shaped));
    });
  }
  return gradients;
}

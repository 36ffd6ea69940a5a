import { tensorAlgebra } from '../autograd/apply.js';
import { tensor } from '../autograd/create.js';
import { Tensor } from '../autograd/tensor.js';
import type { MatrixExpr } from './expr.js';

/**
 * A matrix formula on the engine: each node one registry op on tensors, recorded for backward.
 * `nodes` gets every op node's tensor (for diagnostics: which inv had a singular input).
 */
export function evaluateMatrix(expr: MatrixExpr, leaves: ReadonlyMap<string, Tensor>, nodes?: Map<MatrixExpr, Tensor>): Tensor {
  const visit = (x: MatrixExpr): Tensor => {
    if (x.kind === 'const') return Tensor.constant(x.value);
    if (x.kind === 'var') {
      const leaf = leaves.get(x.name);
      if (leaf === undefined) throw new Error(`matrix formula: no value for ${x.name}`);
      return leaf;
    }
    const result = tensorAlgebra.apply(x.op, x.args.map(visit), x.attrs);
    nodes?.set(x, result);
    return result;
  };
  return visit(expr);
}

/** A leaf tensor for a variable's value, wanting a gradient. */
export const leafOf = (shape: readonly number[], data: Float64Array): Tensor =>
  tensor(Float64Array.from(data), { shape: [...shape], requiresGrad: true });

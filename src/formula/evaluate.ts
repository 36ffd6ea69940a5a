import { tensorAlgebra } from '../autograd/apply.js';
import { noGrad } from '../autograd/grad-mode.js';
import { Tensor } from '../autograd/tensor.js';
import type { OpAttrs, OpName } from '../ops/types.js';
import type { Sym } from './symbolic.js';

/**
 * The value of a formula with tensors for its symbols, computed by the registry's forward
 * kernels. Layout ops whose target shape the symbols did not know (extent 0) are skipped.
 */
export function evaluateSym(sym: Sym, values: ReadonlyMap<string, Tensor>): Tensor {
  return noGrad(() => evaluate(sym, values));
}

function evaluate(sym: Sym, values: ReadonlyMap<string, Tensor>): Tensor {
  if (sym.kind === 'const') return Tensor.constant(sym.value);
  if (sym.kind === 'var') {
    const value = values.get(sym.name);
    if (value === undefined) throw new Error(`no value for ${sym.name}`);
    return value;
  }
  const args = sym.args.map((arg) => evaluate(arg, values));
  const attrs = sym.attrs as { shape?: readonly number[] };
  if ((sym.op === 'reshape' || sym.op === 'broadcastTo') && attrs.shape?.includes(0) === true) return args[0]!;
  return tensorAlgebra.apply(sym.op, args, sym.attrs as OpAttrs[OpName]);
}

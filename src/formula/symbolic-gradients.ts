import { registry } from '../ops/registry.js';
import type { OpAttrs, OpDef } from '../ops/types.js';
import type { Algebra } from '../ops/algebra.js';
import { buildSym, symbolicAlgebra, type Sym } from './symbolic.js';

/** Whether each node involves a variable, filled in topological order (no recursion: deep sums are fine). */
function variableDependence(order: readonly Sym[]): Map<Sym, boolean> {
  const depends = new Map<Sym, boolean>();
  for (const sym of order) depends.set(sym, sym.kind === 'var' || (sym.kind === 'op' && sym.args.some((arg) => depends.get(arg) === true)));
  return depends;
}

/** Formula nodes of `output`, each after the nodes it is built from (iterative, shared nodes once). */
function topologicalOrder(output: Sym): Sym[] {
  const order: Sym[] = [];
  const visited = new Set<Sym>([output]);
  const stack: { sym: Sym; next: number }[] = [{ sym: output, next: 0 }];
  while (stack.length > 0) {
    const top = stack[stack.length - 1]!;
    const args = top.sym.kind === 'op' ? top.sym.args : [];
    if (top.next < args.length) {
      const arg = args[top.next++]!;
      if (!visited.has(arg)) {
        visited.add(arg);
        stack.push({ sym: arg, next: 0 });
      }
    } else {
      stack.pop();
      order.push(top.sym);
    }
  }
  return order;
}

/**
 * Reverse mode on a formula: the gradient `gy` arriving at `output`, pushed down through each
 * op with the registry's own vjp rule. Returns ∂(output)/∂(variable)·gy for every variable, as
 * the sum over paths: contributions are added in the order of the nodes that send them.
 * `outputNames` lets a rule that reuses its output (σ′ = σ(1 − σ)) write it by name: ŷ(1 − ŷ).
 * `algebra`: textbookAlgebra where no rule's limit terms change a value at the point printed.
 */
export function symbolicGradients(output: Sym, gy: Sym, outputNames: ReadonlyMap<Sym, Sym> = new Map(), algebra: Algebra<Sym> = symbolicAlgebra): Map<string, Sym> {
  const order = topologicalOrder(output);
  const depends = variableDependence(order);
  const arriving = new Map<Sym, Sym[]>([[output, [gy]]]);
  const total = (terms: readonly Sym[]) => terms.reduceRight<Sym | null>((sum, term) => (sum === null ? term : buildSym('add', [sum, term], {})), null);
  const result = new Map<string, Sym>();
  for (let i = order.length - 1; i >= 0; i--) {
    const node = order[i]!;
    const gradient = total(arriving.get(node) ?? []);
    if (gradient === null) continue;
    if (node.kind === 'var') {
      result.set(node.name, gradient);
      continue;
    }
    if (node.kind !== 'op') continue;
    const op = registry[node.op] as OpDef<OpAttrs[typeof node.op]>;
    const needsGrad = node.args.map((arg) => depends.get(arg) === true);
    const grads = op.vjp(algebra, { inputs: node.args, output: outputNames.get(node) ?? node, gy: gradient, attrs: node.attrs as OpAttrs[typeof node.op], needsGrad });
    node.args.forEach((arg, k) => {
      const gx = grads[k];
      if (!needsGrad[k] || gx === null || gx === undefined) return;
      const terms = arriving.get(arg);
      if (terms === undefined) arriving.set(arg, [gx]);
      else terms.push(gx);
    });
  }
  return result;
}

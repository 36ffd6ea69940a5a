import { registry } from '../ops/registry.js';
import type { OpName } from '../ops/types.js';

/*
 * Signs as a textbook prints them: a − b, not a + −b or a − −b; −2/x, not 2·((−1)/x); −a/b,
 * not (−a)/b; −aᵀ·x, not (−a)ᵀ·x; a + b − c, not a + (b − c). The rules move or cancel minus
 * signs (exact in floating point), write a·(1/b) as a/b and drop the brackets of a sum inside a
 * sum, so the formula keeps its value up to rounding; they change how it is written, not what is
 * computed (the numbers come from the engine, and the equation audit checks every line). One set
 * of rules for the formulas of numbers (Sym) and of matrices (MatrixExpr): both are trees of
 * numbers and registry ops, and the writers of both call withTextbookSigns.
 */

/** What the rules need of a formula tree: numbers and registry ops (names and other leaves pass through). */
export type SignedNode =
  | { readonly kind: 'const'; readonly value: number }
  | { readonly kind: 'op'; readonly op: OpName; readonly args: readonly SignedNode[] }
  | { readonly kind: 'var' };

type OpNode<T> = Extract<T, { kind: 'op' }>;

/** −x of a tree's own type: a Sym's neg has no shape, a MatrixExpr's the shape of x. */
export type Negation<T> = (x: T) => T;

const isOne = (node: SignedNode): boolean => node.kind === 'const' && node.value === 1;

/**
 * The formula with its signs as a textbook prints them (iterative: a sum of thousands of terms
 * does not overflow the stack). Not for a formula as typed: its graph has a node for each bracket
 * and sign (x − (y − z) has the node y − z, y·(−(−x)) the node −(−x)), which the rules would hide.
 */
export function withTextbookSigns<T extends SignedNode>(root: T, negation: Negation<T>): T {
  const negate = (x: T): T => {
    if (x.kind === 'const') return { ...x, value: -x.value };
    if (x.kind === 'op' && x.op === 'neg') return x.args[0] as T;
    return negation(x);
  };
  /** A factor as its sign and its size: −x is (−, x), −2 is (−, 2). */
  const signAndSize = (x: T): { negative: boolean; size: T } => {
    if (x.kind === 'const' && x.value < 0) return { negative: true, size: { ...x, value: -x.value } };
    if (x.kind === 'op' && x.op === 'neg') return { negative: true, size: x.args[0] as T };
    return { negative: false, size: x };
  };
  const withArgs = (node: OpNode<T>, args: readonly T[], op: OpName = node.op): T => ({ ...node, op, args });

  const rewrite = (node: OpNode<T>, args: readonly T[]): T => {
    const [a, b] = args;
    switch (node.op) {
      case 'neg':
        return negate(a!);
      case 'add':
      case 'sub': {
        // a + (−b) = a − b, a − (−b) = a + b.
        const right = signAndSize(b!);
        if (right.negative) return withArgs(node, [a!, right.size], node.op === 'add' ? 'sub' : 'add');
        // a + (b − c) = a + b − c, a − (b + c) = a − b − c: a sum is written without brackets inside a sum.
        const sum = b as SignedNode;
        if (sum.kind === 'op' && (sum.op === 'add' || sum.op === 'sub')) {
          const [inner, last] = sum.args as readonly T[];
          const outer: OpName = node.op === 'add' ? sum.op : sum.op === 'add' ? 'sub' : 'add';
          return withArgs(node, [rewrite(withArgs(node, [a!, inner!]) as OpNode<T>, [a!, inner!]), last!], outer);
        }
        break;
      }
      case 'transpose': {
        const inner = signAndSize(a!);
        return inner.negative ? negate(withArgs(node, [inner.size])) : withArgs(node, args);
      }
    }
    // Ops through which a minus sign passes (−(a·b) = (−a)·b) say so in the registry.
    if (registry[node.op].signPassesThrough !== true) return args.every((arg, i) => arg === node.args[i]) ? node : withArgs(node, args);
    const left = signAndSize(a!);
    const right = signAndSize(b!);
    const rightSize = right.size;
    let product: T;
    // a·(1/b) = a/b: 2·(1/x) is 2/x.
    if (node.op === 'mul' && rightSize.kind === 'op' && rightSize.op === 'div' && isOne(rightSize.args[0]!)) product = withArgs(node, [left.size, rightSize.args[1] as T], 'div');
    else if (node.op === 'mul' && isOne(left.size)) product = right.size;
    else if (node.op === 'mul' && isOne(right.size)) product = left.size;
    else product = withArgs(node, [left.size, right.size]);
    return left.negative !== right.negative ? negate(product) : product;
  };

  const done = new Map<T, T>();
  const stack: { node: T; expanded: boolean }[] = [{ node: root, expanded: false }];
  while (stack.length > 0) {
    const { node, expanded } = stack.pop()!;
    if (done.has(node)) continue;
    if (node.kind !== 'op') {
      done.set(node, node);
    } else if (!expanded) {
      stack.push({ node, expanded: true });
      for (const arg of node.args as readonly T[]) if (!done.has(arg)) stack.push({ node: arg, expanded: false });
    } else {
      done.set(node, rewrite(node as OpNode<T>, (node.args as readonly T[]).map((arg) => done.get(arg)!)));
    }
  }
  return done.get(root)!;
}

import type { Tensor } from './tensor.js';

/**
 * The nodes reachable from `roots` through the inputs `follow` accepts, every node after its
 * inputs (a post-order: a topological order of the graph). Iterative, with an explicit stack,
 * so a chain of a million nodes is fine; visits are kept in a Set, not marked on the nodes.
 */
export function postOrder(roots: readonly Tensor[], follow: (input: Tensor) => boolean): Tensor[] {
  const visited = new Set<Tensor>();
  const order: Tensor[] = [];
  for (const root of roots) {
    if (visited.has(root)) continue;
    visited.add(root);
    const stack: Tensor[] = [root];
    const nextInput: number[] = [0];
    while (stack.length > 0) {
      const top = stack.length - 1;
      const node = stack[top]!;
      const inputs = node.inputs;
      const i = nextInput[top]!;
      if (i < inputs.length) {
        nextInput[top] = i + 1;
        const input = inputs[i]!;
        if (follow(input) && !visited.has(input)) {
          visited.add(input);
          stack.push(input);
          nextInput.push(0);
        }
      } else {
        stack.pop();
        nextInput.pop();
        order.push(node);
      }
    }
  }
  return order;
}

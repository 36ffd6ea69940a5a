import { formatShape, sameShape } from '../tensor/shape.js';
import { tensorAlgebra } from './apply.js';
import { enableGrad, noGrad } from './grad-mode.js';
import { ones } from './create.js';
import type { Tensor } from './tensor.js';

export interface BackwardOptions {
  /** Record the backward pass itself, so gradients can be differentiated again. */
  createGraph?: boolean;
  /** Keep the gradient of every intermediate node in `.grad` (explanations need them all). */
  retainAll?: boolean;
}

let visitEpoch = 0;

/**
 * Nodes reachable from `root` through tensors that carry gradients, inputs before the nodes
 * that use them. Iterative (an explicit stack), so a chain of a million nodes is fine.
 * Nodes in `stopAt` are treated as leaves.
 */
export function topologicalOrder(root: Tensor, stopAt: ReadonlySet<Tensor> | null = null): Tensor[] {
  const epoch = ++visitEpoch;
  const order: Tensor[] = [];
  const stack: Tensor[] = [root];
  const nextInput: number[] = [0];
  root.visitMark = epoch;
  while (stack.length > 0) {
    const top = stack.length - 1;
    const node = stack[top]!;
    const inputs = node.creator !== null && (stopAt === null || !stopAt.has(node)) ? node.creator.inputs : null;
    const i = nextInput[top]!;
    if (inputs !== null && i < inputs.length) {
      nextInput[top] = i + 1;
      const input = inputs[i]!;
      if (input.requiresGrad && input.visitMark !== epoch) {
        input.visitMark = epoch;
        stack.push(input);
        nextInput.push(0);
      }
    } else {
      stack.pop();
      nextInput.pop();
      order.push(node);
    }
  }
  return order;
}

function accumulate(node: Tensor, gradient: Tensor): void {
  node.pendingGrad = node.pendingGrad === null ? gradient : tensorAlgebra.add(node.pendingGrad, gradient);
}

/**
 * Reverse mode over the recorded graph: each node's vjp turns the gradient arriving at its
 * output into gradients for its inputs; gradients of a value used several times add up, and
 * gradients of broadcast inputs are summed back to the input's shape.
 * With `targets`, gradients stop there and are returned instead of added into `.grad`.
 */
export function propagate(root: Tensor, seed: Tensor, options: BackwardOptions, targets: readonly Tensor[] | null): (Tensor | null)[] {
  const stopAt = targets === null ? null : new Set(targets);
  const order = topologicalOrder(root, stopAt);
  root.pendingGrad = seed;
  const run = () => {
    for (let i = order.length - 1; i >= 0; i--) {
      const node = order[i]!;
      const gy = node.pendingGrad;
      node.pendingGrad = null;
      if (gy === null) continue;
      if (stopAt !== null && stopAt.has(node)) {
        node.pendingGrad = gy; // collected below
        continue;
      }
      const creator = node.creator;
      if (creator === null || node.retainsGrad || options.retainAll === true) {
        if (targets === null) node.grad = node.grad === null ? gy : tensorAlgebra.add(node.grad, gy);
        if (creator === null) continue;
      }
      const { op, inputs, attrs } = creator;
      const needsGrad = inputs.map((input) => input.requiresGrad);
      const grads = op.vjp(tensorAlgebra, { inputs, output: node, gy, attrs, needsGrad });
      for (let k = 0; k < inputs.length; k++) {
        const input = inputs[k]!;
        const gx = grads[k];
        if (!input.requiresGrad || gx === null || gx === undefined) continue;
        accumulate(input, sameShape(gx.shape, input.shape) ? gx : tensorAlgebra.sumTo(gx, input.shape));
      }
    }
  };
  if (options.createGraph === true) enableGrad(run);
  else noGrad(run);
  if (targets === null) return [];
  return targets.map((target) => {
    const gradient = target.pendingGrad;
    target.pendingGrad = null;
    return gradient;
  });
}

/** PyTorch's tensor.backward(): gradients of a scalar added into every leaf's `.grad`. */
export function backward(root: Tensor, gradient: Tensor | undefined, options: BackwardOptions): void {
  if (!root.requiresGrad) {
    throw new Error('backward(): this tensor does not depend on anything that requires a gradient');
  }
  if (gradient === undefined && root.size !== 1) {
    throw new Error(`backward(): the output has shape ${formatShape(root.shape)}; pass the gradient arriving at it, or reduce it to a scalar first`);
  }
  if (gradient !== undefined && !sameShape(gradient.shape, root.shape)) {
    throw new Error(`backward(): gradient of shape ${formatShape(gradient.shape)} given for an output of shape ${formatShape(root.shape)}`);
  }
  propagate(root, gradient ?? ones(root.shape, root.dtype), options, null);
}

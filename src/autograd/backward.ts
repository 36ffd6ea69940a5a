import { AutogradError } from '../errors.js';
import { broadcastShapes, formatShape, sameShape, type Shape } from '../tensor/shape.js';
import { tensorAlgebra } from './apply.js';
import { ones } from './create.js';
import { enableGrad, noGrad } from './grad-mode.js';
import type { VjpContext } from '../ops/types.js';
import { NewestFirst } from './newest-first.js';
import { postOrder } from './post-order.js';
import { NO_INPUTS, Tensor } from './tensor.js';

export interface BackwardOptions {
  /** Record the backward pass itself, so gradients can be differentiated again. */
  createGraph?: boolean;
  /** Keep the gradient of every intermediate node in `.grad` (explanations need them all). */
  retainAll?: boolean;
}

/** Nodes reachable from `root` through tensors that carry gradients, inputs before the nodes that use them. */
export function topologicalOrder(root: Tensor): Tensor[] {
  return postOrder([root], (input) => input.requiresGrad);
}

/** One mutable vjp context reused for every node: rules read it and never keep it. */
const context: { -readonly [K in keyof VjpContext<Tensor, never>]: VjpContext<Tensor, never>[K] } = {
  inputs: [], output: null as unknown as Tensor, gy: null as unknown as Tensor, attrs: undefined as never, needsGrad: [],
};

/** Which inputs want a gradient; one scratch array per arity, as vjps only read it. */
const needsGradScratch: boolean[][] = [[], [false], [false, false]];

/** A node's inputs for its vjp: scratch arrays for one and two inputs, as vjps only read them. */
const oneInput: Tensor[] = [];
const twoInputs: Tensor[] = [];
function inputsOf(node: Tensor): readonly Tensor[] {
  const first = node.input0;
  const rest = node.input1;
  if (first === null) return NO_INPUTS;
  if (rest === null) {
    oneInput[0] = first;
    return oneInput;
  }
  if (rest instanceof Tensor) {
    twoInputs[0] = first;
    twoInputs[1] = rest;
    return twoInputs;
  }
  return rest;
}

/**
 * Reverse mode over the recorded graph: each node's vjp turns the gradient arriving at its
 * output into gradients for its inputs; gradients of a value used several times add up, and
 * gradients of broadcast inputs are summed back to the input's shape. Nodes are taken newest
 * first (see NewestFirst): when a node is taken, every node that uses it is newer and already
 * done, so its gradient is complete — no separate topological sort is needed.
 * With `targets`, their gradients are returned instead of added into `.grad`, and only the
 * part of the graph that leads to a target is differentiated (PyTorch's autograd.grad).
 */
export function propagate(root: Tensor, seed: Tensor, options: BackwardOptions, targets: readonly Tensor[] | null): (Tensor | null)[] {
  // With targets: a node matters when it is a target or one of its inputs matters.
  let matters: Set<Tensor> | null = null;
  if (targets !== null) {
    matters = new Set(targets);
    for (const node of topologicalOrder(root)) if (!matters.has(node) && node.inputs.some((input) => matters!.has(input))) matters.add(node);
  }
  const targetSet = targets === null ? null : new Set(targets);
  const collected = new Map<Tensor, Tensor>();
  const retainAll = options.retainAll === true;
  const queue = new NewestFirst();
  root.pendingGrad = seed;
  queue.push(root);
  const run = () => {
    for (let node = queue.pop(); node !== undefined; node = queue.pop()) {
      const gy = node.pendingGrad!;
      node.pendingGrad = null;
      const op = node.op;
      if (targetSet !== null) {
        if (targetSet.has(node)) collected.set(node, gy);
      } else if (op === null || node.retainsGrad || retainAll) {
        node.grad = node.grad === null ? gy : tensorAlgebra.add(node.grad, gy);
      }
      if (op === null) continue;
      const inputs = inputsOf(node);
      const count = inputs.length;
      const needsGrad = needsGradScratch[count] ?? inputs.map(() => false);
      let any = false;
      for (let k = 0; k < count; k++) {
        const input = inputs[k]!;
        any = (needsGrad[k] = input.requiresGrad && (matters === null || matters.has(input))) || any;
      }
      if (!any) continue;
      context.inputs = inputs;
      context.output = node;
      context.gy = gy;
      context.attrs = node.attrs as never;
      context.needsGrad = needsGrad;
      const grads = op.vjp(tensorAlgebra, context);
      for (let k = 0; k < count; k++) {
        const gx = grads[k];
        if (!needsGrad[k] || gx === null || gx === undefined) continue;
        const input = inputs[k]!;
        let shaped = gx;
        if (gx.shape !== input.shape && !sameShape(gx.shape, input.shape)) {
          checkGradientFits(op.name, k, gx.shape, input.shape);
          shaped = tensorAlgebra.sumTo(gx, input.shape);
        }
        if (input.pendingGrad === null) {
          input.pendingGrad = shaped;
          queue.push(input);
        } else {
          input.pendingGrad = tensorAlgebra.add(input.pendingGrad, shaped);
        }
      }
    }
  };
  try {
    if (options.createGraph === true) enableGrad(run);
    else noGrad(run);
  } finally {
    // After an error part-way, no stale gradient may linger into the next backward pass.
    for (let node = queue.pop(); node !== undefined; node = queue.pop()) node.pendingGrad = null;
  }
  return targets === null ? [] : targets.map((target) => collected.get(target) ?? null);
}

/**
 * A vjp may return the gradient of a broadcast input at the broadcast shape (the engine sums it
 * back, so no rule has to); any other shape is a wrong rule, which summing down would hide
 * (reshaping [3, 2] into [2, 3], say), so it fails here with the op's name, as tfjs's tape does.
 */
function checkGradientFits(op: string, input: number, gradient: Shape, shape: Shape): void {
  const broadcast = broadcastShapes(shape, gradient);
  if (broadcast !== null && sameShape(broadcast, gradient)) return;
  throw new AutogradError(
    op,
    `its vjp returned a gradient of shape ${formatShape(gradient)} for input ${input}, which has shape ${formatShape(shape)}; ` +
      `a gradient must have its input's shape, or a shape that input broadcasts to`,
    { input, shapes: [gradient, shape] },
  );
}

/** PyTorch's tensor.backward(): gradients of a scalar added into every leaf's `.grad`. */
export function backward(root: Tensor, gradient: Tensor | undefined, options: BackwardOptions): void {
  if (!root.requiresGrad) {
    throw new AutogradError('backward()', 'this tensor does not depend on anything that requires a gradient', { shapes: [root.shape] });
  }
  if (gradient === undefined && root.size !== 1) {
    throw new AutogradError('backward()', `the output has shape ${formatShape(root.shape)}; pass the gradient arriving at it, or reduce it to a scalar first`, { shapes: [root.shape] });
  }
  if (gradient !== undefined && !sameShape(gradient.shape, root.shape)) {
    throw new AutogradError('backward()', `gradient of shape ${formatShape(gradient.shape)} given for an output of shape ${formatShape(root.shape)}`, { shapes: [gradient.shape, root.shape] });
  }
  propagate(root, gradient ?? ones(root.shape, root.dtype), options, null);
}

import { postOrder } from '../autograd/post-order.js';
import { markShared, type Tensor } from '../autograd/tensor.js';
import type { Storage } from '../tensor/dtype.js';
import { planSteps, type Step } from './steps.js';

/**
 * A recorded computation, replayed on the same buffers: TF.js's and JAX's "trace once, run many"
 * for a training loop. Every op of the trace becomes one call of its registry forward kernel
 * writing into the buffer it wrote while tracing (a bias add and its activation one fused
 * kernel call, see steps.ts), so a replay allocates nothing, builds no graph
 * and keeps no history; derivatives come from the registry's vjps, recorded as ops while
 * tracing (see traceAll), not from a second set of rules.
 *
 * Leaves are read through their storage at every run: write new inputs into `x.data`, or update
 * parameters in place (the optimizers do), and the next run sees them.
 */
export class Compiled {
  /** The buffers of the outputs, in the order given; overwritten by every run. */
  readonly outputs: readonly Storage[];
  readonly stepCount: number;

  constructor(private readonly steps: readonly Step[], outputs: readonly Tensor[]) {
    this.outputs = outputs.map((output) => output.data);
    this.stepCount = steps.length;
  }

  run(): void {
    const steps = this.steps;
    for (let i = 0; i < steps.length; i++) steps[i]!.run();
  }

  /** The ops in replay order, for tests and for people curious about what runs. */
  describe(): string[] {
    return this.steps.map((step) => step.describe());
  }
}

/** The recorded nodes the outputs need, inputs before the nodes that use them. */
export function recordedOrder(outputs: readonly Tensor[]): Tensor[] {
  const recorded = (node: Tensor) => node.op !== null;
  return postOrder(outputs.filter(recorded), recorded);
}

/**
 * Compile the computation that produced `outputs`. It must have been recorded: every op that
 * depends on a changing input (data you will feed, parameters you will update) must have been
 * run under traceAll with that input marked requiresGrad, or it would be replayed as a constant.
 */
export function compile(outputs: readonly Tensor[]): Compiled {
  const order = recordedOrder(outputs);
  // The replay writes and reads these arrays for as long as it lives: dispose() of one of their
  // tensors must not hand the array to another result (it throws on the tensor's own use instead).
  for (const node of order) {
    markShared(node.data);
    for (const input of node.inputs) markShared(input.data);
  }
  return new Compiled(planSteps(order, outputs), outputs);
}


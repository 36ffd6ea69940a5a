import { AutogradError } from '../errors.js';
import { formatShape } from '../tensor/shape.js';
import { concat, identity, reshape } from './api.js';
import { propagate } from './backward.js';
import { ones, scalar, zeros } from './create.js';
import { isGradEnabled } from './grad-mode.js';
import type { Tensor } from './tensor.js';

export interface GradientsOptions {
  /** The gradient arriving at `output` (default 1 for a scalar). */
  gradOutput?: Tensor;
  /** Record the computation of the gradients, so they can be differentiated again. */
  createGraph?: boolean;
}

/**
 * PyTorch's torch.autograd.grad: gradients of `output` with respect to `inputs`, returned
 * rather than added into `.grad`. An input the output does not depend on gets zeros.
 */
export function gradients(output: Tensor, inputs: readonly Tensor[], options: GradientsOptions = {}): Tensor[] {
  const seed = options.gradOutput ?? ones(output.shape, output.dtype);
  if (!output.requiresGrad) return inputs.map((input) => zeros(input.shape, input.dtype));
  const found = propagate(output, seed, { createGraph: options.createGraph ?? false }, inputs);
  return found.map((gradient, i) => gradient ?? zeros(inputs[i]!.shape, inputs[i]!.dtype));
}

/**
 * Each input's Jacobian as plain rows: row k is the gradient of the output's element k,
 * flattened in the input's order (one reverse pass per output element).
 */
export function jacobianRows(output: Tensor, inputs: readonly Tensor[]): number[][][] {
  const rows = inputs.map(() => [] as number[][]);
  for (let k = 0; k < output.size; k++) {
    const seed = zeros(output.shape, output.dtype);
    seed.data[k] = 1;
    gradients(output, inputs, { gradOutput: seed }).forEach((g, i) => rows[i]!.push(Array.from(g.data)));
  }
  return rows;
}

type Arg = Tensor | number;

/**
 * Fresh differentiable stand-ins for the arguments. When an argument already carries a
 * gradient (we are inside an outer grad), the stand-in is recorded as identity(arg), so the
 * outer differentiation sees through this one: that is what makes grad(grad(f)) work.
 */
function standIns(args: readonly Arg[]): { inputs: Tensor[]; nested: boolean } {
  let nested = false;
  const inputs = args.map((arg) => {
    const t = typeof arg === 'number' ? scalar(arg) : arg;
    if (t.requiresGrad && isGradEnabled()) {
      nested = true;
      return identity(t);
    }
    const leaf = t.detach();
    leaf.requiresGrad = true;
    return leaf;
  });
  return { inputs, nested };
}

function checkScalar(value: Tensor, who: string): void {
  if (value.size !== 1) {
    throw new AutogradError(who, `the function must return a scalar, but returned shape ${formatShape(value.shape)}`, { shapes: [value.shape] });
  }
}

/** JAX's value_and_grad: f's value and its gradients with respect to every argument. */
export function valueAndGrad<A extends Arg[]>(f: (...args: Tensor[]) => Tensor) {
  return (...args: A): { value: Tensor; grads: Tensor[] } => {
    const { inputs, nested } = standIns(args);
    const value = f(...inputs);
    checkScalar(value, 'valueAndGrad');
    return { value, grads: gradients(value, inputs, { createGraph: nested }) };
  };
}

/** JAX's grad: the gradient of f with respect to its first argument (or the ones listed). */
export function grad<A extends Arg[]>(f: (...args: Tensor[]) => Tensor, argnum = 0) {
  const both = valueAndGrad<A>(f);
  return (...args: A): Tensor => {
    const gradient = both(...args).grads[argnum];
    if (gradient === undefined) throw new AutogradError('grad', `argument ${argnum} does not exist (f got ${args.length})`);
    return gradient;
  };
}

/**
 * The Jacobian of f at x: shape [...output shape, ...input shape], one reverse pass per
 * output element (TF.js/JAX's jacrev).
 */
export function jacobian(f: (x: Tensor) => Tensor) {
  return (x: Arg): Tensor => {
    const { inputs, nested } = standIns([x]);
    const input = inputs[0]!;
    const output = f(input);
    const rows: Tensor[] = [];
    for (let i = 0; i < output.size; i++) {
      const seed = zeros(output.shape, output.dtype);
      seed.data[i] = 1;
      const [row] = gradients(output, [input], { gradOutput: seed, createGraph: nested });
      rows.push(reshape(row!, [1, input.size]));
    }
    // Assembled with recorded ops, so the Jacobian can itself be differentiated.
    return reshape(concat(rows, 0), [...output.shape, ...input.shape]);
  };
}

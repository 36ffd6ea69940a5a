import { describe, expect, it } from 'vitest';
import { AutogradError } from '../errors.js';
import { Linear } from '../nn/linear.js';
import { registry } from '../ops/registry.js';
import type { OpAttrs, OpDef, OpName } from '../ops/types.js';
import { applyOp } from './apply.js';
import { scalar, tensor } from './create.js';
import { grad, valueAndGrad } from './functional.js';
import type { Tensor } from './tensor.js';

/** Engine misuse fails with an AutogradError that names the op or call, the input and the shapes. */

/** The error `run` throws (the test fails when it throws none). */
function caught(run: () => unknown): AutogradError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(AutogradError);
    return error as AutogradError;
  }
  throw new Error('expected an AutogradError, but nothing was thrown');
}

/** An op like `base` whose vjp is replaced by `vjp`: a rule written wrongly on purpose. */
function withVjp(base: OpName, vjp: (gy: Tensor, inputs: readonly Tensor[]) => (Tensor | null)[]): OpDef<OpAttrs[OpName]> {
  const op: OpDef<OpAttrs[OpName]> = registry[base];
  // Only the engine's own algebra runs it here, so T is Tensor.
  return { ...op, vjp: <T>(_m: unknown, ctx: { gy: T; inputs: readonly T[] }) => vjp(ctx.gy as Tensor, ctx.inputs as readonly Tensor[]) as T[] };
}

describe('backward checks each vjp’s gradient against its input’s shape', () => {
  it('a transpose whose vjp forgets to transpose back fails naming transpose, input 0 and both shapes', () => {
    const x = tensor([[1, 2, 3], [4, 5, 6]], { requiresGrad: true });
    const forgetful = withVjp('transpose', (gy) => [gy]);
    const y = applyOp(forgetful, [x], { perm: [1, 0] });
    const error = caught(() => y.sum().backward());
    expect(error.op).toBe('transpose');
    expect(error.input).toBe(0);
    expect(error.shapes).toEqual([[3, 2], [2, 3]]);
    expect(error.message).toMatch(/^transpose: its vjp returned a gradient of shape \[3, 2\] for input 0, which has shape \[2, 3\]/);
    // Nothing was summed into x under a wrong shape, and no stale gradient is left behind.
    expect(x.grad).toBeNull();
    expect(x.pendingGrad).toBeNull();
  });

  it('a gradient smaller than its input ([1] for [3]) fails too, naming the second input', () => {
    const a = tensor([1, 2, 3], { requiresGrad: true });
    const b = tensor([4, 5, 6], { requiresGrad: true });
    const shrinking = withVjp('mul', (gy) => [gy, gy.sum([0], true)]);
    const error = caught(() => applyOp(shrinking, [a, b], {}).sum().backward());
    expect(error.op).toBe('mul');
    expect(error.input).toBe(1);
    expect(error.shapes).toEqual([[1], [3]]);
  });

  it('a gradient at the broadcast shape is summed back to the input: (1, 2) + [[1], [2]] gives each input its own shape', () => {
    const a = tensor([1, 2], { requiresGrad: true });
    const b = tensor([[1], [2]], { requiresGrad: true });
    a.add(b).sum().backward();
    expect(a.grad!.shape).toEqual([2]);
    expect(Array.from(a.grad!.data)).toEqual([2, 2]);
    expect(b.grad!.shape).toEqual([2, 1]);
    expect(Array.from(b.grad!.data)).toEqual([2, 2]);
  });
});

describe('misuse of the engine names the call and the shapes', () => {
  it('backward() on a tensor that needs no gradient', () => {
    const error = caught(() => tensor([1, 2]).sum().backward());
    expect(error.op).toBe('backward()');
    expect(error.message).toMatch(/does not depend on anything that requires a gradient/);
  });

  it('backward() on a non-scalar output without a gradient names its shape', () => {
    const error = caught(() => tensor([[1, 2, 3], [4, 5, 6]], { requiresGrad: true }).mul(2).backward());
    expect(error.shapes).toEqual([[2, 3]]);
    expect(error.message).toMatch(/^backward\(\): the output has shape \[2, 3\]; pass the gradient/);
  });

  it('backward() with a gradient of another shape names both', () => {
    const error = caught(() => tensor([1, 2, 3], { requiresGrad: true }).mul(2).backward(tensor([1, 2])));
    expect(error.shapes).toEqual([[2], [3]]);
  });

  it('a layer’s backward before its forward names the layer', () => {
    const layer = new Linear(tensor([[1], [2]], { requiresGrad: true }));
    const error = caught(() => layer.backward(tensor([[1]])));
    expect(error.op).toBe('linear.backward()');
    expect(error.message).toMatch(/call forward\(\) first/);
  });

  it('requireGrad(false) on a computed tensor names the op that made it', () => {
    const y = scalar(2, { requiresGrad: true }).mul(3);
    expect(caught(() => y.requireGrad(false)).message).toMatch(/^requireGrad\(false\): on a computed tensor \(made by mul\): use detach\(\)/);
  });

  it('item() on a tensor of several elements names its shape', () => {
    const error = caught(() => tensor([1, 2]).item());
    expect(error.op).toBe('item()');
    expect(error.shapes).toEqual([[2]]);
  });

  it('valueAndGrad of a function that does not return a scalar, and grad of a missing argument', () => {
    const twice = valueAndGrad((x) => x.mul(2));
    expect(caught(() => twice(tensor([1, 2]))).message).toMatch(/^valueAndGrad: the function must return a scalar, but returned shape \[2\]/);
    const square = grad((x) => x.mul(x), 3);
    expect(caught(() => square(scalar(2))).message).toMatch(/^grad: argument 3 does not exist \(f got 1\)/);
  });
});

import { describe, expect, it } from 'vitest';
import { tensor } from '../src/autograd/create.js';
import type { Tensor } from '../src/autograd/tensor.js';
import { ShapeError } from '../src/errors.js';
import { LeakyReLU, ReLU, Sigmoid } from '../src/nn/activations.js';
import { Linear } from '../src/nn/linear.js';
import { computeLoss } from '../src/nn/losses.js';
import { Sequential } from '../src/nn/sequential.js';

/**
 * The sheet's layer-by-layer API on its own (exercise 4): y = max(0, X·W₁)·W₂ with
 * W₁ = [[1, −1], [0.5, 0]], W₂ = [[0.5], [1]], x = (1, 2). Every expected number is worked
 * out by hand in the comments.
 */

const W1 = [[1, -1], [0.5, 0]];
const W2 = [[0.5], [1]];
const x = () => tensor([[1, 2]]);
/** Numbers as the JSON trace holds them: −0 (which d·0 gives; PyTorch's ReLU gives +0) is 0. */
const values = (t: Tensor): unknown => JSON.parse(JSON.stringify(t.toArray()));
const grad = (t: Tensor) => {
  if (t.grad === null) throw new Error('no gradient');
  return values(t.grad);
};

describe('the first linear layer, H = X·W₁', () => {
  it('computes H = (1, 2)·W₁ = (1 + 1, −1 + 0) = (2, −1)', () => {
    expect(new Linear(tensor(W1)).forward(x()).toArray()).toEqual([[2, -1]]);
  });

  it('passes (−1, −0.5) down when (−1, 0) arrives: d·W₁ᵀ = (−1·1 + 0·(−1), −1·0.5 + 0·0)', () => {
    const layer = new Linear(tensor(W1));
    layer.forward(x());
    expect(layer.backward(tensor([[-1, 0]])).toArray()).toEqual([[-1, -0.5]]);
  });

  it('fills ∂L/∂W₁ = Xᵀ·d = (1, 2)ᵀ·(−1, 0) = [[−1, 0], [−2, 0]]', () => {
    const layer = new Linear(tensor(W1));
    layer.forward(x());
    layer.backward(tensor([[-1, 0]]));
    expect(grad(layer.weight)).toEqual([[-1, 0], [-2, 0]]);
  });

  it('accumulates: calling backward(d) twice adds the gradients, as PyTorch does', () => {
    const layer = new Linear(tensor(W1));
    layer.forward(x());
    layer.backward(tensor([[-1, 0]]));
    layer.backward(tensor([[-1, 0]]));
    expect(grad(layer.weight)).toEqual([[-2, 0], [-4, 0]]);
    layer.zeroGrad();
    expect(layer.weight.grad).toBeNull();
  });

  it('gives the bias the sum of d over the rows', () => {
    // Two observations: d = [[1, 2], [3, −1]] → ∂L/∂b = (1 + 3, 2 − 1) = (4, 1);
    // ∂L/∂W = Xᵀ·d with X = [[1, 2], [0, 1]]: [[1·1 + 0·3, 1·2 + 0·(−1)], [2·1 + 1·3, 2·2 + 1·(−1)]].
    const layer = new Linear(tensor(W1), tensor([0.5, -0.5]));
    expect(layer.forward(tensor([[1, 2], [0, 1]])).toArray()).toEqual([[2.5, -1.5], [1, -0.5]]);
    layer.backward(tensor([[1, 2], [3, -1]]));
    expect(grad(layer.bias!)).toEqual([4, 1]);
    expect(grad(layer.weight)).toEqual([[1, 2], [5, 3]]);
  });

  it('refuses an input whose columns do not match the rows of W, and backward before forward', () => {
    expect(() => new Linear(tensor(W1)).forward(tensor([[1, 2, 3]]))).toThrow(ShapeError);
    expect(() => new Linear(tensor(W1)).backward(tensor([[1, 0]]))).toThrow(/forward\(\) first/);
  });
});

describe('ReLU', () => {
  it('passes (−1, 0) down when (−1, −2) arrives at input (2, −1): d ⊙ [H > 0]', () => {
    const layer = new ReLU();
    expect(layer.forward(tensor([[2, -1]])).toArray()).toEqual([[2, 0]]);
    expect(values(layer.backward(tensor([[-1, -2]])))).toEqual([[-1, 0]]);
  });

  it('leaky ReLU with slope 0.1 passes 0.1·d where the input is negative', () => {
    const layer = new LeakyReLU(0.1);
    expect(layer.forward(tensor([[2, -1]])).toArray()).toEqual([[2, -0.1]]);
    expect(layer.backward(tensor([[-1, -2]])).toArray()).toEqual([[-1, -0.2]]);
  });
});

describe('the last linear layer, ŷ = O·W₂', () => {
  it('passes (−1, −2) down when −2 arrives: −2·W₂ᵀ = −2·(0.5, 1)', () => {
    const layer = new Linear(tensor(W2));
    expect(layer.forward(tensor([[2, 0]])).toArray()).toEqual([[1]]);
    expect(layer.backward(tensor([[-2]])).toArray()).toEqual([[-1, -2]]);
  });

  it('fills ∂L/∂W₂ = Oᵀ·d = (2, 0)ᵀ·(−2) = [[−4], [0]]', () => {
    const layer = new Linear(tensor(W2));
    layer.forward(tensor([[2, 0]]));
    layer.backward(tensor([[-2]]));
    expect(grad(layer.weight)).toEqual([[-4], [0]]);
  });
});

describe('the whole network, by hand and by loss.backward()', () => {
  // Forward: H = (2, −1), O = (2, 0), ŷ = 1. MSE for y = 0: L = 1, d = 2(ŷ − y) = 2.
  // Last layer: ∂L/∂W₂ = (2, 0)ᵀ·2 = [[4], [0]], passes 2·(0.5, 1) = (1, 2).
  // ReLU at (2, −1): passes (1, 0). First layer: ∂L/∂W₁ = (1, 2)ᵀ·(1, 0) = [[1, 0], [2, 0]].
  const model = () => new Sequential([new Linear(tensor(W1)), new ReLU(), new Linear(tensor(W2))]);
  const byHand = { '0.weight': [[1, 0], [2, 0]], '2.weight': [[4], [0]] };

  it('layer by layer: each layer turns the d from above into the d below', () => {
    const net = model();
    const prediction = net.forward(x());
    expect(prediction.toArray()).toEqual([[1]]);
    expect(computeLoss('mse', prediction, tensor([[0]])).item()).toBe(1);
    expect(values(net.backward(tensor([[2]])))).toEqual([[1, 0.5]]); // (1, 0)·W₁ᵀ
    expect(net.layers[2]!.output!.toArray()).toEqual([[1]]);
    expect(Object.fromEntries(net.namedParameters().map(([name, p]) => [name, grad(p)]))).toEqual(byHand);
  });

  it('end to end: loss.backward() through Sequential fills the same parameter gradients', () => {
    const net = model();
    const loss = computeLoss('mse', net.forward(x()), tensor([[0]]));
    loss.backward();
    expect(Object.fromEntries(net.namedParameters().map(([name, p]) => [name, grad(p)]))).toEqual(byHand);
  });

  it('classifier: the sigmoid layer turns logloss′ = (p − y)/(p(1 − p)) into p − y', () => {
    // z = ŷ of the regression = 1, p = σ(1), y = 0: logloss′ = 1/(1 − p), times σ′ = p(1 − p) gives p.
    const p = 1 / (1 + Math.exp(-1));
    const sigmoid = new Sigmoid();
    expect(sigmoid.forward(tensor([[1]])).item()).toBeCloseTo(p, 15);
    const prediction = sigmoid.output!.detach().requireGrad();
    const loss = computeLoss('logloss', prediction, tensor([[0]]));
    expect(loss.item()).toBeCloseTo(-Math.log(1 - p), 14);
    loss.backward();
    const arriving = prediction.grad!;
    expect(arriving.item()).toBeCloseTo(1 / (1 - p), 14);
    expect(sigmoid.backward(arriving).item()).toBeCloseTo(p, 14);
  });
});

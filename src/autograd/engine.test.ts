import { describe, expect, it } from 'vitest';
import type { DType } from '../tensor/dtype.js';
import * as api from './api.js';
import { scalar, tensor } from './create.js';
import { gradients } from './functional.js';
import { isGradEnabled, noGrad } from './grad-mode.js';
import { Tensor } from './tensor.js';

/** The reverse-mode engine: accumulation, broadcasting, recording switches, long graphs, dtypes. */

const values = (t: Tensor | null) => {
  if (t === null) throw new Error('expected a gradient, got null');
  return Array.from(t.data);
};

function expectClose(actual: readonly number[], expected: readonly number[], tolerance = 1e-12): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((a, i) => expect(Math.abs(a - expected[i]!), `element ${i}: ${a} vs ${expected[i]}`).toBeLessThanOrEqual(tolerance * (1 + Math.abs(expected[i]!))));
}

describe('gradients of a value used several times add up', () => {
  it('x used three times in one expression: d(x·x + x)/dx = 2x + 1', () => {
    const x = tensor([1.5, -2, 0.25], { requiresGrad: true });
    x.mul(x).add(x).sum().backward();
    expectClose(values(x.grad), [4, -3, 1.5]);
  });

  it('x fanned out to three branches: d(eˣ + sin x + 2x)/dx = eˣ + cos x + 2', () => {
    const xs = [0.3, -1.2];
    const x = tensor(xs, { requiresGrad: true });
    api.add(api.add(api.exp(x), api.sin(x)), api.mul(x, 2)).sum().backward();
    expectClose(values(x.grad), xs.map((v) => Math.exp(v) + Math.cos(v) + 2));
  });

  it('an intermediate reused by later nodes (diamond): y = x², z = y·y + y', () => {
    const x = scalar(1.5, { requiresGrad: true });
    const y = x.mul(x);
    y.mul(y).add(y).backward();
    // dz/dx = (2y + 1)·2x
    expectClose([x.grad!.item()], [(2 * 2.25 + 1) * 3]);
  });

  it('backward twice adds into .grad (as PyTorch), gradients() leaves .grad alone', () => {
    const x = scalar(3, { requiresGrad: true });
    x.mul(x).backward();
    x.mul(x).backward();
    expect(x.grad!.item()).toBe(12);
    const [g] = gradients(x.mul(x), [x]);
    expect(g!.item()).toBe(6);
    expect(x.grad!.item()).toBe(12);
  });
});

describe('gradients() with several targets, as torch.autograd.grad', () => {
  it('a target that depends on another target: z = h·x with h = 2x gives ∂z/∂x = 4x (all paths), ∂z/∂h = x', () => {
    const x = scalar(3, { requiresGrad: true });
    const h = x.mul(2);
    const z = h.mul(x);
    const [gx, gh] = gradients(z, [x, h]);
    expect(gh!.item()).toBe(3);
    expect(gx!.item()).toBe(4 * 3); // z = 2x²
  });

  it('the same tensor listed twice gets its gradient twice', () => {
    const x = scalar(3, { requiresGrad: true });
    expect(gradients(x.mul(x), [x, x]).map((g) => g.item())).toEqual([6, 6]);
  });

  it('a target the output does not depend on gets zeros, the others their gradient', () => {
    const x = scalar(3, { requiresGrad: true });
    const w = tensor([5, 6], { requiresGrad: true });
    const [gw, gx] = gradients(x.mul(2), [w, x]);
    expect(values(gw!)).toEqual([0, 0]);
    expect(gx!.item()).toBe(2);
  });
});

describe('broadcast gradients are summed back to the input shape', () => {
  it('[3,1] + [4] with cotangent u: grads are row sums and column sums of u', () => {
    const a = tensor([[1], [2], [3]], { requiresGrad: true });
    const b = tensor([10, 20, 30, 40], { requiresGrad: true });
    const uRows = [[1, 2, 3, 4], [5, 6, 7, 8], [9, 10, 11, 12]];
    const u = tensor(uRows);
    const y = api.add(a, b);
    expect(y.shape).toEqual([3, 4]);
    y.backward(u);
    expect(a.grad!.shape).toEqual([3, 1]);
    expect(b.grad!.shape).toEqual([4]);
    expect(values(a.grad)).toEqual(uRows.map((row) => row.reduce((s, v) => s + v, 0)));
    expect(values(b.grad)).toEqual([0, 1, 2, 3].map((j) => uRows.reduce((s, row) => s + row[j]!, 0)));
  });

  it('a 0-d scalar times a [2,2] tensor: the scalar gets Σ u·x, still 0-d', () => {
    const s = scalar(2, { requiresGrad: true });
    const x = tensor([[1, 2], [3, 4]], { requiresGrad: true });
    api.mul(s, x).backward(tensor([[1, -1], [0.5, 2]]));
    expect(s.grad!.shape).toEqual([]);
    expect(s.grad!.item()).toBe(1 - 2 + 1.5 + 8);
    expect(values(x.grad)).toEqual([2, -2, 1, 4]);
  });

  it('batched matmul [2,3,4] @ [4,5]: the shared matrix gets the sum over the batch', () => {
    const a = api.reshape(tensor(Float64Array.from({ length: 24 }, (_, i) => Math.sin(i))), [2, 3, 4]).detach().requireGrad();
    const w = api.reshape(tensor(Float64Array.from({ length: 20 }, (_, i) => Math.cos(i))), [4, 5]).detach().requireGrad();
    api.matmul(a, w).sum().backward();
    expect(w.grad!.shape).toEqual([4, 5]);
    // ∂/∂w[k][j] Σ (a w) = Σ over batch and rows of a[b][i][k]
    const ad = Array.from(a.data);
    const expected = Array.from({ length: 20 }, (_, idx) => {
      const k = Math.floor(idx / 5);
      let s = 0;
      for (let bi = 0; bi < 6; bi++) s += ad[bi * 4 + k]!;
      return s;
    });
    expectClose(values(w.grad), expected);
  });
});

describe('recording switches', () => {
  it('noGrad records nothing, and restores recording afterwards', () => {
    const x = scalar(2, { requiresGrad: true });
    const y = noGrad(() => {
      expect(isGradEnabled()).toBe(false);
      return x.mul(x).exp();
    });
    expect(isGradEnabled()).toBe(true);
    expect(y.creator).toBeNull();
    expect(y.requiresGrad).toBe(false);
    expect(y.item()).toBeCloseTo(Math.exp(4), 12);
    expect(() => y.backward()).toThrow(/does not depend on anything that requires a gradient/);
  });

  it('nested noGrad restores the enclosing state (off), not "on"', () => {
    const x = scalar(2, { requiresGrad: true });
    const y = noGrad(() => {
      noGrad(() => x.mul(2));
      expect(isGradEnabled()).toBe(false);
      return x.mul(3);
    });
    expect(y.creator).toBeNull();
  });

  it('noGrad restores recording even when its function throws', () => {
    expect(() => noGrad(() => { throw new Error('boom'); })).toThrow('boom');
    expect(isGradEnabled()).toBe(true);
  });

  it('detach cuts the graph: d(detach(x²)·x)/dx = x², not 3x²', () => {
    const x = scalar(1.5, { requiresGrad: true });
    const cut = x.mul(x).detach();
    expect(cut.creator).toBeNull();
    expect(cut.requiresGrad).toBe(false);
    cut.mul(x).backward();
    expect(x.grad!.item()).toBe(2.25);
  });

  it('detach on a tensor keeps the values (shared storage, as PyTorch)', () => {
    const x = tensor([1, 2, 3], { requiresGrad: true });
    const y = x.mul(2);
    const d = y.detach();
    expect(Array.from(d.data)).toEqual([2, 4, 6]);
    expect(d.creator).toBeNull();
  });
});

describe('intermediate gradients', () => {
  it('without options only leaves keep .grad', () => {
    const x = scalar(2, { requiresGrad: true });
    const h = x.mul(3);
    h.mul(h).backward();
    expect(h.grad).toBeNull();
    expect(x.grad!.item()).toBe(36);
  });

  it('retainGrad keeps the gradient of that node only', () => {
    const x = scalar(2, { requiresGrad: true });
    const h = x.mul(3).retainGrad();
    const k = h.mul(h);
    k.add(1).backward();
    expect(h.grad!.item()).toBe(12); // d(h² + 1)/dh = 2h
    expect(k.grad).toBeNull();
    expect(x.grad!.item()).toBe(36);
  });

  it('retainAll keeps every node’s gradient', () => {
    const x = tensor([1, -2], { requiresGrad: true });
    const h = x.mul(x);
    const s = h.sum();
    const z = s.mul(s);
    z.backward(undefined, { retainAll: true });
    const sValue = 5;
    expect(z.grad!.item()).toBe(1);
    expect(s.grad!.item()).toBe(2 * sValue);
    expect(values(h.grad)).toEqual([2 * sValue, 2 * sValue]);
    expect(values(x.grad)).toEqual([2 * sValue * 2 * 1, 2 * sValue * 2 * -2]);
  });
});

describe('errors', () => {
  it('backward() on a non-scalar names the shape and says what to do', () => {
    const x = tensor([[1, 2, 3], [4, 5, 6]], { requiresGrad: true });
    expect(() => x.mul(2).backward()).toThrow(/shape \[2, 3\].*pass the gradient.*reduce it to a scalar/);
  });

  it('backward() with a gradient of the wrong shape names both shapes', () => {
    const x = tensor([1, 2, 3], { requiresGrad: true });
    expect(() => x.mul(2).backward(tensor([1, 2]))).toThrow(/\[2\].*\[3\]/);
  });

  it('backward() on a one-element non-0-d output needs no gradient', () => {
    const x = tensor([[2]], { requiresGrad: true });
    x.mul(x).backward();
    expect(values(x.grad)).toEqual([4]);
  });
});

describe('long graphs', () => {
  const N = 1_000_000;

  it(`a chain of ${N.toLocaleString('en')} multiplications x·c·c·… differentiates without stack overflow`, () => {
    const c = 1.000001;
    const x = scalar(0.5, { requiresGrad: true });
    let y = x;
    for (let i = 0; i < N; i++) y = y.mul(c);
    y.backward();
    const expected = Math.pow(c, N); // ≈ e
    expect(Math.abs(x.grad!.item() - expected) / expected).toBeLessThan(1e-8);
    expect(Math.abs(y.item() - 0.5 * expected) / expected).toBeLessThan(1e-8);
  });

  it(`a chain of ${N.toLocaleString('en')} additions x + 1 + 1 + … has gradient exactly 1`, () => {
    const x = scalar(0, { requiresGrad: true });
    let y = x;
    for (let i = 0; i < N; i++) y = y.add(1);
    y.backward();
    expect(y.item()).toBe(N);
    expect(x.grad!.item()).toBe(1);
  });
});

describe('float32', () => {
  /** Inputs rounded to float32, so both dtypes start from the same numbers. */
  const data = (n: number, seed: number, low = -1.5, high = 1.5) =>
    Float32Array.from({ length: n }, (_, i) => low + ((high - low) * (Math.sin(seed * 7.13 + i * 1.91) + 1)) / 2);

  interface Program { name: string; shapes: number[][]; low?: number; high?: number; f: (...xs: Tensor[]) => Tensor }
  const programs: Program[] = [
    { name: 'broadcast arithmetic with numbers', shapes: [[3, 1], [4]], f: (a, b) => api.div(api.sub(api.mul(api.add(a, b), 2), b), api.add(api.mul(b, b), 1)) },
    { name: 'exp, tanh, sigmoid, sin, cos', shapes: [[2, 3]], f: (x) => api.add(api.add(api.mul(api.exp(x), api.tanh(x)), api.sigmoid(x)), api.mul(api.sin(x), api.cos(x))) },
    { name: 'log, sqrt and pow on positive inputs', shapes: [[5]], low: 0.5, high: 2.5, f: (x) => api.add(api.add(api.log(x), api.sqrt(x)), api.pow(x, 1.5)) },
    { name: 'abs, relu, maximum, minimum', shapes: [[4], [4]], f: (a, b) => api.add(api.add(api.abs(a), api.relu(b)), api.mul(api.maximum(a, b), api.minimum(a, b))) },
    { name: 'batched matmul with a broadcast matrix', shapes: [[2, 3, 4], [4, 5]], f: (a, b) => api.matmul(a, b) },
    { name: 'sum, mean and max over axes', shapes: [[2, 3, 4]], f: (x) => api.add(api.add(api.sum(x, [0, 2]), api.mean(x, [0, 2])), api.max(x, [0, 2])) },
    { name: 'softmax and logsumexp', shapes: [[3, 4]], f: (x) => api.add(api.softmax(x, 0), api.logsumexp(x, -1, true)) },
    { name: 'transpose, reshape, slice, concat, broadcastTo', shapes: [[2, 3, 4], [2, 1]], f: (a, b) => api.concat([api.slice(api.reshape(api.transpose(a, [2, 0, 1]), [4, 6]), [0, 1], [3, 3]), api.broadcastTo(b.T, [3, 2])], 0) },
    { name: '0-d scalars (the plain-number path)', shapes: [[], []], f: (a, b) => api.add(api.mul(api.sigmoid(a), api.exp(b)), api.div(a, api.add(api.mul(b, b), 1))) },
  ];

  const make = (shape: number[], seed: number, dtype: DType, p: Program) =>
    tensor(data(shape.reduce((n, e) => n * e, 1), seed, p.low, p.high), { shape, dtype, requiresGrad: true });

  for (const p of programs) {
    it(`${p.name}: values and gradients stay float32 and agree with float64 to 1e-5`, () => {
      const run = (dtype: DType) => {
        const xs = p.shapes.map((shape, i) => make(shape, i + 1, dtype, p));
        const y = p.f(...xs);
        const u = tensor(data(y.size, 99), { shape: [...y.shape], dtype });
        return { y, grads: gradients(y, xs, { gradOutput: u }) };
      };
      const single = run('float32');
      const double = run('float64');
      for (const t of [single.y, ...single.grads]) {
        expect(t.dtype).toBe('float32');
        expect(t.data).toBeInstanceOf(Float32Array);
      }
      for (const t of [double.y, ...double.grads]) expect(t.data).toBeInstanceOf(Float64Array);
      const pairs: [Tensor, Tensor][] = [[single.y, double.y], ...single.grads.map((g, i): [Tensor, Tensor] => [g, double.grads[i]!])];
      for (const [a, b] of pairs) {
        expect(a.shape).toEqual(b.shape);
        const scale = Math.max(...Array.from(b.data, Math.abs));
        Array.from(a.data).forEach((v, i) => {
          const w = b.data[i]!;
          expect(Math.abs(v - w), `${v} vs ${w}`).toBeLessThanOrEqual(1e-5 * Math.abs(w) + 1e-7 * scale);
        });
      }
    });
  }

  it('a number combined with a float32 tensor stays float32; a float64 tensor promotes', () => {
    const x = tensor([1, 2], { dtype: 'float32' });
    expect(x.mul(0.1).dtype).toBe('float32');
    expect(api.add(0.1, x).dtype).toBe('float32');
    expect(x.mul(tensor([0.1, 0.2])).dtype).toBe('float64');
    expect(Tensor.scalar(0.1, 'float32').item()).toBe(Math.fround(0.1));
  });
});

describe('how a node is stored (inline inputs, 0-d values in slabs)', () => {
  it('inputs reads the recorded inputs back: none on a leaf, one, two, or a list of three', () => {
    const a = scalar(2, { requiresGrad: true });
    const b = scalar(3);
    const c = scalar(4);
    expect(a.inputs).toEqual([]);
    expect(a.exp().inputs).toEqual([a]);
    const product = a.mul(b);
    expect(product.inputs).toHaveLength(2);
    expect(product.inputs[0]).toBe(a);
    expect(product.inputs[1]).toBe(b);
    const list = [a, b, c];
    const joined = api.concat(list.map((x) => x.reshape([1])));
    expect(joined.inputs).toHaveLength(3);
    expect(joined.creator!.inputs).toEqual(joined.inputs);
  });

  it('a 0-d value written in place through data is what item(), detach() and backward see', () => {
    const w = scalar(0.5, { requiresGrad: true });
    const y = w.mul(3);
    expect(y.item()).toBe(1.5);
    w.data[0] = 2;
    expect(w.item()).toBe(2);
    expect(w.detach().item()).toBe(2);
    // y was computed from the old value; the vjp of w·3 uses 3, so dy/dw stays 3.
    y.backward();
    expect(w.grad!.item()).toBe(3);
    expect(y.item()).toBe(1.5);
  });

  it('thousands of 0-d values keep their own numbers across slabs', () => {
    const xs = Array.from({ length: 1000 }, (_, i) => scalar(i).add(0.5));
    expect(xs.every((x, i) => x.item() === i + 0.5)).toBe(true);
    expect(Array.from(xs[999]!.data)).toEqual([999.5]);
  });
});

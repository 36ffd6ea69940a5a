import { describe, expect, it } from 'vitest';
import { add, exp, matmul, mul, pow, sigmoid, sin, sum, tanh } from './api.js';
import { scalar, tensor } from './create.js';
import { grad, jacobian } from './functional.js';
import type { Tensor } from './tensor.js';

/** Second (and third) derivatives by differentiating the recorded backward pass again. */

const points = [-2.3, -1, -0.4, 0.3, 0.9, 1.7, 2.6];

function close(actual: number, expected: number, tolerance = 1e-12): void {
  expect(Math.abs(actual - expected), `${actual} vs ${expected}`).toBeLessThanOrEqual(tolerance * (1 + Math.abs(expected)));
}

const second = (f: (x: Tensor) => Tensor) => grad(grad(f));

describe('second derivatives of scalar functions, grad(grad(f))', () => {
  it('x³ (as pow) has second derivative 6x', () => {
    for (const x of points) close(second((t) => pow(t, 3))(x).item(), 6 * x);
  });

  it('x³ (as x·x·x) has second derivative 6x and third derivative 6', () => {
    const cube = (t: Tensor) => mul(t, mul(t, t));
    for (const x of points) {
      close(second(cube)(x).item(), 6 * x);
      close(grad(second(cube))(x).item(), 6);
    }
  });

  it('σ″ = σ(1 − σ)(1 − 2σ)', () => {
    for (const x of points) {
      const s = 1 / (1 + Math.exp(-x));
      close(second(sigmoid)(x).item(), s * (1 - s) * (1 - 2 * s));
    }
  });

  it('tanh″ = −2 tanh (1 − tanh²)', () => {
    for (const x of points) {
      const t = Math.tanh(x);
      close(second(tanh)(x).item(), -2 * t * (1 - t * t));
    }
  });

  it('(eˣ sin x)″ = 2eˣ cos x', () => {
    for (const x of points) close(second((t) => mul(exp(t), sin(t)))(x).item(), 2 * Math.exp(x) * Math.cos(x));
  });

  it('the first derivative is still right when computed inside the outer grad', () => {
    // d/dx [x · f′(x)] with f = sin: f′ + x f″ = cos x − x sin x
    const inner = grad((t: Tensor) => sin(t));
    for (const x of points) close(grad((t: Tensor) => mul(t, inner(t)))(x).item(), Math.cos(x) - x * Math.sin(x));
  });
});

describe('Hessians of tensor functions, jacobian(grad(f))', () => {
  // f(x) = Σ tanh(Ax) + (Σ x³)/3, x ∈ ℝ³
  const A = tensor([[0.5, -1.2, 0.3], [0.8, 0.1, -0.7]]);
  const f = (x: Tensor) => add(sum(tanh(matmul(A, x))), mul(sum(pow(x, 3)), 1 / 3));
  const x0 = tensor([0.4, -0.9, 1.3]);
  const gradient = grad(f);
  const hessian = jacobian(gradient)(x0);
  const H = hessian.toArray() as number[][];

  it('has shape [3, 3] and is symmetric', () => {
    expect(hessian.shape).toEqual([3, 3]);
    for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) close(H[i]![j]!, H[j]![i]!);
  });

  it('matches the analytic Hessian Aᵀ diag(−2 tanh(Ax) sech²(Ax)) A + diag(2x)', () => {
    const a = A.toArray() as number[][];
    const x = x0.toArray() as number[];
    const z = a.map((row) => row.reduce((s, v, k) => s + v * x[k]!, 0));
    const d = z.map((v) => -2 * Math.tanh(v) * (1 - Math.tanh(v) ** 2));
    for (let i = 0; i < 3; i++) {
      for (let j = 0; j < 3; j++) {
        const expected = a.reduce((s, row, r) => s + row[i]! * d[r]! * row[j]!, 0) + (i === j ? 2 * x[i]! : 0);
        close(H[i]![j]!, expected);
      }
    }
  });

  it('H·v agrees with central differences of the gradient, (∇f(x + εv) − ∇f(x − εv)) / 2ε', () => {
    const v = [0.3, -1.1, 0.6];
    const eps = 1e-5;
    const at = (sign: number) => gradient(tensor(x0.toArray()).add(tensor(v.map((c) => sign * eps * c)))).toArray() as number[];
    const plus = at(1);
    const minus = at(-1);
    for (let i = 0; i < 3; i++) {
      const hv = H[i]!.reduce((s, h, j) => s + h * v[j]!, 0);
      close(hv, (plus[i]! - minus[i]!) / (2 * eps), 1e-8);
    }
  });

  it('jacobian(jacobian(f)) of an elementwise square is 2·[i = j = k], not zeros', () => {
    const xs = [0.5, -1.5];
    const second = jacobian(jacobian((x: Tensor) => mul(x, x)))(tensor(xs));
    expect(second.shape).toEqual([2, 2, 2]);
    const expected = [0, 1].flatMap((i) => [0, 1].flatMap((j) => [0, 1].map((k) => (i === j && j === k ? 2 : 0))));
    expect(Array.from(second.data)).toEqual(expected);
  });

  it('a quadratic form xᵀBx has Hessian B + Bᵀ exactly', () => {
    const B = tensor([[1, 2, 0], [-1, 3, 4], [0.5, 0, -2]]);
    const q = (x: Tensor) => sum(mul(x, matmul(B, x)));
    const Hq = jacobian(grad(q))(scalar(0).add(tensor([1, -2, 0.5]))).toArray() as number[][];
    const b = B.toArray() as number[][];
    for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) expect(Hq[i]![j]).toBe(b[i]![j]! + b[j]![i]!);
  });
});

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as api from '../src/autograd/api.js';
import { tensorAlgebra } from '../src/autograd/apply.js';
import { scalar, tensor } from '../src/autograd/create.js';
import { gradients, valueAndGrad } from '../src/autograd/functional.js';
import type { NestedArray, Tensor } from '../src/autograd/tensor.js';
import { opNames, registry } from '../src/ops/registry.js';
import { binaryNames, unaryNames } from '../src/ops/families.js';
import type { BinaryName, OpName, UnaryName } from '../src/ops/types.js';

/**
 * Forward values and gradients of every registry op against PyTorch (float64), from the
 * committed fixtures that tools/fixtures/generate.py writes (`npm run fixtures`).
 */

interface FixtureAttrs {
  axes?: number[] | null;
  keepdims?: boolean;
  axis?: number;
  shape?: number[];
  perm?: number[];
  begin?: number[];
  end?: number[];
  slope?: number;
  kernel?: number | [number, number];
  stride?: number | [number, number];
  padding?: number | [number, number];
  dilation?: number | [number, number];
  groups?: number;
  size?: [number, number];
}
interface FixtureCase {
  op: OpName;
  label: string;
  attrs: FixtureAttrs;
  inputs: NestedArray[];
  requiresGrad: boolean[];
  output: NestedArray;
  u: NestedArray;
  grads: (NestedArray | null)[] | null;
}
interface OpsFixture { torch: string; dtype: string; cases: FixtureCase[] }
interface Exercise1Fixture {
  formula: string;
  at: { x: number; y: number };
  value: number;
  grads: { x: number; y: number };
}

const read = <T>(name: string) => JSON.parse(readFileSync(new URL(`fixtures/${name}`, import.meta.url), 'utf8')) as T;
const ops = read<OpsFixture>('ops.json');
const exercise1 = read<Exercise1Fixture>('exercise1.json');

function need<T>(value: T | undefined | null, what: string): T {
  if (value === undefined || value === null) throw new Error(`fixture is missing ${what}`);
  return value;
}

type Build = (xs: Tensor[], attrs: FixtureAttrs) => Tensor;
const binary = (f: (a: Tensor, b: Tensor) => Tensor): Build => ([a, b]) => f(a!, b!);
const unary = (f: (x: Tensor) => Tensor): Build => ([x]) => f(x!);
const reduction = (f: (x: Tensor, axes?: api.Axes, keepdims?: boolean) => Tensor): Build =>
  ([x], { axes, keepdims }) => f(x!, axes ?? undefined, need(keepdims, 'keepdims'));

/** How each op is built from a fixture case, through the public API. */
const builders: { readonly [N in OpName]: Build } = {
  // The elementwise families: each op's public function of the same name.
  ...(Object.fromEntries([
    ...unaryNames.map((name) => [name, unary(api[name])] as const),
    ...binaryNames.map((name) => [name, binary(api[name])] as const),
  ]) as { [N in UnaryName | BinaryName]: Build }),
  leakyRelu: ([x], { slope }) => api.leakyRelu(x!, need(slope, 'slope')),
  matmul: binary(api.matmul),
  sum: reduction(api.sum), mean: reduction(api.mean), max: reduction(api.max), logsumexp: reduction(api.logsumexp),
  softmax: ([x], { axis }) => api.softmax(x!, need(axis, 'axis')),
  softmaxCrossEntropy: binary(api.softmaxCrossEntropy),
  identity: unary(api.identity),
  reshape: ([x], { shape }) => api.reshape(x!, need(shape, 'shape')),
  transpose: ([x], { perm }) => api.transpose(x!, need(perm, 'perm')),
  broadcastTo: ([x], { shape }) => api.broadcastTo(x!, need(shape, 'shape')),
  slice: ([x], { begin, end }) => api.slice(x!, need(begin, 'begin'), need(end, 'end')),
  // place has no public function; it is the algebra's (the adjoint of slice).
  place: ([x], { shape, begin }) => tensorAlgebra.place(x!, need(shape, 'shape'), need(begin, 'begin')),
  concat: (xs, { axis }) => api.concat(xs, need(axis, 'axis')),
  unfold: ([x], { kernel, stride, padding, dilation }) => api.unfold(x!, need(kernel, 'kernel'), { stride, padding, dilation }),
  fold: ([cols], { size, kernel, stride, padding, dilation }) => api.fold(cols!, need(size, 'size'), need(kernel, 'kernel'), { stride, padding, dilation }),
  conv2d: ([x, w], { stride, padding, dilation, groups }) => api.conv2d(x!, w!, undefined, { stride, padding, dilation, groups }),
  conv2dBackwardInput: ([gy, w], { size, stride, padding, dilation, groups }) => api.conv2dBackwardInput(gy!, w!, need(size, 'size'), { stride, padding, dilation, groups }),
  conv2dBackwardWeight: ([x, gy], { kernel, stride, padding, dilation, groups }) => api.conv2dBackwardWeight(x!, gy!, need(kernel, 'kernel'), { stride, padding, dilation, groups }),
  maxPool2d: ([x], { kernel, stride, padding, dilation }) => api.maxPool2d(x!, need(kernel, 'kernel'), { stride, padding, dilation }),
  maxPool2dBackward: ([x, gy], { kernel, stride, padding, dilation }) => api.maxPool2dBackward(x!, gy!, need(kernel, 'kernel'), { stride, padding, dilation }),
  avgPool2d: ([x], { kernel, stride, padding }) => api.avgPool2d(x!, need(kernel, 'kernel'), { stride, padding }),
  trace: unary(api.trace), det: unary(api.det), inv: unary(api.inv), eyeLike: unary(api.eyeLike), diag: unary(api.diag),
  kron: ([a, b]) => api.kron(a!, b!),
  commutation: unary(api.commutation),
};

const TOLERANCE = 1e-12;

/** Differences from PyTorch: shape, or elements beyond 1e-12 absolute + 1e-12 relative. */
function mismatches(actual: Tensor, expected: NestedArray, what: string): string[] {
  const reference = tensor(expected);
  if (actual.shape.join() !== reference.shape.join()) return [`${what}: shape [${actual.shape.join(', ')}] vs PyTorch [${reference.shape.join(', ')}]`];
  const found: string[] = [];
  reference.data.forEach((want, i) => {
    const got = actual.data[i]!;
    if (!(Math.abs(got - want) <= TOLERANCE + TOLERANCE * Math.abs(want))) found.push(`${what}[${i}]: ${got} vs PyTorch ${want}`);
  });
  return found;
}

function expectMatches(actual: Tensor, expected: NestedArray, what: string): void {
  expect(mismatches(actual, expected, what)).toEqual([]);
}

describe(`PyTorch ${ops.torch} fixtures (${ops.dtype})`, () => {
  it('cover every registry op, and mark exactly the non-differentiable ones', () => {
    const covered = new Set(ops.cases.map((c) => c.op));
    expect(opNames.filter((name) => !covered.has(name))).toEqual([]);
    for (const c of ops.cases) expect(c.grads !== null, `${c.op}: ${c.label}`).toBe(registry[c.op].differentiable);
  });

  for (const c of ops.cases) {
    describe(`${c.op}: ${c.label}`, () => {
      const build = () => {
        const xs = c.inputs.map((values, i) => tensor(values, { requiresGrad: c.requiresGrad[i] ?? false }));
        return { xs, y: builders[c.op](xs, c.attrs) };
      };

      it('forward matches PyTorch', () => {
        expectMatches(build().y, c.output, 'output');
      });

      const grads = c.grads;
      if (grads === null) {
        it('records no graph and gives zero gradients, as PyTorch has none', () => {
          const xs = c.inputs.map((values) => tensor(values, { requiresGrad: true }));
          const y = builders[c.op](xs, c.attrs);
          expect(y.requiresGrad).toBe(false);
          expect(y.creator).toBeNull();
          for (const g of gradients(y, xs, { gradOutput: tensor(c.u) })) expect(Array.from(g.data).every((v) => v === 0)).toBe(true);
        });
      } else {
        it('gradients of Σ u⊙output match PyTorch (gradients())', () => {
          const { xs, y } = build();
          const wanted = xs.filter((_, i) => grads[i] !== null);
          const found = gradients(y, wanted, { gradOutput: tensor(c.u) });
          let k = 0;
          const problems = grads.flatMap((expected, i) => (expected === null ? [] : mismatches(found[k++]!, expected, `gradient of input ${i}`)));
          expect(problems).toEqual([]);
        });

        it('gradients of Σ u⊙output match PyTorch (backward() into .grad)', () => {
          const { xs, y } = build();
          y.backward(tensor(c.u));
          const problems = grads.flatMap((expected, i) => {
            const x = xs[i]!;
            if (expected === null) return x.grad === null ? [] : [`input ${i} is a constant but got a .grad`];
            return x.grad === null ? [`input ${i} got no .grad`] : mismatches(x.grad, expected, `.grad of input ${i}`);
          });
          expect(problems).toEqual([]);
        });
      }
    });
  }
});

describe(`exercise 1: f(x, y) = ${exercise1.formula} at (${exercise1.at.x}, ${exercise1.at.y})`, () => {
  const f = (x: Tensor, y: Tensor) => api.add(api.add(api.pow(x, 2), api.mul(x, y)), api.pow(api.add(x, y), 2));

  it('the PyTorch fixture agrees with the hand calculation (12; 2x + y + 2(x + y) = 10; x + 2(x + y) = 7)', () => {
    const { x, y } = exercise1.at;
    expect([x, y]).toEqual([1, 2]);
    expect(exercise1.value).toBe(x * x + x * y + (x + y) ** 2);
    expect(exercise1.grads).toEqual({ x: 2 * x + y + 2 * (x + y), y: x + 2 * (x + y) });
  });

  it('valueAndGrad matches PyTorch', () => {
    const { value, grads } = valueAndGrad((x, y) => f(x, y))(exercise1.at.x, exercise1.at.y);
    expectMatches(value, exercise1.value, 'value');
    expectMatches(grads[0]!, exercise1.grads.x, '∂f/∂x');
    expectMatches(grads[1]!, exercise1.grads.y, '∂f/∂y');
  });

  it('backward() into .grad matches PyTorch', () => {
    const x = scalar(exercise1.at.x, { requiresGrad: true });
    const y = scalar(exercise1.at.y, { requiresGrad: true });
    const value = f(x, y);
    value.backward();
    expect(value.item()).toBe(exercise1.value);
    expect(x.grad!.item()).toBe(exercise1.grads.x);
    expect(y.grad!.item()).toBe(exercise1.grads.y);
  });
});

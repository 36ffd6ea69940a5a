import { describe, expect, it } from 'vitest';
import * as api from '../autograd/api.js';
import { tensor } from '../autograd/create.js';
import { gradients } from '../autograd/functional.js';
import { traceAll } from '../autograd/grad-mode.js';
import type { Tensor } from '../autograd/tensor.js';
import { Random } from '../tensor/random.js';
import { sizeOf } from '../tensor/shape.js';
import { compile } from './compile.js';

/**
 * compile() against eager autodiff on graphs made of the ops a training step does not use:
 * each function is traced once on one input, then replayed three times on new inputs, and its
 * value and gradient must equal a fresh eager computation every time (a kernel that assumes a
 * zeroed output, or a value frozen at its traced number, fails here).
 */
const random = new Random(5);
const cases: [string, number[], (x: Tensor) => Tensor][] = [
  ['concat of two halves', [3, 4], (x) => api.sum(api.mul(api.concat([api.slice(x, [0, 0], [3, 2]), api.tanh(api.slice(x, [0, 2], [3, 4]))], 1), x))],
  ['slice (its gradient is a place)', [4, 3], (x) => api.sum(api.mul(api.slice(x, [1, 0], [3, 3]), api.slice(x, [2, 0], [4, 3])))],
  ['max over an axis and logsumexp', [3, 5], (x) => api.add(api.sum(api.max(x, [1])), api.sum(api.logsumexp(x, [0])))],
  ['softmax, then a weighted sum', [2, 6], (x) => api.sum(api.mul(api.softmax(x), x))],
  ['3-d transpose, reshape and broadcast', [2, 3, 4], (x) => api.sum(api.mul(api.reshape(api.transpose(x, [2, 0, 1]), [4, 6]), api.broadcastTo(api.reshape(api.sum(x, [0, 1]), [4, 1]), [4, 6])))],
  ['batched matmul with its own transpose', [2, 3, 3], (x) => api.sum(api.matmul(x, api.transpose(x, [0, 2, 1])))],
  ['elementwise maximum, pow and sigmoid', [5], (x) => api.sum(api.maximum(api.pow(x, 2), api.sigmoid(x)))],
];

const draw = (shape: number[]) => tensor(Float64Array.from({ length: sizeOf(shape) }, () => random.normal(0, 1)), { shape });

describe('compiled replays equal eager autodiff', () => {
  it.each(cases)('%s', (_name, shape, f) => {
    const x = draw(shape);
    x.requiresGrad = true;
    const { value, gradient } = traceAll(() => {
      const y = f(x);
      return { value: y, gradient: gradients(y, [x], { createGraph: true })[0]! };
    });
    const replay = compile([value, gradient]);
    for (let round = 0; round < 3; round++) {
      const fresh = draw(shape);
      x.data.set(fresh.data);
      replay.run();
      const input = tensor(Float64Array.from(fresh.data), { shape, requiresGrad: true });
      const eager = f(input);
      const [eagerGradient] = gradients(eager, [input]);
      expect(replay.outputs[0]![0]).toBeCloseTo(eager.item(), 12);
      expect(Array.from(replay.outputs[1]!).map((v, i) => v - eagerGradient!.data[i]!).every((d) => Math.abs(d) < 1e-12), `round ${round}`).toBe(true);
    }
  });
});

describe('compile() and dispose()', () => {
  it('a replay keeps its arrays: disposing a traced tensor neither empties them nor hands them to a new result', () => {
    const n = 64; // 32 KiB of float64: big enough for dispose() to pool
    const x = tensor(Float64Array.from({ length: n * n }, (_, i) => i % 7), { shape: [n, n], requiresGrad: true });
    let doubled: Tensor | undefined;
    const total = traceAll(() => {
      doubled = api.mul(x, 2);
      return api.sum(doubled);
    });
    const replay = compile([total]);
    replay.run();
    const expected = replay.outputs[0]![0]!;
    expect(expected).toBeGreaterThan(0);
    doubled!.dispose();
    // A new result of the same size would take a pooled array, and the replay would write into it.
    const other = api.mul(tensor(new Float64Array(n * n).fill(1), { shape: [n, n] }), 3);
    replay.run();
    expect(replay.outputs[0]![0]).toBe(expected);
    expect(other.data.every((value) => value === 3)).toBe(true);
    expect(() => doubled!.data).toThrow(/was disposed/);
  });
});

import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as api from '../autograd/api.js';
import { tensorAlgebra } from '../autograd/apply.js';
import { tensor } from '../autograd/create.js';
import { gradients } from '../autograd/functional.js';
import { gradcheck } from '../autograd/gradcheck.js';
import type { Tensor } from '../autograd/tensor.js';
import { sizeOf, type Shape } from '../tensor/shape.js';
import { opNames, registry } from './registry.js';
import { binaryNames, unaryNames } from './families.js';
import { Precedence, type BinaryName, type NoAttrs, type OpAttrs, type OpName, type Style, type UnaryName } from './types.js';

/**
 * Every registry op, built through the public API on random float64 inputs (fast-check, fixed
 * seed), checked by gradcheck against central differences. Inputs stay away from the points
 * where an op is not differentiable (kinks, ties, the edge of a domain).
 */

const RUNS = { seed: 42, numRuns: 20 } as const;

/** One drawn example: inputs, the function of them to check, and what was drawn (for failures). */
interface Instance {
  readonly xs: Tensor[];
  readonly f: (...xs: Tensor[]) => Tensor;
  readonly what: string;
}
interface Case {
  readonly label: string;
  readonly draw: fc.Arbitrary<Instance>;
}

// ---------------------------------------------------------------------------------------------
// Values and shapes

const anyValue = fc.double({ min: -2, max: 2, noNaN: true });
const positive = fc.double({ min: 0.5, max: 3, noNaN: true });
const awayFromZero = fc.tuple(fc.boolean(), fc.double({ min: 0.2, max: 2, noNaN: true })).map(([negative, v]) => (negative ? -v : v));
const powBase = fc.double({ min: 0.5, max: 2, noNaN: true });
const powExponent = fc.double({ min: -2, max: 2.5, noNaN: true });
/** Near k + ¼ and near m − ¼ (k, m integers): two such values differ by at least 0.4, never tie. */
const quarterAbove = fc.tuple(fc.integer({ min: -2, max: 2 }), fc.double({ min: -0.05, max: 0.05, noNaN: true })).map(([k, jitter]) => k + 0.25 + jitter);
const quarterBelow = fc.tuple(fc.integer({ min: -2, max: 2 }), fc.double({ min: -0.05, max: 0.05, noNaN: true })).map(([k, jitter]) => k - 0.25 + jitter);

function tensorOf(shape: Shape, values: fc.Arbitrary<number>): fc.Arbitrary<Tensor> {
  const n = sizeOf(shape);
  return fc.array(values, { minLength: n, maxLength: n }).map((v) => tensor(Float64Array.from(v), { shape: [...shape] }));
}

/** Pairwise distinct values at least 0.3 apart, in random order: reductions by max have no ties. */
function distinctTensorOf(shape: Shape): fc.Arbitrary<Tensor> {
  const n = sizeOf(shape);
  const ranks = [...Array(n).keys()];
  return fc
    .tuple(fc.shuffledSubarray(ranks, { minLength: n, maxLength: n }), fc.array(fc.double({ min: 0, max: 0.1, noNaN: true }), { minLength: n, maxLength: n }))
    .map(([order, jitter]) => tensor(Float64Array.from(order, (rank, i) => (rank - n / 2) * 0.4 + jitter[i]!), { shape: [...shape] }));
}

const extent = fc.integer({ min: 1, max: 3 });
function shapeArb(minRank: number, maxRank: number): fc.Arbitrary<number[]> {
  return fc.array(extent, { minLength: minRank, maxLength: maxRank });
}

/** A shape that broadcasts to `target`: some leading axes dropped, some axes set to 1. */
function broadcastableTo(target: Shape): fc.Arbitrary<number[]> {
  return fc
    .tuple(fc.integer({ min: 0, max: target.length }), fc.array(fc.boolean(), { minLength: target.length, maxLength: target.length }))
    .map(([drop, ones]) => target.map((n, axis) => (ones[axis]! ? 1 : n)).slice(drop));
}

const permutationOf = (rank: number) => fc.shuffledSubarray([...Array(rank).keys()], { minLength: rank, maxLength: rank });

const show = (xs: readonly Tensor[]) => xs.map((x) => `[${x.shape.join(',')}]`).join(' ');

function fixed(label: string, shapes: readonly Shape[], values: readonly fc.Arbitrary<number>[], f: (...xs: Tensor[]) => Tensor): Case {
  return {
    label,
    draw: fc.tuple(...shapes.map((shape, i) => tensorOf(shape, values[i] ?? anyValue))).map((xs) => ({ xs, f, what: show(xs) })),
  };
}

// ---------------------------------------------------------------------------------------------
// Families of cases

type BinaryFn = (a: Tensor, b: Tensor) => Tensor;
type UnaryFn = (x: Tensor) => Tensor;

function binaryCases(f: BinaryFn, a: fc.Arbitrary<number> = anyValue, b: fc.Arbitrary<number> = anyValue): Case[] {
  const pair = (x: Tensor[]) => f(x[0]!, x[1]!);
  const generated: Case = {
    label: 'generated broadcast shapes',
    draw: shapeArb(0, 3)
      .chain((out) => fc.tuple(broadcastableTo(out), broadcastableTo(out)))
      .chain(([sa, sb]) => fc.tuple(tensorOf(sa, a), tensorOf(sb, b)))
      .map((xs) => ({ xs, f: (...t: Tensor[]) => pair(t), what: show(xs) })),
  };
  const at = (label: string, sa: Shape, sb: Shape) => fixed(label, [sa, sb], [a, b], (...t) => pair(t));
  return [
    generated,
    at('[3,1] with [1,4]', [3, 1], [1, 4]),
    at('[2,3] with [3]', [2, 3], [3]),
    at('scalar with [2,2]', [], [2, 2]),
    at('[2,2] with scalar', [2, 2], []),
    at('scalar with scalar', [], []),
  ];
}

function unaryCases(f: UnaryFn, values: fc.Arbitrary<number> = anyValue): Case[] {
  return [
    {
      label: 'generated shape',
      draw: shapeArb(1, 3).chain((shape) => tensorOf(shape, values)).map((x) => ({ xs: [x], f: (...t: Tensor[]) => f(t[0]!), what: show([x]) })),
    },
    fixed('scalar (0-d)', [[]], [values], (x) => f(x)),
  ];
}

type Reduction = (x: Tensor, axes?: api.Axes, keepdims?: boolean) => Tensor;

function reductionCases(f: Reduction, valuesOf: (shape: Shape) => fc.Arbitrary<Tensor> = (shape) => tensorOf(shape, anyValue)): Case[] {
  const generated: Case = {
    label: 'generated axes, keepdims or not',
    draw: shapeArb(1, 3)
      .chain((shape) =>
        fc.tuple(
          valuesOf(shape),
          fc.subarray([...shape.keys()], { minLength: 1 }),
          fc.array(fc.boolean(), { minLength: shape.length, maxLength: shape.length }),
          fc.boolean(),
        ),
      )
      .map(([x, axes, negate, keepdims]) => {
        // Some axes written counting from the end, as users do.
        const written = axes.map((axis) => (negate[axis]! ? axis - x.rank : axis));
        return { xs: [x], f: (t: Tensor) => f(t, written, keepdims), what: `${show([x])} axes [${written.join(',')}] keepdims ${keepdims}` };
      }),
  };
  const at = (label: string, shape: Shape, axes: api.Axes, keepdims: boolean): Case => ({
    label,
    draw: valuesOf(shape).map((x) => ({ xs: [x], f: (t: Tensor) => f(t, axes, keepdims), what: show([x]) })),
  });
  return [
    generated,
    at('[2,3,4] over axes [0,2]', [2, 3, 4], [0, 2], false),
    at('[2,3,4] over axes [0,2], keepdims', [2, 3, 4], [0, 2], true),
    at('[3,4] over axis -1, keepdims', [3, 4], -1, true),
    at('[2,3] over all axes', [2, 3], undefined, false),
    at('[2,3] over all axes, keepdims', [2, 3], undefined, true),
  ];
}

/**
 * n×n matrices (n from 1 to 4) that are diagonally dominant, so invertible and well conditioned:
 * entries in [−1, 1] and a diagonal of ±(n + 1) added. The ill-conditioned ones are in the
 * PyTorch fixtures, where finite differences are not the reference.
 */
const squareMatrix: fc.Arbitrary<Tensor> = fc
  .integer({ min: 1, max: 4 })
  .chain((n) => fc.tuple(tensorOf([n, n], fc.double({ min: -1, max: 1, noNaN: true })), fc.array(fc.boolean(), { minLength: n, maxLength: n })))
  .map(([x, signs]) => {
    const n = x.shape[0]!;
    const data = Float64Array.from(x.data);
    signs.forEach((negative, i) => (data[i * n + i] = data[i * n + i]! + (negative ? -(n + 1) : n + 1)));
    return tensor(data, { shape: [n, n] });
  });
const squareCase = (f: UnaryFn): Case => ({ label: 'generated n×n, n ≤ 4, diagonally dominant', draw: squareMatrix.map((x) => ({ xs: [x], f, what: show([x]) })) });

// ---------------------------------------------------------------------------------------------
// The sample table: one entry per op, or the file does not compile.

const softmaxCase = (label: string, shape: Shape, axis: number): Case => fixed(label, [shape], [anyValue], (x) => api.softmax(x, axis));
/** Targets as probabilities (gradcheck moves them off the simplex, which the formula does not mind). */
const probability = fc.double({ min: 0, max: 1, noNaN: true });
/** A window's stride, padding and dilation, each up to 2 or 3. */
const windowSettings = fc.record({
  stride: fc.tuple(fc.integer({ min: 1, max: 2 }), fc.integer({ min: 1, max: 3 })),
  padding: fc.tuple(fc.integer({ min: 0, max: 1 }), fc.integer({ min: 0, max: 2 })),
  dilation: fc.tuple(fc.integer({ min: 1, max: 2 }), fc.integer({ min: 1, max: 2 })),
});
type WindowSettings = { stride: [number, number]; padding: [number, number]; dilation: [number, number] };

/** An image size the window fits, `extra` rows and columns beyond the smallest (odd sizes come up). */
function fittingImage(kernel: readonly [number, number], window: WindowSettings, extra: readonly [number, number]): { h: number; w: number } {
  const least = (axis: 0 | 1) => Math.max(1, window.dilation[axis] * (kernel[axis] - 1) + 1 - 2 * window.padding[axis]);
  return { h: least(0) + extra[0], w: least(1) + extra[1] };
}

type Window = WindowSettings & { kernel: [number, number] };
/** The output extent along one axis of a sliding window (PyTorch's formula). */
const slide = (size: number, window: Window, axis: 0 | 1) =>
  Math.floor((size + 2 * window.padding[axis] - window.dilation[axis] * (window.kernel[axis] - 1) - 1) / window.stride[axis]) + 1;

/**
 * unfold or fold over generated images [n, c, h, w], kernels and window settings: `input` gives
 * the shape the op takes (the image, or its columns) and the function to check.
 */
function windowCase(op: string, input: (image: Shape, window: Window) => { shape: Shape; f: (t: Tensor) => Tensor }): Case {
  return {
    label: `generated ${op}: sizes, kernel, stride, padding, dilation`,
    draw: fc
      .record({
        n: fc.integer({ min: 1, max: 2 }), c: fc.integer({ min: 1, max: 2 }),
        kernel: fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 })), window: windowSettings,
        extra: fc.tuple(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 3 })),
      })
      .chain(({ n, c, kernel, window, extra }) => {
        const { h, w } = fittingImage(kernel, window, extra);
        const settings = { ...window, kernel };
        const { shape, f } = input([n, c, h, w], settings);
        return tensorOf(shape, anyValue).map((x) => ({ xs: [x], f, what: `${show([x])} ${JSON.stringify(settings)}` }));
      }),
  };
}
const crossEntropyCase = (label: string, shape: Shape): Case => fixed(label, [shape, shape], [anyValue, probability], (z, y) => api.softmaxCrossEntropy(z, y));

/** Pooling windows: overlapping and not, padding up to half the kernel, a dilation, odd sizes. */
/** A conv2d drawn whole: its input, weight and output shapes, window and groups (odd sizes come up). */
const convSettings = fc
  .record({
    n: fc.integer({ min: 1, max: 2 }), groups: fc.integer({ min: 1, max: 2 }), cinG: fc.integer({ min: 1, max: 2 }), coutG: fc.integer({ min: 1, max: 2 }),
    kernel: fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 })), window: windowSettings,
    extra: fc.tuple(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 3 })),
  })
  .map(({ n, groups, cinG, coutG, kernel, window, extra }) => {
    const { h, w } = fittingImage(kernel, window, extra);
    const sliding = { ...window, kernel };
    return {
      x: [n, groups * cinG, h, w], weight: [groups * coutG, cinG, ...kernel], y: [n, groups * coutG, slide(h, sliding, 0), slide(w, sliding, 1)],
      window, groups,
    };
  });

const POOL_WINDOWS: readonly [Shape, api.Pair, api.WindowOptions][] = [
  [[1, 2, 5, 5], 3, { stride: 2, padding: 1 }],
  [[2, 1, 4, 6], 2, {}],
  [[1, 2, 5, 7], [2, 3], { stride: [1, 2], padding: [1, 1] }],
  [[1, 1, 6, 5], 2, { stride: 1, dilation: 2 }],
];

const samples: { readonly [N in OpName]: readonly Case[] } = {
  add: binaryCases(api.add),
  sub: binaryCases(api.sub),
  mul: binaryCases(api.mul),
  div: binaryCases(api.div, anyValue, awayFromZero),
  pow: binaryCases(api.pow, powBase, powExponent),
  maximum: binaryCases(api.maximum, quarterAbove, quarterBelow),
  minimum: binaryCases(api.minimum, quarterAbove, quarterBelow),
  gt: binaryCases(api.gt, quarterAbove, quarterBelow),
  ge: binaryCases(api.ge, quarterAbove, quarterBelow),
  lt: binaryCases(api.lt, quarterAbove, quarterBelow),
  le: binaryCases(api.le, quarterAbove, quarterBelow),
  eq: binaryCases(api.eq, quarterAbove, quarterBelow),
  ne: binaryCases(api.ne, quarterAbove, quarterBelow),
  neg: unaryCases(api.neg),
  exp: unaryCases(api.exp),
  log: unaryCases(api.log, positive),
  sqrt: unaryCases(api.sqrt, positive),
  abs: unaryCases(api.abs, awayFromZero),
  sin: unaryCases(api.sin),
  cos: unaryCases(api.cos),
  tanh: unaryCases(api.tanh),
  sigmoid: unaryCases(api.sigmoid, fc.double({ min: -4, max: 4, noNaN: true })),
  relu: unaryCases(api.relu, awayFromZero),
  step: unaryCases(api.step, awayFromZero),
  sign: unaryCases(api.sign, awayFromZero),
  softplus: unaryCases(api.softplus, fc.double({ min: -6, max: 6, noNaN: true })),
  // Away from 0, where |x| has its kink (softsign itself is smooth there, its second derivative is not).
  softsign: unaryCases(api.softsign, awayFromZero),
  // Inside (−π/2, π/2), away from the poles; inside (−1, 1), away from ±1 where arcsin′ is infinite.
  tan: unaryCases(api.tan, fc.double({ min: -1.2, max: 1.2, noNaN: true })),
  asin: unaryCases(api.asin, fc.double({ min: -0.9, max: 0.9, noNaN: true })),
  acos: unaryCases(api.acos, fc.double({ min: -0.9, max: 0.9, noNaN: true })),
  atan: unaryCases(api.atan),
  sinh: unaryCases(api.sinh),
  cosh: unaryCases(api.cosh),
  leakyRelu: [
    ...unaryCases((x) => api.leakyRelu(x), awayFromZero),
    {
      label: 'generated slope',
      draw: fc
        .tuple(shapeArb(1, 2).chain((shape) => tensorOf(shape, awayFromZero)), fc.double({ min: 0, max: 0.9, noNaN: true }))
        .map(([x, slope]) => ({ xs: [x], f: (t: Tensor) => api.leakyRelu(t, slope), what: `${show([x])} slope ${slope}` })),
    },
  ],
  matmul: [
    {
      label: 'generated sizes and broadcast batch shapes',
      draw: fc
        .tuple(shapeArb(0, 2), fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 6 }))
        .chain(([batch, m, k, n]) => fc.tuple(broadcastableTo(batch), broadcastableTo(batch)).map(([ba, bb]) => [[...ba, m, k], [...bb, k, n]] as const))
        .chain(([sa, sb]) => fc.tuple(tensorOf(sa, anyValue), tensorOf(sb, anyValue)))
        .map((xs) => ({ xs, f: (a: Tensor, b: Tensor) => api.matmul(a, b), what: show(xs) })),
    },
    fixed('[3,4] @ [4,2]', [[3, 4], [4, 2]], [], (a, b) => api.matmul(a, b)),
    fixed('[5,7] @ [7,6] (4×4 blocks and edges)', [[5, 7], [7, 6]], [], (a, b) => api.matmul(a, b)),
    fixed('[2,3,4] @ [4,5]', [[2, 3, 4], [4, 5]], [], (a, b) => api.matmul(a, b)),
    fixed('[2,1,3,4] @ [3,4,2]', [[2, 1, 3, 4], [3, 4, 2]], [], (a, b) => api.matmul(a, b)),
    fixed('[4] @ [4,3] (row vector)', [[4], [4, 3]], [], (a, b) => api.matmul(a, b)),
    fixed('[2,3,4] @ [4] (column vector)', [[2, 3, 4], [4]], [], (a, b) => api.matmul(a, b)),
    fixed('[4] @ [4] (dot product)', [[4], [4]], [], (a, b) => api.matmul(a, b)),
  ],
  sum: reductionCases(api.sum),
  mean: reductionCases(api.mean),
  max: reductionCases(api.max, distinctTensorOf),
  logsumexp: reductionCases(api.logsumexp),
  softmax: [
    {
      label: 'generated axis',
      draw: shapeArb(1, 3)
        .chain((shape) => fc.tuple(tensorOf(shape, anyValue), fc.integer({ min: -shape.length, max: shape.length - 1 })))
        .map(([x, axis]) => ({ xs: [x], f: (t: Tensor) => api.softmax(t, axis), what: `${show([x])} axis ${axis}` })),
    },
    softmaxCase('[3,4] along axis 0', [3, 4], 0),
    softmaxCase('[3,4] along axis -1', [3, 4], -1),
    softmaxCase('[2,3,4] along axis 1', [2, 3, 4], 1),
  ],
  softmaxCrossEntropy: [
    {
      label: 'generated shape',
      draw: shapeArb(1, 3)
        .chain((shape) => fc.tuple(tensorOf(shape, anyValue), tensorOf(shape, probability)))
        .map((xs) => ({ xs, f: (z: Tensor, y: Tensor) => api.softmaxCrossEntropy(z, y), what: show(xs) })),
    },
    crossEntropyCase('[4,3]: a batch of rows', [4, 3]),
    crossEntropyCase('[5]: one row, a 0-d loss', [5]),
    crossEntropyCase('[2,3,4]: rows along the last axis', [2, 3, 4]),
  ],
  trace: [squareCase(api.trace), fixed('[3,3] any values', [[3, 3]], [], (x) => api.trace(x))],
  det: [squareCase(api.det), fixed('1×1', [[1, 1]], [awayFromZero], (x) => api.det(x))],
  inv: [squareCase(api.inv), squareCase((x) => api.sum(api.mul(api.inv(x), api.inv(x))))],
  eyeLike: [fixed('[3,3]', [[3, 3]], [], (x) => api.eyeLike(x))],
  diag: [
    squareCase(api.diag),
    fixed('[3] a vector', [[3]], [], (x) => api.diag(x)),
    fixed('[3,1] a column', [[3, 1]], [], (x) => api.diag(x)),
    fixed('[1,3] a row', [[1, 3]], [], (x) => api.diag(x)),
    fixed('[3,3] the diagonal, through x ⊙ x', [[3, 3]], [], (x) => api.diag(api.mul(x, x))),
  ],
  // K is mn×mn; its column sums (each 1) in x's shape let the mask check multiply it with x.
  commutation: [
    fixed('[2,3], column sums in x\'s shape', [[2, 3]], [], (x) => api.reshape(api.sum(api.commutation(x), [0]), x.shape)),
    fixed('[3,1] a column, column sums in x\'s shape', [[3, 1]], [], (x) => api.reshape(api.sum(api.commutation(x), [0]), x.shape)),
  ],
  kron: [
    {
      label: 'generated sizes up to 3×3 each',
      draw: fc
        .tuple(...[0, 1, 2, 3].map(() => fc.integer({ min: 1, max: 3 })))
        .chain(([m, n, p, q]) => fc.tuple(tensorOf([m!, n!], anyValue), tensorOf([p!, q!], anyValue)))
        .map((xs) => ({ xs, f: (a: Tensor, b: Tensor) => api.kron(a, b), what: show(xs) })),
    },
    fixed('[2,3] ⊗ [3,2]', [[2, 3], [3, 2]], [], (a, b) => api.kron(a, b)),
    fixed('[1,3] ⊗ [2,1], a row and a column', [[1, 3], [2, 1]], [], (a, b) => api.kron(a, b)),
    fixed('[2,2] ⊗ the same [2,2] (both gradients reach one input)', [[2, 2]], [], (a) => api.kron(a, a)),
  ],
  identity: unaryCases(api.identity),
  reshape: [
    {
      label: 'generated: extents reordered, or flattened',
      draw: shapeArb(1, 3)
        .chain((shape) => fc.tuple(tensorOf(shape, anyValue), fc.oneof(permutationOf(shape.length).map((perm) => perm.map((axis) => shape[axis]!)), fc.constant([-1]))))
        .map(([x, target]) => ({ xs: [x], f: (t: Tensor) => api.reshape(t, target), what: `${show([x])} to [${target.join(',')}]` })),
    },
    fixed('[2,3,4] to [4,6]', [[2, 3, 4]], [], (x) => api.reshape(x, [4, 6])),
    fixed('[6] to [2,1,3]', [[6]], [], (x) => api.reshape(x, [2, 1, 3])),
    fixed('[2,3] to [-1, 2]', [[2, 3]], [], (x) => api.reshape(x, [-1, 2])),
  ],
  transpose: [
    {
      label: 'generated permutation',
      draw: shapeArb(1, 4)
        .chain((shape) => fc.tuple(tensorOf(shape, anyValue), permutationOf(shape.length)))
        .map(([x, perm]) => ({ xs: [x], f: (t: Tensor) => api.transpose(t, perm), what: `${show([x])} perm [${perm.join(',')}]` })),
    },
    fixed('[2,3,4] by [2,0,1]', [[2, 3, 4]], [], (x) => api.transpose(x, [2, 0, 1])),
    fixed('[3,4] matrix transpose', [[3, 4]], [], (x) => api.transpose(x)),
  ],
  broadcastTo: [
    {
      label: 'generated target shape',
      draw: shapeArb(0, 3)
        .chain((target) => broadcastableTo(target).chain((shape) => tensorOf(shape, anyValue)).map((x) => [x, target] as const))
        .map(([x, target]) => ({ xs: [x], f: (t: Tensor) => api.broadcastTo(t, target), what: `${show([x])} to [${target.join(',')}]` })),
    },
    fixed('[3,1] to [2,3,4]', [[3, 1]], [], (x) => api.broadcastTo(x, [2, 3, 4])),
    fixed('scalar to [2,2]', [[]], [], (x) => api.broadcastTo(x, [2, 2])),
  ],
  slice: [
    {
      label: 'generated ranges',
      draw: fc
        .array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 3 })
        .chain((shape) =>
          fc.tuple(
            tensorOf(shape, anyValue),
            fc.tuple(...shape.map((n) => fc.tuple(fc.integer({ min: 0, max: n - 1 }), fc.integer({ min: 1, max: n })).map(([p, q]) => (p < q ? [p, q] : [q - 1, p + 1])))),
          ),
        )
        .map(([x, ranges]) => {
          const begin = ranges.map(([p]) => p!);
          const end = ranges.map(([, q]) => q!);
          return { xs: [x], f: (t: Tensor) => api.slice(t, begin, end), what: `${show([x])} [${begin.join(',')}] to [${end.join(',')}]` };
        }),
    },
    fixed('[3,4] rows 1: and columns 1:3', [[3, 4]], [], (x) => api.slice(x, [1, 1], [3, 3])),
    fixed('[4,3] negative bounds -3:-1', [[4, 3]], [], (x) => api.slice(x, [-3], [-1])),
    fixed('[3,2] index 1 (slice then reshape)', [[3, 2]], [], (x) => api.index(x, 1)),
  ],
  place: [
    {
      label: 'generated offsets (place has no public function: the algebra the vjps use)',
      draw: shapeArb(1, 3)
        .chain((shape) => fc.tuple(tensorOf(shape, anyValue), fc.tuple(...shape.map(() => fc.integer({ min: 0, max: 2 }))), fc.tuple(...shape.map(() => fc.integer({ min: 0, max: 2 })))))
        .map(([x, begin, after]) => {
          const outer = x.shape.map((n, axis) => n + begin[axis]! + after[axis]!);
          return { xs: [x], f: (t: Tensor) => tensorAlgebra.place(t, outer, begin), what: `${show([x])} into [${outer.join(',')}] at [${begin.join(',')}]` };
        }),
    },
    fixed('[2,2] into [3,4] at [1,2]', [[2, 2]], [], (x) => tensorAlgebra.place(x, [3, 4], [1, 2])),
  ],
  concat: [
    {
      label: 'generated axis and pieces',
      draw: fc
        .tuple(shapeArb(1, 3), fc.integer({ min: 1, max: 3 }))
        .chain(([shape, pieces]) =>
          fc.tuple(fc.integer({ min: -shape.length, max: shape.length - 1 }), fc.array(extent, { minLength: pieces, maxLength: pieces })).chain(([axis, extents]) => {
            const along = axis < 0 ? axis + shape.length : axis;
            return fc.tuple(...extents.map((n) => tensorOf(shape.map((m, i) => (i === along ? n : m)), anyValue))).map((xs) => ({ xs, axis }));
          }),
        )
        .map(({ xs, axis }) => ({ xs, f: (...t: Tensor[]) => api.concat(t, axis), what: `${show(xs)} axis ${axis}` })),
    },
    fixed('[2,3] and [2,1] along -1', [[2, 3], [2, 1]], [], (a, b) => api.concat([a, b], -1)),
    fixed('[1,3], [2,3] and [3,3] along 0', [[1, 3], [2, 3], [3, 3]], [], (...xs) => api.concat(xs, 0)),
  ],
  unfold: [
    windowCase('unfold', (image, window) => ({ shape: image, f: (x) => api.unfold(x, window.kernel, window) })),
    fixed('[1,2,5,4] kernel 3x2, stride 2, padding 1', [[1, 2, 5, 4]], [], (x) => api.unfold(x, [3, 2], { stride: 2, padding: 1 })),
  ],
  fold: [
    windowCase('fold', ([n, c, h, w], window) => ({
      shape: [n!, c! * window.kernel[0] * window.kernel[1], slide(h!, window, 0) * slide(w!, window, 1)],
      f: (cols) => api.fold(cols, [h!, w!], window.kernel, window),
    })),
    fixed('[1,6,9] into 4x5, kernel 2x3', [[1, 6, 9]], [], (cols) => api.fold(cols, [4, 5], [2, 3])),
  ],
  conv2d: [
    {
      label: 'generated sizes, stride, padding, dilation and groups',
      draw: convSettings.chain(({ x, weight, window, groups }) =>
        fc.tuple(tensorOf(x, anyValue), tensorOf(weight, anyValue)).map((xs) => ({
          xs, f: (x: Tensor, k: Tensor) => api.conv2d(x, k, undefined, { ...window, groups }), what: `${show(xs)} ${JSON.stringify(window)} groups ${groups}`,
        }))),
    },
    fixed('[2,3,5,4] with [2,3,3,2] and bias', [[2, 3, 5, 4], [2, 3, 3, 2], [2]], [], (x, w, b) => api.conv2d(x, w, b)),
    fixed('conv1d [2,2,7] with [4,2,3] and bias, stride 2, padding 1', [[2, 2, 7], [4, 2, 3], [4]], [], (x, w, b) => api.conv1d(x, w, b, { stride: 2, padding: 1 })),
    fixed('avgPool2d under conv2d: [1,1,6,5] with [2,1,2,2], then 2x2 average, padding 1', [[1, 1, 6, 5], [2, 1, 2, 2]], [], (x, w) => api.avgPool2d(api.conv2d(x, w), 2, { padding: 1 })),
  ],
  // Linear in both inputs: gradchecks of the gradients by gy and by the weight (conv2d and conv2dBackwardWeight).
  conv2dBackwardInput: [
    {
      label: 'generated sizes, stride, padding, dilation and groups',
      draw: convSettings.chain(({ x, weight, y, window, groups }) =>
        fc.tuple(tensorOf(y, anyValue), tensorOf(weight, anyValue)).map((xs) => ({
          xs, f: (gy: Tensor, k: Tensor) => api.conv2dBackwardInput(gy, k, [x[2]!, x[3]!], { ...window, groups }), what: `${show(xs)} onto ${JSON.stringify(x)} ${JSON.stringify(window)} groups ${groups}`,
        }))),
    },
  ],
  // Linear in both inputs: gradchecks of the gradients by x and by gy (conv2dBackwardInput and conv2d).
  conv2dBackwardWeight: [
    {
      label: 'generated sizes, stride, padding, dilation and groups',
      draw: convSettings.chain(({ x, weight, y, window, groups }) =>
        fc.tuple(tensorOf(x, anyValue), tensorOf(y, anyValue)).map((xs) => ({
          xs, f: (image: Tensor, gy: Tensor) => api.conv2dBackwardWeight(image, gy, [weight[2]!, weight[3]!], { ...window, groups }), what: `${show(xs)} ${JSON.stringify(window)} groups ${groups}`,
        }))),
    },
  ],
  // Distinct values (no ties), so finite differences see one winner per window, and its gradient is max's.
  maxPool2d: POOL_WINDOWS.map(([shape, kernel, options]) => ({
    label: `${JSON.stringify(shape)} kernel ${JSON.stringify(kernel)} ${JSON.stringify(options)} (distinct values: no ties)`,
    draw: distinctTensorOf(shape).map((x) => ({ xs: [x], f: (t: Tensor) => api.maxPool2d(t, kernel, options), what: show([x]) })),
  })),
  // Linear in gy; by x its derivative is 0 away from ties (the winners do not move).
  maxPool2dBackward: POOL_WINDOWS.map(([shape, kernel, options]) => ({
    label: `x ${JSON.stringify(shape)} kernel ${JSON.stringify(kernel)} ${JSON.stringify(options)}, and gy`,
    draw: fc.tuple(distinctTensorOf(shape), tensorOf(api.maxPool2d(tensor(new Float64Array(sizeOf(shape)), { shape: [...shape] }), kernel, options).shape, anyValue)).map((xs) => ({
      xs, f: (x: Tensor, gy: Tensor) => api.maxPool2dBackward(x, gy, kernel, options), what: show(xs),
    })),
  })),
  avgPool2d: POOL_WINDOWS.filter(([, , options]) => options.dilation === undefined).map(([shape, kernel, options]) =>
    fixed(`${JSON.stringify(shape)} kernel ${JSON.stringify(kernel)} ${JSON.stringify(options)}`, [shape], [], (x) => api.avgPool2d(x, kernel, options))),
};

/** Names of the ops recorded in the graph of `y`. */
function opsIn(y: Tensor): Set<OpName> {
  const seen = new Set<Tensor>();
  const names = new Set<OpName>();
  const stack = [y];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (seen.has(node) || node.creator === null) continue;
    seen.add(node);
    names.add(node.creator.op.name);
    stack.push(...node.creator.inputs);
  }
  return names;
}

const leavesOf = (xs: readonly Tensor[]) => xs.map((x) => x.detach().requireGrad());

describe('every registry op has samples', () => {
  it('samples cover exactly the registry (the table type enforces it at compile time too)', () => {
    expect(Object.keys(samples).sort()).toEqual([...opNames].sort());
    for (const name of opNames) expect(samples[name].length).toBeGreaterThan(0);
  });
});

for (const name of opNames) {
  const op = registry[name];
  describe(`${name}${op.differentiable ? '' : ' (not differentiable)'}`, () => {
    it('is registered under its own name', () => {
      expect(op.name).toBe(name);
    });
    for (const sample of samples[name]) {
      if (op.differentiable) {
        it(`gradcheck: ${sample.label}`, () => {
          fc.assert(
            fc.property(sample.draw, fc.nat(), ({ xs, f, what }, seed) => {
              const y = f(...leavesOf(xs));
              expect(opsIn(y).has(name), `${what}: the sample does not use ${name}`).toBe(true);
              const result = gradcheck(f, xs, { seed });
              expect(result.ok, `${what}\n${result.details}`).toBe(true);
            }),
            RUNS,
          );
        });
      } else {
        it(`no graph, zero gradient: ${sample.label}`, () => {
          fc.assert(
            fc.property(sample.draw, fc.nat(), ({ xs, f, what }, seed) => {
              const leaves = leavesOf(xs);
              const y = f(...leaves);
              expect(y.creator, what).toBeNull();
              expect(y.requiresGrad, what).toBe(false);
              for (const g of gradients(y, leaves)) expect(Array.from(g.data).every((v) => v === 0), what).toBe(true);
              // Used as a mask, it lets the gradient through the other factor only.
              const masked = (...t: Tensor[]) => api.mul(f(...t), t.reduce((acc, x) => api.add(acc, api.sin(x)), api.mul(t[0]!, 0)));
              const result = gradcheck(masked, xs, { seed });
              expect(result.ok, `${what}\n${result.details}`).toBe(true);
            }),
            RUNS,
          );
        });
      }
    }
  });
}

// ---------------------------------------------------------------------------------------------
// Notation

/** The elementwise families take no attributes; the other ops one sample each. */
const attrsSample: { readonly [N in OpName]: OpAttrs[N] } = {
  ...(Object.fromEntries([...unaryNames, ...binaryNames].map((name) => [name, {}])) as { [N in UnaryName | BinaryName]: NoAttrs }),
  leakyRelu: { slope: 0.2 },
  matmul: {},
  sum: { axes: [0], keepdims: false }, mean: { axes: [0, 1], keepdims: true }, max: { axes: [1], keepdims: false },
  softmax: { axis: 1 }, logsumexp: { axes: [0], keepdims: false }, softmaxCrossEntropy: {},
  identity: {}, reshape: { shape: [6] }, transpose: { perm: [1, 0] }, broadcastTo: { shape: [2, 3] },
  slice: { begin: [0, 1], end: [2, 3] }, place: { shape: [4, 4], begin: [1, 1] }, concat: { axis: 0 },
  unfold: { kernel: [2, 2], stride: [1, 1], padding: [0, 0], dilation: [1, 1], fill: 0 },
  fold: { kernel: [2, 2], stride: [1, 1], padding: [0, 0], dilation: [1, 1], size: [3, 3] },
  conv2d: { stride: [1, 1], padding: [0, 0], dilation: [1, 1], groups: 1 },
  conv2dBackwardInput: { stride: [1, 1], padding: [0, 0], dilation: [1, 1], groups: 1, size: [3, 3] },
  conv2dBackwardWeight: { stride: [1, 1], padding: [0, 0], dilation: [1, 1], groups: 1, kernel: [2, 2] },
  maxPool2d: { kernel: [2, 2], stride: [2, 2], padding: [0, 0], dilation: [1, 1] },
  maxPool2dBackward: { kernel: [2, 2], stride: [2, 2], padding: [0, 0], dilation: [1, 1] },
  avgPool2d: { kernel: [2, 2], stride: [2, 2], padding: [0, 0], dilation: [1, 1] },
  trace: {}, det: {}, inv: {}, eyeLike: {}, diag: {}, kron: {}, commutation: {},
};

describe('notation', () => {
  const styles: Style[] = ['ascii', 'pretty', 'latex'];
  for (const name of opNames) {
    it(`${name} writes every argument in ascii, pretty and latex`, () => {
      const op = registry[name];
      const count = op.arity === 'variadic' ? 3 : op.arity;
      const args = Array.from({ length: count }, (_, i) => ({ text: `Z${i + 1}`, precedence: Precedence.atom }));
      const notation = op.notation as { write(a: typeof args, attrs: OpAttrs[OpName], style: Style): string; precedence: number | 'transparent' };
      expect(notation.precedence === 'transparent' || (notation.precedence >= Precedence.sum && notation.precedence <= Precedence.atom)).toBe(true);
      for (const style of styles) {
        const text = notation.write(args, attrsSample[name], style);
        expect(text.trim().length, `${name} in ${style}`).toBeGreaterThan(0);
        // A transparent op writes its argument as is; the others must mention each argument.
        const mentioned = notation.precedence === 'transparent' ? args.slice(0, 1) : args;
        for (const arg of mentioned) expect(text, `${name} in ${style}`).toContain(arg.text);
      }
    });
  }
});

// ---------------------------------------------------------------------------------------------
// The checker itself must be able to fail.

describe('gradcheck can fail', () => {
  const x = tensor([0.7, -1.3, 2.1]);
  it('rejects a function whose gradient misses a path (x · detach(x): reverse says x, truth is 2x)', () => {
    const result = gradcheck((t) => api.mul(t, t.detach()), [x]);
    expect(result.ok).toBe(false);
    expect(result.maxError).toBeGreaterThan(0.1);
  });
  it('rejects a wrong gradient for one input among several', () => {
    const y = tensor([[0.4, 0.9, -0.5]]);
    const result = gradcheck((a, b) => api.add(api.mul(a, b), api.mul(b.detach(), b.detach())), [x, y]);
    expect(result.ok).toBe(false);
    expect(result.details).toMatch(/input 1: .*>/);
  });
  it('accepts the same functions written correctly', () => {
    expect(gradcheck((t) => api.mul(t, t), [x]).ok).toBe(true);
    const y = tensor([[0.4, 0.9, -0.5]]);
    expect(gradcheck((a, b) => api.add(api.mul(a, b), api.mul(b, b)), [x, y]).ok).toBe(true);
  });
  it('reports instead of throwing when f throws', () => {
    const result = gradcheck((t) => api.matmul(t, t), [tensor([[1, 2, 3]])]);
    expect(result.ok).toBe(false);
    expect(result.maxError).toBe(Infinity);
    expect(result.details).toMatch(/could not run: ShapeError: matmul/);
  });
});

describe('facts the worked solutions read of the ops', () => {
  const having = (fact: 'neverZero' | 'foldsToNumber' | 'signPassesThrough') => opNames.filter((name) => registry[name][fact] === true).sort();

  it('are properties of the ops in the registry, each on the ops a reader expects', () => {
    // A product, quotient, power, exponential or sigmoid of non-zero finite numbers is never 0: a 0 is underflow.
    expect(having('neverZero')).toEqual(['div', 'exp', 'mul', 'pow', 'sigmoid']);
    // Arithmetic on numbers is folded whatever its value (2·0.1 is 0.2); functions only to simple numbers.
    expect(having('foldsToNumber')).toEqual(['add', 'div', 'mul', 'neg', 'pow', 'sub']);
    // −(a·b) = (−a)·b, −(a/b) = (−a)/b, −(A·B) = (−A)·B.
    expect(having('signPassesThrough')).toEqual(['div', 'matmul', 'mul']);
  });
});

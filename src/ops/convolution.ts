import { ShapeError } from '../errors.js';
import { backend } from '../kernels/active.js';
import type { ConvWindow } from '../kernels/backend.js';
import { slidingExtent } from '../kernels/reference/im2col.js';
import { allocate, dtypeOf, type Storage } from '../tensor/dtype.js';
import { formatShape, type Shape } from '../tensor/shape.js';
import { argAt, call, wrap } from './notation.js';
import { scratch } from './scratch.js';
import { Precedence, type ConvAttrs, type FoldAttrs, type OpDef, type UnfoldAttrs } from './types.js';

/*
 * Convolution as a teacher writes it twice: a sliding window, and the same numbers as a matrix
 * product with shared weights. `unfold` (im2col) lays each window out as a column, `conv2d` is
 * then W·cols on the backend's matmul (so BLAS and wasm speed it up), and `fold` (col2im), the
 * adjoint of unfold, carries gradients back from columns to the image. PyTorch's F.unfold,
 * F.fold and F.conv2d semantics and layouts: images [N, C, H, W], weights [Cout, C/groups, kH, kW].
 */

const pairText = (pair: readonly [number, number]) => `(${pair[0]}, ${pair[1]})`;

function checkWindow(op: string, window: Omit<ConvWindow, 'kernel'> & { kernel?: readonly [number, number] }): void {
  const checks: [string, readonly number[] | undefined, number][] = [
    ['kernel', window.kernel, 1], ['stride', window.stride, 1], ['padding', window.padding, 0], ['dilation', window.dilation, 1],
  ];
  for (const [name, pair, least] of checks) {
    if (pair !== undefined && (pair.length !== 2 || pair.some((v) => !Number.isInteger(v) || v < least))) {
      throw new ShapeError(`${op}: ${name} must be two whole numbers ≥ ${least}, got [${pair.join(', ')}]`);
    }
  }
}

/** The output's (oH, oW), or a ShapeError naming the op when the window does not fit the padded image. */
export function slidingOutput(op: string, shape: Shape, window: ConvWindow): [number, number] {
  const h = shape[shape.length - 2]!;
  const w = shape[shape.length - 1]!;
  const oH = slidingExtent(h, window.kernel[0], window.stride[0], window.padding[0], window.dilation[0]);
  const oW = slidingExtent(w, window.kernel[1], window.stride[1], window.padding[1], window.dilation[1]);
  if (oH < 1 || oW < 1) {
    const spanH = window.dilation[0] * (window.kernel[0] - 1) + 1;
    const spanW = window.dilation[1] * (window.kernel[1] - 1) + 1;
    throw new ShapeError(
      `${op}: a ${spanH}×${spanW} window (kernel ${pairText(window.kernel)}, dilation ${pairText(window.dilation)}) does not fit an image of ` +
      `${h}×${w} padded by ${pairText(window.padding)}: the padded image must be at least as large as the window`,
    );
  }
  return [oH, oW];
}

function needRank(op: string, what: string, shape: Shape, rank: number, layout: string): void {
  if (shape.length !== rank) throw new ShapeError(`${op}: ${what} must be ${rank}-D ${layout}, got shape ${formatShape(shape)}`);
}

/** x [N, C, H, W] → cols [N, C·kH·kW, oH·oW]: every window position as a column (im2col). */
export const unfold: OpDef<UnfoldAttrs> = {
  name: 'unfold', summary: 'every window position of an image as a column (im2col)', arity: 1, differentiable: true,
  outputShape([x = []], attrs) {
    needRank('unfold', 'the input', x, 4, '[N, C, H, W]');
    checkWindow('unfold', attrs);
    const [oH, oW] = slidingOutput('unfold', x, attrs);
    return [x[0]!, x[1]! * attrs.kernel[0] * attrs.kernel[1], oH * oW];
  },
  forward: ([x], attrs, out) => backend().im2col(x!.data, x!.shape, attrs, attrs.fill, out),
  // Linear in x (the padding value is a constant): its adjoint is col2im
  vjp: (m, { inputs: [x], gy, attrs }) => {
    const shape = m.shapeOf(x!);
    return [m.fold(gy, { ...windowOf(attrs), size: [shape[2]!, shape[3]!] })];
  },
  notation: call({ ascii: 'unfold', pretty: 'im2col', latex: '\\operatorname{im2col}' }),
};

/** cols [N, C·kH·kW, L] → [N, C, H, W]: each entry added back where unfold read it (col2im). */
export const fold: OpDef<FoldAttrs> = {
  name: 'fold', summary: 'columns summed back onto the image positions they came from (col2im)', arity: 1, differentiable: true,
  outputShape([cols = []], attrs) {
    needRank('fold', 'the columns', cols, 3, '[N, C·kH·kW, L]');
    checkWindow('fold', attrs);
    const taps = attrs.kernel[0] * attrs.kernel[1];
    const [oH, oW] = slidingOutput('fold', attrs.size, attrs);
    if (cols[1]! % taps !== 0 || cols[2] !== oH * oW) {
      throw new ShapeError(`fold: columns of shape ${formatShape(cols)} do not fit a ${attrs.kernel[0]}×${attrs.kernel[1]} window over ${attrs.size[0]}×${attrs.size[1]}: need axis 1 a multiple of ${taps} and axis 2 = ${oH}·${oW} = ${oH * oW}`);
    }
    return [cols[0]!, cols[1]! / taps, attrs.size[0], attrs.size[1]];
  },
  forward: ([cols], attrs, out, outShape) => backend().col2im(cols!.data, outShape, attrs, out),
  vjp: (m, { gy, attrs }) => [m.unfold(gy, { ...windowOf(attrs), fill: 0 })],
  notation: call({ ascii: 'fold', pretty: 'col2im', latex: '\\operatorname{col2im}' }),
};

function windowOf(attrs: ConvWindow): ConvWindow {
  return { kernel: attrs.kernel, stride: attrs.stride, padding: attrs.padding, dilation: attrs.dilation };
}

/** The sizes a conv2d of input `x` and weight `w` works with (shapes already checked). */
export interface ConvSizes {
  readonly n: number; readonly cin: number; readonly cout: number; readonly groups: number;
  /** Rows of one group's weight matrix and of its columns: (C/groups)·kH·kW. */
  readonly taps: number;
  /** Window positions: oH·oW. */
  readonly positions: number;
  readonly window: ConvWindow;
  readonly out: [number, number];
}

export function convSizes(x: Shape, w: Shape, attrs: ConvAttrs): ConvSizes {
  const window: ConvWindow = { kernel: [w[2]!, w[3]!], stride: attrs.stride, padding: attrs.padding, dilation: attrs.dilation };
  const out = slidingOutput('conv2d', x, window);
  return {
    n: x[0]!, cin: x[1]!, cout: w[0]!, groups: attrs.groups,
    taps: w[1]! * w[2]! * w[3]!, positions: out[0] * out[1], window, out,
  };
}

/** Only conv2d's own settings (the backward ops' attrs carry a size or kernel besides). */
export function convAttrsOf(attrs: ConvAttrs): ConvAttrs {
  return { stride: attrs.stride, padding: attrs.padding, dilation: attrs.dilation, groups: attrs.groups };
}

export function checkConvShapes(x: Shape, w: Shape, attrs: ConvAttrs): void {
  needRank('conv2d', 'the input', x, 4, '[N, C, H, W]');
  needRank('conv2d', 'the weight', w, 4, '[Cout, C/groups, kH, kW]');
  checkWindow('conv2d', attrs);
  const { groups } = attrs;
  if (!Number.isInteger(groups) || groups < 1) throw new ShapeError(`conv2d: groups must be a whole number ≥ 1, got ${groups}`);
  if (x[1]! % groups !== 0 || w[0]! % groups !== 0) {
    throw new ShapeError(`conv2d: groups = ${groups} must divide both the input's ${x[1]} channels and the weight's ${w[0]} output channels`);
  }
  if (w[1]! * groups !== x[1]) {
    throw new ShapeError(`conv2d: the input ${formatShape(x)} has ${x[1]} channels, but the weight ${formatShape(w)} with groups = ${groups} expects ${w[1]}·${groups} = ${w[1]! * groups} (weight axis 1 times groups)`);
  }
}

/** x as storage of `like`'s type (the matmul kernels want their operands alike). */
export function asTypeOf(x: Storage, like: Storage): Storage {
  if (dtypeOf(x) === dtypeOf(like)) return x;
  const copy = allocate(dtypeOf(like), x.length);
  copy.set(x);
  return copy;
}

/** One sample of an image batch [N, C, H, W] as the backend's kernels take it: [1, C, H, W] and its storage. */
export function sampleOf(data: Storage, shape: Shape, sample: number): { data: Storage; shape: Shape } {
  const size = shape[1]! * shape[2]! * shape[3]!;
  return { data: data.subarray(sample * size, (sample + 1) * size), shape: [1, shape[1]!, shape[2]!, shape[3]!] };
}

/**
 * y = x ∗ w (PyTorch's conv2d, a cross-correlation; no bias: the layer adds it): for each sample
 * and group, Y_g = W_g · cols_g, the weight matrix [Cout/g, (C/g)·kH·kW] shared by every position.
 * One sample at a time, its columns in reused working space: the whole batch's columns would be
 * a fresh array (7 MB for the benchmark's second layer) and out of cache by the product.
 */
export const conv2d: OpDef<ConvAttrs> = {
  name: 'conv2d', summary: '2-D convolution of images [N, C, H, W] with weights [Cout, C/groups, kH, kW]', arity: 2, differentiable: true,
  outputShape([x = [], w = []], attrs) {
    checkConvShapes(x, w, attrs);
    const { out } = convSizes(x, w, attrs);
    return [x[0]!, w[0]!, out[0], out[1]];
  },
  forward([x, w], attrs, out) {
    const sizes = convSizes(x!.shape, w!.shape, attrs);
    const { n, groups, taps, positions } = sizes;
    const weights = asTypeOf(w!.data, out);
    const coutG = sizes.cout / groups;
    const cols = scratch(out, groups * taps * positions);
    const outPerSample = sizes.cout * positions;
    for (let sample = 0; sample < n; sample++) {
      const image = sampleOf(x!.data, x!.shape, sample);
      backend().im2col(image.data, image.shape, sizes.window, 0, cols);
      // The groups as a batch: W_g (stride coutG·taps) times cols_g (stride taps·positions).
      backend().matmul(weights, cols, out.subarray(sample * outPerSample, (sample + 1) * outPerSample), {
        batch: groups, m: coutG, k: taps, n: positions, aBatchStride: coutG * taps, bBatchStride: taps * positions,
      });
    }
  },
  // Y_g = W_g·cols_g, so ∂L/∂W_g = Σ over samples of gY_g·cols_gᵀ (a sum over window positions),
  // and ∂L/∂cols_g = W_gᵀ·gY_g, which col2im adds back onto the image: the "full" convolution
  // of gY with the flipped kernel. Each is an op (convolution-backward.ts) that works sample by
  // sample as the forward pass does, with no columns of the whole batch and no transposed copies.
  vjp: (m, { inputs: [x, w], gy, attrs, needsGrad }) => {
    const xShape = m.shapeOf(x!);
    const wShape = m.shapeOf(w!);
    return [
      needsGrad[0] ? m.conv2dBackwardInput(gy, w!, { ...convAttrsOf(attrs), size: [xShape[2]!, xShape[3]!] }) : null,
      needsGrad[1] ? m.conv2dBackwardWeight(x!, gy, { ...convAttrsOf(attrs), kernel: [wShape[2]!, wShape[3]!] }) : null,
    ];
  },
  notation: {
    precedence: Precedence.product,
    write: (args, _attrs, style) => {
      const left = wrap(argAt(args, 0), Precedence.product, style);
      const right = wrap(argAt(args, 1), Precedence.power, style);
      return style === 'ascii' ? `conv2d(${argAt(args, 0).text}, ${argAt(args, 1).text})` : style === 'pretty' ? `${left} ∗ ${right}` : `${left} \\ast ${right}`;
    },
  },
};

import { ShapeError } from '../errors.js';
import { backend } from '../kernels/active.js';
import { BinaryCode } from '../kernels/codes.js';
import { formatShape, sameShape, type Shape } from '../tensor/shape.js';
import { asTypeOf, checkConvShapes, convAttrsOf, convSizes, sampleOf } from './convolution.js';
import { call } from './notation.js';
import { scratch } from './scratch.js';
import type { ConvAttrs, ConvInputGradAttrs, ConvWeightGradAttrs, OpDef } from './types.js';

/*
 * conv2d's two gradients as ops of their own, as PyTorch's convolution_backward: each goes
 * through the batch one sample at a time with that sample's columns in reused working space,
 * and reads the transposed operand of its product in place (the matmul kernels' transA/transB),
 * so a training step makes no columns of the whole batch and no transposed copies. Both are
 * linear in each input, and their vjps are conv2d and each other (second derivatives work).
 */

/** gy must be the shape conv2d of an input `x` and weight `w` gives. */
function checkGradient(op: string, x: Shape, w: Shape, gy: Shape, attrs: ConvAttrs): void {
  checkConvShapes(x, w, attrs);
  const { out } = convSizes(x, w, attrs);
  const want = [x[0]!, w[0]!, out[0], out[1]];
  if (!sameShape(want, gy)) throw new ShapeError(`${op}: the gradient must have conv2d's output shape ${formatShape(want)}, got ${formatShape(gy)}`);
}

const need4 = (op: string, what: string, shape: Shape) => {
  if (shape.length !== 4) throw new ShapeError(`${op}: ${what} must be 4-D, got shape ${formatShape(shape)}`);
};

/**
 * (gy [N, Cout, oH, oW], w [Cout, C/groups, kH, kW]) → gx [N, C, H, W] of `size` (H, W): per
 * sample and group, cols = W_gᵀ·gY_g, then col2im adds each column entry back where the window read it.
 */
export const conv2dBackwardInput: OpDef<ConvInputGradAttrs> = {
  name: 'conv2dBackwardInput', summary: "conv2d's gradient by its input: Wᵀ·gY folded back onto the image (col2im)", arity: 2, differentiable: true,
  outputShape([gy = [], w = []], attrs) {
    need4('conv2dBackwardInput', 'the gradient', gy);
    need4('conv2dBackwardInput', 'the weight', w);
    const x = [gy[0]!, w[1]! * attrs.groups, attrs.size[0], attrs.size[1]];
    checkGradient('conv2dBackwardInput', x, w, gy, attrs);
    return x;
  },
  forward([gy, w], attrs, out, outShape) {
    const sizes = convSizes(outShape, w!.shape, attrs);
    const { n, groups, taps, positions } = sizes;
    const coutG = sizes.cout / groups;
    const weights = asTypeOf(w!.data, out);
    const grads = asTypeOf(gy!.data, out);
    const cols = scratch(out, groups * taps * positions);
    const gyPerSample = sizes.cout * positions;
    for (let sample = 0; sample < n; sample++) {
      // W_gᵀ (W_g stored [coutG, taps], read transposed) times gY_g [coutG, positions].
      backend().matmul(weights, grads.subarray(sample * gyPerSample, (sample + 1) * gyPerSample), cols, {
        batch: groups, m: taps, k: coutG, n: positions, aBatchStride: coutG * taps, bBatchStride: coutG * positions, transA: true,
      });
      const image = sampleOf(out, outShape, sample);
      backend().col2im(cols, image.shape, sizes.window, image.data);
    }
  },
  // Linear in gy and in w: ⟨ggx, col2im(Wᵀ·gY)⟩ = ⟨W·im2col(ggx), gY⟩.
  vjp: (m, { inputs: [gy, w], gy: ggx, attrs, needsGrad }) => {
    const wShape = m.shapeOf(w!);
    return [
      needsGrad[0] ? m.conv2d(ggx, w!, convAttrsOf(attrs)) : null,
      needsGrad[1] ? m.conv2dBackwardWeight(ggx, gy!, { ...convAttrsOf(attrs), kernel: [wShape[2]!, wShape[3]!] }) : null,
    ];
  },
  notation: call({ ascii: 'conv2dBackwardInput', pretty: 'conv2d′x', latex: "\\operatorname{conv2d}'_x" }),
};

/**
 * (x [N, C, H, W], gy [N, Cout, oH, oW]) → gw [Cout, C/groups, kH, kW] with `kernel` (kH, kW):
 * per group, Σ over samples of gY_g·cols_gᵀ, added up sample after sample.
 */
export const conv2dBackwardWeight: OpDef<ConvWeightGradAttrs> = {
  name: 'conv2dBackwardWeight', summary: "conv2d's gradient by its weight: Σ over samples of gY·im2col(x)ᵀ", arity: 2, differentiable: true,
  outputShape([x = [], gy = []], attrs) {
    need4('conv2dBackwardWeight', 'the input', x);
    need4('conv2dBackwardWeight', 'the gradient', gy);
    const { groups } = attrs;
    if (!Number.isInteger(groups) || groups < 1 || x[1]! % groups !== 0) {
      throw new ShapeError(`conv2dBackwardWeight: groups = ${groups} must be a whole number ≥ 1 dividing the input's ${x[1]} channels`);
    }
    const w = [gy[1]!, x[1]! / groups, attrs.kernel[0], attrs.kernel[1]];
    checkGradient('conv2dBackwardWeight', x, w, gy, attrs);
    return w;
  },
  forward([x, gy], attrs, out, outShape) {
    const sizes = convSizes(x!.shape, outShape, attrs);
    const { n, groups, taps, positions } = sizes;
    const coutG = sizes.cout / groups;
    const grads = asTypeOf(gy!.data, out);
    const cols = scratch(out, groups * taps * positions);
    const product = scratch(out, out.length, 1);
    const gyPerSample = sizes.cout * positions;
    if (n === 0) out.fill(0);
    for (let sample = 0; sample < n; sample++) {
      const image = sampleOf(x!.data, x!.shape, sample);
      backend().im2col(image.data, image.shape, sizes.window, 0, cols);
      // gY_g [coutG, positions] times cols_gᵀ (cols_g stored [taps, positions], read transposed).
      backend().matmul(grads.subarray(sample * gyPerSample, (sample + 1) * gyPerSample), cols, sample === 0 ? out : product, {
        batch: groups, m: coutG, k: positions, n: taps, aBatchStride: coutG * positions, bBatchStride: taps * positions, transB: true,
      });
      if (sample > 0) backend().binary(BinaryCode.add, out, outShape, product, outShape, out, outShape);
    }
  },
  // Linear in x and in gy: ⟨ggw, Σ gY·colsᵀ⟩ = Σ ⟨ggW·cols, gY⟩ = Σ ⟨cols, ggWᵀ·gY⟩.
  vjp: (m, { inputs: [x, gy], gy: ggw, attrs, needsGrad }) => {
    const xShape = m.shapeOf(x!);
    return [
      needsGrad[0] ? m.conv2dBackwardInput(gy!, ggw, { ...convAttrsOf(attrs), size: [xShape[2]!, xShape[3]!] }) : null,
      needsGrad[1] ? m.conv2d(x!, ggw, convAttrsOf(attrs)) : null,
    ];
  },
  notation: call({ ascii: 'conv2dBackwardWeight', pretty: 'conv2d′W', latex: "\\operatorname{conv2d}'_W" }),
};

import { ShapeError } from '../errors.js';
import { backend } from '../kernels/active.js';
import { formatShape, sameShape } from '../tensor/shape.js';
import { argAt } from './notation.js';
import { spreadBack } from './reductions.js';
import { Precedence, type NoAttrs, type OpDef } from './types.js';

/**
 * Cross-entropy of softmax(z) against targets y (one-hot rows or probabilities), per row over
 * the last axis: logsumexp(z) − Σ y·z, the loss of a classifier taken from its logits z. Where
 * each row of y sums to 1 this is TF's softmax_cross_entropy_with_logits and PyTorch's
 * cross_entropy with probability targets (reduction 'none'). One op rather than a composition,
 * so that its gradient is the textbook softmax(z) − y and its forward one max-shifted pass.
 */
export const softmaxCrossEntropy: OpDef<NoAttrs> = {
  name: 'softmaxCrossEntropy', summary: 'cross-entropy of softmax(z) against y per row: logsumexp(z) − Σ y·z over the last axis', arity: 2, differentiable: true,
  outputShape([z = [], y = []]) {
    if (z.length === 0 || !sameShape(z, y)) {
      throw new ShapeError(`softmaxCrossEntropy: the logits ${formatShape(z)} and the targets ${formatShape(y)} must have one shape of at least one axis (the classes are the last axis)`);
    }
    return z.slice(0, -1);
  },
  forward([z, y], _attrs, out) {
    const classes = z!.shape[z!.shape.length - 1]!;
    backend().softmaxCrossEntropy(z!.data, y!.data, out.length, classes, out);
  },
  // ∂/∂z = g·(softmax(z) − y), ∂/∂y = −g·z, with g (one number per row) spread along its row.
  // PyTorch and TF define the loss as −Σ y·ln softmax(z) = Σy·logsumexp(z) − Σ y·z: the same
  // where Σy = 1, and so is ∂/∂y in every direction that keeps Σy = 1 (theirs, logsumexp(z) − z,
  // differs by a constant along the row); off the simplex theirs has ∂/∂z = softmax(z)·Σy − y.
  vjp: (m, { inputs: [z, y], gy, needsGrad }) => {
    const shape = m.shapeOf(z!);
    const last = shape.length - 1;
    const g = spreadBack(m, gy, shape, { axes: [last], keepdims: false });
    return [needsGrad[0] ? m.mul(g, m.sub(m.softmax(z!, last), y!)) : null, needsGrad[1] ? m.neg(m.mul(g, z!)) : null];
  },
  notation: {
    precedence: Precedence.atom,
    write: (args, _attrs, style) => {
      const [z, y] = [argAt(args, 0).text, argAt(args, 1).text];
      if (style === 'ascii') return `softmaxCrossEntropy(${z}, ${y})`;
      return style === 'pretty' ? `CE(softmax(${z}), ${y})` : `\\operatorname{CE}\\left(\\operatorname{softmax}\\left(${z}\\right), ${y}\\right)`;
    },
  },
};

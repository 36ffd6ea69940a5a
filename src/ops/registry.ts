import { abs, acos, asin, atan, cos, cosh, exp, log, sin, sinh, sqrt, tan, tanh } from './functions.js';
import { add, div, mul, neg, pow, sub } from './arithmetic.js';
import { eq, ge, gt, le, lt, ne } from './compare.js';
import { matmul } from './matmul.js';
import { maximum, minimum } from './minmax.js';
import { max, mean, sum } from './reductions.js';
import { leakyRelu, relu, sigmoid, sign, softplus, softsign, step } from './activations.js';
import { broadcastTo, concat, identity, place, reshape, slice, transpose } from './shape-ops.js';
import { logsumexp, softmax } from './softmax.js';
import { softmaxCrossEntropy } from './cross-entropy.js';
import { conv2d, fold, unfold } from './convolution.js';
import { conv2dBackwardInput, conv2dBackwardWeight } from './convolution-backward.js';
import { commutation, det, diag, eyeLike, inv, kron, trace } from './linalg.js';
import { avgPool2d, maxPool2d, maxPool2dBackward } from './pooling.js';
import type { OpAttrs, OpDef, OpName } from './types.js';

/**
 * The op registry: the one table autodiff, symbolic derivatives, explanations and pictures
 * read. The mapped type makes a missing op a compile error.
 */
export const registry: { readonly [N in OpName]: OpDef<OpAttrs[N]> } = {
  add, sub, mul, div, pow, maximum, minimum, gt, ge, lt, le, eq, ne,
  neg, exp, log, sqrt, abs, sin, cos, tanh, sigmoid, relu, step, sign, softplus, softsign, leakyRelu,
  tan, asin, acos, atan, sinh, cosh,
  matmul, sum, mean, max, softmax, logsumexp, softmaxCrossEntropy,
  identity, reshape, transpose, broadcastTo, slice, place, concat,
  unfold, fold, conv2d, conv2dBackwardInput, conv2dBackwardWeight, maxPool2d, maxPool2dBackward, avgPool2d,
  trace, det, inv, eyeLike, diag, kron, commutation,
};

export const opNames = Object.keys(registry) as OpName[];

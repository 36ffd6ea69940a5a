import type { Backend } from '../backend.js';
import { adamUpdate } from './adam.js';
import { binary, binaryScalar } from './elementwise.js';
import { unary, unaryScalar } from './unary.js';
import { biasActivation } from './fused.js';
import { col2im, im2col } from './im2col.js';
import { matmul } from './matmul.js';
import { avgPool2d, maxPool2d, maxPool2dBackward } from './pooling.js';
import { reduce } from './reduce.js';
import { softmaxCrossEntropy } from './softmax-cross-entropy.js';
import { stridedAdd, stridedCopy } from './strided.js';

/** The pure-TypeScript backend: always available, and the reference the others are tested against. */
export const referenceBackend: Backend = {
  name: 'reference', unary, binary, unaryScalar, binaryScalar, matmul, reduce, stridedCopy, stridedAdd, adamUpdate, biasActivation, softmaxCrossEntropy,
  im2col, col2im, maxPool2d, maxPool2dBackward, avgPool2d,
};

import { describe, expect, it } from 'vitest';
import * as api from '../src/autograd/api.js';
import { tensor } from '../src/autograd/create.js';
import { ShapeError } from '../src/errors.js';
import { Conv1d, Conv2d } from '../src/nn/conv.js';
import { Flatten } from '../src/nn/flatten.js';
import { MaxPool2d } from '../src/nn/pooling.js';
import { Sequential } from '../src/nn/sequential.js';

/** The convolution and pooling layers' behaviour beyond PyTorch's numbers: errors, ties, shapes. */

const image = (h: number, w: number, c = 1) => tensor(Array.from({ length: c * h * w }, (_, i) => i), { shape: [1, c, h, w] });

describe('convolution: each output is the sum of products of its window with the kernel', () => {
  it('a 2×2 kernel over a 3×3 image gives 2×2 outputs, y[0,0] = 0·1 + 1·2 + 3·3 + 4·4 = 27', () => {
    const y = api.conv2d(image(3, 3), tensor([[[[1, 2], [3, 4]]]]));
    expect(y.shape).toEqual([1, 1, 2, 2]);
    expect(Array.from(y.data)).toEqual([27, 37, 57, 67]);
  });
});

describe('max pooling: the gradient goes to the winner', () => {
  it('[[1, 5], [3, 2]] pools to 5, and the gradient 1 arriving there goes to the 5 only', () => {
    const x = tensor([[[[1, 5], [3, 2]]]], { requiresGrad: true });
    const y = api.maxPool2d(x, 2);
    expect(y.item()).toBe(5);
    y.backward();
    expect(Array.from(x.grad!.data)).toEqual([0, 1, 0, 0]);
  });
  it('tied winners share it (as max does; PyTorch gives it all to the first)', () => {
    const x = tensor([[[[4, 1], [4, 2]]]], { requiresGrad: true });
    api.maxPool2d(x, 2).backward();
    expect(Array.from(x.grad!.data)).toEqual([0.5, 0, 0.5, 0]);
  });
});

describe('shape errors name the op, the shapes and what would fit', () => {
  const message = (f: () => unknown) => {
    try {
      f();
    } catch (error) {
      expect(error).toBeInstanceOf(ShapeError);
      return (error as Error).message;
    }
    throw new Error('no error');
  };
  it('channels that do not match the weight', () => {
    expect(message(() => api.conv2d(image(4, 4, 3), tensor(new Float64Array(2 * 2 * 9), { shape: [2, 2, 3, 3] }))))
      .toBe('conv2d: the input [1, 3, 4, 4] has 3 channels, but the weight [2, 2, 3, 3] with groups = 1 expects 2·1 = 2 (weight axis 1 times groups)');
  });
  it('a window larger than the padded image', () => {
    expect(message(() => api.conv2d(image(2, 5), tensor(new Float64Array(9), { shape: [1, 1, 3, 3] }))))
      .toMatch(/^conv2d: a 3×3 window .* does not fit an image of 2×5 padded by \(0, 0\)/);
  });
  it('groups that do not divide the channels', () => {
    expect(message(() => api.conv2d(image(4, 4, 3), tensor(new Float64Array(4 * 3), { shape: [4, 1, 1, 3] }), undefined, { groups: 2 })))
      .toMatch(/^conv2d: groups = 2 must divide both the input's 3 channels and the weight's 4 output channels/);
  });
  it('an image that is not [N, C, H, W]', () => {
    expect(message(() => new Sequential([new MaxPool2d({ kernel: 2 })]).forward(tensor([[1, 2], [3, 4]]))))
      .toBe('model[0] (maxpool2d): maxPool2d: the input must be 4-D [N, C, H, W], got shape [2, 2]');
  });
  it('pooling padding beyond half the kernel', () => {
    expect(message(() => api.maxPool2d(image(4, 4), 2, { padding: 2 }))).toBe('maxPool2d: padding (2, 2) must be at most half the kernel (2, 2)');
  });
  it('a bias of the wrong length', () => {
    expect(message(() => new Conv2d(tensor(new Float64Array(8), { shape: [2, 1, 2, 2] }), tensor([1, 2, 3]))))
      .toBe('conv2d: bias must have 2 numbers (one per output channel), got shape [3]');
  });
  it('conv1d weights that are not 3-D', () => {
    expect(message(() => new Conv1d(tensor([[1, 2]])))).toMatch(/^conv1d: weights must be 3-D/);
  });
});

describe('flatten keeps the batch axis', () => {
  it('[2, 3, 4, 5] becomes [2, 60]', () => {
    const y = new Flatten().forward(tensor(new Float64Array(120), { shape: [2, 3, 4, 5] }));
    expect(y.shape).toEqual([2, 60]);
  });
});

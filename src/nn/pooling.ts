import { windowOf } from '../autograd/convolution.js';
import type { ConvWindow } from '../kernels/backend.js';
import type { Algebra } from '../ops/algebra.js';
import { avgPool, maxPool } from '../ops/pooling.js';
import { asObservations } from './conv.js';
import { Layer } from './layer.js';

/** A pooling window as PyTorch's nn.MaxPool2d/AvgPool2d take it; the stride defaults to the kernel. */
export interface PoolSettings {
  readonly kernel: number | readonly [number, number];
  readonly stride?: number | readonly [number, number];
  readonly padding?: number | readonly [number, number];
  /** One observation's shape [C, H, W]: the layer then also reads rows of C·H·W numbers as images. */
  readonly observationShape?: readonly number[];
}

/** What both pooling layers share: the window and how rows of numbers are read as images. */
export abstract class Pool2d extends Layer {
  abstract override readonly kind: 'maxpool2d' | 'avgpool2d';
  readonly window: ConvWindow;
  readonly observationShape: readonly number[] | undefined;
  constructor(settings: PoolSettings) {
    super();
    this.window = windowOf(settings.kernel, settings, settings.kernel);
    this.observationShape = settings.observationShape;
  }
}

/** The largest value of each window of each channel; the gradient goes back to the winner. */
export class MaxPool2d extends Pool2d {
  readonly kind = 'maxpool2d';
  compute<T>(m: Algebra<T>, x: T): T {
    return maxPool(m, asObservations(m, x, this.observationShape), this.window);
  }
}

/** The mean of each window of each channel; the gradient is shared equally by its kH·kW inputs. */
export class AvgPool2d extends Pool2d {
  readonly kind = 'avgpool2d';
  compute<T>(m: Algebra<T>, x: T): T {
    return avgPool(m, asObservations(m, x, this.observationShape), this.window);
  }
}

import type { Tensor } from '../autograd/tensor.js';
import { Adagrad, Adam, RMSprop } from './adaptive.js';
import type { Optimizer } from './optimizer.js';
import { SGD } from './sgd.js';

export type OptimizerName = 'sgd' | 'momentum' | 'nesterov' | 'adam' | 'rmsprop' | 'adagrad';
export const OPTIMIZER_NAMES: readonly OptimizerName[] = ['sgd', 'momentum', 'nesterov', 'adam', 'rmsprop', 'adagrad'];

export interface OptimizerSettings {
  optimizer: OptimizerName;
  lr: number;
  momentum?: number;
  betas?: readonly [number, number];
  eps?: number;
  alpha?: number;
  weightDecay?: number;
}

/** An optimizer by name, with PyTorch's defaults for what is not given (momentum 0.9). */
export function createOptimizer(parameters: readonly Tensor[], settings: OptimizerSettings): Optimizer {
  const { lr, weightDecay } = settings;
  switch (settings.optimizer) {
    case 'sgd': return new SGD(parameters, { lr, weightDecay });
    case 'momentum': return new SGD(parameters, { lr, weightDecay, momentum: settings.momentum ?? 0.9 });
    case 'nesterov': return new SGD(parameters, { lr, weightDecay, momentum: settings.momentum ?? 0.9, nesterov: true });
    case 'adam': return new Adam(parameters, { lr, weightDecay, betas: settings.betas, eps: settings.eps });
    case 'rmsprop': return new RMSprop(parameters, { lr, weightDecay, alpha: settings.alpha, eps: settings.eps });
    case 'adagrad': return new Adagrad(parameters, { lr, weightDecay, eps: settings.eps });
  }
}

import type { OptimizerSettings } from '../optim/create.js';
import type { TrainSpec } from './schema.js';

/**
 * The optimizer a file's `train:` section asks for, as createOptimizer takes it: the one place
 * that knows the file's spelling (weight_decay) of the optimizer's settings. Problem files
 * (`solve`) and training files (`train`) share it.
 */
export function optimizerSettings(train: TrainSpec): OptimizerSettings {
  return {
    optimizer: train.optimizer, lr: train.lr, momentum: train.momentum, betas: train.betas,
    eps: train.eps, alpha: train.alpha, weightDecay: train.weight_decay,
  };
}

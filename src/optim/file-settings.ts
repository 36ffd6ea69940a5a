import type { OptimizerSettings } from './create.js';

/** A file's `train:` block as the schemas spell it (snake_case, optional hyperparameters). */
export interface FileOptimizerFields {
  readonly optimizer: OptimizerSettings['optimizer'];
  readonly lr: number;
  readonly momentum?: number | undefined;
  readonly betas?: readonly [number, number] | undefined;
  readonly eps?: number | undefined;
  readonly alpha?: number | undefined;
  readonly weight_decay?: number | undefined;
}

/** The optimizer settings a problem or training file's `train:` block names: written once for every reader. */
export function optimizerSettingsFromFile(train: FileOptimizerFields): OptimizerSettings {
  return { optimizer: train.optimizer, lr: train.lr, momentum: train.momentum, betas: train.betas, eps: train.eps, alpha: train.alpha, weightDecay: train.weight_decay };
}

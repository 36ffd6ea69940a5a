import { describe, expect, it } from 'vitest';
import { optimizerSettingsFromFile as optimizerSettings } from '../optim/file-settings.js';
import { trainSchema } from './schema.js';

/** The settings of `train:` that are not the optimizer's: how many steps, on which rows, and when (update). */
/** `state` is the optimizer's memory, not a setting: solveNetwork loads it (optimizer-state.ts). */
const NOT_THE_OPTIMIZER = new Set(['batch', 'order', 'epochs', 'shuffle', 'seed', 'update', 'state']);

describe('optimizerSettings: a file’s train section as createOptimizer takes it', () => {
  it('maps every optimizer setting of the file, weight_decay to weightDecay', () => {
    const train = trainSchema.parse({ optimizer: 'adam', lr: 0.01, momentum: 0.5, betas: [0.8, 0.9], eps: 1e-6, alpha: 0.95, weight_decay: 0.1 });
    expect(optimizerSettings(train)).toEqual({ optimizer: 'adam', lr: 0.01, momentum: 0.5, betas: [0.8, 0.9], eps: 1e-6, alpha: 0.95, weightDecay: 0.1 });
  });

  it('leaves out nothing the schema accepts: each optimizer setting given alone shows up in the result', () => {
    const given: Record<string, unknown> = { optimizer: 'rmsprop', lr: 0.5, momentum: 0.25, betas: [0.5, 0.75], eps: 0.125, alpha: 0.375, weight_decay: 0.0625 };
    const settings = Object.keys(trainSchema.shape).filter((key) => !NOT_THE_OPTIMIZER.has(key));
    expect(settings.sort()).toEqual(Object.keys(given).sort());
    for (const key of settings) {
      const base = trainSchema.parse({ lr: 1 });
      const one = trainSchema.parse({ lr: 1, [key]: given[key] });
      expect(optimizerSettings(one), key).not.toEqual(optimizerSettings(base));
      expect(Object.values(optimizerSettings(one)), key).toContainEqual(given[key]);
    }
  });
});

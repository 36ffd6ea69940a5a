import { OPTIMIZER_NAMES, type OptimizerName } from '../../../src/index.js';
import { DATASET_NAMES, FEATURE_NAMES, type DatasetName, type FeatureName } from './datasets.js';
import {
  ACTIVATION_NAMES, DEFAULT_TRAINING, POINT_COUNT, REGULARIZATION_NAMES, TRAINING_LOSSES,
  type ActivationName, type RegularizationName, type TrainingLoss, type TrainingSettings,
} from './trainer.js';

/** The widest hidden layer and the most hidden layers: beyond them the picture's circles overlap. */
export const MAX_WIDTH = 16;
export const MAX_LAYERS = 6;

/** A field's value as the form or a link gives it: text from the form, any JSON value from a link. */
export type RawSettings = Readonly<Partial<Record<keyof TrainingSettings, unknown>>>;

/** What is wrong with one field: shown next to it, in the page's language, by the field's name. */
export interface SettingProblem {
  readonly field: keyof TrainingSettings;
  /** The value as given, quoted in the message. */
  readonly given: string;
  /** What a right value looks like. */
  readonly expected: string;
}

const shown = (value: unknown): string => (typeof value === 'string' ? value : JSON.stringify(value) ?? String(value));

/**
 * Read the training settings from a form or a link: each value must be right as given — no
 * silent defaults. A learning rate of 0 is taken literally (nothing is learnt). Fields the
 * source does not name take the defaults; fields it names wrongly are problems.
 */
export function checkSettings(raw: RawSettings): { settings: TrainingSettings; problems: SettingProblem[] } {
  const problems: SettingProblem[] = [];
  const take = <K extends keyof TrainingSettings>(field: K, read: (value: unknown) => TrainingSettings[K] | undefined, expected: string): TrainingSettings[K] => {
    const value = raw[field];
    if (value === undefined) return DEFAULT_TRAINING[field];
    const read_ = read(value);
    if (read_ === undefined) {
      problems.push({ field, given: shown(value), expected });
      return DEFAULT_TRAINING[field];
    }
    return read_;
  };
  const settings: TrainingSettings = {
    dataset: take('dataset', oneOf<DatasetName>(DATASET_NAMES), `one of ${DATASET_NAMES.join(', ')}`),
    hidden: take('hidden', readWidths, `widths from 1 to ${MAX_WIDTH}, comma-separated, at most ${MAX_LAYERS} layers (e.g. 8, 8), or "none"`),
    activation: take('activation', oneOf<ActivationName>(ACTIVATION_NAMES), `one of ${ACTIVATION_NAMES.join(', ')}`),
    optimizer: take('optimizer', oneOf<OptimizerName>(OPTIMIZER_NAMES), `one of ${OPTIMIZER_NAMES.join(', ')}`),
    loss: take('loss', oneOf<TrainingLoss>(TRAINING_LOSSES), `one of ${TRAINING_LOSSES.join(', ')}`),
    lr: take('lr', numberIn(0, Number.MAX_VALUE, false), 'a number ≥ 0 (0 learns nothing)'),
    batch: take('batch', numberIn(1, POINT_COUNT, true), `a whole number from 1 to ${POINT_COUNT}`),
    seed: take('seed', numberIn(0, 2 ** 31, true), 'a whole number ≥ 0'),
    dataSeed: take('dataSeed', numberIn(0, 2 ** 31, true), 'a whole number ≥ 0'),
    noise: take('noise', numberIn(0, 50, false), 'a number from 0 to 50'),
    trainPercent: take('trainPercent', numberIn(10, 90, true), 'a whole number from 10 to 90'),
    features: take('features', readFeatures, `one or more of ${FEATURE_NAMES.join(', ')}`),
    regularization: take('regularization', oneOf<RegularizationName>(REGULARIZATION_NAMES), `one of ${REGULARIZATION_NAMES.join(', ')}`),
    regularizationRate: take('regularizationRate', numberIn(0, Number.MAX_VALUE, false), 'a number ≥ 0'),
  };
  return { settings, problems };
}

function oneOf<T extends string>(names: readonly T[]): (value: unknown) => T | undefined {
  return (value) => names.find((name) => name === value);
}

/** A number in [least, most], from a number or from the form's text (blank is not 0). */
function numberIn(least: number, most: number, whole: boolean): (value: unknown) => number | undefined {
  return (value) => {
    const number = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : Number.NaN;
    return Number.isFinite(number) && number >= least && number <= most && (!whole || Number.isInteger(number)) ? number : undefined;
  };
}

/** "8, 8" or [8, 8]; "none" (or []) is a network without hidden layers. */
function readWidths(value: unknown): number[] | undefined {
  const widths = Array.isArray(value) ? value : typeof value === 'string'
    ? (value.trim().toLowerCase() === 'none' ? [] : value.split(',').map((part) => (part.trim() === '' ? Number.NaN : Number(part))))
    : undefined;
  if (widths === undefined || widths.length > MAX_LAYERS) return undefined;
  const right = widths.every((width): width is number => typeof width === 'number' && Number.isInteger(width) && width >= 1 && width <= MAX_WIDTH);
  return right ? widths : undefined;
}

function readFeatures(value: unknown): FeatureName[] | undefined {
  if (!Array.isArray(value) || value.length === 0) return undefined;
  const features = FEATURE_NAMES.filter((name) => value.includes(name));
  return features.length === value.length ? features : undefined;
}

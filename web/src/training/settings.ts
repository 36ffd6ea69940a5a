import { OPTIMIZER_NAMES, type OptimizerName } from '../../../src/index.js';
import type { Word } from '../i18n.js';
import { CsvRefusal, readCsv } from './csv-data.js';
import { DATA_NAMES, FEATURE_NAMES, type DataName, type FeatureName } from './datasets.js';
import {
  ACTIVATION_NAMES, DEFAULT_TRAINING, POINT_COUNT, REGULARIZATION_NAMES, TRAINING_LOSSES,
  type ActivationName, type RegularizationName, type TrainingLoss, type TrainingSettings,
} from './trainer.js';

/** The widest hidden layer and the most hidden layers: beyond them the picture's circles overlap. */
export const MAX_WIDTH = 16;
export const MAX_LAYERS = 6;

/** A field's value as the form or a link gives it: text from the form, any JSON value from a link. */
export type RawSettings = Readonly<Partial<Record<keyof TrainingSettings, unknown>>>;

/** What a right value looks like: a sentence of web/src/i18n.ts and the numbers or names it fills in. */
export interface Expected {
  readonly word: Word;
  readonly fill?: Readonly<Record<string, string>>;
}

/** What is wrong with one field: shown next to it, in the page's language, by the field's name. */
export interface SettingProblem {
  readonly field: keyof TrainingSettings;
  /** The value as given, quoted in the message. */
  readonly given: string;
  readonly expected: Expected;
}

const shown = (value: unknown): string => (typeof value === 'string' ? value : JSON.stringify(value) ?? String(value));

/**
 * Read the training settings from a form or a link: each value must be right as given — no
 * silent defaults. A learning rate of 0 is taken literally (nothing is learnt). Fields the
 * source does not name take the defaults; fields it names wrongly are problems.
 */
export function checkSettings(raw: RawSettings): { settings: TrainingSettings; problems: SettingProblem[] } {
  const problems: SettingProblem[] = [];
  const take = <K extends keyof TrainingSettings>(field: K, read: (value: unknown) => TrainingSettings[K] | undefined, expected: Expected): TrainingSettings[K] => {
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
    dataset: take('dataset', oneOf<DataName>(DATA_NAMES), oneOfNames(DATA_NAMES)),
    // Its length and rows are checked by readCsv below, when it is the data.
    csv: take('csv', (value) => (typeof value === 'string' ? value : undefined), { word: 'csvNotText' }),
    hidden: take('hidden', readWidths, { word: 'expectWidths', fill: { most: String(MAX_WIDTH), layers: String(MAX_LAYERS) } }),
    activation: take('activation', oneOf<ActivationName>(ACTIVATION_NAMES), oneOfNames(ACTIVATION_NAMES)),
    optimizer: take('optimizer', oneOf<OptimizerName>(OPTIMIZER_NAMES), oneOfNames(OPTIMIZER_NAMES)),
    loss: take('loss', oneOf<TrainingLoss>(TRAINING_LOSSES), oneOfNames(TRAINING_LOSSES)),
    lr: take('lr', numberIn(0, Number.MAX_VALUE, false), { word: 'expectLearningRate' }),
    batch: take('batch', numberIn(1, POINT_COUNT, true), { word: 'expectWhole', fill: { least: '1', most: String(POINT_COUNT) } }),
    seed: take('seed', numberIn(0, 2 ** 31, true), { word: 'expectWholeFrom', fill: { least: '0' } }),
    dataSeed: take('dataSeed', numberIn(0, 2 ** 31, true), { word: 'expectWholeFrom', fill: { least: '0' } }),
    noise: take('noise', numberIn(0, 50, false), { word: 'expectNumber', fill: { least: '0', most: '50' } }),
    trainPercent: take('trainPercent', numberIn(10, 90, true), { word: 'expectWhole', fill: { least: '10', most: '90' } }),
    features: take('features', readFeatures, { word: 'expectFeatures', fill: { names: FEATURE_NAMES.join(', ') } }),
    regularization: take('regularization', oneOf<RegularizationName>(REGULARIZATION_NAMES), oneOfNames(REGULARIZATION_NAMES)),
    regularizationRate: take('regularizationRate', numberIn(0, Number.MAX_VALUE, false), { word: 'expectNumberFrom', fill: { least: '0' } }),
  };
  // Your own points are read here, so that a bad row is refused in place before anything trains.
  if (settings.dataset === 'csv' && !problems.some((problem) => problem.field === 'csv')) {
    try {
      readCsv(settings.csv);
    } catch (error) {
      if (!(error instanceof CsvRefusal)) throw error;
      problems.push({ field: 'csv', given: '', expected: error.expected });
    }
  }
  return { settings, problems };
}

const oneOfNames = (names: readonly string[]): Expected => ({ word: 'expectOneOf', fill: { names: names.join(', ') } });

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

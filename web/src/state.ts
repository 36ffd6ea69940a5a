import type { Language } from './i18n.js';
import { DEFAULT_TRAINING, type TrainingSettings } from './training/trainer.js';

export type Mode = 'formula' | 'problem' | 'training';

/** Everything a teacher needs to send a link to exactly what they see. */
export interface PageState {
  mode: Mode;
  language: Language;
  formula: string;
  at: Record<string, number>;
  /** Formula mode's walk through the passes: the step shown, 0 when not walking. */
  walk: number;
  /** The example chosen in Problem mode, or '' for the user's own text. */
  example: string;
  /** The problem text when it is not an unedited example. */
  problem: string;
  /** Problem mode: the 1-based training step the network diagram shows. */
  problemStep: number;
  training: TrainingSettings;
}

export const DEFAULT_STATE: Readonly<PageState> = {
  mode: 'formula',
  language: 'en',
  formula: 'x^2 + x*y + (x+y)^2',
  at: { x: 1, y: 2 },
  walk: 0,
  example: 'exercise-4-regression',
  problem: '',
  problemStep: 1,
  training: DEFAULT_TRAINING,
};

/** The state in the URL's fragment: #mode=formula&lang=ru&f=x%5E2&at=x:1,y:2&walk=3 */
export function readState(hash: string): PageState {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  const mode = params.get('mode');
  const language = params.get('lang');
  const at = params.get('at');
  return {
    mode: mode === 'problem' || mode === 'training' ? mode : 'formula',
    language: language === 'ru' ? 'ru' : 'en',
    formula: params.get('f') ?? DEFAULT_STATE.formula,
    at: at === null ? { ...DEFAULT_STATE.at } : parseAssignment(at),
    walk: count(params.get('walk'), 0),
    example: params.get('ex') ?? (params.has('p') ? '' : DEFAULT_STATE.example),
    problem: params.get('p') ?? '',
    problemStep: count(params.get('step'), 1),
    training: readTraining(params.get('t')),
  };
}

export function writeState(state: Readonly<PageState>): string {
  const params = new URLSearchParams({ mode: state.mode, lang: state.language });
  if (state.mode === 'formula') {
    params.set('f', state.formula);
    params.set('at', Object.entries(state.at).map(([name, value]) => `${name}:${value}`).join(','));
    if (state.walk > 0) params.set('walk', String(state.walk));
  } else if (state.mode === 'training') {
    params.set('t', JSON.stringify(state.training));
  } else {
    if (state.example !== '') params.set('ex', state.example);
    else params.set('p', state.problem);
    if (state.problemStep !== 1) params.set('step', String(state.problemStep));
  }
  return `#${params.toString()}`;
}

/** A whole number ≥ 0 from the URL, or the fallback. */
function count(text: string | null, fallback: number): number {
  const value = Number(text);
  return text !== null && Number.isInteger(value) && value >= 0 ? value : fallback;
}

function parseAssignment(text: string): Record<string, number> {
  const at: Record<string, number> = {};
  for (const pair of text.split(',')) {
    const [name, value] = pair.split(':');
    const number = Number(value);
    if (name !== undefined && name !== '' && value !== undefined && Number.isFinite(number)) at[name] = number;
  }
  return at;
}

/** Training settings from JSON in the URL: each value of the right type, or the default. */
function readTraining(text: string | null): TrainingSettings {
  if (text === null) return DEFAULT_TRAINING;
  let given: unknown;
  try {
    given = JSON.parse(text);
  } catch {
    return DEFAULT_TRAINING;
  }
  if (typeof given !== 'object' || given === null) return DEFAULT_TRAINING;
  const field = (name: keyof TrainingSettings): unknown => (given as Record<string, unknown>)[name];
  const textField = <T extends string>(name: keyof TrainingSettings, fallback: T): T => (typeof field(name) === 'string' ? (field(name) as T) : fallback);
  const number = (name: keyof TrainingSettings, fallback: number) => {
    const value = field(name);
    return typeof value === 'number' && Number.isFinite(value) ? value : fallback;
  };
  const hidden = field('hidden');
  return {
    dataset: textField('dataset', DEFAULT_TRAINING.dataset),
    hidden: Array.isArray(hidden) && hidden.every((width) => typeof width === 'number') ? hidden : DEFAULT_TRAINING.hidden,
    activation: textField('activation', DEFAULT_TRAINING.activation),
    optimizer: textField('optimizer', DEFAULT_TRAINING.optimizer),
    loss: textField('loss', DEFAULT_TRAINING.loss),
    lr: number('lr', DEFAULT_TRAINING.lr),
    batch: number('batch', DEFAULT_TRAINING.batch),
    seed: number('seed', DEFAULT_TRAINING.seed),
  };
}

import type { Language } from './i18n.js';
import type { RawSettings } from './training/settings.js';
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
  /** The training settings as a link gave them, checked (and refused in place) by the training mode. */
  trainingLink: RawSettings | null;
  trainingView: TrainingView;
}

/** How the training mode shows things, and which controls a teacher has hidden for a lesson. */
export interface TrainingView {
  showTest: boolean;
  discretize: boolean;
  /** Names of hidden control groups (see TrainingMode's CONTROL_GROUPS). */
  hide: string[];
}

export const DEFAULT_VIEW: Readonly<TrainingView> = { showTest: false, discretize: false, hide: [] };

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
  trainingLink: null,
  trainingView: DEFAULT_VIEW,
};

/**
 * Variable values by the formula's own names, in a prototype-less record: a variable named
 * `constructor` or `__proto__` is just a name (never Object.prototype's), read with `valueOf`.
 */
export function variableValues(entries: Iterable<readonly [string, number]> = []): Record<string, number> {
  const values = Object.create(null) as Record<string, number>;
  for (const [name, value] of entries) values[name] = value;
  return values;
}

/** A variable's value if the record has it as its own key. */
export function valueOf(values: Readonly<Record<string, number>>, name: string): number | undefined {
  return Object.hasOwn(values, name) ? values[name] : undefined;
}

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
    at: at === null ? variableValues(Object.entries(DEFAULT_STATE.at)) : parseAssignment(at),
    walk: count(params.get('walk'), 0),
    example: params.get('ex') ?? (params.has('p') ? '' : DEFAULT_STATE.example),
    problem: params.get('p') ?? '',
    problemStep: count(params.get('step'), 1),
    training: DEFAULT_TRAINING,
    trainingLink: readTraining(params.get('t')),
    trainingView: readView(params.get('v')),
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
    if (JSON.stringify(state.trainingView) !== JSON.stringify(DEFAULT_VIEW)) params.set('v', JSON.stringify(state.trainingView));
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
  const at = variableValues();
  for (const pair of text.split(',')) {
    const [name, value] = pair.split(':');
    const number = Number(value);
    if (name !== undefined && name !== '' && value !== undefined && Number.isFinite(number)) at[name] = number;
  }
  return at;
}

/** Training settings from JSON in the URL, as given: the training mode checks each and refuses bad ones in place. */
function readTraining(text: string | null): RawSettings | null {
  if (text === null) return null;
  const given = parseJson(text);
  // Not an object at all: every field is reported as the link's text.
  if (typeof given !== 'object' || given === null || Array.isArray(given)) return { dataset: text };
  const raw: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  for (const [name, value] of Object.entries(given)) if (name in DEFAULT_TRAINING) raw[name] = value;
  return raw;
}

function readView(text: string | null): TrainingView {
  const given = text === null ? null : parseJson(text);
  if (typeof given !== 'object' || given === null) return { ...DEFAULT_VIEW, hide: [] };
  const view = given as Record<string, unknown>;
  const hide = Array.isArray(view.hide) ? view.hide.filter((name): name is string => typeof name === 'string') : [];
  return { showTest: view.showTest === true, discretize: view.discretize === true, hide };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

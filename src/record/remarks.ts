import { formatNumber } from '../formula/numbers.js';
import type { Values } from '../formula/values-text.js';
import { diagnostic } from '../trace/diagnostic.js';
import type { Diagnostic, LayerStep } from '../trace/types.js';

/**
 * What a teacher would point out at a step, from its numbers alone. A remark's `layer` counts
 * from 1 as the sheet does («первый слой»); the trace's own indices stay PyTorch's, from 0.
 */
export interface StepNumbers {
  readonly step: number;
  readonly observations: readonly number[];
  readonly loss: number;
  readonly layers: readonly Pick<LayerStep, 'index' | 'kind' | 'output' | 'gradOutput'>[];
  readonly grads: Readonly<Record<string, Values>>;
  readonly paramsBefore: Readonly<Record<string, Values>>;
  /** The parameters after this step's update (absent where nothing was updated: the run diverged), and the learning rate. */
  readonly params?: Readonly<Record<string, Values>>;
  readonly learningRate: number;
  /** The activation computed together with the loss (sigmoid + logloss): its ∂L/∂p is never used. */
  readonly fusedActivation?: number;
}

const flat = (values: Values): number[] => (typeof values === 'number' ? [values] : values.flatMap(flat));
/** Whether a parameter's numbers differ after the update: !== so that −0 for 0 is no change (none a reader sees), and NaN for NaN is none either. */
const changed = (before: Values | undefined, after: Values | undefined): boolean => {
  const [p, q] = [flat(before ?? []), flat(after ?? [])];
  return p.length !== q.length || p.some((value, i) => value !== q[i] && !(Number.isNaN(value) && Number.isNaN(q[i]!)));
};
const norm = (values: Values) => Math.sqrt(flat(values).reduce((total, value) => total + value * value, 0));
const rows = (values: Values): number[][] => (typeof values === 'number' ? [[values]] : Array.isArray(values[0]) ? (values as number[][]) : [values as number[]]);

/** A gradient this many times smaller than at the top counts as vanishing. */
const VANISHING_RATIO = 10;
/** A sigmoid output this close to 0 or 1 is saturated (its derivative below 0.01). */
const SATURATION = 0.01;

export function teacherRemarks(current: StepNumbers, previous: Pick<StepNumbers, 'step' | 'observations' | 'loss'> | undefined): Diagnostic[] {
  const remarks: Diagnostic[] = [];
  const used = current.layers.filter((layer) => layer.index !== current.fusedActivation);
  const top = used[used.length - 1];
  const topNorm = top === undefined ? 0 : norm(top.gradOutput);

  // Vanishing: the lowest layer whose arriving gradient is much smaller than at the top.
  if (topNorm > 0) {
    const vanishing = used.find((layer) => layer !== top && norm(layer.gradOutput) > 0 && topNorm / norm(layer.gradOutput) >= VANISHING_RATIO);
    if (vanishing !== undefined) {
      const ratio = topNorm / norm(vanishing.gradOutput);
      remarks.push(diagnostic('warning', 'vanishing', { layer: vanishing.index + 1, ratio: ratio >= 100 ? Math.round(ratio) : Number(ratio.toPrecision(3)) }));
    }
    // Layers whose parameters all got exactly nothing, although the loss had a gradient (an RNN's W alone may get 0).
    const layerOf = (name: string) => Number(name.split('.')[0]);
    const moving = new Set(Object.entries(current.grads).filter(([, gradient]) => norm(gradient) !== 0).map(([name]) => layerOf(name)));
    const stalled = new Set(Object.keys(current.grads).map(layerOf).filter((layer) => !moving.has(layer)));
    // "Did not change" only where it holds: momentum or Adam moves a parameter whose gradient is 0.
    for (const layer of [...stalled].sort((p, q) => p - q)) {
      const moved = Object.keys(current.grads).some((name) => layerOf(name) === layer && changed(current.paramsBefore[name], current.params?.[name] ?? current.paramsBefore[name]));
      remarks.push(diagnostic('note', moved ? 'zeroGradientMoved' : 'zeroGradient', { layer: layer + 1 }));
    }
  }

  // An update that changed nothing is said, with its reason, once: a learning rate of 0 at the
  // first step (it holds at every step); otherwise at each step where nothing moved.
  const after = current.params ?? {};
  const unchanged = current.params !== undefined && Object.keys(after).length > 0 && Object.keys(after).every((name) => !changed(current.paramsBefore[name], after[name]));
  if (unchanged && current.learningRate === 0) {
    if (previous === undefined) remarks.push(diagnostic('note', 'zeroLearningRate', {}));
  } else if (unchanged && !remarks.some((remark) => remark.code === 'zeroGradient')) {
    const allZero = Object.values(current.grads).every((gradient) => norm(gradient) === 0);
    remarks.push(diagnostic('note', allZero ? 'unchangedZeroGradient' : 'unchangedTiny', {}));
  }

  // Symmetry: a layer's units started equal and are updated equally, so they stay equal.
  for (const [name, weights] of Object.entries(current.paramsBefore)) {
    if (!name.endsWith('.weight')) continue;
    const before = rows(weights);
    const gradient = rows(current.grads[name] ?? 0);
    const columns = before[0]?.length ?? 0;
    const sameColumns = (matrix: number[][]) => columns >= 2 && matrix.every((row) => row.every((value) => value === row[0]));
    if (sameColumns(before) && gradient.length === before.length && sameColumns(gradient)) {
      remarks.push(diagnostic('warning', 'symmetry', { layer: Number(name.split('.')[0]) + 1 }));
    }
  }

  for (const layer of current.layers) {
    const output = rows(layer.output);
    if (layer.kind === 'relu') {
      const dead = (output[0] ?? []).map((_, unit) => unit).filter((unit) => output.every((row) => row[unit] === 0));
      if (dead.length > 0) remarks.push(diagnostic('note', dead.length === 1 ? 'deadReluOne' : 'deadRelu', { layer: layer.index + 1, units: dead.map((unit) => unit + 1).join(', ') }));
    }
    if (layer.kind === 'sigmoid') {
      const extreme = flat(layer.output).find((value) => value < SATURATION || value > 1 - SATURATION);
      if (extreme !== undefined) remarks.push(diagnostic('warning', 'saturated', { layer: layer.index + 1, value: formatNumber(extreme, { digits: 6 }) }));
    }
  }

  // The loss went up on the same observations: a learning rate too large, typically.
  const sameObservations = previous !== undefined && previous.observations.join() === current.observations.join();
  if (sameObservations && current.loss > previous.loss) {
    remarks.push(diagnostic('warning', 'lossUp', { before: formatNumber(previous.loss), previous: previous.step, after: formatNumber(current.loss), step: current.step }));
  }
  return remarks;
}

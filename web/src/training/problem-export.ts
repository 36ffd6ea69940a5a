import type { Dataset } from '../../../src/index.js';
import type { Trainer } from './trainer.js';

/**
 * The trained network as a problem file (JSON, which is also YAML): every layer with its
 * current weights, the loss, and as data the rows of `rows` — the next batch, so that the
 * problem mode's worked solution is the step training would take now: the same forward values,
 * loss, gradients and update. The optimizer's memory goes in `train.state` (momentum, Adam's
 * moments and its step count), so a stateful optimizer's update is the real one, not a first.
 * L1/L2 regularization has no place in a problem file and is left out of the solution.
 */
export function problemFileOf(trainer: Trainer, rows: Int32Array, title: string, stateNote = ''): string {
  const linears = trainer.weights();
  let linear = 0;
  const model = trainer.model.layers.map((layer) => {
    if (layer.kind !== 'linear') return layer.kind;
    const { inputs, outputs, weight, bias } = linears[linear++]!;
    const matrix = Array.from({ length: inputs }, (_, i) => Array.from(weight.subarray(i * outputs, (i + 1) * outputs)));
    return { linear: { weights: matrix, bias: Array.from(bias) } };
  });
  const data = trainer.train;
  const { optimizer, lr } = trainer.settings;
  const state = optimizerState(trainer);
  // The worked solution says where the optimizer's numbers come from ({steps} and {next} filled in).
  const note = state === null || stateNote === '' ? '' : stateNote.replace('{steps}', String(state.steps)).replace('{next}', String(state.steps + 1));
  return `${JSON.stringify({
    title: { en: title, ru: title },
    ...(note === '' ? {} : { note: { en: note, ru: note } }),
    model,
    loss: trainer.loss,
    data: { x: [...rows].map((row) => rowOf(data, row)), y: [...rows].map((row) => targetOf(data, row, trainer.classes)) },
    train: { optimizer, lr, batch: rows.length, epochs: 1, ...(state === null ? {} : { state }) },
  }, null, 1)}\n`;
}

/** The optimizer's memory in the file's spelling: per parameter, each buffer shaped as the parameter. */
function optimizerState(trainer: Trainer): { steps: number; parameters: Record<string, unknown>[] } | null {
  const saved = trainer.stepper.optimizer.saveState();
  if (saved.steps === 0 || saved.buffers.size === 0) return null;
  const parameters = trainer.model.namedParameters().flatMap(([name, parameter], index) => {
    const entry: Record<string, unknown> = { parameter: name };
    for (const [state, buffers] of saved.buffers) {
      const buffer = buffers[index];
      if (buffer !== undefined) entry[state] = shaped(buffer, parameter.shape);
    }
    return Object.keys(entry).length > 1 ? [entry] : [];
  });
  return { steps: saved.steps, parameters };
}

function shaped(values: Float64Array, shape: readonly number[]): number[] | number[][] {
  if (shape.length < 2) return Array.from(values);
  const columns = shape[1]!;
  return Array.from({ length: shape[0]! }, (_, i) => Array.from(values.subarray(i * columns, (i + 1) * columns)));
}

const rowOf = (data: Dataset, row: number): number[] => Array.from(data.x.subarray(row * data.features, (row + 1) * data.features));
/** A row's target: its label (two classes, one output), a one-hot row (more classes), or its value (regression). */
function targetOf(data: Dataset, row: number, classes: number): number[] {
  if (data.labels === null) return [data.targets![row]!];
  const label = data.labels[row]!;
  return classes > 2 ? Array.from({ length: classes }, (_, k) => (k === label ? 1 : 0)) : [label];
}

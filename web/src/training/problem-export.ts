import type { Dataset } from '../../../src/index.js';
import type { Trainer } from './trainer.js';

/**
 * The trained network as a problem file (JSON, which is also YAML): every layer with its
 * current weights, the loss, and as data the rows of `rows` — the next batch, so that the
 * problem mode's worked solution is the step training would take now: the same forward values,
 * loss and gradients. The update is the optimizer's first one: a problem file starts Adam's or
 * momentum's running averages afresh (plain SGD's update is the very same).
 */
export function problemFileOf(trainer: Trainer, rows: Int32Array, title: string): string {
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
  return `${JSON.stringify({
    title: { en: title, ru: title },
    model,
    loss: trainer.loss,
    data: { x: [...rows].map((row) => rowOf(data, row)), y: [...rows].map((row) => targetOf(data, row)) },
    train: { optimizer, lr, batch: rows.length, epochs: 1 },
  }, null, 1)}\n`;
}

const rowOf = (data: Dataset, row: number): number[] => Array.from(data.x.subarray(row * data.features, (row + 1) * data.features));
const targetOf = (data: Dataset, row: number): number[] => (data.labels !== null ? [data.labels[row]!] : [data.targets![row]!]);

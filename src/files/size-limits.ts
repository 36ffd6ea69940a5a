import { InputError } from '../errors.js';
import { spatialParameters } from './conv-layers.js';
import { isRecurrentPlan, moreLayerParameters } from './more-layers.js';
import type { LayerPlan, NetworkProblem } from './plan.js';
import type { Problem } from './problem-error.js';

/*
 * Sizes refused before any work (docs/limits.md). A hand-worked problem keeps every number of
 * every step in its trace (inputs, outputs, gradients, the worked products, the weights before
 * and after), so its memory grows with rows × parameters × epochs; a training run keeps only the
 * model, so it is refused only when the model itself cannot be allocated.
 */

/**
 * The most numbers a hand-worked problem's trace may hold: a few seconds and a few hundred MB at
 * the limit (measured: exercise 2 for 700 epochs counts 932,400: solve 3.6 s and 265 MB resident,
 * --json 4.3 s, 350 MB and 38 MB of JSON).
 */
export const MAX_TRACE_NUMBERS = 1_000_000;

/** What each layer's record costs in every step beyond its numbers (formulas, the worked lines), counted as numbers. */
const STEP_COST_PER_LAYER = 100;

/** The most weights and biases a trained model may have: with gradients and Adam's two moments, 4 copies. */
export const MAX_MODEL_PARAMETERS = 50_000_000;

const plain = (value: number) => Math.round(value).toLocaleString('en-US');
/** Large estimates (1e9 epochs) print as 1.2e+15 rather than sixteen digits. */
const approximately = (value: number) => (value < 1e9 ? plain(value) : value.toExponential(1));

/** The weights and biases of the linear layers, and the widths each layer reads and writes (Σ in + out). */
function layerSizes(layers: readonly LayerPlan[], inputWidth: number): { parameters: number; widths: number } {
  let parameters = 0;
  let widths = 0;
  let width = inputWidth;
  for (const layer of layers) {
    const before = width;
    if (layer.kind === 'linear') {
      parameters += layer.inputs * layer.outputs + (layer.bias === null ? 0 : layer.outputs);
      width = layer.outputs;
    } else if ('outputShape' in layer && layer.outputShape !== null) {
      parameters += layer.kind === 'batchnorm2d' ? moreLayerParameters(layer, () => 0) : spatialParameters(layer);
      width = layer.outputShape.reduce((product, extent) => product * extent, 1);
      // A convolution's worked solution writes each output, and each input's gradient, as a sum of kH·kW·C/groups products.
      if (layer.kind === 'conv2d' || layer.kind === 'conv1d') widths += 2 * width * layer.kernel[0] * layer.kernel[1] * (layer.inChannels / layer.groups);
    } else {
      parameters += moreLayerParameters(layer, (body) => layerSizes(body, width).parameters);
      if (isRecurrentPlan(layer) && layer.output !== 'all') width = layer.hidden;
    }
    widths += before + width;
  }
  return { parameters, widths };
}

/**
 * The numbers a network problem's trace would hold. Each step records, per layer, the input and
 * output and the gradients by both (2 × batch × (in + out)), the worked products (x^T·d: batch
 * terms per weight) and the weights before, their gradients and after with the update's working
 * (about 6 per weight), plus the cost of each layer's record. The estimate errs towards the larger.
 */
export function networkTraceNumbers(problem: Pick<NetworkProblem, 'layers' | 'data' | 'train'>): { total: number; steps: number; perStep: number } {
  const rows = problem.data.x.length;
  const batch = Math.min(problem.train.batch ?? rows, rows);
  const { parameters, widths } = layerSizes(problem.layers, problem.data.x[0]?.length ?? 0);
  const perStep = 2 * batch * widths + parameters * (batch + 6) + STEP_COST_PER_LAYER * problem.layers.length;
  const steps = problem.train.epochs * Math.ceil(rows / batch);
  return { total: steps * perStep, steps, perStep };
}

/**
 * Refuse to solve a network problem whose trace would not fit (the estimate and the limit in the
 * message). Checked when solving, not when reading: export reads the same file for its weights only.
 */
export function checkTraceSize(problem: Pick<NetworkProblem, 'layers' | 'data' | 'train'>): void {
  const { total, steps, perStep } = networkTraceNumbers(problem);
  if (total <= MAX_TRACE_NUMBERS) return;
  throw new InputError(`the worked solution would hold about ${approximately(total)} numbers (${approximately(steps)} step${steps === 1 ? '' : 's'} × ${approximately(perStep)} per step); a hand-worked problem may hold at most ${plain(MAX_TRACE_NUMBERS)}: use fewer epochs, rows or weights, or mashagrad train for a large run`);
}

/** Refuse a model whose weights cannot be allocated, before allocating any. */
export function checkModelSize(layers: readonly LayerPlan[], problems: Problem[]): void {
  const { parameters } = layerSizes(layers, 0);
  if (parameters <= MAX_MODEL_PARAMETERS) return;
  const largest = layers.reduce((best, layer, index) =>
    layer.kind === 'linear' && (best === null || layer.inputs * layer.outputs > best.size) ? { index, size: layer.inputs * layer.outputs } : best, null as { index: number; size: number } | null);
  problems.push({
    path: largest === null ? 'model' : `model[${largest.index}].linear`,
    message: `the model would have ${approximately(parameters)} weights and biases${largest === null ? '' : ` (this layer ${approximately(largest.size)})`}; at most ${plain(MAX_MODEL_PARAMETERS)} can be trained here: make the layers narrower (in, out)`,
  });
}

import type { PortableLayer } from './layers.js';

/*
 * A problem file (YAML) for imported layers, so a model trained elsewhere can be solved, explained
 * and drawn: small models with their numbers written out, larger ones naming their weights file.
 */

/** Above this many parameters the numbers stay in the weights file (a sheet's network has a handful). */
export const INLINE_PARAMETERS = 200;

export interface ProblemTextOptions {
  readonly title: string;
  /** The weights file as the problem file should name it (relative to the problem file). */
  readonly weightsFile: string;
  readonly loss?: string;
  /** .npy files of observations and targets (relative to the problem file). */
  readonly x?: string;
  readonly y?: string;
  readonly lr?: number;
  /** Where the model came from, for the header comment. */
  readonly source: string;
}

/** The shortest number that is the same float32 (0.1, not 0.10000000149011612), else the number itself. */
function shortest(value: number): string {
  if (Math.fround(value) !== value || !Number.isFinite(value)) return String(value);
  for (let digits = 1; digits <= 9; digits++) {
    const text = Number(value.toPrecision(digits));
    if (Math.fround(text) === value) return String(text);
  }
  return String(value);
}

const list = (values: readonly number[]): string => `[${values.map(shortest).join(', ')}]`;

/** The loss the last layer suggests: softmax → cross_entropy, sigmoid → logloss, else mse. */
export function suggestedLoss(layers: readonly PortableLayer[]): string {
  const last = layers[layers.length - 1]?.kind;
  return last === 'softmax' ? 'cross_entropy' : last === 'sigmoid' ? 'logloss' : 'mse';
}

const parameterCount = (layers: readonly PortableLayer[]): number =>
  layers.reduce((count, layer) => count + (layer.kind === 'linear' ? layer.weights.length * (layer.weights[0]?.length ?? 0) + (layer.bias?.length ?? 0) : 0), 0);

export function problemText(layers: readonly PortableLayer[], options: ProblemTextOptions): string {
  const inline = parameterCount(layers) <= INLINE_PARAMETERS;
  const linears = layers.filter((layer) => layer.kind === 'linear');
  const inputs = linears[0]?.weights.length ?? 0;
  const outputs = linears[linears.length - 1]?.weights[0]?.length ?? 0;
  const loss = options.loss ?? suggestedLoss(layers);
  const lines = [
    `# Imported by mashagrad import from ${JSON.stringify(options.source)}. Weights are in the sheet's layout, W: [inputs, outputs].`,
    `title: ${JSON.stringify(options.title)}`,
  ];
  if (!inline) lines.push(`# ${parameterCount(layers)} parameters: the numbers stay in the weights file.`, `weights: ${JSON.stringify(options.weightsFile)}`);
  lines.push('model:');
  for (const layer of layers) {
    if (layer.kind === 'linear') {
      const outputsOf = layer.weights[0]?.length ?? 0;
      lines.push(inline
        ? `  - linear: { weights: [${layer.weights.map(list).join(', ')}], bias: ${layer.bias === null ? 'false' : list(layer.bias)} }`
        : `  - linear: { in: ${layer.weights.length}, out: ${outputsOf} }`);
    } else if (layer.kind === 'leaky_relu') {
      lines.push(`  - leaky_relu: { slope: ${layer.slope} }`);
    } else {
      lines.push(`  - ${layer.kind}`);
    }
  }
  lines.push(`loss: ${loss}`, 'data:');
  if (options.x !== undefined && options.y !== undefined) {
    lines.push(`  x: ${JSON.stringify(options.x)}`, `  y: ${JSON.stringify(options.y)}`);
  } else {
    // One observation to start from: a row of zeros, and a target of the right width (class 0 for a classifier).
    const target = Array.from({ length: outputs }, (_, i) => (loss === 'cross_entropy' && i === 0 ? 1 : 0));
    lines.push('  # Your observations: one row per observation (or x: observations.npy, y: targets.npy).', `  x: [${list(new Array<number>(inputs).fill(0))}]`, `  y: [${list(target)}]`);
  }
  lines.push(`train: { lr: ${options.lr ?? 0.1} }`, '');
  return lines.join('\n');
}

import type { LayerStep, NetworkTrace, Values } from '../../../src/index.js';
import type { Word } from '../i18n.js';

/** Which weight or bias was clicked: linear layer k, from input i to output j (to null: the bias of neuron i). */
export interface PartChoice {
  readonly layer: number;
  readonly from: number;
  readonly to: number | null;
}

/** One line of a neuron's or a weight's part of the step: what it is, the layer's formula, its numbers. */
export interface PartLine {
  /** What the line is, in the page's words. */
  readonly what: Word;
  /** The layer's formula it comes from (as the worked solution prints it), or '' for a sentence-only line. */
  readonly formula: string;
  /** Which entry of the formula's result this is: `H₁[:, 2]`, `W₁[1, 2]`. */
  readonly entry: string;
  /** One number per row of the batch, or one number. */
  readonly values: readonly number[];
  /** A key the tests read: input, forward, activation, arriving, local, passed, localWeight, gradient, before, update, after. */
  readonly key: string;
}

export interface StepPart {
  /** The parameter's name as the worked solution writes it (W₁[1, 2], b₂[3]). */
  readonly name: string;
  readonly lines: readonly PartLine[];
}

const rowsOf = (values: Values): Values[] => (Array.isArray(values) ? values : [values]);
/** Column j of a [rows, width] matrix: one number per row of the batch. */
const column = (values: Values, j: number): number[] => rowsOf(values).map((row) => Number(Array.isArray(row) ? row[j] : row));
/** The entry at [i] or [i, j] of a parameter's values (a vector or a matrix). */
function entry(values: Values, i: number, j: number | null): number {
  const row = rowsOf(values)[i];
  return Number(j === null || !Array.isArray(row) ? row : row[j]);
}
const subscript = (n: number) => String(n + 1);

/**
 * A neuron's or a weight's part of one worked training step, cut from the trace the worked
 * solution is written from (the same numbers, the same formulas): for a neuron its weighted sum
 * and output, the gradient arriving, the activation's local derivative, the gradient at the sum,
 * its bias's gradient and update; for a weight the input it multiplies, the neuron's sum, the
 * gradient at the sum, the local derivative (the input), its gradient and update. Training mode
 * cuts the one step of its problem file; Problem mode the step its picture shows.
 */
export function stepPart(trace: NetworkTrace, choice: PartChoice, stepNumber = 1): StepPart {
  const step = trace.steps.find((entry) => entry.step === stepNumber);
  if (step === undefined) throw new Error(`the problem has no training step ${stepNumber}`);
  const linear = trace.model.filter((layer) => layer.kind === 'linear')[choice.layer];
  if (linear === undefined) throw new Error(`the network has no linear layer ${choice.layer + 1}`);
  const record = layerRecord(step.layers, linear.index);
  const formulas = trace.formulas[linear.index]!;
  const next = trace.model[linear.index + 1];
  const activation = next !== undefined && next.kind !== 'linear' ? layerRecord(step.layers, next.index) : undefined;
  const activationFormulas = activation === undefined ? undefined : trace.formulas[activation.index];
  const neuron = choice.to ?? choice.from;
  const key = `${linear.index}.${choice.to === null ? 'bias' : 'weight'}`;
  const symbol = formulas.parameters[key]?.pretty ?? key;
  const at = choice.to === null ? [choice.from, null] as const : [choice.from, choice.to] as const;
  const index = choice.to === null ? `[${subscript(choice.from)}]` : `[${subscript(choice.from)}, ${subscript(choice.to)}]`;
  const sum = `${formulas.output.pretty}[:, ${subscript(neuron)}]`;
  // A problem file's layer may have no bias: its neuron's part ends with the gradient at its sum.
  const hasParameter = step.paramsBefore[key] !== undefined;
  const name = hasParameter ? `${symbol}${index}` : sum;
  const lines: PartLine[] = [];
  const add = (key: string, what: Word, formula: string, entryName: string, values: readonly number[]) => lines.push({ key, what, formula, entry: entryName, values });

  if (choice.to !== null) add('input', 'partInput', '', `${formulas.input.pretty}[:, ${subscript(choice.from)}]`, column(record.input, choice.from));
  add('forward', 'partSum', `${formulas.output.pretty} = ${record.worked.forward.formula.pretty}`, sum, column(record.output, neuron));
  if (activation !== undefined && activationFormulas !== undefined) {
    const out = `${activationFormulas.output.pretty}[:, ${subscript(neuron)}]`;
    add('activation', 'partActivation', `${activationFormulas.output.pretty} = ${activation.worked.forward.formula.pretty}`, out, column(activation.output, neuron));
    add('arriving', 'partArriving', '', `∂L/∂${out}`, column(activation.gradOutput, neuron));
    if (activation.kind === 'softmax') {
      // Softmax's derivative is a matrix per example (every output depends on every sum): no column of it is this neuron's.
      add('passed', 'partPassedSoftmax', activation.worked.gradInput.formula.pretty, `∂L/∂${sum}`, column(record.gradOutput, neuron));
    } else {
      add('local', 'partLocal', activation.worked.localDerivative.formula.pretty, out, column(activation.worked.localDerivative.result, neuron));
      add('passed', 'partPassed', '', `∂L/∂${sum}`, column(record.gradOutput, neuron));
    }
  } else {
    add('passed', 'partArrivingSum', '', `∂L/∂${sum}`, column(record.gradOutput, neuron));
  }
  if (!hasParameter) return { name, lines };
  if (choice.to !== null) add('localWeight', 'partLocalWeight', `∂${sum}/∂${name}`, `${formulas.input.pretty}[:, ${subscript(choice.from)}]`, column(record.input, choice.from));
  const gradient = record.worked.grads[key];
  add('gradient', 'partGradient', gradient === undefined ? '' : `∂L/∂${symbol} = ${gradient.formula.pretty}`, `∂L/∂${name}`, [entry(step.grads[key]!, at[0], at[1])]);
  add('before', 'before', '', name, [entry(step.paramsBefore[key]!, at[0], at[1])]);
  for (const line of record.worked.updates[key] ?? []) {
    const target = line.target.pretty;
    add(line.target.pretty === symbol ? 'after' : 'update', 'partUpdate', `${target} ${line.assigns ? '←' : '='} ${line.formula.pretty}`, `${target}${index}`, [entryOr(line.result, at[0], at[1])]);
  }
  return { name, lines };
}

/** An update line's result at the entry (a scalar result, such as a shared number, as it is). */
const entryOr = (values: Values, i: number, j: number | null): number => (typeof values === 'number' ? values : entry(values, i, j));

function layerRecord(layers: readonly LayerStep[], index: number): LayerStep {
  const record = layers.find((layer) => layer.index === index);
  if (record === undefined) throw new Error(`the step has no record of layer ${index + 1}`);
  return record;
}

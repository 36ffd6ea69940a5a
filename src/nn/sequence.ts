import type { Tensor } from '../autograd/tensor.js';
import { ShapeError } from '../errors.js';
import type { Algebra } from '../ops/algebra.js';
import { formatShape } from '../tensor/shape.js';

/*
 * What the recurrent layers (rnn, gru, lstm) share: reading a sequence, step by step, from
 * [N, T, inputs] or from rows of T·inputs numbers, and laying out the states they pass on.
 */

/**
 * What a recurrent layer passes on: the last hidden state [N, hidden]; every step's [N, T, hidden]
 * ('all': [N, T·hidden] for rows in); or every step's state as rows of their own ('steps':
 * [T·N, hidden], the N rows of step 1, then of step 2 …), so that the layers after it act at
 * every step, as PyTorch's nn.Linear acts on the last axis of [N, T, hidden].
 */
export type RecurrentOutput = 'last' | 'all' | 'steps';

/** The number of time steps of an input [N, T, inputs] or rows [N, T·inputs]. */
export const stepsIn = (shape: readonly number[], inputs: number): number => (shape.length === 3 ? shape[1]! : shape[1]! / inputs);

/** Refuses an input that is not [N, T, inputs] or rows of whole steps. */
export function checkSequence(kind: string, x: Tensor, inputs: number): void {
  const features = x.shape[x.rank - 1]!;
  const fits = x.rank === 3 ? features === inputs : x.rank === 2 && features > 0 && features % inputs === 0;
  if (!fits) throw new ShapeError(`${kind}: expects [observations, steps, ${inputs}] or rows of steps × ${inputs} numbers, got ${formatShape(x.shape)}`);
}

/** Each step's input xₜ [N, inputs]. */
export function stepInputs<T>(m: Algebra<T>, x: T, inputs: number): T[] {
  const shape = m.shapeOf(x);
  const [rows, steps] = [shape[0]!, stepsIn(shape, inputs)];
  const sequence = shape.length === 3 ? x : m.reshape(x, [rows, steps, inputs]);
  return Array.from({ length: steps }, (_, t) => m.reshape(m.slice(sequence, [0, t, 0], [rows, t + 1, inputs]), [rows, inputs]));
}

/** The states [N, hidden] of every step, laid out as `returns` asks, for an input of shape `shape`. */
export function sequenceOutput<T>(m: Algebra<T>, states: readonly T[], returns: RecurrentOutput, shape: readonly number[], hidden: number): T {
  if (returns === 'last') return states[states.length - 1]!;
  // One row per observation and step out, step by step: the states stacked.
  if (returns === 'steps') return m.concat(states, 0);
  const rows = shape[0]!;
  const all = m.concat(states.map((state) => m.reshape(state, [rows, 1, hidden])), 1);
  // Rows in, rows out: a problem file's next layer reads steps × hidden numbers per row.
  return shape.length === 3 ? all : m.reshape(all, [rows, states.length * hidden]);
}

/**
 * Targets written one row per observation, steps × outputs numbers (y₁, y₂, … of a sequence),
 * laid out as a recurrent layer with output 'steps' lays out its states: one row per step and
 * observation, the N rows of step 1 first.
 */
export function rowsByStep(rows: readonly (readonly number[])[], steps: number): number[][] {
  const width = (rows[0]?.length ?? 0) / steps;
  return Array.from({ length: steps }, (_, t) => rows.map((row) => row.slice(t * width, (t + 1) * width))).flat();
}

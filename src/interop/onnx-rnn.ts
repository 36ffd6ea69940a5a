import type { MoreLayer } from './more-layers.js';
import { ATTRIBUTE_TYPE, DATA_TYPE, type NodeMessage, type TensorMessage } from './onnx-messages.js';

/*
 * mashagrad's rnn in ONNX (opset 13): the RNN operator wants time first, [steps, batch, inputs],
 * weights stacked by direction (W [1, hidden, inputs], R [1, hidden, hidden], B [1, 2·hidden])
 * and the initial state for every observation [1, batch, hidden]; so the cell is wrapped in
 * Transpose, Expand (h0 to the batch) and Squeeze. Rows in (after another layer) are reshaped to
 * [batch, steps, inputs] first, and every step's states go out as rows again, as in mashagrad.
 */

type RnnLayer = Extract<MoreLayer, { kind: 'rnn' }>;

/** Floats in the export's element type, made by the caller (float32 or float64). */
export type FloatTensor = (name: string, shape: readonly number[], values: readonly number[]) => TensorMessage;

function int64Tensor(name: string, values: readonly number[]): TensorMessage {
  const raw = new Uint8Array(values.length * 8);
  const view = new DataView(raw.buffer);
  values.forEach((value, i) => view.setBigInt64(i * 8, BigInt(value), true));
  return { name, dims: [values.length], dataType: DATA_TYPE.INT64, rawData: raw };
}

/** The nodes and initializers of the rnn whose state-dict prefix is `index`. */
export function rnnNodes(layer: RnnLayer, index: string, input: string, output: string, rowsIn: boolean, floats: FloatTensor): { nodes: NodeMessage[]; initializers: TensorMessage[] } {
  const [hidden, inputs] = [layer.weightIh.shape[0]!, layer.weightIh.shape[1]!];
  const at = (what: string) => `/${index}/${what}`;
  const nodes: NodeMessage[] = [];
  const node = (opType: string, from: string[], to: string[], attribute: NodeMessage['attribute'] = []) => nodes.push({ name: at(`${opType}_${nodes.length}`), opType, input: from, output: to, attribute });
  const initializers: TensorMessage[] = [
    floats(`${index}.W`, [1, hidden, inputs], layer.weightIh.data),
    floats(`${index}.R`, [1, hidden, hidden], layer.weightHh.data),
    floats(`${index}.initial_h`, [1, 1, hidden], layer.h0),
    int64Tensor(`${index}.axis0`, [0]),
    int64Tensor(`${index}.axis1`, [1]),
  ];
  const hasBias = layer.biasIh !== null || layer.biasHh !== null;
  const zeros = new Array<number>(hidden).fill(0);
  if (hasBias) initializers.push(floats(`${index}.B`, [1, 2 * hidden], [...(layer.biasIh ?? zeros), ...(layer.biasHh ?? zeros)]));
  let sequence = input;
  if (rowsIn) {
    initializers.push(int64Tensor(`${index}.sequence_shape`, [0, -1, inputs]));
    node('Reshape', [input, `${index}.sequence_shape`], [at('sequence')]);
    sequence = at('sequence');
  }
  const perm = { name: 'perm', type: ATTRIBUTE_TYPE.INTS, ints: [1, 0, 2] };
  node('Transpose', [sequence], [at('time_first')], [perm]);
  // [1, batch, 1] from the input's shape, so h0 [1, 1, hidden] expands to [1, batch, hidden].
  node('ReduceMean', [at('time_first')], [at('batch_probe')], [{ name: 'axes', type: ATTRIBUTE_TYPE.INTS, ints: [0, 2] }, { name: 'keepdims', type: ATTRIBUTE_TYPE.INT, i: 1 }]);
  node('Shape', [at('batch_probe')], [at('batch_shape')]);
  node('Expand', [`${index}.initial_h`, at('batch_shape')], [at('h0')]);
  node('RNN', [at('time_first'), `${index}.W`, `${index}.R`, hasBias ? `${index}.B` : '', '', at('h0')], [at('Y'), at('Y_h')], [
    { name: 'hidden_size', type: ATTRIBUTE_TYPE.INT, i: hidden },
    ...(layer.relu ? [{ name: 'activations', type: ATTRIBUTE_TYPE.STRINGS, strings: [new TextEncoder().encode('Relu')] }] : []),
  ]);
  if (layer.last) {
    node('Squeeze', [at('Y_h'), `${index}.axis0`], [output]);
  } else if (layer.steps) {
    // Y is [steps, 1, batch, hidden]: every step's states as rows, the rows of step 1 first.
    initializers.push(int64Tensor(`${index}.step_rows_shape`, [-1, hidden]));
    node('Reshape', [at('Y'), `${index}.step_rows_shape`], [output]);
  } else {
    node('Squeeze', [at('Y'), `${index}.axis1`], [at('states')]);
    node('Transpose', [at('states')], [rowsIn ? at('batch_first') : output], [perm]);
    if (rowsIn) {
      initializers.push(int64Tensor(`${index}.rows_shape`, [0, -1]));
      node('Reshape', [at('batch_first'), `${index}.rows_shape`], [output]);
    }
  }
  return { nodes, initializers };
}

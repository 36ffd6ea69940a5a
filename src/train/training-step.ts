import { tensorAlgebra } from '../autograd/apply.js';
import { zeros } from '../autograd/create.js';
import { gradients } from '../autograd/functional.js';
import { traceAll } from '../autograd/grad-mode.js';
import type { Tensor } from '../autograd/tensor.js';
import { compile, type Compiled } from '../compile/compile.js';
import { computeLoss, foldsLastLayer, type LossName } from '../nn/losses.js';
import type { Sequential } from '../nn/sequential.js';
import type { DType, Storage } from '../tensor/dtype.js';

/** The model's layers as one function over tensors, each layer's compute() as declared. */
function forwardAll(model: Sequential, layers: number, x: Tensor): Tensor {
  let h = x;
  for (let i = 0; i < layers; i++) {
    const layer = model.layers[i]!;
    h = layer.compute(tensorAlgebra, h, layer.computeInputs());
  }
  return h;
}

/** How many layers run before the loss, and whether it takes their output as logits (see foldsLastLayer). */
export function lossPlan(model: Sequential, loss: LossName): { layers: number; fromLogits: boolean } {
  const fused = foldsLastLayer(loss, model.layers[model.layers.length - 1]?.kind);
  return { layers: model.layers.length - (fused ? 1 : 0), fromLogits: fused };
}

/** A compiled forward + backward for batches of one size: write x and y, run, read loss and gradients. */
export interface TrainingStep {
  readonly batch: number;
  /** The input rows of the batch, [batch, features]: write them before run(). */
  readonly x: Storage;
  /** The targets, [batch, outputs] (one-hot rows for classification). */
  readonly y: Storage;
  /** After run(): the loss (one number) and the model's output before a folded activation. */
  readonly loss: Storage;
  readonly output: Storage;
  /** After run(): one gradient buffer per model parameter, in model.parameters() order (none when compiled without). */
  readonly gradients: readonly Storage[];
  run(): void;
  readonly compiled: Compiled;
}

export interface StepShape {
  readonly batch: number;
  readonly features: number;
  readonly outputs: number;
  readonly dtype: DType;
}

/**
 * Trace one forward + backward pass of `model` under `loss` for a batch of the given shape and
 * compile it. Parameters are read in place at every run, so an optimizer updating them in
 * place (Optimizer.stepWith) is all a training loop needs besides writing the batch.
 */
export function compileTrainingStep(model: Sequential, loss: LossName, shape: StepShape, options: { gradients?: boolean } = {}): TrainingStep {
  const { layers, fromLogits } = lossPlan(model, loss);
  const x = zeros([shape.batch, shape.features], shape.dtype);
  const y = zeros([shape.batch, shape.outputs], shape.dtype);
  // Marked as wanting gradients only so that everything computed from them is traced.
  x.requiresGrad = true;
  y.requiresGrad = true;
  const parameters = model.parameters();
  // A step with gradients is traced in training mode (dropout drops, batch norm uses the batch),
  // one without (evaluation) in evaluation mode; the mode is fixed into what the replay runs.
  const training = options.gradients !== false;
  const traced = model.inMode(training, () => traceAll(() => {
    const output = forwardAll(model, layers, x);
    const value = computeLoss(loss, output, y, fromLogits);
    // Without gradients (evaluation), the replay is the forward pass and the loss alone.
    return { output, value, grads: training ? gradients(value, parameters, { createGraph: true }) : [] };
  }));
  const compiled = compile([traced.value, traced.output, ...traced.grads]);
  const [lossBuffer, output, ...grads] = compiled.outputs;
  return {
    batch: shape.batch, x: x.data, y: y.data, loss: lossBuffer!, output: output!, gradients: grads, compiled,
    run: () => compiled.run(),
  };
}

/** A compiled forward pass (for evaluation): write x, run, read the output before a folded activation. */
export function compileForward(model: Sequential, loss: LossName, shape: Omit<StepShape, 'outputs'>): { x: Storage; output: Storage; run(): void } {
  const { layers } = lossPlan(model, loss);
  const x = zeros([shape.batch, shape.features], shape.dtype);
  x.requiresGrad = true;
  const output = model.inMode(false, () => traceAll(() => forwardAll(model, layers, x)));
  const compiled = compile([output]);
  return { x: x.data, output: compiled.outputs[0]!, run: () => compiled.run() };
}

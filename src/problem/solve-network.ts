import { tensor } from '../autograd/create.js';
import { gradients } from '../autograd/functional.js';
import type { Tensor } from '../autograd/tensor.js';
import { computeLoss, LOSSES } from '../nn/losses.js';
import type { Sequential } from '../nn/sequential.js';
import { createOptimizer } from '../optim/create.js';
import { Random } from '../tensor/random.js';
import type { Diagnostic, LayerStep, NetworkTrace, TrainingStep, Values } from '../trace/types.js';
import { buildModel } from './build-model.js';
import type { NetworkProblem } from './plan.js';

function snapshot(model: Sequential, pick: (t: Tensor) => Tensor | null = (t) => t): Record<string, Values> {
  const entries = model.namedParameters().flatMap(([name, parameter]): [string, Values][] => {
    const value = pick(parameter);
    return value === null ? [] : [[name, value.toArray()]];
  });
  return Object.fromEntries(entries);
}

const allFinite = (t: Tensor) => t.data.every((value) => Number.isFinite(value));

/** The observation order of each epoch: as given, or 1..n, shuffled with the seed if asked. */
function epochOrders(problem: NetworkProblem): number[][] {
  const n = problem.data.x.length;
  const { order, shuffle, seed, epochs } = problem.train;
  const random = new Random(seed);
  return Array.from({ length: epochs }, () => {
    const base = order !== undefined ? [...order] : Array.from({ length: n }, (_, i) => i + 1);
    if (shuffle) {
      for (let i = base.length - 1; i > 0; i--) {
        const j = Math.floor(random.next() * (i + 1));
        [base[i], base[j]] = [base[j]!, base[i]!];
      }
    }
    return base;
  });
}

/**
 * Train the network exactly as the sheet does by hand and record every number: per step the
 * observations used, each layer's output, the loss, the gradient arriving at and leaving every
 * layer, the parameter gradients and the parameters after the update.
 */
export function solveNetwork(problem: NetworkProblem): NetworkTrace {
  const model = buildModel(problem.layers);
  const lossSpec = LOSSES[problem.loss];
  const { train } = problem;
  const optimizer = createOptimizer(model.parameters(), {
    optimizer: train.optimizer, lr: train.lr, momentum: train.momentum, betas: train.betas, eps: train.eps, alpha: train.alpha, weightDecay: train.weight_decay,
  });
  const initialParams = snapshot(model);
  const batchSize = train.batch ?? problem.data.x.length;
  const steps: TrainingStep[] = [];
  const lastIndex = model.layers.length - 1;
  const last = model.layers[lastIndex]!;
  const fused = lossSpec.fromLogits !== undefined && last.kind === lossSpec.after;
  let diverged: NetworkTrace['diverged'];

  epochOrders(problem).forEach((order, epochIndex) => {
    for (let start = 0; start < order.length && diverged === undefined; start += batchSize) {
      const observations = order.slice(start, start + batchSize);
      const x = tensor(observations.map((row) => problem.data.x[row - 1]!));
      const y = tensor(observations.map((row) => problem.data.y[row - 1]!));
      const diagnostics: Diagnostic[] = [];
      model.zeroGrad();
      const paramsBefore = snapshot(model);
      const prediction = model.forward(x);

      // The loss's own gradient by the prediction (seed 1), from the plain (unfused) loss.
      const predictionLeaf = prediction.detach().requireGrad();
      const plainLoss = computeLoss(problem.loss, predictionLeaf, y);
      const [gradPrediction] = gradients(plainLoss, [predictionLeaf]);
      let loss = plainLoss.item();
      let arriving = gradPrediction!;
      let from = lastIndex;
      const records: LayerStep[] = [];
      let fusedRecord: TrainingStep['fused'];

      if (fused) {
        // Stable: the loss from the logits, whose gradient is p − y (over the count).
        const logits = last.input!;
        const fusedLoss = computeLoss(problem.loss, logits, y, true);
        const [gradLogits] = gradients(fusedLoss, [logits]);
        loss = fusedLoss.item();
        if (prediction.data.some((p) => p === 0 || p === 1)) {
          diagnostics.push({ kind: 'note', message: `a probability is exactly ${prediction.data.some((p) => p === 0) ? 0 : 1}: its log is clamped at −100 in the two-stage view (as PyTorch), while the loss and gradients come from the logits` });
        }
        records.unshift({ index: lastIndex, kind: last.kind, input: logits.toArray(), output: prediction.toArray(), gradOutput: gradPrediction!.toArray(), gradInput: gradLogits!.toArray() });
        fusedRecord = { activation: lastIndex, gradLogits: gradLogits!.toArray() };
        arriving = gradLogits!;
        from = lastIndex - 1;
      }
      for (let index = from; index >= 0; index--) {
        const layer = model.layers[index]!;
        const gradInput = layer.backward(arriving);
        records.unshift({ index, kind: layer.kind, input: layer.input!.toArray(), output: layer.output!.toArray(), gradOutput: arriving.toArray(), gradInput: gradInput.toArray() });
        arriving = gradInput;
      }

      const grads = snapshot(model, (parameter) => parameter.grad);
      const step = steps.length + 1;
      if (!Number.isFinite(loss) || !model.layers.every((layer) => allFinite(layer.output!))) {
        const layer = model.layers.findIndex((candidate) => !allFinite(candidate.output!));
        const where = layer >= 0 ? `layer ${layer} (${model.layers[layer]!.kind}) output` : 'the loss';
        diverged = { step, layer: layer >= 0 ? layer : null, message: `training diverged at step ${step}: ${where} is not a finite number (try a smaller learning rate)` };
        diagnostics.push({ kind: 'non-finite-value', message: diverged.message });
      }
      if (diverged === undefined) optimizer.step();
      steps.push({
        step, epoch: epochIndex + 1, observations, x: x.toArray(), y: y.toArray(),
        prediction: prediction.toArray(), loss, gradPrediction: gradPrediction!.toArray(),
        layers: records, grads, paramsBefore, params: snapshot(model),
        ...(fusedRecord === undefined ? {} : { fused: fusedRecord }),
        diagnostics,
      });
    }
  });

  return {
    kind: 'network',
    title: problem.title,
    loss: problem.loss,
    optimizer: { name: optimizer.name, lr: train.lr, rule: optimizer.rule },
    model: model.layers.map((layer, index) => ({ index, kind: layer.kind, parameters: layer.namedParameters().map(([name]) => `${index}.${name}`) })),
    initialParams,
    steps,
    params: snapshot(model),
    ...(diverged === undefined ? {} : { diverged }),
    diagnostics: steps.flatMap((step) => step.diagnostics),
  };
}

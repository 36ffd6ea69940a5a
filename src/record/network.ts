import { tensor } from '../autograd/create.js';
import { gradients } from '../autograd/functional.js';
import type { Tensor } from '../autograd/tensor.js';
import { computeLoss, foldsLastLayer, LOG_CLAMP, LOSSES } from '../nn/losses.js';
import type { Sequential } from '../nn/sequential.js';
import { createOptimizer } from '../optim/create.js';
import { optimizerSettingsFromFile } from '../optim/file-settings.js';
import { Random } from '../tensor/random.js';
import type { Diagnostic, LayerStep, NetworkTrace, TrainingStep, Values } from '../trace/types.js';
import { evaluateSym } from '../formula/evaluate.js';
import { simplifySym } from '../formula/simplify.js';
import { symbolicGradients } from '../formula/symbolic-gradients.js';
import { matrixVar, symbolicAlgebra, symConst, symNames, type Sym } from '../formula/symbolic.js';
import { formulaNumbers, substitutedText } from './printed-digits.js';
import { formulaText } from '../formula/formula-text.js';
import type { LayerFormulaTexts, UpdateWorked, Worked } from '../trace/types.js';
import { diagnostic } from '../trace/diagnostic.js';
import { registry } from '../ops/registry.js';
import { buildModel } from '../files/build-model.js';
import { optimizerStateOf } from '../files/optimizer-state.js';
import { teacherRemarks } from './remarks.js';
import { layerFormulas, ONES_ROW, type LayerFormulas } from './layer-formulas.js';
import type { NetworkProblem } from '../files/plan.js';
import { compositeSym } from './symbolic.js';
import { COUNT, meanAsSum, overCount } from './mean-count.js';
import { ruleHyperparameters, ruleText, UpdateRecorder } from './update.js';
import { LAMBDA, l2Term, l2Value, penalised, weightNames, withL2 } from './l2.js';
import type { Layer } from '../nn/layer.js';
import { tensorAlgebra } from '../autograd/apply.js';
import { RNN } from '../nn/rnn.js';
import { rowsByStep } from '../nn/sequence.js';

/** The numbers a line writes into its formula, by symbol; printed to the digits the line needs. */
type Substitution = Map<string, Values>;

/** Elementwise registry ops are the ones with a scalar forward; the rest move elements around. */
const elementwise = (sym: Sym): boolean => sym.kind !== 'op' || (registry[sym.op].forwardScalar !== undefined && sym.args.every(elementwise));

/** An elementwise formula (a loss's gradient) simplified as for one element: 2(ŷ − y), σ(z) − y. */
function tidyElementwise(sym: Sym, order: readonly string[]): Sym {
  return elementwise(sym) ? simplifySym(sym, order, { expand: false }) : sym;
}

/**
 * ∂L/∂(by) as a teacher writes it: for a mean of n > 1 values, the derivative of the sum over n (2/n·(ŷ − y)),
 * with n's value to substitute; otherwise the derivative simplified elementwise. `declared`: the
 * loss's own written derivative of its sum (LossSpec.derivative), used instead of the simplified one.
 */
function lossDerivative(loss: Sym, by: string, order: readonly string[], declared?: Sym): { formula: Sym; count: number | null } {
  const mean = meanAsSum(loss);
  const gradient = declared ?? tidyElementwise(symbolicGradients(mean?.sum ?? loss, symConst(1)).get(by) ?? symConst(0), order);
  // A mean over one value is the value itself: the sheet writes 2(ŷ − y) for one observation.
  return mean === null || mean.count === 1 ? { formula: gradient, count: null } : { formula: overCount(gradient), count: mean.count };
}

function worked(formula: Sym, values: Substitution, result: Values): Worked {
  return { formula: formulaText(formula), substituted: substitutedText(formula, values, result), result };
}

/** A loss gradient's formula evaluated at the prediction (IEEE arithmetic: 1/0 = ∞), or undefined where it cannot be. */
function byFormula(gradient: { formula: Sym; count: number | null }, prediction: Tensor, y: Tensor): Tensor | undefined {
  const values = new Map<string, Tensor>([['yhat', prediction], ['y', y]]);
  if (gradient.count !== null) values.set(COUNT, tensor(gradient.count));
  try {
    return evaluateSym(gradient.formula, values);
  } catch {
    return undefined;
  }
}

/** The local derivative's value where the registry's kernels can compute it (Wᵀ, [H > 0]). */
function localDerivativeValue(formula: Sym, tensors: ReadonlyMap<string, Tensor>): Values {
  try {
    return evaluateSym(formula, tensors).toArray();
  } catch {
    return [];
  }
}

export function formulaTexts(layer: LayerFormulas): LayerFormulaTexts {
  // The Jacobian comes from the op the layer's formula applies, not from the layer's name.
  const op = layer.forward.kind === 'op' ? registry[layer.forward.op] : undefined;
  const input = formulaText(matrixVar(layer.input));
  const output = formulaText(matrixVar(layer.output));
  const jacobian = op?.jacobian?.(input, output);
  return {
    ...(jacobian === undefined ? {} : { jacobian }),
    index: layer.index,
    kind: layer.kind,
    input: formulaText(matrixVar(layer.input)),
    output: formulaText(matrixVar(layer.output)),
    parameters: Object.fromEntries(Object.entries(layer.parameters).map(([name, symbol]) => [`${layer.index}.${name}`, formulaText(matrixVar(symbol))])),
    forward: formulaText(layer.forward),
    localDerivative: formulaText(layer.localDerivative),
    gradInput: formulaText(layer.gradInput),
    grads: Object.fromEntries(Object.entries(layer.grads).map(([name, gradient]) => [`${layer.index}.${name}`, formulaText(gradient)])),
  };
}

function snapshot(model: Sequential, pick: (t: Tensor) => Tensor | null = (t) => t): Record<string, Values> {
  const entries = model.namedParameters().flatMap(([name, parameter]): [string, Values][] => {
    const value = pick(parameter);
    return value === null ? [] : [[name, value.toArray()]];
  });
  return Object.fromEntries(entries);
}

const allFinite = (t: Tensor) => t.data.every((value) => Number.isFinite(value));

/** The targets as the prediction lays them out: by step after an RNN passing on every step's state as rows. */
function targetRows(model: Sequential, rows: number[][], inputShape: readonly number[]): number[][] {
  const rnn = model.layers.find((layer): layer is RNN => layer instanceof RNN && layer.returns === 'steps');
  return rnn === undefined ? rows : rowsByStep(rows, rnn.stepsOf(inputShape));
}

/** The observation order of each epoch: as given, or 1..n, shuffled with the seed if asked. */
function epochOrders(problem: NetworkProblem): number[][] {
  const n = problem.data.x.length;
  const { order, shuffle, seed, epochs } = problem.train;
  const random = new Random(seed);
  return Array.from({ length: epochs }, () => {
    const base = order !== undefined ? [...order] : Array.from({ length: n }, (_, i) => i + 1);
    if (shuffle) random.shuffle(base);
    return base;
  });
}

/** Substitution of a layer's symbols by this step's numbers. */
function layerValues(layer: LayerFormulas, input: Tensor, output: Tensor, gradOutput: Tensor, params: Readonly<Record<string, Values>>, buffers: ReadonlyMap<string, Tensor>): Substitution {
  const values: Substitution = new Map([
    [layer.input, input.toArray()],
    [layer.output, output.toArray()],
    ['d', gradOutput.toArray()],
  ]);
  for (const [name, symbol] of Object.entries(layer.parameters)) values.set(symbol, params[`${layer.index}.${name}`]!);
  for (const [name, value] of buffers) values.set(layer.buffers[name]!, bufferAsRows(value, input).toArray());
  values.set(ONES_ROW, [onesRow(input)]);
  return values;
}

/**
 * A vector buffer (an RNN's h₀, one row the same for every observation) as the layer uses it: a
 * row per observation of the input, so that h₀ᵀ·G in a gradient is the product it reads as.
 */
const bufferAsRows = (value: Tensor, input: Tensor): Tensor => (value.rank === 1 ? value.reshape([1, value.shape[0]!]).broadcastTo([input.shape[0] ?? 1, value.shape[0]!]) : value);

/** One parameter's update with numbers: key (0.weight), its symbol (W1). */
export type RecordUpdate = (key: string, symbol: string) => UpdateWorked[];

/**
 * As many ones as the layer's input has rows: the observations (an RNN that passes on every step
 * gets d with a row per step and observation, while its 1ᵀ sums ∂L/∂hₜ over the observations).
 */
const onesRow = (input: Tensor): number[] => Array.from({ length: input.shape[0] ?? 1 }, () => 1);

/** With one row, 1ᵀ·d is d itself: the sheet writes just d. */
function oneRowForm(formula: Sym, input: Tensor): Sym {
  const single = input.shape.length < 2 || input.shape[0] === 1;
  return single && formula.kind === 'op' && formula.op === 'matmul' && formula.args[0]?.kind === 'var' && formula.args[0].name === ONES_ROW ? formula.args[1]! : formula;
}

/**
 * `passDown`: the parameters the gradient passed down is computed with — the ones before the
 * step, or (a layer-wise update) the layer's own already updated ones. `scalars`: numbers the
 * formulas name besides the layer's (λ of an L2 term).
 */
export function workedLayer(
  layer: LayerFormulas, input: Tensor, output: Tensor, gradOutput: Tensor, gradInput: Tensor,
  before: Readonly<Record<string, Values>>, grads: Readonly<Record<string, Values>>, recordUpdate: RecordUpdate,
  passDown: Readonly<Record<string, Values>> = before, scalars: ReadonlyMap<string, number> = new Map(),
  buffers: ReadonlyMap<string, Tensor> = new Map(), named: ReadonlyMap<string, Tensor> = new Map(),
): LayerStep['worked'] {
  const values = layerValues(layer, input, output, gradOutput, before, buffers);
  const downValues = passDown === before ? values : layerValues(layer, input, output, gradOutput, passDown, buffers);
  for (const [name, value] of scalars) {
    values.set(name, value);
    downValues.set(name, value);
  }
  const tensors = new Map<string, Tensor>([[layer.input, input], [layer.output, output], ['d', gradOutput]]);
  for (const [name, value] of buffers) tensors.set(layer.buffers[name]!, bufferAsRows(value, input));
  // The layer's named quantities are listed as compute() named them; the output itself is not among the formulas'.
  const intermediateValues = layer.intermediates.map(({ key, name }) => ({ name, value: named.get(key) }));
  for (const { name, value } of intermediateValues) {
    if (value === undefined) continue;
    values.set(name, value.toArray());
    if (downValues !== values) downValues.set(name, value.toArray());
    tensors.set(name, value);
  }
  // The parts back through time (an RNN's ∂L/∂hₜ) are what the parameters' gradients read: worked
  // with the parameters before the step. Layer-wise, what goes down reads the updated ones
  // (`passDown`, for the local derivative); an RNN's is then the layer run again, given as numbers,
  // and of its parts only those the gradients read are kept.
  const tensorsBefore = new Map(tensors);
  for (const [name, symbol] of Object.entries(layer.parameters)) {
    tensors.set(symbol, tensor(passDown[`${layer.index}.${name}`]!));
    tensorsBefore.set(symbol, tensor(before[`${layer.index}.${name}`]!));
  }
  const partValue = (name: string, formula: Sym): Values => {
    const value = localDerivativeValue(formula, tensorsBefore);
    values.set(name, value);
    downValues.set(name, value);
    tensorsBefore.set(name, tensor(value));
    return value;
  };
  // The part of d reaching each step (an RNN passing on every step's state): named, not printed.
  for (const { name, formula } of layer.arriving) partValue(name, formula);
  // Back through time: each line is worked with the numbers of the lines before it (∂L/∂h₂, then ∂L/∂h₁…).
  const readByGradients = new Set(Object.values(layer.grads).flatMap((formula) => [...symNames(formula)]));
  const layerwise = downValues !== values;
  const inputParts = layer.inputParts.flatMap(({ name, formula }) => {
    const value = partValue(name, formula);
    if (Array.isArray(value) && value.length === 0) return [];
    return !layerwise || readByGradients.has(name) ? [{ name: formulaText(matrixVar(name)), worked: worked(formula, values, value) }] : [];
  });
  const paramGrads: Record<string, Worked> = {};
  const updates: Record<string, UpdateWorked[]> = {};
  for (const [name, symbol] of Object.entries(layer.parameters)) {
    const key = `${layer.index}.${name}`;
    paramGrads[key] = worked(oneRowForm(layer.grads[name]!, input), values, grads[key]!);
    updates[key] = recordUpdate(key, symbol);
  }
  const intermediates = intermediateValues.flatMap(({ name, value }, i) => {
    if (value === undefined) return [];
    const formula = layer.intermediates[i]!.formula;
    return [{ name: formulaText(matrixVar(name)), result: value.toArray(), ...(formula === null ? {} : { worked: worked(formula, values, value.toArray()) }) }];
  });
  return {
    ...(intermediates.length === 0 ? {} : { intermediates }),
    ...(inputParts.length === 0 ? {} : { inputParts }),
    ...(layer.skipLocal ? { skipLocal: true } : {}),
    forward: worked(layer.forward, values, output.toArray()),
    localDerivative: worked(layer.localDerivative, downValues, localDerivativeValue(layer.localDerivative, tensors)),
    gradInput: worked(layer.gradInput, downValues, gradInput.toArray()),
    grads: paramGrads,
    updates,
  };
}

/** The gradient a layer passes down with its current (just updated) parameters, at its last input. */
function passDownWithCurrentParameters(layer: Layer, gradOutput: Tensor): Tensor {
  const input = layer.input!.detach().requireGrad();
  const output = layer.compute(tensorAlgebra, input, [...layer.parameters(), ...layer.namedBuffers().map(([, buffer]) => buffer)]);
  const [gradInput] = gradients(output, [input], { gradOutput });
  return gradInput!;
}

/** Adds 2λ·W to the gradient of each weight of the layer: the L2 term λ·Σ‖W‖² of the loss. */
function addL2Gradient(layer: Layer, lambda: number): void {
  if (!penalised(layer)) return;
  for (const [name, parameter] of layer.namedParameters()) {
    if (name !== 'weight' || parameter.grad === null) continue;
    parameter.grad = parameter.grad.add(parameter.detach().mul(2 * lambda));
  }
}

/**
 * Train the network exactly as the sheet does by hand and record every number: per step the
 * observations used, each layer's output, the loss, the gradient arriving at and leaving every
 * layer, the parameter gradients and the parameters after the update — each with its formula
 * and the formula with the numbers written in.
 */
export function solveNetwork(problem: NetworkProblem): NetworkTrace {
  const model = buildModel(problem.layers);
  const lossSpec = LOSSES[problem.loss];
  const { train } = problem;
  const settings = optimizerSettingsFromFile(train);
  const optimizer = createOptimizer(model.parameters(), settings);
  // Layer-wise: each layer steps on its own as soon as its gradient is known (one optimizer per layer, same rule).
  const layerwise = train.update === 'layerwise';
  const layerOptimizers = layerwise ? model.layers.map((layer) => createOptimizer(layer.parameters(), settings)) : [];
  const initialParams = snapshot(model);
  const updateRecorder = new UpdateRecorder(optimizer.rule);
  // A step in the middle of training: the optimizer's memory and its step count go on from the file's.
  if (train.state !== undefined) {
    optimizer.loadState(optimizerStateOf(train.state, model.namedParameters().map(([name]) => name), optimizer.rule.state));
    for (const entry of train.state.parameters) {
      for (const state of optimizer.rule.state) {
        const values = entry[state as 'm' | 'v' | 's'];
        if (values !== undefined) updateRecorder.start(entry.parameter, state, values);
      }
    }
  }
  let updatesDone = train.state?.steps ?? 0;
  const { l2 } = problem;
  // Written after the first forward pass: a layer's formula may need its input's shape (an RNN's steps) or a drawn mask.
  let formulas: LayerFormulas[] = [];
  // The layers' input shapes the formulas were made for: a smaller last batch makes them again
  // (an RNN's back-through-time parts are written for the shapes they read).
  let formulasFor = '';
  let weights: ReturnType<typeof weightNames> = [];
  let weightKeys: string[] = [];
  const scalars = new Map<string, number>(l2 === undefined ? [] : [[LAMBDA, l2]]);
  const batchSize = train.batch ?? problem.data.x.length;
  const steps: TrainingStep[] = [];
  const lastIndex = model.layers.length - 1;
  const last = model.layers[lastIndex]!;
  const fused = foldsLastLayer(problem.loss, last.kind);
  let diverged: NetworkTrace['diverged'];

  epochOrders(problem).forEach((order, epochIndex) => {
    for (let start = 0; start < order.length && diverged === undefined; start += batchSize) {
      const observations = order.slice(start, start + batchSize);
      const x = tensor(observations.map((row) => problem.data.x[row - 1]!));
      const y = tensor(targetRows(model, observations.map((row) => problem.data.y[row - 1]!), x.shape));
      const diagnostics: Diagnostic[] = [];
      model.zeroGrad();
      const paramsBefore = snapshot(model);
      const prediction = model.forward(x);
      // The buffers after this step's forward pass: the mask it drew (running statistics are not in a training step's formulas).
      const buffersBefore = model.layers.map((layer) => new Map(layer.namedBuffers().map(([name, buffer]) => [name, buffer.detach()] as const)));
      // The numbers of the quantities each layer names (μ, σ², hₜ), as this forward pass computed them.
      const namedValues = model.layers.map((layer) => new Map(layer.named.map(([key, value]) => [key, (value as Tensor).detach()] as const)));
      const inputShapes = model.layers.map((layer) => layer.input!.shape);
      if (formulasFor !== JSON.stringify(inputShapes)) {
        formulasFor = JSON.stringify(inputShapes);
        const plain = layerFormulas(model, [], inputShapes);
        formulas = l2 === undefined ? plain : withL2(plain);
        weights = weightNames(formulas);
        weightKeys = formulas.flatMap((layer) => (layer.parameters.weight === undefined || !penalised(layer) ? [] : [`${layer.index}.weight`]));
      }

      const lossSymbols = { yhat: matrixVar('yhat', prediction.shape), y: matrixVar('y', y.shape) };
      const dataLoss = lossSpec.formula(symbolicAlgebra, lossSymbols.yhat, lossSymbols.y, { exact: true });
      const lossFormula = l2 === undefined ? dataLoss : symbolicAlgebra.add(dataLoss, l2Term(weights));
      const lossGradient = lossDerivative(dataLoss, 'yhat', ['yhat', 'y'], lossSpec.derivative?.(symbolicAlgebra, lossSymbols.yhat, lossSymbols.y));
      const lossValues: Substitution = new Map([['yhat', prediction.toArray()], ['y', y.toArray()]]);
      if (lossGradient.count !== null) lossValues.set(COUNT, lossGradient.count);
      if (l2 !== undefined) {
        lossValues.set(LAMBDA, l2);
        weights.forEach((name, i) => lossValues.set(name, paramsBefore[weightKeys[i]!]!));
      }
      const penalty = l2 === undefined ? 0 : l2Value(l2, weightKeys.map((key) => paramsBefore[key] as number[][]));

      // The loss's own gradient by the prediction (seed 1), from the plain (unfused) loss.
      const predictionLeaf = prediction.detach().requireGrad();
      const plainLoss = computeLoss(problem.loss, predictionLeaf, y);
      let [gradPrediction] = gradients(plainLoss, [predictionLeaf]);
      let loss = plainLoss.item() + penalty;
      let arriving = gradPrediction!;
      let from = lastIndex;
      const passes: { index: number; input: Tensor; gradOutput: Tensor; gradInput: Tensor }[] = [];
      let fusedParts: { logits: Tensor; gradLogits: Tensor } | null = null;

      if (fused) {
        // Stable: the loss from the logits, whose gradient is p − y (over the count).
        const logits = last.input!;
        const fusedLoss = computeLoss(problem.loss, logits, y, true);
        const [gradLogits] = gradients(fusedLoss, [logits]);
        loss = fusedLoss.item() + penalty;
        if (prediction.data.some((p) => p === 0 || p === 1)) {
          diagnostics.push(diagnostic('note', 'clamped', { p: prediction.data.some((p) => p === 0) ? 0 : 1 }));
        }
        // Where the loss clamps ln at −100 (p below e⁻¹⁰⁰, or p = 0 or 1) its own gradient is 0 or
        // NaN (0·∞), and the fused step does not use it: the two-stage view shows what its formula
        // gives with these numbers (−1/p = −5.9·10⁴⁷ at p = 1.7·10⁻⁴⁸, ∞ at p = 1, y = 0).
        const clampedLog = prediction.data.some((p) => Math.log(p) < LOG_CLAMP || Math.log1p(-p) < LOG_CLAMP);
        if (clampedLog || !allFinite(gradPrediction!)) gradPrediction = byFormula(lossGradient, prediction, y) ?? gradPrediction;
        passes.push({ index: lastIndex, input: logits, gradOutput: gradPrediction!, gradInput: gradLogits! });
        fusedParts = { logits, gradLogits: gradLogits! };
        arriving = gradLogits!;
        from = lastIndex - 1;
      }
      const step = steps.length + 1;
      // Whether the run diverged is known after the forward pass: then nothing is updated.
      if (!Number.isFinite(loss) || !model.layers.every((layer) => allFinite(layer.output!))) {
        const layer = model.layers.findIndex((candidate) => !allFinite(candidate.output!));
        diverged = { step, layer: layer >= 0 ? layer : null };
        diagnostics.push(layer >= 0 ? diagnostic('non-finite-value', 'divergedLayer', { step, layer: layer + 1 }) : diagnostic('non-finite-value', 'divergedLoss', { step }));
      }
      const hyperparameters = optimizer.hyperparameters();
      for (let index = from; index >= 0; index--) {
        const layer = model.layers[index]!;
        let gradInput = layer.backward(arriving);
        if (l2 !== undefined) addL2Gradient(layer, l2);
        if (layerwise && diverged === undefined && layer.parameters().length > 0) {
          // Updated now, from the top down: what goes below is the gradient through the new parameters.
          layerOptimizers[index]!.step();
          gradInput = passDownWithCurrentParameters(layer, arriving);
        }
        passes.push({ index, input: layer.input!, gradOutput: arriving, gradInput });
        arriving = gradInput;
      }

      const grads = snapshot(model, (parameter) => parameter.grad);
      if (diverged === undefined && !layerwise) optimizer.step();
      const params = snapshot(model);
      const t = diverged === undefined ? ++updatesDone : updatesDone + 1;
      const recordUpdate: RecordUpdate = (key, symbol) =>
        diverged === undefined ? updateRecorder.record(key, symbol, t, paramsBefore[key]!, grads[key]!, params[key]!, hyperparameters) : [];

      const records: LayerStep[] = passes.reverse().map(({ index, input, gradOutput, gradInput }) => {
        const layer = model.layers[index]!;
        return {
          index, kind: layer.kind, input: input.toArray(), output: layer.output!.toArray(), gradOutput: gradOutput.toArray(), gradInput: gradInput.toArray(),
          worked: workedLayer(formulas[index]!, input, layer.output!, gradOutput, gradInput, paramsBefore, grads, recordUpdate,
            layerwise && diverged === undefined ? params : paramsBefore, scalars, buffersBefore[index], namedValues[index]),
        };
      });
      let fusedRecord: TrainingStep['fused'];
      let lossWorked = worked(lossFormula, lossValues, loss);
      if (fusedParts !== null) {
        const logitsName = formulas[lastIndex]!.input;
        const z = matrixVar(logitsName, fusedParts.logits.shape);
        const fusedGradient = lossDerivative(lossSpec.fromLogits!(symbolicAlgebra, z, lossSymbols.y), logitsName, [logitsName, 'y']);
        const fusedFormula = fusedGradient.formula;
        const zValues: Substitution = new Map([[logitsName, fusedParts.logits.toArray()], ['y', y.toArray()]]);
        if (fusedGradient.count !== null) zValues.set(COUNT, fusedGradient.count);
        // Where ŷ is 1 (or 0) to the last bit, no digits of it give the loss, which comes from the
        // logits: the line is written with them, as the clamped note says (L = mean(softplus(z) − y·z)).
        if (formulaNumbers(lossFormula, lossValues, loss) === null) {
          // With l2 the logits' loss carries the same λ·Σ‖W‖² (and its numbers) as the prediction's.
          const fromLogitsData = lossSpec.fromLogits!(symbolicAlgebra, z, lossSymbols.y);
          const fromLogits = l2 === undefined ? fromLogitsData : symbolicAlgebra.add(fromLogitsData, l2Term(weights));
          const logitsValues: Substitution = new Map([...lossValues].filter(([name]) => name !== 'yhat'));
          logitsValues.set(logitsName, fusedParts.logits.toArray());
          if (formulaNumbers(fromLogits, logitsValues, loss) !== null) lossWorked = worked(fromLogits, logitsValues, loss);
        }
        fusedRecord = {
          activation: lastIndex,
          gradLogits: fusedParts.gradLogits.toArray(),
          activationDerivative: records[records.length - 1]!.worked.localDerivative,
          product: worked(fusedFormula, zValues, fusedParts.gradLogits.toArray()),
        };
      }
      diagnostics.push(...teacherRemarks({ step, observations, loss, layers: records, grads, paramsBefore, ...(diverged === undefined ? { params } : {}), learningRate: train.lr, ...(fused ? { fusedActivation: lastIndex } : {}) }, steps[steps.length - 1]));
      steps.push({
        step, epoch: epochIndex + 1, observations, x: x.toArray(), y: y.toArray(),
        prediction: prediction.toArray(), loss, lossWorked,
        ...(lossGradient.count === null ? {} : { count: lossGradient.count }),
        gradPrediction: gradPrediction!.toArray(), gradPredictionWorked: worked(lossGradient.formula, lossValues, gradPrediction!.toArray()),
        layers: records, grads, paramsBefore, params,
        ...(fusedRecord === undefined ? {} : { fused: fusedRecord }),
        diagnostics,
      });
    }
  });

  // The general formulas for the shape of the first step's prediction (a mean needs its count).
  const shape = steps[0] === undefined ? undefined : [(steps[0].y as Values[]).length, ((steps[0].y as Values[])[0] as Values[]).length];
  const generalDataLoss = lossSpec.formula(symbolicAlgebra, matrixVar('yhat', shape), matrixVar('y', shape), { exact: true });
  const generalLoss = l2 === undefined ? generalDataLoss : symbolicAlgebra.add(generalDataLoss, l2Term(weights));
  // The book's question: what does the layer-wise update change? The same problem, trained the usual way.
  const usual = layerwise ? solveNetwork({ ...problem, train: { ...train, update: 'together' } }) : undefined;
  const generalGradient = lossDerivative(generalDataLoss, 'yhat', ['yhat', 'y'], lossSpec.derivative?.(symbolicAlgebra, matrixVar('yhat', shape), matrixVar('y', shape)));
  return {
    kind: 'network',
    title: problem.title,
    ...(problem.titles === undefined ? {} : { titles: problem.titles }),
    loss: problem.loss,
    ...(l2 === undefined ? {} : { l2 }),
    ...(usual === undefined ? {} : { update: 'layerwise' as const, usual: { steps: usual.steps.map((step) => ({ step: step.step, loss: step.loss, params: step.params })) } }),
    ...(problem.note === undefined ? {} : { note: typeof problem.note === 'string' ? problem.note : { en: problem.note.en, ...(problem.note.ru === undefined ? {} : { ru: problem.note.ru }) } }),
    optimizer: { name: optimizer.name, lr: train.lr, rule: ruleText(optimizer.rule), hyperparameters: ruleHyperparameters(optimizer.rule, optimizer.hyperparameters()) },
    model: model.layers.map((layer, index) => ({ index, kind: layer.kind, parameters: layer.namedParameters().map(([name]) => `${index}.${name}`) })),
    network: formulaText(compositeSym(formulas)),
    formulas: formulas.map(formulaTexts),
    lossFormula: formulaText(generalLoss),
    lossGradient: formulaText(generalGradient.formula),
    ...(generalGradient.count === null ? {} : { lossCount: generalGradient.count }),
    initialParams,
    steps,
    params: snapshot(model),
    ...(diverged === undefined ? {} : { diverged }),
    diagnostics: steps.flatMap((step) => step.diagnostics),
  };
}

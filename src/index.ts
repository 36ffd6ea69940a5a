/**
 * mashagrad's core: tensors with PyTorch/TF.js names, reverse-mode autodiff, the op registry,
 * nn, optimizers, training loops, formulas and their traces. It runs in browsers as in Node:
 * nothing here imports from Node (a test bundles it for the browser). Problem files are
 * mashagrad/problem, pictures mashagrad/draw, worked solutions mashagrad/explain, and files,
 * data sets, PNG and the native backend mashagrad/node. Named exports only.
 */
export { Tensor, type NestedArray, type Creator } from './autograd/tensor.js';
export { tensor, scalar, zeros, ones, full, rand, randn, type TensorOptions } from './autograd/create.js';
// Every op's public function (api.ts checks at compile time that it has one for each op).
export * from './autograd/api.js';
export { noGrad, enableGrad, isGradEnabled } from './autograd/grad-mode.js';
export { gradients, grad, valueAndGrad, jacobian, type GradientsOptions } from './autograd/functional.js';
export type { BackwardOptions } from './autograd/backward.js';
export { registry, opNames } from './ops/registry.js';
export type { OpDef, OpName, OpAttrs, Style, Notation, VjpContext } from './ops/types.js';
export type { Algebra } from './ops/algebra.js';
export { backend, setBackend } from './kernels/active.js';
export type { Backend } from './kernels/backend.js';
export { referenceBackend } from './kernels/reference/index.js';
export type { DType, Storage } from './tensor/dtype.js';
export { Random } from './tensor/random.js';
export { parseFormula } from './formula/parse.js';
export { variablesOf, type Formula } from './formula/ast.js';
export { FormulaError } from './formula/formula-error.js';
export { simplifySym } from './formula/simplify.js';
export { symbolicAlgebra, buildSym, symConst, symVar, type Sym } from './formula/symbolic.js';
export { writeSym } from './formula/write.js';
export { formatNumber, asFraction } from './formula/numbers.js';
export { formatValues } from './formula/values-text.js';
export { traceExpression } from './record/expression.js';
export type { ExpressionTrace, TraceNode, TraceEdge, FormulaText, Diagnostic } from './trace/types.js';
export { AutogradError, InputError, ShapeError, type AutogradErrorFacts } from './errors.js';
export { gradcheck } from './autograd/gradcheck.js';
export { Layer } from './nn/layer.js';
export { Linear } from './nn/linear.js';
export { ReLU, Sigmoid, Tanh, Softmax, LeakyReLU } from './nn/activations.js';
export { Conv1d, Conv2d, type Conv1dSettings, type Conv2dSettings } from './nn/conv.js';
export { MaxPool2d, AvgPool2d, type PoolSettings } from './nn/pooling.js';
export { Flatten } from './nn/flatten.js';
export { Sequential } from './nn/sequential.js';
export { Dropout } from './nn/dropout.js';
export { LayerNorm, BatchNorm1d, BatchNorm2d } from './nn/normalization.js';
export { Residual } from './nn/residual.js';
export { RNN, type RnnOutput, type RnnWeights } from './nn/rnn.js';
export { GRU, LSTM, type GatedOptions, type GatedWeights } from './nn/gated.js';
export { computeLoss, LOSSES, LOSS_NAMES, type LossName } from './nn/losses.js';
export { initialise, type InitName, type InitSpec } from './nn/init.js';
export { Optimizer, type OptimizerState, type UpdateRule } from './optim/optimizer.js';
export { SGD } from './optim/sgd.js';
export { Adam, RMSprop, Adagrad } from './optim/adaptive.js';
export { createOptimizer, OPTIMIZER_NAMES, type OptimizerName, type OptimizerSettings } from './optim/create.js';
export type { NetworkTrace, SymbolicTrace, TrainingStep, LayerStep, ProblemTrace, Values } from './trace/types.js';
export type { Dataset, DatasetSplits } from './data/dataset.js';
export { DataError } from './data/data-error.js';
export { splitTrainTest, takeRows } from './data/split.js';
export { useFastestBackend, type BackendName } from './kernels/select.js';
export { loadWasmBackend, type WasmBackend, type WasmOptions, type WasmVariant } from './kernels/wasm/index.js';
export { traceAll } from './autograd/grad-mode.js';
export { compile, Compiled } from './compile/compile.js';
export { compileTrainingStep, compileForward, type TrainingStep as CompiledTrainingStep, type StepShape } from './train/training-step.js';
export { fit, evaluate, evaluator, type FitSettings, type FitResult, type EpochRecord, type Progress } from './train/fit.js';
export { Stepper, type StepperSettings, type StepOutcome, type Regularization } from './train/stepper.js';
export { BlowUpWatch, type BlowUpOptions } from './train/blow-up.js';
export { layerSeed } from './train/layer-seed.js';
export { optimizerSettingsFromFile, type FileOptimizerFields } from './optim/file-settings.js';
export { MissingPackageError, OPTIONAL_PACKAGES, type OptionalPackage } from './optional.js';

import type { FormulaText } from '../formula/formula-text.js';
import type { MessageKey, Params } from '../messages/catalogue.js';

/**
 * The Trace: plain data recording one run — every node with its formula, value and
 * gradient, every edge with its local derivative. It is the `--json` output and the only
 * input of the renderers, so every front end says the same thing.
 */

export interface TraceNode {
  readonly id: string;
  /** What the node computes from its inputs, in the grammar: "x^2", "a + b". */
  readonly expression: string;
  readonly formula: FormulaText;
  /** The formula with the input nodes' values written in: 1², 1·2. */
  readonly substituted: FormulaText;
  /** The registry op, or "input" for a variable. */
  readonly op: string;
  readonly inputs: readonly string[];
  readonly value: number;
  /** The value is −0 and its sign decides a result it feeds (1/(−0) = −∞), so it prints −0. */
  readonly signedZero?: boolean;
  /** ∂(output)/∂(this node). */
  readonly grad: number;
}

export interface TraceEdge {
  readonly from: string;
  readonly to: string;
  /**
   * Which argument of `to`'s operation `from` is, from 1 as typed (x·x has two edges from x to
   * the same node: arguments 1 and 2). A problem file's answer names one edge as "a/x:2".
   */
  readonly argument: number;
  /** The local derivative ∂to/∂from in terms of `to`'s inputs, in the grammar: "2*x". */
  readonly derivative: string;
  readonly formula: FormulaText;
  /** The derivative with the values written in: 2·3. */
  readonly substituted: FormulaText;
  readonly value: number;
}

/** One path from a variable to the output: its nodes and the product of the edge derivatives on it. */
export interface TracePath {
  /** Node ids from the variable to the output. */
  readonly nodes: readonly string[];
  /** ∂(output)/∂(…)·…·∂(…)/∂(variable), written output-first as the book does: 1·1·2x. */
  readonly product: FormulaText;
  readonly value: number;
}

/** A remark a teacher would make, at the step or node where it shows. */
export interface Diagnostic {
  readonly kind: 'non-finite-value' | 'non-finite-gradient' | 'note' | 'warning';
  /** The message's key in the catalogues (diag.CODE), so each language words it in full. */
  readonly code: DiagnosticCode;
  readonly params: Params;
  readonly node?: string;
}

export type DiagnosticCode = { [K in MessageKey]: K extends `diag.${infer Code}` ? Code : never }[MessageKey];

export interface ExpressionTrace {
  readonly kind: 'expression';
  readonly expression: string;
  /** The whole expression as mashagrad writes it (x² + x·y + (x + y)²). */
  readonly formula: FormulaText;
  readonly variables: readonly string[];
  readonly at: Readonly<Record<string, number>>;
  readonly value: number;
  readonly gradient: Readonly<Record<string, number>>;
  /** ∂f/∂v simplified, in the grammar (4*x + 3*y). */
  readonly derivatives: Readonly<Record<string, string>>;
  readonly derivativeFormulas: Readonly<Record<string, FormulaText>>;
  /**
   * Each simplified ∂f/∂v evaluated at the point. Where the computed gradient is not a number it
   * can differ: simplifying cancelled a 0/0 or ∞ − ∞ that the sum over paths still holds there.
   */
  readonly derivativeValues: Readonly<Record<string, number>>;
  /** ∂f/∂v as reverse mode builds it, before simplification: the sum over paths. */
  readonly pathSums: Readonly<Record<string, FormulaText>>;
  /** Every path from each variable to the output (left out, with a note, when there are too many). */
  readonly paths: Readonly<Record<string, readonly TracePath[]>>;
  readonly nodes: readonly TraceNode[];
  readonly edges: readonly TraceEdge[];
  /** ∂(node)/∂(variable) for every node and every variable. */
  readonly jacobian: Readonly<Record<string, Readonly<Record<string, number>>>>;
  readonly diagnostics: readonly Diagnostic[];
}

/** Numbers of a tensor as nested arrays (a matrix for layer values, a vector for a bias). */
export type { FormulaText };
export type { Values } from '../formula/values-text.js';
import type { Values } from '../formula/values-text.js';
import type { ConvTrace } from './conv-types.js';

/** A formula, the same with this step's numbers written in, and its result. */
export interface Worked {
  readonly formula: FormulaText;
  readonly substituted: FormulaText;
  readonly result: Values;
}

/** One line of a parameter's update: `target ← formula` (a state or the parameter), or `target = formula` (an intermediate). */
export interface UpdateWorked extends Worked {
  readonly target: FormulaText;
  /** ← for what the optimizer remembers (the parameter, its state); = for an intermediate (g, m̂). */
  readonly assigns: boolean;
}

/** The general formulas of one layer (names as the sheet writes them: H₁, W₁, d). */
export interface LayerFormulaTexts {
  readonly index: number;
  readonly kind: string;
  readonly input: FormulaText;
  readonly output: FormulaText;
  /** Parameter symbols keyed by their names in the trace (0.weight → W₁). */
  readonly parameters: Readonly<Record<string, FormulaText>>;
  readonly forward: FormulaText;
  readonly localDerivative: FormulaText;
  /**
   * For a layer whose op makes every output depend on several inputs (softmax): its Jacobian
   * written entrywise (the op's own OpDef.jacobian), shown instead of the local derivative.
   */
  readonly jacobian?: { readonly pretty: string; readonly latex: string };
  readonly gradInput: FormulaText;
  readonly grads: Readonly<Record<string, FormulaText>>;
}

export interface LayerStep {
  /** 0-based position in the model (PyTorch's nn.Sequential index). */
  readonly index: number;
  readonly kind: string;
  readonly input: Values;
  readonly output: Values;
  /** The accumulated gradient arriving from above: ∂L/∂(output). */
  readonly gradOutput: Values;
  /** The gradient the layer passes down: ∂L/∂(input). */
  readonly gradInput: Values;
  /** The layer's formulas with this step's numbers: forward, local derivative, d passed down, parameter gradients and updates. */
  readonly worked: {
    /** Quantities on the way to the output (batch norm's μ and σ², an RNN's xₜ and hₜ), each with its formula unless read off the input. */
    readonly intermediates?: readonly { readonly name: FormulaText; readonly result: Values; readonly worked?: Worked }[];
    readonly forward: Worked;
    /**
     * The gradient passed down part by part, from the last part back (an RNN's ∂L/∂hₜ and ∂L/∂xₜ, back
     * through time), with the parameters before the step; layer-wise, only the ∂L/∂hₜ its gradients read.
     */
    readonly inputParts?: readonly { readonly name: FormulaText; readonly worked: Worked }[];
    /** No single local derivative is shown: the layer's Jacobian mixes its inputs, or its input is read in parts. */
    readonly skipLocal?: true;
    readonly localDerivative: Worked;
    readonly gradInput: Worked;
    readonly grads: Readonly<Record<string, Worked>>;
    /** Per parameter, its optimizer's rule line by line with numbers: the state's update, then the parameter's. */
    readonly updates: Readonly<Record<string, readonly UpdateWorked[]>>;
  };
}

export interface TrainingStep {
  /** 1-based step number over the whole run. */
  readonly step: number;
  readonly epoch: number;
  /** 1-based numbers of the observations in this step, in the order used. */
  readonly observations: readonly number[];
  readonly x: Values;
  readonly y: Values;
  readonly prediction: Values;
  readonly loss: number;
  /** n of a mean loss at this step (a smaller last batch has its own). */
  readonly count?: number;
  readonly lossWorked: Worked;
  /** ∂L/∂ŷ, what the loss passes down when its own gradient starts at 1. */
  readonly gradPrediction: Values;
  readonly gradPredictionWorked: Worked;
  readonly layers: readonly LayerStep[];
  /** Parameter gradients, keyed INDEX.weight / INDEX.bias. */
  readonly grads: Readonly<Record<string, Values>>;
  /** Parameters before and after this step's update. */
  readonly paramsBefore: Readonly<Record<string, Values>>;
  readonly params: Readonly<Record<string, Values>>;
  /** Set when sigmoid + logloss or softmax + cross_entropy were computed fused from the logits. */
  readonly fused?: {
    readonly activation: number;
    readonly gradLogits: Values;
    /** ∂p/∂z = p(1 − p) (sigmoid) with numbers; and ∂L/∂z = ∂L/∂p·∂p/∂z simplified to p − y (over the count). */
    readonly activationDerivative: Worked;
    readonly product: Worked;
  };
  readonly diagnostics: readonly Diagnostic[];
}

export interface NetworkTrace {
  readonly kind: 'network';
  readonly title: string;
  readonly titles?: Titles;
  readonly loss: string;
  /** λ of the L2 term λ·Σ‖W‖² (weights only) written into the loss, if the problem has one. */
  readonly l2?: number;
  /** Set when each layer was updated as soon as its gradient was known, from the top down. */
  readonly update?: 'layerwise';
  /** With a layer-wise update: the same problem trained the usual way (every layer after the backward pass). */
  readonly usual?: {
    /** The loss and the parameters after each step of the usual training. */
    readonly steps: readonly { readonly step: number; readonly loss: number; readonly params: Readonly<Record<string, Values>> }[];
  };
  /** A teacher's remark from the problem file, as text or per language. */
  readonly note?: string | { readonly en: string; readonly ru?: string };
  readonly optimizer: {
    readonly name: string;
    readonly lr: number;
    /** The optimizer's update rule (optim/update-rule.ts) written with general names: v ← μv + ∂L/∂W;  W ← W − γv. */
    readonly rule: { readonly pretty: string; readonly latex: string };
    /** The numbers the rule reads, by its names: gamma, mu, beta1, beta2, alpha, eps, lambda. */
    readonly hyperparameters: Readonly<Record<string, number>>;
  };
  readonly model: readonly { readonly index: number; readonly kind: string; readonly parameters: readonly string[] }[];
  /** The network as one composite function of X. */
  readonly network: FormulaText;
  readonly formulas: readonly LayerFormulaTexts[];
  readonly lossFormula: FormulaText;
  /** d = ∂L/∂ŷ in general; for a mean loss written over its count n (2/n·(ŷ − y)). */
  readonly lossGradient: FormulaText;
  /** The n of a mean loss at step 1: how many values it averages. */
  readonly lossCount?: number;
  readonly initialParams: Readonly<Record<string, Values>>;
  readonly steps: readonly TrainingStep[];
  /** Parameters after the last step. */
  readonly params: Readonly<Record<string, Values>>;
  /** Set when the run stopped early because a value stopped being a finite number. */
  readonly diverged?: {
    readonly step: number;
    /** The first layer whose output is not finite (0-based, as in the trace), or null: the loss itself. */
    readonly layer: number | null;
  };
  readonly diagnostics: readonly Diagnostic[];
}

/** One line of the general algorithm: `name = formula`, or `name ← formula` for an update. */
export interface AlgorithmLine {
  readonly name: FormulaText;
  readonly formula: FormulaText;
  /** The line with every matrix written as its shape: [n×k₁] = [n×k₀]·[k₀×k₁] + [1×k₁]. */
  readonly shapes?: FormulaText;
  /** The line element by element: (H₁)ᵢⱼ = Σₖ Xᵢₖ·(W₁)ₖⱼ + (b₁)ⱼ. */
  readonly elementwise?: FormulaText;
}

export interface SymbolicLayerStep {
  readonly index: number;
  readonly kind: string;
  /** The layer's output by its input, as it multiplies into d: Wᵀ (used as d·Wᵀ), [H > 0]. */
  readonly localDerivative: FormulaText;
  /** The gradient passed down, in terms of the d arriving: d·W₁ᵀ, d ⊙ [H₁ > 0]. */
  readonly gradInput: FormulaText;
  /** ∂L/∂(parameter) in terms of the d arriving: O₁ᵀ·d. */
  readonly grads: Readonly<Record<string, FormulaText>>;
  /** The shapes of the gradient passed down and of each parameter's gradient: [n×k₁] = [n×k₂]·[k₁×k₂]ᵀ. */
  readonly shapes?: { readonly gradInput: FormulaText; readonly grads: Readonly<Record<string, FormulaText>> };
  /** The same element by element, where the formula has such a form: dᵢⱼ ← Σₖ dᵢₖ·(W₂)ⱼₖ. */
  readonly elementwise?: { readonly gradInput?: FormulaText; readonly grads: Readonly<Record<string, FormulaText>> };
}

/**
 * One layer asked about on its own (exercise 4's layer questions): its forward pass for a given
 * input and its backward pass for a given gradient arriving from above.
 */
export interface LayerTrace {
  readonly kind: 'layer';
  readonly title: string;
  readonly titles?: Titles;
  /** How many layers the network has; the layer is `formulas.index` (0-based) among them. */
  readonly layers: number;
  /** The layer's formulas with the names of the whole network (O₁, W₂). */
  readonly formulas: LayerFormulaTexts;
  /** The layer's numbers: input, output, the given gradient arriving (gradOutput), what it passes down, worked formulas (no updates). */
  readonly step: LayerStep;
  /** The layer's parameters and their gradients, keyed INDEX.weight / INDEX.bias. */
  readonly params: Readonly<Record<string, Values>>;
  readonly grads: Readonly<Record<string, Values>>;
}

/**
 * A formula of vectors and matrices at a point (docs/matrix-calculus.md): its value and each
 * variable's derivative, as numbers in the variable's own shape and as a formula in matrix
 * notation. Values are nested lists: a number, a vector as a list, a matrix as a list of rows.
 */
export interface MatrixTrace {
  readonly kind: 'matrix';
  readonly expression: string;
  readonly formula: FormulaText;
  /** The formula with the values written in: (1, 2)·[[1, 2], [3, 4]]·(1, 2)ᵀ (absent without values). */
  readonly substituted?: FormulaText;
  readonly variables: readonly string[];
  /** Each variable's shape: [] a number, [n, 1] a (column) vector, [rows, columns] a matrix. */
  readonly shapes: Readonly<Record<string, readonly number[]>>;
  readonly at: Readonly<Record<string, Values>>;
  /** The value's shape; [] or [1, 1] for a number. */
  readonly shape: readonly number[];
  /** Null when the variables are declared without values (a purely symbolic answer). */
  readonly value: Values | null;
  /**
   * Set when the variables are declared without values: the stand-in size of each dimension
   * letter (n = 3, m = 4), which `shapes` use; the formulas do not depend on them.
   */
  readonly symbolic?: { readonly sizes: Readonly<Record<string, number>> };
  /** A matrix by a matrix (F(X) with X a matrix): the differential and ∂vec F/∂vec X as Kronecker products, by variable. */
  readonly kronecker?: Readonly<Record<string, MatrixKronecker>>;
  /** Variables declared "symmetric matrix" (Sᵀ = S): derivative formulas use it, answers are compared at symmetric matrices. */
  readonly symmetric?: readonly string[];
  /** For a number: ∂f/∂v in v's shape (as PyTorch's .grad). Empty for a vector or matrix value. */
  readonly gradient: Readonly<Record<string, Values>>;
  /** For a vector or matrix value: ∂f/∂v with a row per element of f and a column per element of v (row by row). */
  readonly jacobian: Readonly<Record<string, Values>>;
  /** The gradient (or Jacobian) as a formula in the matrix grammar: (A + A')*x. Absent where it has no matrix form here. */
  readonly derivatives: Readonly<Record<string, string>>;
  readonly derivativeFormulas: Readonly<Record<string, FormulaText>>;
  /** The derivation for a teacher, by variable (a number f only): differential, rules, factors, the check at the point. */
  readonly worked: Readonly<Record<string, MatrixWorked>>;
  /** Asked for with --hessian: ∂²f/∂v² for a number f and a vector (or number) v. */
  readonly hessian?: Readonly<Record<string, { readonly value?: Values; readonly formula?: FormulaText; readonly formulaValue?: Values }>>;
  /** The problem file's own remark (a book's erratum), as text or per language. */
  readonly note?: string | { readonly en: string; readonly ru?: string };
  /** Asked for with `stationary: [w]` in a problem file: ∇ = 0 solved for the listed variables (docs/matrix-calculus.md). */
  readonly stationaryPoint?: MatrixStationary;
  readonly diagnostics: readonly Diagnostic[];
}

/** An equation written as its two sides: M·w = Xᵀy. */
export interface MatrixEquation {
  readonly lhs: FormulaText;
  readonly rhs: FormulaText;
}

/**
 * ∇ = 0 solved for the variables a problem file lists in `stationary:` (docs/matrix-calculus.md,
 * "Stationary points"). `outcome`: 'solved' (a point, with numbers where values are given),
 * 'singular' (no unique point: the system's matrix is singular, or the gradient does not depend
 * on the variable), 'nonlinear' (∇ = 0 is not linear in the variable: no closed form this way),
 * 'inconsistent' (no point at all).
 */
export interface MatrixStationary {
  readonly variables: readonly string[];
  readonly outcome: 'solved' | 'singular' | 'nonlinear' | 'inconsistent';
  /** One variable: dG, linear in dv with factors free of v (what shows G is affine). */
  readonly differential?: FormulaText;
  /** Where the variable's factors stand: left of it only, right of it only, or both (vec and Kronecker products). */
  readonly side?: 'left' | 'right' | 'both';
  /** ∇ = 0 with the terms free of the variable moved right: (Σ c·L)·v = −G₀. */
  readonly equation?: MatrixEquation;
  /** The same tidied as a student does (a shared number divided out, a shared outer factor cancelled: with values only where invertible there; without, `ifInvertible`). */
  readonly reduced?: MatrixEquation & { readonly cancelled: readonly { readonly factor: FormulaText; readonly inverse: FormulaText; readonly number?: true }[]; readonly ifInvertible?: boolean };
  /** Both sides: Σ c·Rᵀ ⊗ L, the system's matrix for vec v. */
  readonly kronecker?: FormulaText;
  /** The matrix that must be invertible (M of M·v = b). */
  readonly matrix?: FormulaText;
  /** `matrix` is a number (aᵀ·a, λ): invertible means not 0, and the solution says so. */
  readonly matrixIsNumber?: true;
  /** The point as formulas of the other variables (ascii parses back in the matrix grammar). */
  readonly formula?: Readonly<Record<string, FormulaText>>;
  /** Two variables, a Lagrangian: ∇_Λ = c·(X − Xᵀ) = 0 is X = Xᵀ; ∇_X + ∇_Xᵀ has no Λ, and with Xᵀ = X it is solved for X. */
  readonly transposeAndAdd?: { readonly multiplier: string; readonly variable: string; readonly constraint: FormulaText; readonly gradient: FormulaText; readonly sum: FormulaText; readonly symmetric: FormulaText; readonly equation: MatrixEquation };
  /** The point's numbers (with values), in each variable's shape. */
  readonly value?: Readonly<Record<string, Values>>;
  /** The formula computed at the values, to compare with `value`. */
  readonly formulaValue?: Readonly<Record<string, Values>>;
  /** The largest |element| of the gradients at the point (the engine's backward pass): zero up to rounding when at most `residualBound`. */
  readonly residual?: number;
  /** The gradient is affine (its differential has no variable left, the engine's Hessian is the same at two random points) but not collected as Σ c·L·v·R: no formula; with values the numbers from the Hessian, without them outcome 'nonlinear'. */
  readonly noClosedForm?: boolean;
  /** Rounding's bound on `residual`: 1e-9 of the largest number around (the values, the point, |H|·|point|). */
  readonly residualBound?: number;
  /** Rounding's bound on the point's elements: 16·n·ε of the point's largest |element| (n unknowns, ε machine epsilon; a solve's error is relative to its solution). An element this small is printed as 0; the trace keeps it. */
  readonly pointBound?: number;
  /** Each gradient at the point: its formula with the unknowns hatted (−2·Xᵀ·(y − X·ŵ)) and the engine's numbers there. */
  readonly gradientAt?: Readonly<Record<string, { readonly formula?: FormulaText; readonly value: Values }>>;
  /** The Hessian (constant, as the gradient is affine), by vec of the variables, and what it makes the point. */
  readonly hessian?: { readonly formula?: FormulaText; readonly value: Values; readonly kind: 'minimum' | 'maximum' | 'saddle' | 'degenerate' };
  /** The equations fix the point only up to a null space (rank < unknowns): the minimum-norm point is given, and these variables are not fixed. */
  readonly rank?: number;
  readonly unknowns?: number;
  readonly notFixed?: readonly string[];
  /** 'singular': the matrix that has no inverse, with its numbers (absent: the gradient does not depend on the variable). */
  readonly singular?: { readonly matrix: FormulaText; readonly value?: Values };
  /** The point is Xᵀ·1/n for the n-row data matrix named here: the mean of its rows (μ̂ = x̄). */
  readonly mean?: string;
  /** Several variables not linear together: each solved alone, the others held at their values. */
  readonly separately?: readonly MatrixStationary[];
}

/**
 * The derivative of a matrix by a matrix: dF (as derived, and collected as Σ c·L·dX·R) and the
 * Jacobian ∂vec F/∂vec X = Σ c·Rᵀ ⊗ L, vec stacking columns (column-major). With values, its
 * numbers from the Kronecker products and the engine's, reordered to column-major.
 */
export interface MatrixKronecker {
  readonly differential: FormulaText;
  readonly linear: FormulaText;
  /** Σ c·Rᵀ ⊗ L; ascii as MATLAB's kron(Rᵀ, L). A term L·dXᵀ·R gives (Rᵀ ⊗ L)·K, K = commutation(X). */
  readonly formula: FormulaText;
  /** Some term has dXᵀ: the formula uses the commutation matrix K of X's shape (vec dXᵀ = K·vec dX). */
  readonly commutation?: true;
  /** The Jacobian's size: elements of F × elements of X. */
  readonly rows: number;
  readonly columns: number;
  readonly value?: Values;
  readonly engine?: Values;
  readonly agrees?: boolean;
}

export interface MatrixWorked {
  /** d f with the differential of each factor in place, before terms are collected: dxᵀ·A·x + xᵀ·A·dx. */
  readonly differential?: FormulaText;
  /** d f as a linear form in dv: ((A + Aᵀ)·x)ᵀ·dx, tr(Gᵀ·dX), from which the gradient is read. */
  readonly linearForm?: FormulaText;
  /** The rules of differentials used (DifferentialRule codes: product, transpose, trace, det, inv, …). */
  readonly rules: readonly string[];
  /** The matrix factors of the derivative formula with their shapes ([2, 2] under A + Aᵀ, [2, 1] under x). */
  readonly factors: readonly { readonly formula: FormulaText; readonly shape: readonly number[] }[];
  /** The derivative formula with the values written in (absent without values). */
  readonly substituted?: FormulaText;
  /** The derivative formula computed at the point (to compare with `gradient`, the engine's backward pass). */
  readonly formulaValue?: Values;
}

/** The trace of any problem file. */
export type ProblemTrace = ((ExpressionTrace & { readonly title: string; readonly titles?: Titles }) | (MatrixTrace & { readonly title: string; readonly titles?: Titles }) | NetworkTrace | SymbolicTrace | LayerTrace | ConvTrace) & {
  readonly answers?: AnswerReport;
  /** The problem's statement from the file's description:, as text or per language. */
  readonly description?: string | { readonly en: string; readonly ru?: string };
};

/** A problem's title per language, where the problem file gives one. */
export interface Titles {
  readonly en: string;
  readonly ru?: string;
}

/** A network whose weights are names: the backpropagation algorithm in matrix form (exercise 5). */
export interface SymbolicTrace {
  readonly kind: 'symbolic';
  readonly title: string;
  readonly titles?: Titles;
  readonly loss: string;
  /** The network as one composite function: ŷ = ReLU(X·W₂)·W₁. */
  readonly network: FormulaText;
  readonly forward: readonly AlgorithmLine[];
  readonly lossLine: AlgorithmLine;
  /** d = ∂L/∂ŷ, where the backward pass starts. */
  readonly start: AlgorithmLine;
  /** From the last layer down. */
  readonly backward: readonly SymbolicLayerStep[];
  readonly updates: readonly AlgorithmLine[];
  /** The problem file's own remark (a book's erratum), as text or per language. */
  readonly note?: string | { readonly en: string; readonly ru?: string };
}

/** One answer of the student's, checked. */
export interface AnswerCheck {
  /** Where the quantity is, with the names of the --json output: nodes.a, steps[1].layers[0].output. */
  readonly path: string;
  /** The quantity for people: ∂f/∂x, the output of layer 0 at step 1. */
  readonly label: { readonly pretty: string; readonly latex: string };
  readonly given: Values | string;
  readonly expected: Values | string;
  /** right; wrong; carried: wrong, but what the student's own earlier wrong number leads to. */
  readonly verdict: 'right' | 'wrong' | 'carried';
  /** A formula compared as a function: the first entry where a wrong one differs, and at which values. */
  readonly differsAt?: AnswerDifference;
}

/** Entry (row, column), counted from 1, of a derivative: the student's formula gives `given` at `point`, the engine `expected`. */
export interface AnswerDifference {
  readonly row: number;
  readonly column: number;
  readonly given: number;
  readonly expected: number;
  readonly point: Readonly<Record<string, Values>>;
}

export interface AnswerReport {
  /** In the order the computation goes. */
  readonly checks: readonly AnswerCheck[];
  /** The first wrong answer: where the student's computation went off. */
  readonly firstWrong: string | null;
  /**
   * The answers carried over from the first wrong one (they change when it is put right); only
   * these make "later numbers built on it are off too" true. Left out where not worked out.
   */
  readonly carriedFromFirst?: readonly string[];
}

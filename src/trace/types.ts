/**
 * The Trace: plain data recording one run — every node with its formula, value and
 * gradient, every edge with its local derivative. It is the `--json` output and the only
 * input of the renderers, so every front end says the same thing.
 */

/** One formula in the three ways mashagrad writes formulas. */
export interface FormulaText {
  /** The formula grammar: parses back with `mashagrad grad`. */
  readonly ascii: string;
  /** Unicode for terminals and people: x², 2x, σ(x). */
  readonly pretty: string;
  readonly latex: string;
}

export interface TraceNode {
  readonly id: string;
  /** What the node computes from its inputs, in the grammar: "x^2", "a + b". */
  readonly expression: string;
  readonly formula: FormulaText;
  /** The registry op, or "input" for a variable. */
  readonly op: string;
  readonly inputs: readonly string[];
  readonly value: number;
  /** ∂(output)/∂(this node). */
  readonly grad: number;
}

export interface TraceEdge {
  readonly from: string;
  readonly to: string;
  /** The local derivative ∂to/∂from in terms of `to`'s inputs, in the grammar: "2*x". */
  readonly derivative: string;
  readonly formula: FormulaText;
  readonly value: number;
}

export interface Diagnostic {
  readonly kind: 'non-finite-value' | 'non-finite-gradient' | 'note';
  readonly node?: string;
  readonly message: string;
}

export interface ExpressionTrace {
  readonly kind: 'expression';
  readonly expression: string;
  readonly variables: readonly string[];
  readonly at: Readonly<Record<string, number>>;
  readonly value: number;
  readonly gradient: Readonly<Record<string, number>>;
  /** ∂f/∂v simplified, in the grammar (4*x + 3*y). */
  readonly derivatives: Readonly<Record<string, string>>;
  readonly derivativeFormulas: Readonly<Record<string, FormulaText>>;
  /** ∂f/∂v as reverse mode builds it, before simplification: the sum over paths. */
  readonly pathSums: Readonly<Record<string, FormulaText>>;
  readonly nodes: readonly TraceNode[];
  readonly edges: readonly TraceEdge[];
  /** ∂(node)/∂(variable) for every node and every variable. */
  readonly jacobian: Readonly<Record<string, Readonly<Record<string, number>>>>;
  readonly diagnostics: readonly Diagnostic[];
}

/** Numbers of a tensor as nested arrays (a matrix for layer values, a vector for a bias). */
export type Values = number | Values[];

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
  /** ∂L/∂ŷ, what the loss passes down when its own gradient starts at 1. */
  readonly gradPrediction: Values;
  readonly layers: readonly LayerStep[];
  /** Parameter gradients, keyed INDEX.weight / INDEX.bias. */
  readonly grads: Readonly<Record<string, Values>>;
  /** Parameters before and after this step's update. */
  readonly paramsBefore: Readonly<Record<string, Values>>;
  readonly params: Readonly<Record<string, Values>>;
  /** Set when sigmoid + logloss or softmax + cross_entropy were computed fused from the logits. */
  readonly fused?: { readonly activation: number; readonly gradLogits: Values };
  readonly diagnostics: readonly Diagnostic[];
}

export interface NetworkTrace {
  readonly kind: 'network';
  readonly title: string;
  readonly loss: string;
  readonly optimizer: { readonly name: string; readonly lr: number; readonly rule: { readonly pretty: string; readonly latex: string } };
  readonly model: readonly { readonly index: number; readonly kind: string; readonly parameters: readonly string[] }[];
  readonly initialParams: Readonly<Record<string, Values>>;
  readonly steps: readonly TrainingStep[];
  /** Parameters after the last step. */
  readonly params: Readonly<Record<string, Values>>;
  /** Set when the run stopped early because a value stopped being a finite number. */
  readonly diverged?: { readonly step: number; readonly layer: number | null; readonly message: string };
  readonly diagnostics: readonly Diagnostic[];
}

/** One line of the general algorithm: `name = formula`, or `name ← formula` for an update. */
export interface AlgorithmLine {
  readonly name: FormulaText;
  readonly formula: FormulaText;
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
}

/** A network whose weights are names: the backpropagation algorithm in matrix form (exercise 5). */
export interface SymbolicTrace {
  readonly kind: 'symbolic';
  readonly title: string;
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
}

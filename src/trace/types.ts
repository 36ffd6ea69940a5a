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

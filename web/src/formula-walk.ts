import { formatNumber, type ExpressionTrace, type TraceEdge, type TraceNode } from '../../src/index.js';

/**
 * The forward and backward passes of a recorded formula as a walk, one node or one edge at a
 * time. Every number comes from the trace (values, gradients, edge derivatives from the op
 * registry); the walk only orders them and adds up the contributions as reverse mode does.
 */
export type WalkStep =
  /** A node computes its value from its inputs (a variable just takes its value). */
  | { readonly phase: 'forward'; readonly node: TraceNode; readonly index: number }
  /** The backward pass starts: ∂f/∂f = 1. */
  | { readonly phase: 'seed'; readonly node: TraceNode }
  /** One edge's contribution: ∂f/∂from += ∂f/∂to · ∂to/∂from. */
  | {
      readonly phase: 'backward';
      readonly edge: TraceEdge;
      /** Position of the edge in trace.edges (two edges can join the same nodes: x·x). */
      readonly edgeIndex: number;
      /** ∂f/∂to: complete, since `to` comes after everything that uses it. */
      readonly gradTo: number;
      readonly contribution: number;
      /** ∂f/∂from with this and every earlier contribution added. */
      readonly accumulated: number;
      /** This was the last contribution to `from`: its gradient is now complete. */
      readonly complete: boolean;
    }
  | { readonly phase: 'done' };

export function walkSteps(trace: ExpressionTrace): WalkStep[] {
  const nodes = trace.nodes;
  const output = nodes.at(-1);
  if (output === undefined) return [];
  const steps: WalkStep[] = nodes.map((node, index) => ({ phase: 'forward', node, index }));
  steps.push({ phase: 'seed', node: output });
  const gradOf = new Map(nodes.map((node) => [node.id, node.grad]));
  const backwardEdges: { edge: TraceEdge; edgeIndex: number }[] = [];
  // Reverse topological order: a node passes its gradient down once all its users have passed theirs.
  for (const node of [...nodes].reverse()) {
    trace.edges.forEach((edge, edgeIndex) => {
      if (edge.to === node.id) backwardEdges.push({ edge, edgeIndex });
    });
  }
  const remaining = new Map<string, number>();
  for (const { edge } of backwardEdges) remaining.set(edge.from, (remaining.get(edge.from) ?? 0) + 1);
  const accumulated = new Map<string, number>();
  for (const { edge, edgeIndex } of backwardEdges) {
    const gradTo = gradOf.get(edge.to) ?? Number.NaN;
    const contribution = gradTo * edge.value;
    const sum = (accumulated.get(edge.from) ?? 0) + contribution;
    accumulated.set(edge.from, sum);
    const left = (remaining.get(edge.from) ?? 1) - 1;
    remaining.set(edge.from, left);
    steps.push({ phase: 'backward', edge, edgeIndex, gradTo, contribution, accumulated: sum, complete: left === 0 });
  }
  steps.push({ phase: 'done' });
  return steps;
}

/** What the walk has reached after `position` steps: the nodes computed, the edges passed back, the gradients complete. */
export interface WalkProgress {
  readonly computed: ReadonlySet<string>;
  readonly passedEdges: ReadonlySet<number>;
  readonly gradientsComplete: ReadonlySet<string>;
}

export function walkProgress(steps: readonly WalkStep[], position: number): WalkProgress {
  const computed = new Set<string>();
  const passedEdges = new Set<number>();
  const gradientsComplete = new Set<string>();
  for (const step of steps.slice(0, position)) {
    if (step.phase === 'forward') computed.add(step.node.id);
    else if (step.phase === 'seed') gradientsComplete.add(step.node.id);
    else if (step.phase === 'backward') {
      passedEdges.add(step.edgeIndex);
      if (step.complete) gradientsComplete.add(step.edge.from);
    }
  }
  return { computed, passedEdges, gradientsComplete };
}

/** The words of the captions; the formulas themselves are the same in every language. */
export interface WalkWords {
  readonly forward: string;
  readonly backward: string;
  readonly seed: string;
  readonly soFar: string;
  readonly complete: string;
  readonly done: string;
}

/** "a = x² = 1² = 1": each form once (a variable is just "x = 1"). */
function forwardText(node: TraceNode): string {
  const forms = [node.id, node.formula.pretty, node.substituted.pretty, formatNumber(node.value)];
  return forms.filter((form, k) => forms.indexOf(form) === k).join(' = ');
}

const partial = (of: string, by: string) => `∂${of}/∂${by}`;

/** The caption of a step: a headline and a line of detail. */
export function walkCaption(trace: ExpressionTrace, step: WalkStep, words: WalkWords): { readonly head: string; readonly detail: string } {
  const output = trace.nodes.at(-1)?.id ?? 'f';
  switch (step.phase) {
    case 'forward':
      return { head: `${words.forward}: ${forwardText(step.node)}`, detail: '' };
    case 'seed':
      return { head: `${words.backward}: ${partial(output, output)} = 1`, detail: words.seed };
    case 'backward': {
      const { edge } = step;
      const head = `${words.backward}: ${partial(output, edge.from)} += ${partial(output, edge.to)} · ${partial(edge.to, edge.from)}`
        + ` = ${formatNumber(step.gradTo)} · ${formatNumber(edge.value)} = ${formatNumber(step.contribution)}`;
      const local = [edge.formula.pretty, edge.substituted.pretty, formatNumber(edge.value)];
      const localText = `${partial(edge.to, edge.from)} = ${local.filter((form, k) => local.indexOf(form) === k).join(' = ')}`;
      const sum = `${partial(output, edge.from)} = ${formatNumber(step.accumulated)}`;
      return { head, detail: `${localText}; ${step.complete ? words.complete : words.soFar} ${sum}` };
    }
    case 'done': {
      const gradients = trace.variables.map((name) => `${partial(output, name)} = ${formatNumber(trace.gradient[name] ?? Number.NaN)}`);
      return { head: `${words.done}: ${gradients.join(', ')}`, detail: '' };
    }
  }
}

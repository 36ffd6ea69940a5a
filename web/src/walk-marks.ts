import type { ExpressionTrace } from '../../src/index.js';
import { walkProgress, type WalkStep } from './formula-walk.js';

/**
 * Marks one step of the walk on Graphviz's SVG of the computation graph with CSS classes:
 * walk-current (the node being computed, or the edge whose derivative is multiplied in and
 * the node receiving it), walk-source (the node whose gradient is passed down) and walk-later
 * (what the walk has not reached yet). Graphviz names each group by a <title>: a node's id,
 * or "from->to" for an edge.
 */
export function markWalk(svg: Element, trace: ExpressionTrace, steps: readonly WalkStep[], position: number): void {
  const nodeGroups = new Map<string, Element>();
  for (const group of Array.from(svg.querySelectorAll('g.node'))) nodeGroups.set(titleOf(group), group);
  const edgeGroups = edgeGroupsInTraceOrder(svg, trace);
  for (const group of Array.from(svg.querySelectorAll('g.walk-current, g.walk-source, g.walk-later'))) {
    group.classList.remove('walk-current', 'walk-source', 'walk-later');
  }
  const step = steps[position - 1];
  if (step === undefined || step.phase === 'done') return;
  const mark = (group: Element | undefined, name: string) => group?.classList.add(name);

  const progress = walkProgress(steps, position);
  if (step.phase === 'forward') {
    for (const [id, group] of nodeGroups) if (!progress.computed.has(id)) mark(group, 'walk-later');
    mark(nodeGroups.get(step.node.id), 'walk-current');
    trace.edges.forEach((edge, k) => {
      if (!progress.computed.has(edge.to)) mark(edgeGroups[k], 'walk-later');
      else if (edge.to === step.node.id) mark(edgeGroups[k], 'walk-current');
    });
    return;
  }

  // Backward: the edges already passed and the nodes whose gradient is complete stay as drawn.
  for (const [id, group] of nodeGroups) if (!progress.gradientsComplete.has(id)) mark(group, 'walk-later');
  trace.edges.forEach((_, k) => {
    if (!progress.passedEdges.has(k)) mark(edgeGroups[k], 'walk-later');
  });
  if (step.phase === 'seed') {
    mark(nodeGroups.get(step.node.id), 'walk-current');
    return;
  }
  const receiving = nodeGroups.get(step.edge.from);
  receiving?.classList.remove('walk-later');
  mark(receiving, 'walk-current');
  mark(nodeGroups.get(step.edge.to), 'walk-source');
  edgeGroups[step.edgeIndex]?.classList.remove('walk-later');
  mark(edgeGroups[step.edgeIndex], 'walk-current');
}

function titleOf(group: Element): string {
  return group.querySelector('title')?.textContent ?? '';
}

/** The SVG group of each trace edge; edges joining the same two nodes are matched in order. */
function edgeGroupsInTraceOrder(svg: Element, trace: ExpressionTrace): (Element | undefined)[] {
  const byTitle = new Map<string, Element[]>();
  for (const group of Array.from(svg.querySelectorAll('g.edge'))) {
    const title = titleOf(group);
    byTitle.set(title, [...(byTitle.get(title) ?? []), group]);
  }
  return trace.edges.map((edge) => byTitle.get(`${edge.from}->${edge.to}`)?.shift());
}

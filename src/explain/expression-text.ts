import { formatNumber, type NumberStyle } from '../formula/numbers.js';
import type { ExpressionTrace } from '../trace/types.js';
import { diagnosticText } from '../trace/diagnostic.js';
import { formatTable } from './table.js';

/**
 * The terminal rendering of `mashagrad grad`: value, gradient, derivative formulas and the
 * computation graph's nodes and edges. Reads only the trace.
 */
export function renderExpressionText(trace: ExpressionTrace, numbers: NumberStyle = {}): string {
  const n = (value: number) => formatNumber(value, numbers);
  const output = trace.nodes[trace.nodes.length - 1];
  const f = output === undefined || output.op === 'input' ? 'f' : output.id;
  const point = trace.variables.map((name) => `${name} = ${n(trace.at[name]!)}`).join(', ');
  const lines: string[] = [];
  lines.push(`f(${trace.variables.join(', ')}) = ${trace.expression}${point === '' ? '' : `   at ${point}`}`, '');
  lines.push(`Value:     f = ${n(trace.value)}`);
  if (trace.variables.length > 0) {
    lines.push(`Gradient:  ${trace.variables.map((name) => `∂f/∂${name} = ${n(trace.gradient[name]!)}`).join(',  ')}`);
    lines.push('Derivatives:');
    for (const name of trace.variables) lines.push(`  ∂f/∂${name} = ${trace.derivativeFormulas[name]!.pretty}`);
  }
  lines.push('', 'Computation graph (one node per elementary operation):');
  lines.push(formatTable(
    ['node', 'computes', 'value', `∂f/∂node`],
    trace.nodes.map((node) => [node.id, node.op === 'input' ? 'input' : `${node.id} = ${node.formula.pretty}`, n(node.value), n(node.grad)]),
  ));
  if (trace.edges.length > 0) {
    lines.push('', 'Edges (local derivatives):');
    lines.push(formatTable(
      ['edge', 'local derivative', 'value'],
      trace.edges.map((edge) => [`${edge.from} → ${edge.to}`, `∂${edge.to}/∂${edge.from} = ${edge.formula.pretty}`, n(edge.value)]),
    ));
  }
  if (f !== 'f') lines.push('', `(f is node ${f}.)`);
  for (const diagnostic of trace.diagnostics) lines.push('', `${diagnostic.kind === 'note' ? 'Note' : 'Warning'}: ${diagnosticText(diagnostic, 'en')}`);
  return lines.join('\n');
}

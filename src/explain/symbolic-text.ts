import { prettyName } from '../formula/write.js';
import type { SymbolicTrace } from '../trace/types.js';

/** The terminal rendering of a symbolic network problem: the algorithm in matrix form. */
export function renderSymbolicText(trace: SymbolicTrace): string {
  const lines: string[] = [trace.title, '', `Network: ŷ = ${trace.network.pretty};  loss: ${trace.loss}`, '', 'Forward pass:'];
  for (const step of trace.forward) lines.push(`  ${step.name.pretty} = ${step.formula.pretty}`);
  lines.push(`  ${trace.lossLine.name.pretty} = ${trace.lossLine.formula.pretty}`);
  lines.push('', 'Backward pass (d is the accumulated gradient):', `  ${trace.start.name.pretty} = ∂L/∂ŷ = ${trace.start.formula.pretty}`);
  for (const step of trace.backward) {
    const layer = `layer ${step.index} (${step.kind})`;
    for (const [name, gradient] of Object.entries(step.grads)) lines.push(`  ${layer}: ∂L/∂${prettyName(name)} = ${gradient.pretty}`);
    lines.push(`  ${layer}: local derivative ${step.localDerivative.pretty};  d ← ${step.gradInput.pretty}`);
  }
  lines.push('', 'Gradient descent step:');
  for (const update of trace.updates) lines.push(`  ${update.name.pretty} ← ${update.formula.pretty}`);
  return lines.join('\n');
}

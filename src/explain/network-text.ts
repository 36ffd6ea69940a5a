import { formatNumber, type NumberStyle } from '../formula/numbers.js';
import type { NetworkTrace } from '../trace/types.js';
import { diagnosticText } from '../trace/diagnostic.js';
import { formatValues } from '../formula/values-text.js';

/** The terminal rendering of `mashagrad solve` for a network problem: every number of every step. */
export function renderNetworkText(trace: NetworkTrace, numbers: NumberStyle = {}): string {
  const v = (values: Parameters<typeof formatValues>[0]) => formatValues(values, numbers);
  const lines: string[] = [trace.title, ''];
  lines.push(`Model: ${trace.model.map((layer) => `${layer.index + 1}:${layer.kind}`).join(' → ')};  loss: ${trace.loss};  optimizer: ${trace.optimizer.name}, γ = ${formatNumber(trace.optimizer.lr, numbers)}`);
  lines.push(`Update rule: ${trace.optimizer.rule.pretty}`);
  lines.push('Initial parameters:');
  for (const [name, value] of Object.entries(trace.initialParams)) lines.push(`  ${name} = ${v(value)}`);
  for (const step of trace.steps) {
    lines.push('', `Step ${step.step} (epoch ${step.epoch}), observation${step.observations.length === 1 ? '' : 's'} ${step.observations.join(', ')}: x = ${v(step.x)}, y = ${v(step.y)}`);
    lines.push('  Forward:');
    for (const layer of step.layers) lines.push(`    layer ${layer.index + 1} (${layer.kind}): ${v(layer.input)} → ${v(layer.output)}`);
    lines.push(`    prediction ŷ = ${v(step.prediction)};  loss L = ${formatNumber(step.loss, numbers)};  ∂L/∂ŷ = ${v(step.gradPrediction)}`);
    lines.push('  Backward (accumulated gradient arriving → gradient passed down):');
    for (const layer of [...step.layers].reverse()) {
      const fused = step.fused?.activation === layer.index ? '  (fused with the loss: p − y)' : '';
      lines.push(`    layer ${layer.index + 1} (${layer.kind}): ${v(layer.gradOutput)} → ${v(layer.gradInput)}${fused}`);
    }
    if (Object.keys(step.grads).length > 0) {
      lines.push('  Parameter gradients and update:');
      for (const [name, gradient] of Object.entries(step.grads)) {
        lines.push(`    ∂L/∂${name} = ${v(gradient)};  ${name}: ${v(step.paramsBefore[name]!)} → ${v(step.params[name]!)}`);
      }
    }
    for (const diagnostic of step.diagnostics) lines.push(`  ${diagnostic.kind === 'note' ? 'Note' : 'Warning'}: ${diagnosticText(diagnostic, 'en')}`);
  }
  lines.push('', 'Final parameters:');
  for (const [name, value] of Object.entries(trace.params)) lines.push(`  ${name} = ${v(value)}`);
  return lines.join('\n');
}

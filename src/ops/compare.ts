import { elementwiseBinary } from './define.js';
import { comparison } from './notation.js';

// Comparisons give masks of 0 and 1 in the inputs' dtype. They are not differentiable:
// no gradient flows through a mask (it multiplies gradients in other ops' rules).

const noGradient = () => [null, null] as const;

export const gt = elementwiseBinary({
  name: 'gt', summary: '[a > b]', differentiable: false, vjp: noGradient,
  notation: comparison('>', '>', (a, b) => `step(${a} - ${b})`),
});
export const ge = elementwiseBinary({
  name: 'ge', summary: '[a ≥ b]', differentiable: false, vjp: noGradient,
  notation: comparison('≥', '\\geq', (a, b) => `(1 - step(${b} - ${a}))`),
});
export const lt = elementwiseBinary({
  name: 'lt', summary: '[a < b]', differentiable: false, vjp: noGradient,
  notation: comparison('<', '<', (a, b) => `step(${b} - ${a})`),
});
export const le = elementwiseBinary({
  name: 'le', summary: '[a ≤ b]', differentiable: false, vjp: noGradient,
  notation: comparison('≤', '\\leq', (a, b) => `(1 - step(${a} - ${b}))`),
});
export const eq = elementwiseBinary({
  name: 'eq', summary: '[a = b]', differentiable: false, vjp: noGradient,
  notation: comparison('=', '=', (a, b) => `(1 - step(${a} - ${b}) - step(${b} - ${a}))`),
});
export const ne = elementwiseBinary({
  name: 'ne', summary: '[a ≠ b]', differentiable: false, vjp: noGradient,
  notation: comparison('≠', '\\neq', (a, b) => `(step(${a} - ${b}) + step(${b} - ${a}))`),
});

import { UnaryCode } from '../tensor/kernels/codes.js';
import { elementwiseUnary } from './define.js';
import { argAt, call } from './notation.js';
import { Precedence } from './types.js';

export const sigmoid = elementwiseUnary({
  name: 'sigmoid', summary: 'σ(x) = 1/(1 + e⁻ˣ)', code: UnaryCode.sigmoid,
  // d(σ(x))/dx = σ(x)(1 − σ(x)): reuse the output
  vjp: (m, { y, gy }) => m.mul(gy, m.mul(y, m.sub(m.constant(1, y), y))),
  notation: call({ ascii: 'sigmoid', pretty: 'σ', latex: '\\sigma' }),
});

export const relu = elementwiseUnary({
  name: 'relu', summary: 'max(0, x)', code: UnaryCode.relu,
  // d(ReLU x)/dx = [x > 0]; 0 at x = 0, as PyTorch
  vjp: (m, { x, gy }) => m.mul(gy, m.step(x)),
  notation: call({ ascii: 'relu', pretty: 'ReLU', latex: '\\operatorname{ReLU}' }),
});

export const step = elementwiseUnary({
  name: 'step', summary: 'the step function [x > 0]', code: UnaryCode.step, differentiable: false,
  // Its derivative is 0 wherever it exists.
  vjp: () => null,
  notation: {
    precedence: Precedence.atom,
    write: (args, _attrs, style) => {
      const x = argAt(args, 0).text;
      return style === 'ascii' ? `step(${x})` : style === 'pretty' ? `[${x} > 0]` : `\\left[${x} > 0\\right]`;
    },
  },
});

export const sign = elementwiseUnary({
  name: 'sign', summary: 'the sign of x (−1, 0 or 1)', code: UnaryCode.sign, differentiable: false,
  vjp: () => null,
  notation: call({ ascii: 'sign' }),
});

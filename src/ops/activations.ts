import { backend } from '../kernels/active.js';
import { BinaryCode, UnaryCode } from '../kernels/codes.js';
import { elementwiseUnary } from './define.js';
import { argAt, call, wrap } from './notation.js';
import { Precedence, type OpDef, type SlopeAttrs } from './types.js';

export const sigmoid = elementwiseUnary({
  name: 'sigmoid', summary: 'σ(x) = 1/(1 + e⁻ˣ)', grammar: ['sigmoid'],
  facts: { neverZero: true },
  // d(σ(x))/dx = σ(x)(1 − σ(x)): reuse the output
  vjp: (m, { y, gy }) => m.mul(gy, m.mul(y, m.sub(m.constant(1, y), y))),
  notation: call({ ascii: 'sigmoid', pretty: 'σ', latex: '\\sigma' }),
});

export const relu = elementwiseUnary({
  name: 'relu', summary: 'max(0, x)', grammar: ['relu'],
  // d(ReLU x)/dx = [x > 0]; 0 at x = 0, as PyTorch
  vjp: (m, { x, gy }) => m.mul(gy, m.step(x)),
  notation: call({ ascii: 'relu', pretty: 'ReLU', latex: '\\operatorname{ReLU}' }),
});

export const step = elementwiseUnary({
  name: 'step', summary: 'the step function [x > 0]', grammar: ['step'], differentiable: false,
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
  name: 'sign', summary: 'the sign of x (−1, 0 or 1)', grammar: ['sign'], differentiable: false,
  vjp: () => null,
  notation: call({ ascii: 'sign' }),
});

export const softplus = elementwiseUnary({
  name: 'softplus', summary: 'ln(1 + eˣ), computed without overflow', grammar: ['softplus'],
  // d(ln(1 + eˣ))/dx = σ(x): this is why sigmoid + logloss has gradient p − y
  vjp: (m, { x, gy }) => m.mul(gy, m.sigmoid(x)),
  notation: call({ ascii: 'softplus', latex: '\\operatorname{softplus}' }),
});

export const softsign = elementwiseUnary({
  name: 'softsign', summary: 'x/(1 + |x|)', grammar: ['softsign'],
  // d(x/(1 + |x|))/dx = 1/(1 + |x|)²
  vjp: (m, { x, gy }) => {
    const denominator = m.add(m.constant(1, x), m.abs(x));
    return m.div(gy, m.mul(denominator, denominator));
  },
  notation: call({ ascii: 'softsign', latex: '\\operatorname{softsign}' }),
});

/** max(x, αx) for 0 < α < 1; its slope at 0 is α, as PyTorch's leaky_relu. */
export const leakyRelu: OpDef<SlopeAttrs> = {
  name: 'leakyRelu', summary: 'x for x > 0, αx otherwise', arity: 1, differentiable: true,
  outputShape: ([x = []]) => x,
  forward([x], { slope }, out, shape) {
    // out = x · (α + (1 − α)·[x > 0]), with the registry's own kernels
    const kernels = backend();
    kernels.unary(UnaryCode.step, x!.data, out);
    const constant = (value: number) => (out instanceof Float32Array ? Float32Array.of(value) : Float64Array.of(value));
    kernels.binary(BinaryCode.mul, out, shape, constant(1 - slope), [], out, shape);
    kernels.binary(BinaryCode.add, out, shape, constant(slope), [], out, shape);
    kernels.binary(BinaryCode.mul, out, shape, x!.data, shape, out, shape);
  },
  // d(LeakyReLU x)/dx = α + (1 − α)·[x > 0]
  vjp: (m, { inputs: [x], gy, attrs: { slope } }) => [m.mul(gy, m.add(m.constant(slope, x!), m.scale(m.step(x!), 1 - slope)))],
  notation: {
    precedence: Precedence.atom,
    write: (args, { slope }, style) => {
      const x = argAt(args, 0);
      if (style === 'latex') return `\\operatorname{LeakyReLU}_{${slope}}\\left(${x.text}\\right)`;
      if (style === 'pretty') return `LeakyReLU(${x.text})`;
      // The grammar has no attributes: ascii writes what the forward computes, x·(α + (1 − α)·step(x)),
      // which parses back with the same value and derivative (α at 0), as comparisons write step forms.
      return `(${wrap(x, Precedence.product, style)}*(${slope} + ${1 - slope}*step(${x.text})))`;
    },
  },
};

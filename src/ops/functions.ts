import type { Algebra } from './algebra.js';
import { elementwiseUnary } from './define.js';
import { argAt, call, wrap } from './notation.js';
import { Precedence } from './types.js';

export const exp = elementwiseUnary({
  name: 'exp', summary: 'eˣ', grammar: ['exp'],
  facts: { neverZero: true },
  // d(eˣ)/dx = eˣ: reuse the output
  vjp: (m, { y, gy }) => m.mul(gy, y),
  notation: {
    precedence: Precedence.atom,
    write: (args, _attrs, style) => (style === 'latex' ? `e^{${argAt(args, 0).text}}` : `exp(${argAt(args, 0).text})`),
  },
});

export const log = elementwiseUnary({
  name: 'log', summary: 'natural logarithm', grammar: ['log', 'ln'],
  // d(ln x)/dx = 1/x
  vjp: (m, { x, gy }) => m.div(gy, x),
  notation: call({ ascii: 'log', pretty: 'ln', latex: '\\ln' }),
});

export const sqrt = elementwiseUnary({
  name: 'sqrt', summary: '√x', grammar: ['sqrt'],
  // d(√x)/dx = 1/(2√x): reuse the output
  vjp: (m, { y, gy }) => m.div(gy, m.scale(y, 2)),
  notation: {
    precedence: Precedence.atom,
    write: (args, _attrs, style) => {
      const x = argAt(args, 0);
      if (style === 'latex') return `\\sqrt{${x.text}}`;
      return style === 'pretty' ? `√${wrap(x, Precedence.atom, style)}` : `sqrt(${x.text})`;
    },
  },
});

export const abs = elementwiseUnary({
  name: 'abs', summary: '|x|', grammar: ['abs'],
  // d|x|/dx = sign(x), 0 at 0 as in PyTorch
  vjp: (m, { x, gy }) => m.mul(gy, m.sign(x)),
  notation: {
    precedence: Precedence.atom,
    write: (args, _attrs, style) => {
      const x = argAt(args, 0).text;
      return style === 'ascii' ? `abs(${x})` : style === 'pretty' ? `|${x}|` : `\\left|${x}\\right|`;
    },
  },
});

export const sin = elementwiseUnary({
  name: 'sin', summary: 'sine', grammar: ['sin'],
  // d(sin x)/dx = cos x
  vjp: (m, { x, gy }) => m.mul(gy, m.cos(x)),
  notation: call({ ascii: 'sin', latex: '\\sin' }),
});

export const cos = elementwiseUnary({
  name: 'cos', summary: 'cosine', grammar: ['cos'],
  // d(cos x)/dx = −sin x
  vjp: (m, { x, gy }) => m.neg(m.mul(gy, m.sin(x))),
  notation: call({ ascii: 'cos', latex: '\\cos' }),
});

export const tanh = elementwiseUnary({
  name: 'tanh', summary: 'hyperbolic tangent', grammar: ['tanh', 'th'],
  // d(tanh x)/dx = 1 − tanh²x: reuse the output
  vjp: (m, { y, gy }) => m.mul(gy, m.sub(m.constant(1, y), m.mul(y, y))),
  notation: call({ ascii: 'tanh', latex: '\\tanh' }),
});

export const tan = elementwiseUnary({
  name: 'tan', summary: 'tangent', grammar: ['tan', 'tg'],
  // d(tan x)/dx = 1 + tan²x: reuse the output (PyTorch's rule too)
  vjp: (m, { y, gy }) => m.mul(gy, m.add(m.constant(1, y), m.mul(y, y))),
  notation: call({ ascii: 'tan', latex: '\\tan' }),
});

/** √(1 − x²), the arcsine's and arccosine's denominator. */
const cosOfArcsin = <T>(m: Algebra<T>, x: T): T => m.sqrt(m.sub(m.constant(1, x), m.mul(x, x)));

export const asin = elementwiseUnary({
  name: 'asin', summary: 'arcsine', grammar: ['asin', 'arcsin'],
  // d(arcsin x)/dx = 1/√(1 − x²)
  vjp: (m, { x, gy }) => m.div(gy, cosOfArcsin(m, x)),
  notation: call({ ascii: 'asin', pretty: 'arcsin', latex: '\\arcsin' }),
});

export const acos = elementwiseUnary({
  name: 'acos', summary: 'arccosine', grammar: ['acos', 'arccos'],
  // d(arccos x)/dx = −1/√(1 − x²)
  vjp: (m, { x, gy }) => m.neg(m.div(gy, cosOfArcsin(m, x))),
  notation: call({ ascii: 'acos', pretty: 'arccos', latex: '\\arccos' }),
});

export const atan = elementwiseUnary({
  name: 'atan', summary: 'arctangent', grammar: ['atan', 'arctan', 'arctg'],
  // d(arctan x)/dx = 1/(1 + x²)
  vjp: (m, { x, gy }) => m.div(gy, m.add(m.constant(1, x), m.mul(x, x))),
  notation: call({ ascii: 'atan', pretty: 'arctan', latex: '\\arctan' }),
});

export const sinh = elementwiseUnary({
  name: 'sinh', summary: 'hyperbolic sine', grammar: ['sinh', 'sh'],
  // d(sinh x)/dx = cosh x
  vjp: (m, { x, gy }) => m.mul(gy, m.cosh(x)),
  notation: call({ ascii: 'sinh', latex: '\\sinh' }),
});

export const cosh = elementwiseUnary({
  name: 'cosh', summary: 'hyperbolic cosine', grammar: ['cosh', 'ch'],
  // d(cosh x)/dx = sinh x
  vjp: (m, { x, gy }) => m.mul(gy, m.sinh(x)),
  notation: call({ ascii: 'cosh', latex: '\\cosh' }),
});

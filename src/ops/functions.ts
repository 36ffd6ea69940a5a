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
  name: 'tanh', summary: 'hyperbolic tangent', grammar: ['tanh'],
  // d(tanh x)/dx = 1 − tanh²x: reuse the output
  vjp: (m, { y, gy }) => m.mul(gy, m.sub(m.constant(1, y), m.mul(y, y))),
  notation: call({ ascii: 'tanh', latex: '\\tanh' }),
});

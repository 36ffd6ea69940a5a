import { backend } from '../kernels/active.js';
import { elementwiseBinary, elementwiseUnary } from './define.js';
import { argAt, infix, superscript, wrap } from './notation.js';
import { Precedence, type NoAttrs, type Notation, type OpDef } from './types.js';

const { sum, product, unary, power, atom } = Precedence;

export const add: OpDef<NoAttrs> = {
  ...elementwiseBinary({
    name: 'add', summary: 'a + b',
    facts: { foldsToNumber: true },
    // ∂(a + b)/∂a = 1, ∂(a + b)/∂b = 1
    vjp: (_m, { gy }) => [gy, gy],
    notation: infix({ ascii: ' + ', pretty: ' + ', latex: ' + ' }, sum, sum, product),
  }),
  // A layer's bias add and its activation, as one backend kernel (compile/steps.ts fuses them).
  forwardBiasActivation: (code, x, bias, sumOut, out) => backend().biasActivation(code, x, bias, sumOut, out),
};

export const sub = elementwiseBinary({
  name: 'sub', summary: 'a − b',
  facts: { foldsToNumber: true },
  // ∂(a − b)/∂a = 1, ∂(a − b)/∂b = −1
  vjp: (m, { gy, needsGrad }) => [gy, needsGrad[1] ? m.neg(gy) : null],
  notation: infix({ ascii: ' - ', pretty: ' − ', latex: ' - ' }, sum, sum, product),
});

/** a·b; people write a number before a name without a dot: 2x, 3(x + y). */
const productNotation: Notation<unknown> = {
  precedence: product,
  write: (args, _attrs, style) => {
    const left = wrap(argAt(args, 0), product, style);
    const right = wrap(argAt(args, 1), power, style);
    if (style === 'ascii') return `${left}*${right}`;
    // The elementwise (Hadamard) product of two matrices, as the sheet writes d ⊙ [H > 0].
    if (argAt(args, 0).matrix === true && argAt(args, 1).matrix === true) return style === 'pretty' ? `${left} ⊙ ${right}` : `${left} \\odot ${right}`;
    // Not before a name of several letters: 2ab would read as 2·a·b (a function is fine: 3exp(x)).
    const severalLetters = /^(\p{L}{2,}(?![\p{L}(])|\\mathit\{)/u.test(right);
    const juxtapose = argAt(args, 1).literal !== true && /^\d+(\.\d+)?$/.test(left) && /^(\p{L}|[(\\√|[])/u.test(right) && !severalLetters;
    if (juxtapose) return `${left}${right}`;
    return style === 'pretty' ? `${left}·${right}` : `${left} \\cdot ${right}`;
  },
};

export const mul = elementwiseBinary({
  name: 'mul', summary: 'a · b',
  facts: { foldsToNumber: true, neverZero: true, signPassesThrough: true },
  // ∂(a·b)/∂a = b, ∂(a·b)/∂b = a
  vjp: (m, { a, b, gy, needsGrad }) => [needsGrad[0] ? m.mul(gy, b) : null, needsGrad[1] ? m.mul(gy, a) : null],
  notation: productNotation,
});

export const div = elementwiseBinary({
  name: 'div', summary: 'a / b',
  facts: { foldsToNumber: true, neverZero: true, signPassesThrough: true },
  // ∂(a/b)/∂a = 1/b, ∂(a/b)/∂b = −a/b²
  vjp: (m, { a, b, gy, needsGrad }) => [
    needsGrad[0] ? m.div(gy, b) : null,
    needsGrad[1] ? m.neg(m.div(m.mul(gy, a), m.mul(b, b))) : null,
  ],
  notation: {
    precedence: product,
    write: (args, _attrs, style) =>
      style === 'latex'
        ? `\\frac{${argAt(args, 0).text}}{${argAt(args, 1).text}}`
        : `${wrap(argAt(args, 0), product, style)}/${wrap(argAt(args, 1), power, style)}`,
  },
});

export const pow = elementwiseBinary({
  name: 'pow', summary: 'a ^ b',
  facts: { foldsToNumber: true, neverZero: true },
  // ∂(aᵇ)/∂a = b·aᵇ⁻¹, ∂(aᵇ)/∂b = aᵇ·ln a. At a = 0 PyTorch takes the limits: 0 for ∂a when
  // b = 0 (not 0·0⁻¹) and 0 for ∂b when b ≥ 0 (not 0·ln 0); the [a = 0] terms do that
  // (left out where the algebra says they are 0: a formula printed away from a = 0).
  vjp: (m, { a, b, y, gy, needsGrad }) => {
    const one = m.constant(1, b);
    let base = a;
    let logBase = a;
    if (m.limitTerms) {
      const atZero = m.eq(a, m.constant(0, a));
      base = m.add(a, m.mul(atZero, m.eq(b, m.constant(0, b))));
      logBase = m.add(a, m.mul(atZero, m.ge(b, m.constant(0, b))));
    }
    return [
      needsGrad[0] ? m.mul(gy, m.mul(b, m.pow(base, m.sub(b, one)))) : null,
      needsGrad[1] ? m.mul(gy, m.mul(y, m.log(logBase))) : null,
    ];
  },
  notation: {
    precedence: power,
    write: (args, _attrs, style) => {
      const base = wrap(argAt(args, 0), atom, style);
      const exponent = argAt(args, 1);
      if (style === 'latex') return `${base}^{${exponent.text}}`;
      const small = style === 'pretty' ? superscript(exponent.text) : null;
      return small === null ? `${base}^${wrap(exponent, unary, style)}` : `${base}${small}`;
    },
  },
});

export const neg = elementwiseUnary({
  name: 'neg', summary: '−x',
  facts: { foldsToNumber: true },
  // ∂(−x)/∂x = −1
  vjp: (m, { gy }) => m.neg(gy),
  notation: {
    precedence: unary,
    write: (args, _attrs, style) => `${style === 'pretty' ? '−' : '-'}${wrap(argAt(args, 0), power, style)}`,
  },
});

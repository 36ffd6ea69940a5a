import { elementwiseBinary } from './define.js';
import { call } from './notation.js';

// Where a = b the gradient is split equally between both inputs, as PyTorch does.

export const maximum = elementwiseBinary({
  name: 'maximum', summary: 'elementwise max(a, b)', grammar: ['max'],
  // ∂max(a, b)/∂a = [a > b] + ½[a = b]
  vjp: (m, { a, b, gy, needsGrad }) => {
    const half = m.scale(m.eq(a, b), 0.5);
    return [
      needsGrad[0] ? m.mul(gy, m.add(m.gt(a, b), half)) : null,
      needsGrad[1] ? m.mul(gy, m.add(m.lt(a, b), half)) : null,
    ];
  },
  notation: call({ ascii: 'max', latex: '\\max' }),
});

export const minimum = elementwiseBinary({
  name: 'minimum', summary: 'elementwise min(a, b)', grammar: ['min'],
  // ∂min(a, b)/∂a = [a < b] + ½[a = b]
  vjp: (m, { a, b, gy, needsGrad }) => {
    const half = m.scale(m.eq(a, b), 0.5);
    return [
      needsGrad[0] ? m.mul(gy, m.add(m.lt(a, b), half)) : null,
      needsGrad[1] ? m.mul(gy, m.add(m.gt(a, b), half)) : null,
    ];
  },
  notation: call({ ascii: 'min', latex: '\\min' }),
});

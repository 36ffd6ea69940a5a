import { describe, expect, it } from 'vitest';
import { elementName, indexForm, type ElementOf } from './index-form.js';
import { matrixVar, symbolicAlgebra as m, symConst, symVar } from './symbolic.js';

/** Matrices by name; b is a row (a bias), λ a number. */
const elementOf: ElementOf = (name, row, column) => (name === 'lambda' ? null : elementName(name, name === 'b' ? null : row, column));
const form = (sym: Parameters<typeof indexForm>[0], row: 'i' | null = 'i') => indexForm(sym, row, 'j', elementOf, '1ᵀ')?.pretty;

describe('formulas element by element', () => {
  const [X, W, d, H, b] = ['X', 'W1', 'd', 'H', 'b'].map((name) => matrixVar(name)) as [ReturnType<typeof matrixVar>, ReturnType<typeof matrixVar>, ReturnType<typeof matrixVar>, ReturnType<typeof matrixVar>, ReturnType<typeof matrixVar>];

  it('writes a matrix product as a sum over a new index, and a transpose by swapping the indices', () => {
    expect(form(m.add(m.matmul(X, W), b))).toBe('Σₖ Xᵢₖ·(W₁)ₖⱼ + bⱼ');
    expect(form(m.matmul(d, m.mT(W)))).toBe('Σₖ dᵢₖ·(W₁)ⱼₖ');
    expect(form(m.matmul(m.mT(X), d))).toBe('Σₖ Xₖᵢ·dₖⱼ');
  });

  it('writes 1ᵀ·d as the column sums Σᵢ dᵢⱼ for a row', () => {
    expect(form(m.matmul(matrixVar('1ᵀ'), d), null)).toBe('Σᵢ dᵢⱼ');
  });

  it('writes an elementwise formula with each matrix replaced by its element, numbers and scalars kept', () => {
    expect(form(m.mul(d, m.mul(H, m.sub(symConst(1), H))))).toBe('dᵢⱼ·Hᵢⱼ·(1 − Hᵢⱼ)');
    expect(form(m.mul(d, m.step(H)))).toBe('dᵢⱼ·[Hᵢⱼ > 0]');
    expect(form(m.add(m.matmul(m.mT(X), d), m.mul(m.mul(symConst(2), symVar('lambda')), W)))).toBe('Σₖ Xₖᵢ·dₖⱼ + 2·λ·(W₁)ᵢⱼ');
    expect(form(m.sigmoid(m.add(m.matmul(X, W), b)))).toBe('σ(Σₖ Xᵢₖ·(W₁)ₖⱼ + bⱼ)');
  });

  it('gives up (null) where elements move in other ways: a sum over a whole matrix, a softmax', () => {
    expect(form(m.sum(H, [0, 1], false))).toBeUndefined();
    expect(form(m.softmax(H, 1))).toBeUndefined();
  });
});

import { matrixVar, symbolicAlgebra as m, symConst, symVar, type Sym } from '../formula/symbolic.js';
import type { LayerFormulas } from './layer-formulas.js';

/**
 * The L2 term a problem writes into its loss (`l2: λ`): L + λ·Σ‖W‖², the squares of every
 * weight of every linear layer, and not of the biases (the book's convention). Its derivative
 * by a weight matrix is 2λ·W, which the recorder adds to the backward pass's Xᵀ·d.
 */
export const LAMBDA = 'lambda';

/** λ·(Σ(W₁²) + Σ(W₂²) + …) over the weights named. */
export function l2Term(weights: readonly string[]): Sym {
  const squares = weights.map((name) => {
    const w = matrixVar(name);
    return m.sum(m.pow(w, m.constant(2, w)), [0, 1], false);
  });
  const total = squares.reduce((sum, square) => m.add(sum, square));
  return m.mul(symVar(LAMBDA), total);
}

/** 2λ·W: the L2 term's derivative by the weight matrix W. */
export const l2Gradient = (weight: string): Sym => m.mul(m.mul(symConst(2), symVar(LAMBDA)), matrixVar(weight));

/**
 * Whether a layer's `weight` is one the L2 term squares: a linear layer's matrix. A norm layer's
 * scale γ is also named `weight` (as in PyTorch) and is not penalised, as biases are not.
 */
export const penalised = (layer: { readonly kind: string }): boolean => layer.kind === 'linear';

/** The weights' symbols (W₁, W₂…) of the layers, in order. */
export const weightNames = (layers: readonly LayerFormulas[]): string[] =>
  layers.flatMap((layer) => (layer.parameters.weight === undefined || !penalised(layer) ? [] : [layer.parameters.weight]));

/** The layers' formulas with 2λ·W added to each weight's gradient. */
export function withL2(layers: readonly LayerFormulas[]): LayerFormulas[] {
  return layers.map((layer) => {
    const weight = layer.parameters.weight;
    const gradient = layer.grads.weight;
    if (weight === undefined || gradient === undefined || !penalised(layer)) return layer;
    return { ...layer, grads: { ...layer.grads, weight: m.add(gradient, l2Gradient(weight)) } };
  });
}

/** λ·Σ w² over the weight matrices given (their values), as a number. */
export function l2Value(lambda: number, weights: readonly (readonly (readonly number[])[])[]): number {
  let sum = 0;
  for (const matrix of weights) for (const row of matrix) for (const w of row) sum += w * w;
  return lambda * sum;
}

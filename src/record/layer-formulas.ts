import { byName } from '../by-name.js';
import { symbolicGradients } from '../formula/symbolic-gradients.js';
import { matrixVar, symbolicAlgebra, symConst, type Sym } from '../formula/symbolic.js';
import type { Sequential } from '../nn/sequential.js';

/** The row of ones whose product with d sums d's columns: 1ᵀ·d. */
export const ONES_ROW = '1ᵀ';

/** One layer's formulas, from its own compute() and the registry's vjp rules run on symbols. */
export interface LayerFormulas {
  readonly index: number;
  readonly kind: string;
  /** X for the first layer, else the previous layer's output name (H1, O1…). */
  readonly input: string;
  /** H1, O1…, and yhat for the last layer. */
  readonly output: string;
  /** The parameter symbol of each named parameter: weight → W1, bias → b1. */
  readonly parameters: Readonly<Record<string, string>>;
  readonly forward: Sym;
  /** The output by the input, as it multiplies into d (Wᵀ, [H > 0]): the vjp with d = 1. */
  readonly localDerivative: Sym;
  /** The gradient passed down, in terms of the d arriving. */
  readonly gradInput: Sym;
  /** ∂L/∂(parameter) in terms of the d arriving, keyed like `parameters`. */
  readonly grads: Readonly<Record<string, Sym>>;
}

/**
 * Names as the sheet writes them: H₁, H₂… after linear layers, O₁, O₂… after activations,
 * ŷ for the last; W₁, b₁, W₂… for parameters (or the names a symbolic problem gives).
 */
export function layerFormulas(model: Sequential, givenNames: readonly (Readonly<Record<string, string>> | null)[] = []): LayerFormulas[] {
  let linear = 0;
  let activation = 0;
  let input = 'X';
  const last = model.layers.length - 1;
  return model.layers.map((layer, index) => {
    const isLinear = layer.kind === 'linear';
    const number = isLinear ? ++linear : ++activation;
    const output = index === last ? 'yhat' : `${isLinear ? 'H' : 'O'}${number}`;
    const parameters = byName<string>();
    for (const [name] of layer.namedParameters()) {
      parameters[name] = givenNames[index]?.[name] ?? `${name === 'weight' ? 'W' : 'b'}${number}`;
    }
    const parameterSyms = Object.values(parameters).map((name) => matrixVar(name));
    const forward = layer.compute(symbolicAlgebra, matrixVar(input), parameterSyms);
    // Rules that reuse the output (σ′ = σ(1 − σ)) write it by the layer output's name.
    const named = new Map([[forward, matrixVar(output)]]);
    const withD = symbolicGradients(forward, matrixVar('d'), named);
    const withOne = symbolicGradients(forward, symConst(1), named);
    const grads = byName<Sym>();
    for (const [name, parameter] of layer.namedParameters()) {
      const gradient = withD.get(parameters[name]!) ?? symConst(0);
      // A parameter added to every row (the bias) collects its gradient from every row: 1ᵀ·d, the column sums.
      grads[name] = parameter.shape.length < 2 ? symbolicAlgebra.matmul(matrixVar(ONES_ROW), gradient) : gradient;
    }
    const formulas: LayerFormulas = {
      index, kind: layer.kind, input, output, parameters, forward,
      localDerivative: withOne.get(input) ?? symConst(0),
      gradInput: withD.get(input) ?? symConst(0),
      grads,
    };
    input = output;
    return formulas;
  });
}

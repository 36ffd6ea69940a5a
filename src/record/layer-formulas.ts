import { byName } from '../by-name.js';
import { symbolicGradients } from '../formula/symbolic-gradients.js';
import { matrixVar, symbolicAlgebra, symConst, type Sym } from '../formula/symbolic.js';
import { Residual } from '../nn/residual.js';
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
  /** The symbol of each buffer the formula reads (mask → M₂, running_mean → mu₂, h0 → h0_₁). */
  readonly buffers: Readonly<Record<string, string>>;
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
/** A parameter's letter by its layer: W and b as the sheet writes them, γ and β of a normalization, an RNN's U, W, b, c. */
function letterOf(kind: string, name: string): string {
  if (kind === 'layernorm' || kind === 'batchnorm1d') return name === 'weight' ? 'gamma' : 'beta';
  if (kind === 'rnn') return ({ weight_ih: 'U', weight_hh: 'W', bias_ih: 'b', bias_hh: 'c' } as Readonly<Record<string, string>>)[name] ?? name;
  return name === 'weight' ? 'W' : 'b';
}
/** A buffer's symbol: dropout's mask, batch norm's running statistics, an RNN's initial state h₀. */
const bufferSymbol = (name: string, number: number) =>
  name === 'h0' ? 'h0' : `${({ mask: 'M', running_mean: 'mu', running_var: 'sigma' } as Readonly<Record<string, string>>)[name] ?? name.replace(/\W/g, '')}${number}`;

/** Layers whose output the sheet names H (a weighted sum, or an RNN's hidden state) and that count W₁, W₂…. */
const countsAsLinear = (kind: string) => kind === 'linear' || kind === 'rnn';

/**
 * `inputShapes` (each layer's input shape in the first step) lets layers whose formula depends on
 * the shape (an RNN unrolled over its steps) write it out; without it inputs are matrices of any shape.
 */
export function layerFormulas(
  model: Sequential, givenNames: readonly (Readonly<Record<string, string>> | null)[] = [], inputShapes: readonly (readonly number[])[] = [],
): LayerFormulas[] {
  let linear = 0;
  let activation = 0;
  let input = 'X';
  const last = model.layers.length - 1;
  return model.layers.map((layer, index) => {
    const isLinear = countsAsLinear(layer.kind);
    const number = isLinear ? ++linear : ++activation;
    const output = index === last ? 'yhat' : `${isLinear ? 'H' : 'O'}${number}`;
    const parameters = byName<string>();
    // A residual block's layers count on from the layers before it (W₂ inside after W₁ before).
    const inner = layer instanceof Residual ? layer.body.map((part) => ({ part, number: part.parameters().length > 0 ? ++linear : 0 })) : [];
    for (const [name] of layer.namedParameters()) {
      const path = /^body\.(\d+)\.(.+)$/.exec(name);
      const owner = path === null ? { kind: layer.kind, number } : { kind: inner[Number(path[1])]!.part.kind, number: inner[Number(path[1])]!.number };
      parameters[name] = givenNames[index]?.[name] ?? `${letterOf(owner.kind, path === null ? name : path[2]!)}${owner.number}`;
    }
    const buffers = byName<string>();
    for (const [name] of layer.namedBuffers()) buffers[name] = bufferSymbol(name.split('.').pop()!, number);
    const parameterSyms = Object.values(parameters).map((name) => matrixVar(name));
    const bufferSyms = layer.namedBuffers().map(([name, buffer]) => matrixVar(buffers[name]!, buffer.shape));
    const forward = layer.compute(symbolicAlgebra, matrixVar(input, inputShapes[index]), [...parameterSyms, ...bufferSyms]);
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
      index, kind: layer.kind, input, output, parameters, buffers, forward,
      localDerivative: withOne.get(input) ?? symConst(0),
      gradInput: withD.get(input) ?? symConst(0),
      grads,
    };
    input = output;
    return formulas;
  });
}

import { byName } from '../by-name.js';
import { symbolicGradients } from '../formula/symbolic-gradients.js';
import { buildSym, matrixVar, shapeOfSym, symbolicAlgebra, symConst, type Sym } from '../formula/symbolic.js';
import { BatchNorm1d, LayerNorm } from '../nn/normalization.js';
import { Residual } from '../nn/residual.js';
import { RNN } from '../nn/rnn.js';
import { normalizationGradInput } from './normalization-formulas.js';
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
  /** Quantities on the way to the output, in order, each by the ones before (null: numbers read off the input). */
  readonly intermediates: readonly { readonly key: string; readonly name: string; readonly formula: Sym | null }[];
  /** The gradient passed down, part by part where the input is read in parts (an RNN's xₜ): ∂L/∂xₜ. */
  readonly inputParts: readonly { readonly name: string; readonly formula: Sym }[];
  /** The parts of d that reach each step of an RNN passing on every step's state: d₁ = d's rows of step 1…. */
  readonly arriving: readonly { readonly name: string; readonly formula: Sym }[];
  /** No one local derivative to print: the layer's Jacobian mixes its inputs (normalization) or its input is read in parts. */
  readonly skipLocal: boolean;
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
  name === 'h0' ? 'h0' : `${({ mask: 'M', running_mean: 'mR', running_var: 'vR' } as Readonly<Record<string, string>>)[name] ?? name.replace(/\W/g, '')}${number}`;

/** Layers whose output the sheet names H (a weighted sum, or an RNN's hidden state) and that count W₁, W₂…. */
const countsAsLinear = (kind: string) => kind === 'linear' || kind === 'rnn';

/**
 * Backpropagation through time, as a teacher walks it: from the last step back, the gradient
 * reaching each state, ∂L/∂hₜ₋₁ = (∂L/∂hₜ ⊙ tanh′)·W, and each step's input, ∂L/∂xₜ, each by the
 * one before it; the weights' gradients are the sums of every step's share. Each step's rule is
 * the registry's vjp of that step's formula (hₜ from xₜ and hₜ₋₁), so nothing is written by hand.
 * `arriving`: where the layer passes on every step's state, the parts d₁, d₂, … of d that reach
 * each step from above (∂L/∂hₜ = dₜ + what comes back from step t + 1); null where it passes on
 * the last state alone (d reaches h_T). Null unless the layer names its states h1, h2….
 */
function throughTime(
  computed: Sym, parts: readonly { name: string; sym: Sym }[], definition: (sym: Sym) => Sym,
  arriving: readonly Sym[] | null, parameterNames: readonly string[],
): { lines: { name: string; formula: Sym }[]; parameterGrads: Map<string, Sym> } | null {
  const states = parts.filter(({ name }) => /^h\d+$/.test(name));
  if (states.length === 0) return null;
  if (arriving === null && states[states.length - 1]!.sym !== computed) return null;
  const lines: { name: string; formula: Sym }[] = [];
  const shares = new Map<string, Sym[]>(parameterNames.map((name) => [name, []]));
  const last = states.length;
  if (arriving !== null) lines.push({ name: `dL_dh${last}`, formula: arriving[last - 1]! });
  for (let t = last; t >= 1; t--) {
    const formula = definition(states[t - 1]!.sym);
    // What arrives at this step's state: d at the last state passed on, else the line written for it.
    const reaching = t === last && arriving === null ? matrixVar('d', shapeOfSym(formula)) : matrixVar(`dL_dh${t}`, shapeOfSym(formula));
    const local = symbolicGradients(formula, reaching, new Map([[formula, matrixVar(`h${t}`)]]));
    const input = local.get(`x${t}`);
    if (input !== undefined) lines.push({ name: `dL_dx${t}`, formula: input });
    const previous = t > 1 ? local.get(`h${t - 1}`) : undefined;
    if (t > 1) {
      const own = arriving?.[t - 2];
      const formulaBefore = own === undefined ? previous : previous === undefined ? own : buildSym('add', [own, previous], {});
      if (formulaBefore !== undefined) lines.push({ name: `dL_dh${t - 1}`, formula: formulaBefore });
    }
    for (const [name, list] of shares) {
      const share = local.get(name);
      if (share !== undefined) list.push(share);
    }
  }
  const parameterGrads = new Map([...shares].filter(([, list]) => list.length > 0).map(([name, list]) => [name, list.reduce((sum, term) => buildSym('add', [sum, term], {}))]));
  return { lines, parameterGrads };
}

/**
 * The parts of the arriving d that belong to each step, where an RNN passes on every step's state
 * of rows of input: the rows of step t ('steps', [T·N, hidden]) or its columns ('all', [N, T·hidden]).
 */
function stepParts(layer: RNN, inputShape: readonly number[] | undefined): { name: string; formula: Sym }[] {
  if (layer.returns === 'last' || inputShape?.length !== 2) return [];
  const [rows, steps, hidden] = [inputShape[0]!, layer.stepsOf(inputShape), layer.hidden];
  const d = matrixVar('d', layer.returns === 'steps' ? [steps * rows, hidden] : [rows, steps * hidden]);
  return Array.from({ length: steps }, (_, t) => ({
    name: `d${t + 1}`,
    formula: layer.returns === 'steps'
      ? symbolicAlgebra.slice(d, [t * rows, 0], [(t + 1) * rows, hidden])
      : symbolicAlgebra.slice(d, [0, t * hidden], [rows, (t + 1) * hidden]),
  }));
}

/**
 * An input read in parts (an RNN's step inputs xₜ): the gradient reaching each part, from the last
 * back to the first, each in terms of the named states hₜ. The formula is differentiated again
 * with the parts as variables of their own.
 */
function stepGradients(computed: Sym, parts: readonly { name: string; sym: Sym }[], naming: ReadonlyMap<Sym, Sym>, output: string): { name: string; formula: Sym }[] {
  const steps = parts.filter(({ name }) => /^x\d+$/.test(name));
  if (steps.length === 0) return [];
  const asVariables = new Map(steps.map(({ name, sym }) => [sym, matrixVar(name, shapeOfSym(sym))]));
  const rebuilt = new Map<Sym, Sym>();
  const stepped = nameParts(computed, asVariables, rebuilt);
  // The states, as they stand in the rebuilt formula.
  const states = new Map([...naming].filter(([sym]) => !asVariables.has(sym)).map(([sym, name]) => [rebuilt.get(sym) ?? sym, name]));
  const gradients = symbolicGradients(stepped, matrixVar('d'), new Map([[stepped, matrixVar(output)], ...states]));
  const memo = new Map<Sym, Sym>();
  return steps.map(({ name }) => ({ name: `dL_d${name}`, formula: nameParts(gradients.get(name) ?? symConst(0), states, memo) })).reverse();
}

/** `sym` with every part that has a name in `naming` written as that name. */
function nameParts(sym: Sym, naming: ReadonlyMap<Sym, Sym>, memo: Map<Sym, Sym>): Sym {
  const name = naming.get(sym);
  if (name !== undefined) return name;
  if (sym.kind !== 'op') return sym;
  const done = memo.get(sym);
  if (done !== undefined) return done;
  const args = sym.args.map((arg) => nameParts(arg, naming, memo));
  const named = args.every((arg, i) => arg === sym.args[i]) ? sym : buildSym(sym.op, args, sym.attrs as never);
  memo.set(sym, named);
  return named;
}

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
    layer.named = [];
    const computed = layer.compute(symbolicAlgebra, matrixVar(input, inputShapes[index]), [...parameterSyms, ...bufferSyms]);
    // Quantities the layer names (batch norm's μ and σ², an RNN's hₜ) are written by name wherever they occur.
    // An RNN's last state keeps its name hₜ (the layer's output is then written H = hₜ).
    const parts = layer.named
      .map(([key, sym]) => ({ key, name: /\d$/.test(key) ? key : `${key}${number}`, sym: sym as Sym }))
      .filter(({ name, sym }) => sym !== computed || (layer instanceof RNN && /^h\d+$/.test(name)));
    const naming = new Map(parts.map(({ name, sym }) => [sym, matrixVar(name, shapeOfSym(sym))]));
    const memo = new Map<Sym, Sym>();
    const byNames = (sym: Sym) => nameParts(sym, naming, memo);
    /** The formula of a named quantity (or the layer's output) from what comes before it, by name. */
    const definition = (sym: Sym) => (sym.kind === 'op' ? buildSym(sym.op, sym.args.map(byNames), sym.attrs as never) : sym);
    const forward = naming.get(computed) ?? (parts.length === 0 ? computed : definition(computed));
    // Rules that reuse the output (σ′ = σ(1 − σ), tanh′ = 1 − h²) write it by the layer output's name.
    const named = new Map([[computed, matrixVar(output)], ...naming]);
    const withD = symbolicGradients(computed, matrixVar('d'), named);
    const withOne = symbolicGradients(computed, symConst(1), named);
    // A recurrent cell walks back through time step by step; other layers read in parts get each part's gradient.
    const arriving = layer instanceof RNN ? stepParts(layer, inputShapes[index]) : [];
    const timeWalk = throughTime(computed, parts, definition, arriving.length === 0 ? null : arriving.map(({ name, formula }) => matrixVar(name, shapeOfSym(formula))), Object.values(parameters));
    const grads = byName<Sym>();
    for (const [name, parameter] of layer.namedParameters()) {
      const gradient = timeWalk?.parameterGrads.get(parameters[name]!) ?? byNames(withD.get(parameters[name]!) ?? symConst(0));
      // A parameter added to every row (the bias) collects its gradient from every row: 1ᵀ·d, the column sums.
      grads[name] = parameter.shape.length < 2 ? symbolicAlgebra.matmul(matrixVar(ONES_ROW), gradient) : gradient;
    }
    // A normalization's gradient passed down is printed in the teacher's form (its Jacobian is full: no local derivative line).
    const statistics = new Map(parts.map(({ key, name }) => [key, name]));
    const rowsAndColumns = (layer.kind === 'batchnorm1d' || layer.kind === 'layernorm') && inputShapes[index]?.length === 2;
    const normalization = (layer instanceof BatchNorm1d || layer instanceof LayerNorm) && rowsAndColumns && statistics.has('sigmasq') && inputShapes[index] !== undefined
      ? normalizationGradInput(layer.kind, { gamma: parameters.weight!, xhat: statistics.get('xhat')!, variance: statistics.get('sigmasq')! }, inputShapes[index], layer.eps)
      : null;
    const gradInput = normalization ?? byNames(withD.get(input) ?? symConst(0));
    const inputParts = timeWalk?.lines ?? stepGradients(computed, parts, naming, output);
    const formulas: LayerFormulas = {
      index, kind: layer.kind, input, output, parameters, buffers, forward,
      inputParts, arriving,
      skipLocal: normalization !== null || inputParts.length > 0,
      // An RNN's step input xₜ is read off X: its line gives just the numbers.
      intermediates: parts.map(({ key, name, sym }) => ({ key, name, formula: /^x\d+$/.test(name) ? null : definition(sym) })),
      localDerivative: byNames(withOne.get(input) ?? symConst(0)),
      // Read in parts, the input's gradient is its parts side by side: concat(∂L/∂x₁, ∂L/∂x₂, …).
      gradInput: inputParts.length === 0 ? gradInput : symbolicAlgebra.concat(inputParts.filter(({ name }) => /^dL_dx\d+$/.test(name)).reverse().map(({ name, formula }) => matrixVar(name, shapeOfSym(formula))), 1),
      grads,
    };
    input = output;
    return formulas;
  });
}

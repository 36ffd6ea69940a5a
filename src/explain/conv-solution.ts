import type { Values } from '../formula/values-text.js';
import { messageText, type MessageKey } from '../messages/catalogue.js';
import type { ConvLayerRecord, ConvTrace, NormDetails, Term } from '../trace/conv-types.js';
import type { Block, Inline, MathText, WorkedSolution } from './document.js';
import type { ExplainOptions } from './expression-solution.js';
import { noteBlocks, say } from './i18n.js';
import { mathOf, numberMath, partial, valuesMath } from './numbers-math.js';
import { optimizerSentence, updateEquations } from './update-lines.js';
import { latexName, prettyName } from '../formula/write.js';
import { digitsNeeded } from '../record/printed-digits.js';

/** a + b for numbers, or matrices of the same shape entry by entry. */
const added = (a: Values, b: Values): Values => (typeof a === 'number' ? a + (b as number) : a.map((entry, i) => added(entry, (b as Values[])[i]!)));
const plain = (content: readonly Inline[]) => content.map((part) => (part.kind === 'text' ? part.text : '')).join('');
const join = (parts: readonly MathText[], pretty: string, latex: string): MathText =>
  mathOf(parts.map((part) => part.pretty).join(pretty), parts.map((part) => part.latex).join(latex));

/**
 * The worked solution of a network with convolution or pooling layers (record/conv-network.ts):
 * the shapes, then the forward pass — each convolution output as a sum of products and the same as
 * W·im2col(X), each pooling window and its result — the loss, and the backward pass: where pooling
 * sends the gradient, ∂L/∂W as a sum over positions (d·im2col(X)ᵀ), ∂L/∂b, and ∂L/∂X as the full
 * convolution with the flipped kernel, each with the numbers of the first observation.
 */
export function explainConv(trace: ConvTrace, options: ExplainOptions): WorkedSolution {
  const { language } = options;
  const numbers = options.numbers ?? {};
  // `digits`: a line whose terms cancel prints them to the digits it needs to be true (at least the reader's).
  const v = (values: Values, digits?: number) => valuesMath(values, digits === undefined ? numbers : { ...numbers, digits });
  const n = (value: number, digits?: number) => numberMath(value, digits === undefined ? numbers : { ...numbers, digits });
  // A negative number in a product or after + is bracketed: 2·(−1), (−1) + (−4).
  const bracketed = (text: MathText) => (text.pretty.startsWith('−') ? mathOf(`(${text.pretty})`, `\\left(${text.latex}\\right)`) : text);
  const factor = (value: number, digits?: number) => bracketed(n(value, digits));
  /**
   * The significant digits a line's numbers need for what they give, computed as printed, to be its
   * result (printed-digits.ts): 4-digit terms of a sum that cancels (−120.9 + … + 47.82) add up to
   * 0.105, not the −9.948·10⁻¹⁴ after them.
   */
  const digitsFor = (compute: (round: (values: Values) => Values) => Values, inputs: readonly Values[], result: Values) =>
    Math.max(numbers.digits ?? 4, digitsNeeded(compute, inputs, result) ?? 4);
  /** a·b + c·d + … (+ the bias), each number to the digits the line needs to give `value`. */
  const products = (terms: readonly Term[], value: number, extra: readonly number[] = []) => {
    if (terms.length + extra.length === 0) return n(0);
    const inputs: number[][] = [terms.map(([a]) => a), terms.map(([, b]) => b), [...extra]];
    const digits = digitsFor((round) => {
      const [as, bs, rest] = inputs.map((values) => round(values) as number[]) as [number[], number[], number[]];
      return as.reduce((total, a, i) => total + a * bs[i]!, 0) + rest.reduce((total, b) => total + b, 0);
    }, inputs, value);
    return join([...terms.map(([a, b]) => join([factor(a, digits), factor(b, digits)], '·', ' \\cdot ')), ...extra.map((b) => factor(b, digits))], ' + ', ' + ');
  };
  /** t₁ + t₂ + … = total, numbers or matrices added entry by entry, each to the digits the line needs. */
  const sumLine = (terms: readonly Values[], total: Values) => {
    if (terms.length === 0) return n(0);
    const digits = digitsFor((round) => terms.map(round).reduce((sum, term) => added(sum, term)), terms, total);
    return join(terms.map((term) => bracketed(v(term, digits))), ' + ', ' + ');
  };
  const blocks: Block[] = [];
  const paragraph = (content: Inline[]) => blocks.push({ kind: 'paragraph', content });
  const heading = (content: Inline[]) => blocks.push({ kind: 'heading', level: 3, content });
  const equation = (...parts: MathText[]) => blocks.push({ kind: 'equation', parts });
  const list = (items: Inline[][]) => blocks.push({ kind: 'list', items });
  const kindOf = (layer: ConvLayerRecord) => plain(say(language, `layer.${layer.kind}` as MessageKey));
  const shape = (extents: readonly number[]) => mathOf(extents.join('×'), extents.join(' \\times '));
  const place = (at: readonly number[]) => at.map((i) => i + 1).join(', ');
  const first = trace.layers[0];
  // W₆, b₆: parameters named as the update lines name them.
  const symbol = (name: string) => mathOf(prettyName(name), latexName(name));
  const channelOf = (name: string, latex: string, channel: number) => mathOf(`${name}(${channel + 1})`, `${latex}_{${channel + 1}}`);
  const root = (variance: number, eps: number) => mathOf(`√(${n(variance).pretty} + ${n(eps).pretty})`, `\\sqrt{${n(variance).latex} + ${n(eps).latex}}`);
  // Batch norm of images: per channel μ, σ², x̂ and γ·x̂ + β over the whole batch, each with its numbers.
  const normForward = (layer: ConvLayerRecord, norm: NormDetails) => {
    paragraph(say(language, 'conv.norm.forward', { index: layer.index + 1, kind: kindOf(layer), count: norm.count, eps: n(norm.eps) }));
    norm.channels.forEach((channel, k) => {
      const values = v(channel.values);
      paragraph(say(language, 'conv.norm.channel', { channel: k + 1, values }));
      equation(channelOf('μ', '\\mu', k), mathOf(`mean(${values.pretty})`, `\\operatorname{mean}${values.latex}`), n(channel.mean));
      const mean = factor(channel.mean);
      equation(channelOf('σ²', '\\sigma^2', k), mathOf(`mean((${values.pretty} − ${mean.pretty})²)`, `\\operatorname{mean}\\left(\\left(${values.latex} - ${mean.latex}\\right)^2\\right)`), n(channel.variance));
      const spread = root(channel.variance, norm.eps);
      equation(channelOf('x̂', '\\hat{x}', k), mathOf(`(${values.pretty} − ${mean.pretty})/${spread.pretty}`, `\\frac{${values.latex} - ${mean.latex}}{${spread.latex}}`), v(channel.xhat));
      equation(channelOf('y', 'y', k), join([join([factor(channel.gamma), v(channel.xhat)], '·', ' \\cdot '), factor(channel.beta)], ' + ', ' + '), v(channel.output));
    });
  };
  const normBackward = (layer: ConvLayerRecord, norm: NormDetails) => {
    const rule = mathOf('γ·(d − mean(d) − x̂ ⊙ mean(d ⊙ x̂))/√(σ² + ε)', '\\frac{\\gamma \\left(d - \\operatorname{mean}(d) - \\hat{x} \\odot \\operatorname{mean}(d \\odot \\hat{x})\\right)}{\\sqrt{\\sigma^2 + \\varepsilon}}');
    paragraph(say(language, 'conv.norm.backward', { index: layer.index + 1, kind: kindOf(layer), rule }));
    norm.channels.forEach((channel, k) => {
      const [d, xhat] = [v(channel.gradient), v(channel.xhat)];
      equation(partial(mathOf('L'), channelOf('β', '\\beta', k)), mathOf(`sum(${d.pretty})`, `\\operatorname{sum}${d.latex}`), n(channel.gradBeta));
      equation(partial(mathOf('L'), channelOf('γ', '\\gamma', k)), mathOf(`sum(${d.pretty} ⊙ ${xhat.pretty})`, `\\operatorname{sum}\\left(${d.latex} \\odot ${xhat.latex}\\right)`), n(channel.gradGamma));
      const spread = root(channel.variance, norm.eps);
      const inside = `${d.pretty} − ${factor(channel.meanGradient).pretty} − ${xhat.pretty} ⊙ ${factor(channel.meanGradientXhat).pretty}`;
      const insideLatex = `${d.latex} - ${factor(channel.meanGradient).latex} - ${xhat.latex} \\odot ${factor(channel.meanGradientXhat).latex}`;
      equation(partial(mathOf('L'), channelOf('x', 'x', k)), mathOf(`${factor(channel.gamma).pretty}·(${inside})/${spread.pretty}`, `\\frac{${factor(channel.gamma).latex} \\left(${insideLatex}\\right)}{${spread.latex}}`), v(channel.gradInput));
    });
  };

  paragraph(say(language, 'conv.intro', { count: trace.layers.length, shape: shape(first?.inputShape ?? []) }));
  blocks.push(...noteBlocks(trace.note, language));
  list(trace.layers.map((layer) => say(language, 'conv.shape', { index: layer.index + 1, kind: kindOf(layer), from: shape(layer.inputShape), to: shape(layer.outputShape) })));
  if (trace.observations > 1) paragraph(say(language, 'conv.firstOnly'));

  heading(say(language, 'net.forward.heading'));
  for (const layer of trace.layers) {
    const index = layer.index + 1;
    if (layer.conv !== undefined) {
      paragraph(say(language, 'conv.window', { index, kind: kindOf(layer) }));
      for (const window of layer.conv.windows) {
        equation(mathOf(`y(${place(window.at)})`), products(window.terms, window.value, window.bias === null ? [] : [window.bias]), n(window.value));
      }
      const { matrix } = layer.conv;
      if (matrix !== null) {
        paragraph(say(language, 'conv.matrix', { columns: mathOf('im2col(X)', '\\operatorname{im2col}(X)') }));
        equation(mathOf('W·im2col(X)', 'W \\cdot \\operatorname{im2col}(X)'), join([v(matrix.weights), v(matrix.columns)], '·', ' \\cdot '), v(matrix.product));
        const bias = layer.params[`${layer.index}.bias`];
        if (bias !== undefined) paragraph(say(language, 'conv.matrixBias', { bias: v(bias) }));
      }
    } else if (layer.pool !== undefined) {
      const max = layer.kind === 'maxpool2d';
      paragraph(say(language, max ? 'conv.pool.max' : 'conv.pool.avg', { index }));
      list(layer.pool.map((window) => say(language, 'conv.pool.window', {
        channel: window.at[0] + 1, row: window.at[1] + 1, column: window.at[2] + 1, inputs: v([...window.inputs]), value: n(window.value),
      })));
    } else if (layer.norm !== undefined) {
      normForward(layer, layer.norm);
      continue;
    } else if (layer.kind === 'linear') {
      paragraph(say(language, 'conv.linear', { index }));
      const weights = layer.params[`${layer.index}.weight`]!;
      const bias = layer.params[`${layer.index}.bias`];
      const product = join([v(layer.input), v(weights)], '·', ' \\cdot ');
      const name = index === trace.layers.length ? mathOf('ŷ', '\\hat{y}') : mathOf(`H${index}`, `H_{${index}}`);
      equation(name, bias === undefined ? product : join([product, v(bias)], ' + ', ' + '), v(layer.output));
      continue;
    } else {
      paragraph(say(language, 'conv.layer', { index, kind: kindOf(layer), value: v(layer.output) }));
      continue;
    }
    if (layer.conv !== undefined) paragraph(say(language, 'conv.output', { value: v(layer.output) }));
  }
  // The loss's name from the catalogue, in the reader's language (its code name, sse, is not a word).
  paragraph(say(language, 'conv.loss', { loss: messageText(language, `loss.${trace.loss}` as MessageKey), value: n(trace.lossValue), y: v(trace.y) }));

  heading(say(language, 'net.backward.heading'));
  paragraph(say(language, 'conv.backward.start', { value: v(trace.gradPrediction) }));
  for (const layer of [...trace.layers].reverse()) {
    const index = layer.index + 1;
    if (layer.kind === 'linear') {
      paragraph(say(language, 'conv.backward.linear', { index }));
      const weights = layer.params[`${layer.index}.weight`]!;
      equation(partial(mathOf('L'), symbol(`W${index}`)), mathOf(`${v(layer.input).pretty}ᵀ·${v(layer.gradOutput).pretty}`, `${v(layer.input).latex}^{T} \\cdot ${v(layer.gradOutput).latex}`), v(layer.grads[`${layer.index}.weight`]!));
      const bias = layer.grads[`${layer.index}.bias`];
      if (bias !== undefined) equation(partial(mathOf('L'), symbol(`b${index}`)), v(bias));
      equation(mathOf(`d·${symbol(`W${index}`).pretty}ᵀ`, `d \\cdot ${symbol(`W${index}`).latex}^{T}`), mathOf(`${v(layer.gradOutput).pretty}·${v(weights).pretty}ᵀ`, `${v(layer.gradOutput).latex} \\cdot ${v(weights).latex}^{T}`), v(layer.gradInput));
    } else if (layer.pool !== undefined) {
      const max = layer.kind === 'maxpool2d';
      paragraph(say(language, max ? 'conv.backward.pool.max' : 'conv.backward.pool.avg', { index }));
      list(layer.pool.map((window) => {
        const { winners } = window;
        const target = !max
          ? say(language, 'conv.backward.pool.shared', { count: window.inputs.length, share: n(window.gradient / window.inputs.length) })
          : winners.length === 1
            ? say(language, 'conv.backward.pool.winner', { value: n(window.value), position: winners[0]! + 1 })
            : say(language, 'conv.backward.pool.tied', { count: winners.length, value: n(window.value), share: n(window.gradient / winners.length) });
        return [...say(language, 'conv.backward.pool.window', { channel: window.at[0] + 1, row: window.at[1] + 1, column: window.at[2] + 1, gradient: n(window.gradient) }), ...target];
      }));
    } else if (layer.conv !== undefined) {
      const { conv } = layer;
      paragraph(say(language, 'conv.backward.layer', { index, kind: kindOf(layer), d: v(layer.gradOutput), down: v(layer.gradInput) }));
      if (conv.matrix !== null) {
        const product = mathOf('d·im2col(X)ᵀ', 'd \\cdot \\operatorname{im2col}(X)^{T}');
        paragraph(say(language, 'conv.backward.weights', { product }));
        const productLine = (each: { gradient: Values; columns: Values; gradWeights: Values }) =>
          equation(product, mathOf(`${v(each.gradient).pretty}·${v(each.columns).pretty}ᵀ`, `${v(each.gradient).latex} \\cdot ${v(each.columns).latex}^{T}`), v(each.gradWeights));
        if (conv.observations !== null && trace.observations > 1) {
          // A small batch: each observation's share, then their sum, every number shown.
          conv.observations.each.forEach((each, observation) => {
            paragraph(say(language, 'conv.backward.weightsEach', { observation: observation + 1 }));
            productLine(each);
          });
          paragraph(say(language, 'conv.backward.weightsSum'));
          equation(partial(mathOf('L'), symbol(`W${index}`)), sumLine(conv.observations.each.map((each) => each.gradWeights), conv.observations.total), v(conv.observations.total));
        } else {
          productLine(conv.matrix);
          if (trace.observations > 1) paragraph(say(language, 'conv.backward.weightsTotal', { observations: trace.observations, value: v(layer.grads[`${layer.index}.weight`]!) }));
        }
      }
      if (conv.biasTerms !== null) {
        paragraph(say(language, conv.biasBy === 'positions' ? 'conv.backward.bias' : 'conv.backward.biasTotals'));
        conv.biasTerms.forEach((terms, channel) => {
          const sum = terms.reduce((total, value) => total + value, 0);
          equation(mathOf(`∂L/∂b(${channel + 1})`, `\\frac{\\partial L}{\\partial b_{${channel + 1}}}`), sumLine(terms, sum), n(sum));
        });
      }
      paragraph(say(language, 'conv.backward.input'));
      for (const pixel of conv.inputGradient) equation(mathOf(`∂L/∂x(${place(pixel.at)})`, `\\frac{\\partial L}{\\partial x_{${place(pixel.at)}}}`), products(pixel.terms, pixel.value), n(pixel.value));
    } else if (layer.norm !== undefined) {
      normBackward(layer, layer.norm);
    } else {
      paragraph(say(language, 'conv.backward.layer', { index, kind: kindOf(layer), d: v(layer.gradOutput), down: v(layer.gradInput) }));
    }
  }
  // The training step: every parameter updated by the optimizer's rule, with the gradients above.
  heading(say(language, 'net.update.heading'));
  paragraph(optimizerSentence(language, trace.optimizer, numbers));
  for (const layer of trace.layers) for (const lines of Object.values(layer.updates ?? {})) for (const parts of updateEquations(lines, v)) equation(...parts);
  return { title: trace.title !== '' ? trace.title : plain(say(language, 'conv.title')), blocks };
}

import { formatNumber } from '../formula/numbers.js';
import { recordedLatexName, recordedPrettyName } from '../formula/write.js';
import type { FormulaText, LayerStep, NetworkTrace, TrainingStep, Values, Worked } from '../trace/types.js';
import { type Block, type Inline, type MathText, type WorkedSolution } from './document.js';
import { diagnosticBlocks } from './diagnostic-blocks.js';
import type { ExplainOptions } from './expression-solution.js';
import { noteBlocks, say } from './i18n.js';
import { optimizerSentence, updateEquations } from './update-lines.js';
import { distinct, mathOf, numberMath, partial, valuesMath } from './numbers-math.js';
import { digitsNeeded } from '../record/printed-digits.js';
import type { MessageKey } from '../messages/catalogue.js';

// The network's names are the recorder's own, so its dL_dh1 is written ∂L/∂h₁.
const symbol = (name: string): MathText => mathOf(recordedPrettyName(name), recordedLatexName(name));

/**
 * The worked solution of a network problem (exercises 2 and 4): the network as one function;
 * per step the forward pass layer by layer with numbers, the loss, the backward pass with the
 * accumulated gradient arriving at each layer, what it passes down and the parameter
 * gradients, and the gradient-descent step.
 */
export function explainNetwork(trace: NetworkTrace, options: ExplainOptions): WorkedSolution {
  const { language } = options;
  const numbers = options.numbers ?? {};
  const v = (values: Parameters<typeof valuesMath>[0]) => valuesMath(values, numbers);
  const blocks: Block[] = [];
  const heading = (content: Inline[], level: 2 | 3 = 2) => blocks.push({ kind: 'heading', level, content });
  const paragraph = (content: Inline[]) => blocks.push({ kind: 'paragraph', content });
  const equation = (...parts: MathText[]) => blocks.push({ kind: 'equation', parts: distinct(parts) });
  const kind = (name: string) => say(language, `layer.${name}` as MessageKey).map((part) => (part.kind === 'text' ? part.text : '')).join('');
  const workedParts = (name: MathText, worked: Worked) => [name, worked.formula, worked.substituted, v(worked.result)];
  const parameterSymbol = (name: string): FormulaText | undefined => trace.formulas.find((layer) => layer.parameters[name] !== undefined)?.parameters[name];

  paragraph(say(language, 'net.intro', { network: mathOf(`ŷ = ${trace.network.pretty}`, `\\hat{y} = ${trace.network.latex}`) }));
  // The problem file's own remark, in the reader's language where it gives one.
  blocks.push(...noteBlocks(trace.note, language));
  paragraph(say(language, 'net.loss', {
    loss: say(language, `loss.${trace.loss}` as MessageKey).map((part) => (part.kind === 'text' ? part.text : '')).join(''),
    formula: mathOf(`L = ${trace.lossFormula.pretty}`, `L = ${trace.lossFormula.latex}`),
    gradient: mathOf(`∂L/∂ŷ = ${trace.lossGradient.pretty}`, `\\frac{\\partial L}{\\partial \\hat{y}} = ${trace.lossGradient.latex}`),
  }));
  if (trace.lossCount !== undefined) paragraph(say(language, 'net.loss.count', { count: mathOf(`n = ${trace.lossCount}`) }));
  if (trace.l2 !== undefined) paragraph(say(language, 'net.l2', { lambda: mathOf(`λ = ${formatNumber(trace.l2, numbers)}`, `\\lambda = ${numberMath(trace.l2, numbers).latex}`) }));
  paragraph(optimizerSentence(language, trace.optimizer, numbers));
  const figure = (name: string, caption: MessageKey) => {
    const svg = options.figures?.[name];
    if (svg !== undefined) blocks.push({ kind: 'figure', name, svg, caption: say(language, caption) });
  };
  if (trace.update === 'layerwise') paragraph(say(language, 'net.layerwise.intro'));
  figure('network', 'net.figure.network');
  figure('flow', 'net.figure.flow');
  paragraph(say(language, 'net.initial'));
  for (const [name, value] of Object.entries(trace.initialParams)) {
    const named = parameterSymbol(name);
    equation(named === undefined ? symbol(name) : named, v(value));
  }

  for (const step of trace.steps) explainStep(step);
  figure('loss', 'net.figure.loss');
  if (trace.usual !== undefined) compareWithUsual(trace.usual);
  paragraph(say(language, trace.steps.length === 1 ? 'net.final.one' : 'net.final'));
  for (const [name, value] of Object.entries(trace.params)) equation(parameterSymbol(name) ?? symbol(name), v(value));
  return { title: trace.title !== '' ? trace.title : say(language, 'net.title').map((part) => (part.kind === 'text' ? part.text : '')).join(''), blocks };

  function explainStep(step: TrainingStep): void {
    heading(say(language, step.observations.length === 1 ? 'net.step.headingOne' : 'net.step.heading', { step: step.step, observations: step.observations.join(', ') }));
    paragraph(say(language, 'net.step.data', { x: mathOf(`X = ${v(step.x).pretty}`, `X = ${v(step.x).latex}`), y: mathOf(`y = ${v(step.y).pretty}`, `y = ${v(step.y).latex}`) }));
    // A smaller last batch averages fewer values: its n is said where it differs from step 1's.
    if (step.count !== undefined && trace.lossCount !== undefined && step.count !== trace.lossCount) paragraph(say(language, 'net.loss.countStep', { count: mathOf(`n = ${step.count}`) }));

    heading(say(language, 'net.forward.heading'), 3);
    for (const layer of step.layers) {
      const formulas = trace.formulas[layer.index]!;
      paragraph(say(language, 'net.forward.layer', { index: layer.index + 1, kind: kind(layer.kind) }));
      for (const part of layer.worked.intermediates ?? []) {
        equation(...(part.worked === undefined ? [part.name, v(part.result)] : workedParts(part.name, part.worked)));
      }
      equation(...workedParts(formulas.output, layer.worked.forward));
    }
    paragraph(say(language, 'net.forward.loss'));
    equation(mathOf('L'), step.lossWorked.formula, step.lossWorked.substituted, v(step.lossWorked.result));

    heading(say(language, 'net.backward.heading'), 3);
    paragraph(say(language, 'net.backward.start'));
    equation(mathOf('d = ∂L/∂ŷ', 'd = \\frac{\\partial L}{\\partial \\hat{y}}'), step.gradPredictionWorked.formula, step.gradPredictionWorked.substituted, v(step.gradPredictionWorked.result));
    for (const layer of [...step.layers].reverse()) explainBackward(step, layer);

    // A layer-wise update showed each layer's step in the backward pass, where it happened.
    if (trace.update !== 'layerwise') {
      heading(say(language, 'net.update.heading'), 3);
      for (const layer of step.layers) updateLines(layer);
    }
    blocks.push(...diagnosticBlocks(step.diagnostics, language));
  }

  function updateLines(layer: LayerStep): void {
    for (const lines of Object.values(layer.worked.updates)) for (const parts of updateEquations(lines, v)) equation(...parts);
  }

  function parameterGradients(layer: LayerStep): void {
    for (const [name, gradient] of Object.entries(layer.worked.grads)) {
      const named = parameterSymbol(name) ?? symbol(name);
      paragraph(say(language, 'net.backward.param', { name: named }));
      equation(partial(mathOf('L'), named), gradient.formula, gradient.substituted, v(gradient.result));
    }
  }

  /** The layer-wise run next to the usual one: the loss at every step and the parameters after the last. */
  function compareWithUsual(usual: NonNullable<NetworkTrace['usual']>): void {
    heading(say(language, 'net.layerwise.compare.heading'));
    paragraph(say(language, 'net.layerwise.compare.what'));
    const label = (key: MessageKey) => say(language, key);
    const loss = (value: number | undefined): Inline[] => (value === undefined ? [] : [{ kind: 'math', math: v(value) }]);
    blocks.push({
      kind: 'table',
      header: [label('net.layerwise.compare.step'), label('net.layerwise.compare.layerwise'), label('net.layerwise.compare.usual')],
      rows: trace.steps.map((step, i) => [[{ kind: 'text', text: String(step.step) }], loss(step.loss), loss(usual.steps[i]?.loss)]),
    });
    const last = usual.steps[usual.steps.length - 1];
    if (last === undefined) return;
    blocks.push({
      kind: 'table',
      header: [label('net.layerwise.compare.parameter'), label('net.layerwise.compare.layerwise'), label('net.layerwise.compare.usual')],
      rows: Object.entries(trace.params).map(([name, value]) => {
        const named = parameterSymbol(name) ?? symbol(name);
        const theirs = last.params[name];
        return [[{ kind: 'math', math: named }], [{ kind: 'math', math: v(value) }], theirs === undefined ? [] : [{ kind: 'math', math: v(theirs) }]];
      }),
    });
  }

  function explainBackward(step: TrainingStep, layer: LayerStep): void {
    const formulas = trace.formulas[layer.index]!;
    paragraph(say(language, 'net.backward.layer', { index: layer.index + 1, kind: kind(layer.kind), d: mathOf(`d = ${v(layer.gradOutput).pretty}`, `d = ${v(layer.gradOutput).latex}`) }));
    // Layer-wise: the layer's gradients and its step come first, and what goes down is computed with the new parameters.
    const layerwise = trace.update === 'layerwise' && Object.values(layer.worked.updates).some((lines) => lines.length > 0);
    if (layerwise) {
      // An RNN's parts back through time, with the weights before the update: what its gradients read.
      const before = layer.worked.inputParts ?? [];
      if (before.length > 0) {
        paragraph(say(language, 'net.layerwise.partsBefore'));
        for (const part of before) equation(...workedParts(part.name, part.worked));
      }
      parameterGradients(layer);
      paragraph(say(language, 'net.layerwise.step'));
      updateLines(layer);
      paragraph(say(language, 'net.layerwise.down'));
    }
    // The recorder wrote the Jacobian of a layer whose outputs each depend on several inputs.
    const jacobian = formulas.jacobian;
    if (jacobian !== undefined) {
      paragraph(say(language, 'net.backward.jacobian', { kind: kind(layer.kind) }));
      equation(jacobian);
    } else if (layer.worked.skipLocal !== true) {
      paragraph(say(language, 'net.backward.local'));
      const local = layer.worked.localDerivative;
      equation(partial(formulas.output, formulas.input), local.formula, local.substituted, ...(Array.isArray(local.result) && local.result.length === 0 ? [] : [v(local.result)]));
    }
    if (step.fused !== undefined && step.fused.activation === layer.index) {
      paragraph(say(language, layer.kind === 'softmax' ? 'net.fused.intro.softmax' : 'net.fused.intro.sigmoid', { simple: step.fused.product.formula }));
      const local = step.fused.activationDerivative;
      // At p = 1 (or 0) the numbers are ∞·0: the product exists only simplified (σ(z) − y), so that line is left out.
      if (layer.kind !== 'softmax' && local.result !== undefined && !(Array.isArray(local.result) && local.result.length === 0) && allFinite(step.gradPrediction)) {
        // The chain rule with numbers: ∂L/∂ŷ·σ′(z) = 3.718·0.1966 = 0.7311, the same as σ(z) − y.
        paragraph(say(language, 'net.fused.chain'));
        const single = typeof step.gradPrediction === 'number' || JSON.stringify(step.gradPrediction).split(',').length === 1;
        const times = single ? ['·', ' \\cdot '] : [' ⊙ ', ' \\odot '];
        const dL = partial(mathOf('L'), formulas.output);
        const dA = partial(formulas.output, formulas.input);
        // The factors to as many digits as the product needs to round to the result printed.
        const digits = Math.max(numbers.digits ?? 4, digitsNeeded((round) => elementwiseProduct(round(step.gradPrediction), round(local.result)), [step.gradPrediction, local.result], step.fused.gradLogits) ?? 4);
        const factor = (values: Values) => valuesMath(values, { ...numbers, digits });
        equation(
          mathOf(`${dL.pretty}${times[0]}${dA.pretty}`, `${dL.latex}${times[1]}${dA.latex}`),
          mathOf(`${factor(step.gradPrediction).pretty}${times[0]}${factor(local.result).pretty}`, `${factor(step.gradPrediction).latex}${times[1]}${factor(local.result).latex}`),
          v(step.fused.gradLogits),
        );
      }
      paragraph(say(language, 'net.fused.product'));
      equation(partial(mathOf('L'), formulas.input), step.fused.product.formula, step.fused.product.substituted, v(step.fused.product.result));
      paragraph(say(language, 'net.fused.rest', { d: mathOf(`d = ${v(step.fused.gradLogits).pretty}`, `d = ${v(step.fused.gradLogits).latex}`) }));
      return;
    }
    const down = layer.worked.gradInput;
    const parts = layer.worked.inputParts ?? [];
    if (parts.length > 0 && layerwise) {
      // Layer-wise, what an RNN passes down is the layer run again with its new weights, whose
      // hidden states change too: the parts above (old states) do not add up to it, so it is numbers.
      paragraph(say(language, 'net.backward.down'));
      equation(partial(mathOf('L'), formulas.input), v(down.result));
    } else if (parts.length > 0) {
      // Back through time: each step's input gets its share, then they stand side by side in ∂L/∂X.
      paragraph(say(language, 'net.backward.parts'));
      for (const part of parts) equation(...workedParts(part.name, part.worked));
      paragraph(say(language, 'net.backward.down'));
      equation(partial(mathOf('L'), formulas.input), v(down.result));
    } else {
      paragraph(say(language, 'net.backward.down'));
      equation(partial(mathOf('L'), formulas.input), down.formula, down.substituted, v(down.result));
    }
    if (!layerwise) parameterGradients(layer);
  }
}

/** a ⊙ b for values of one shape (or a single number times each). */
function elementwiseProduct(a: Values, b: Values): Values {
  if (typeof a === 'number') return typeof b === 'number' ? a * b : b.map((item) => elementwiseProduct(a, item));
  if (typeof b === 'number') return a.map((item) => elementwiseProduct(item, b));
  if (a.length !== b.length) throw new Error('shapes differ');
  return a.map((item, i) => elementwiseProduct(item, b[i]!));
}

/** Whether every number of a value is finite. */
function allFinite(values: Values): boolean {
  return typeof values === 'number' ? Number.isFinite(values) : values.every(allFinite);
}

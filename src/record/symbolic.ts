import { byName } from '../by-name.js';
import { InputError } from '../errors.js';
import { symbolicGradients } from '../formula/symbolic-gradients.js';
import { matrixVar, symbolicAlgebra, symConst, symVar, type Sym } from '../formula/symbolic.js';
import { LOSSES } from '../nn/losses.js';
import { formulaText } from '../formula/formula-text.js';
import type { AlgorithmLine, FormulaText, SymbolicLayerStep, SymbolicTrace } from '../trace/types.js';
import { buildModel } from '../files/build-model.js';
import { layerFormulas, ONES_ROW, type LayerFormulas } from './layer-formulas.js';
import { latexName, prettyName } from '../formula/write.js';
import { elementName, indexForm, type ElementOf, type Index } from '../formula/index-form.js';
import { l2Term, weightNames, withL2 } from './l2.js';
import { parameterRuleLines } from './update.js';
import { updateRule } from '../optim/update-rule.js';
import type { SymbolicProblem } from '../files/plan.js';
import { symbolicMeanLoss } from '../files/load-problem.js';

type Substitutions = Map<string, { pretty: string; latex: string; ascii: string }>;

/**
 * A function known only by its name (`- activation: f`) applied to a layer's input: an opaque
 * matrix symbol, written f(H₁) (or f′(H₁) for its derivative) through `written`.
 */
function applied(name: string, input: string, derivative: boolean, written: Substitutions): Sym {
  const key = `${name}${derivative ? "'" : ''}(${input})`;
  const argument = formulaText(matrixVar(input));
  const prime = derivative ? ['′', "'"] : ['', ''];
  written.set(key, { pretty: `${prettyName(name)}${prime[0]}(${argument.pretty})`, latex: `${latexName(name)}${prime[1]}(${argument.latex})`, ascii: `${name}${prime[1]}(${argument.ascii})` });
  return matrixVar(key);
}

/** The generic layers' formulas: O = f(H), local derivative f′(H), passed down d ⊙ f′(H). */
function withGenericActivations(layers: readonly LayerFormulas[], plans: SymbolicProblem['layers'], written: Substitutions): LayerFormulas[] {
  return layers.map((layer, index) => {
    const plan = plans[index];
    if (plan === undefined || !('generic' in plan) || plan.generic === undefined) return layer;
    const derivative = applied(plan.generic, layer.input, true, written);
    return {
      ...layer,
      kind: 'activation',
      forward: applied(plan.generic, layer.input, false, written),
      localDerivative: derivative,
      gradInput: symbolicAlgebra.mul(matrixVar('d'), derivative),
    };
  });
}

/** The network as one function, with each generic activation written around what it receives: f(X·W₁)·W₂. */
function compositeText(layers: readonly LayerFormulas[], plans: SymbolicProblem['layers'], written: Substitutions): FormulaText {
  const nested = new Map(written);
  let inner = matrixVar('X');
  layers.forEach((layer, index) => {
    const plan = plans[index];
    if (plan !== undefined && 'generic' in plan && plan.generic !== undefined) {
      const inside = formulaText(inner, nested);
      const key = `composite ${index}`;
      nested.set(key, { pretty: `${prettyName(plan.generic)}(${inside.pretty})`, latex: `${latexName(plan.generic)}(${inside.latex})`, ascii: `${plan.generic}(${inside.ascii})` });
      inner = matrixVar(key);
    } else {
      inner = substituteVar(layer.forward, layer.input, inner);
    }
  });
  return formulaText(inner, nested);
}


/** [rows×cols] with the dimensions' names written as the sheet does: [n×k₁]. */
function shapeText(rows: string, cols: string): { pretty: string; latex: string; ascii: string } {
  return { pretty: `[${prettyName(rows)}×${prettyName(cols)}]`, latex: `[${latexName(rows)} \\times ${latexName(cols)}]`, ascii: `[${rows}x${cols}]` };
}

/**
 * Every matrix's shape, by its name: X is n×k₀, the m-th linear layer takes kₘ₋₁ columns to kₘ
 * (Wₘ is kₘ₋₁×kₘ, bₘ is 1×kₘ), an activation keeps its input's shape, 1ᵀ is 1×n.
 */
function shapesOf(layers: readonly LayerFormulas[], written: Substitutions): { names: Substitutions; outputs: string[] } {
  const names: Substitutions = new Map([['X', shapeText('n', 'k0')], [ONES_ROW, shapeText('1', 'n')]]);
  const outputs: string[] = [];
  let width = 'k0';
  let linear = 0;
  for (const layer of layers) {
    if (layer.kind === 'linear') {
      const out = `k${++linear}`;
      if (layer.parameters.weight !== undefined) names.set(layer.parameters.weight, shapeText(width, out));
      if (layer.parameters.bias !== undefined) names.set(layer.parameters.bias, shapeText('1', out));
      width = out;
    }
    // A generic activation's f(H₁) and f′(H₁) have the shape of H₁.
    for (const key of written.keys()) if (key.endsWith(`(${layer.input})`)) names.set(key, shapeText('n', width));
    names.set(layer.output, shapeText('n', width));
    outputs.push(width);
  }
  names.set('y', shapeText('n', width));
  return { names, outputs };
}

/** `name = formula` with every matrix written as its shape; d as `dShape` where it appears. */
function shapesLine(name: Sym, formula: Sym, shapes: Substitutions, dWidth?: string): FormulaText {
  const all = new Map(shapes);
  if (dWidth !== undefined) all.set('d', shapeText('n', dWidth));
  const left = formulaText(name, all);
  const right = formulaText(formula, all);
  return { pretty: `${left.pretty} = ${right.pretty}`, latex: `${left.latex} = ${right.latex}`, ascii: `${left.ascii} = ${right.ascii}` };
}

/** Element by element: a matrix's element by its shape (a bias is a row: (b₁)ⱼ), f′(H₁)'s as f′((H₁)ᵢⱼ). */
function elementsOf(shapes: Substitutions): ElementOf {
  return (name, row, column) => {
    const generic = /^(\w+)('?)\((\w+)\)$/.exec(name);
    if (generic !== null) {
      const [, fn, prime, input] = generic;
      const inner = elementName(input!, row, column);
      return { pretty: `${prettyName(fn!)}${prime === '' ? '' : '′'}(${inner.pretty})`, latex: `${latexName(fn!)}${prime}(${inner.latex})` };
    }
    const shape = shapes.get(name);
    if (name !== 'd' && shape === undefined) return null;
    return shape?.ascii.startsWith('[1x') === true ? elementName(name, null, column) : elementName(name, row, column);
  };
}

/** `left ← right` or `left = right` element by element, or undefined where the formula has no such form. */
function elementwiseLine(left: { pretty: string; latex: string }, arrow: boolean, formula: Sym, row: Index, elementOf: ElementOf): FormulaText | undefined {
  const right = indexForm(formula, row, 'j', elementOf, ONES_ROW);
  if (right === null) return undefined;
  const [pretty, latex] = arrow ? ['←', '\\leftarrow'] : ['=', '='];
  return { pretty: `${left.pretty} ${pretty} ${right.pretty}`, latex: `${left.latex} ${latex} ${right.latex}`, ascii: `${left.pretty} ${pretty} ${right.ascii}` };
}

const derivativeBy = (element: { pretty: string; latex: string }) => ({ pretty: `∂L/∂${element.pretty}`, latex: `\\frac{\\partial L}{\\partial ${element.latex}}` });

/** `by` in place of every symbol called `name`. */
const substituteVar = (sym: Sym, name: string, by: Sym): Sym =>
  sym.kind === 'var' ? (sym.name === name ? by : sym) : sym.kind === 'const' ? sym : { ...sym, args: sym.args.map((arg) => substituteVar(arg, name, by)) };

/** The network as one composite function of X: the layers' forward formulas nested. */
export function compositeSym(forwards: readonly { readonly input: string; readonly forward: Sym }[]): Sym {
  return forwards.reduce<Sym>((inner, layer) => substituteVar(layer.forward, layer.input, inner), matrixVar('X'));
}

/**
 * The general algorithm for a network with named weights, generated by running the layers'
 * and the loss's own definitions, and the registry's vjp rules, on matrix symbols.
 */
export function solveSymbolic(problem: SymbolicProblem): SymbolicTrace {
  if (LOSSES[problem.loss].reduction === 'mean') {
    throw new InputError(`loss: ${symbolicMeanLoss(problem.loss)}`);
  }
  // Numeric placeholders only to get the layer objects; their computations run on symbols.
  const model = buildModel(problem.layers.map((layer) => (layer.kind === 'linear' ? { ...layer, weights: [[0]], bias: typeof layer.bias === 'string' ? [0] : null } : layer)));
  const names = problem.layers.map((layer) =>
    layer.kind === 'linear' ? { weight: layer.weights as string, ...(typeof layer.bias === 'string' ? { bias: layer.bias } : {}) } : null,
  );
  // Names of the generic activations' symbols as they are written: f(H₁), f′(H₁).
  const written: Substitutions = new Map();
  const plain = withGenericActivations(layerFormulas(model, names), problem.layers, written);
  const text = (sym: Sym) => formulaText(sym, written);
  const line = (name: Sym, formula: Sym): AlgorithmLine => ({ name: text(name), formula: text(formula) });
  // An L2 term in the loss (l2: λ): L + λ·Σ‖W‖², and 2λ·W in each weight's gradient.
  const layers = problem.l2 === undefined ? plain : withL2(plain);
  const dataLoss = LOSSES[problem.loss].formula(symbolicAlgebra, matrixVar('yhat'), matrixVar('y'), { exact: true });
  const lossSym = problem.l2 === undefined ? dataLoss : symbolicAlgebra.add(dataLoss, l2Term(weightNames(layers)));
  // Not expanded: the sheet writes 2(ŷ − y), the form the registry rules give.
  const start = LOSSES[problem.loss].derivative?.(symbolicAlgebra, matrixVar('yhat'), matrixVar('y')) ?? symbolicGradients(dataLoss, symConst(1)).get('yhat') ?? symConst(0);

  const shapes = shapesOf(layers, written);
  const elementOf = elementsOf(shapes.names);
  const backward: SymbolicLayerStep[] = [...layers].reverse().map((layer) => {
    const grads = byName<FormulaText>();
    const gradShapes = byName<FormulaText>();
    // d arriving at a layer has the shape of its output; ∂L/∂W that of W.
    const dWidth = shapes.outputs[layer.index]!;
    for (const [name, symbol] of Object.entries(layer.parameters)) {
      grads[symbol] = text(layer.grads[name]!);
      gradShapes[symbol] = shapesLine(matrixVar(symbol), layer.grads[name]!, shapes.names, dWidth);
    }
    const inputShape = shapesLine(matrixVar(layer.input), layer.gradInput, shapes.names, dWidth);
    const gradElements = byName<FormulaText>();
    for (const [name, symbol] of Object.entries(layer.parameters)) {
      const row: Index = shapes.names.get(symbol)?.ascii.startsWith('[1x') === true ? null : 'i';
      const line = elementwiseLine(derivativeBy(elementName(symbol, row, 'j')), false, layer.grads[name]!, row, elementOf);
      if (line !== undefined) gradElements[symbol] = line;
    }
    const inputElements = elementwiseLine(elementName('d', 'i', 'j'), true, layer.gradInput, 'i', elementOf);
    return {
      index: layer.index, kind: layer.kind, localDerivative: text(layer.localDerivative), gradInput: text(layer.gradInput), grads,
      shapes: { gradInput: inputShape, grads: gradShapes },
      elementwise: { ...(inputElements === undefined ? {} : { gradInput: inputElements }), grads: gradElements },
    };
  });
  const parameters = layers.flatMap((layer) => Object.values(layer.parameters));
  return {
    kind: 'symbolic',
    title: problem.title,
    ...(problem.titles === undefined ? {} : { titles: problem.titles }),
    ...(problem.note === undefined ? {} : { note: typeof problem.note === 'string' ? problem.note : { en: problem.note.en, ...(problem.note.ru === undefined ? {} : { ru: problem.note.ru }) } }),
    loss: problem.loss,
    network: compositeText(layers, problem.layers, written),
    forward: layers.map((layer) => {
      const elementwise = elementwiseLine(elementName(layer.output, 'i', 'j'), false, layer.forward, 'i', elementOf);
      return { ...line(matrixVar(layer.output), layer.forward), shapes: shapesLine(matrixVar(layer.output), layer.forward, shapes.names), ...(elementwise === undefined ? {} : { elementwise }) };
    }),
    lossLine: line(symVar('L'), lossSym),
    start: line(matrixVar('d'), start),
    backward,
    // The sheet's plain gradient descent, as its optimizer declares it: W ← W − γ·∂L/∂W.
    updates: parameters.flatMap((name) => parameterRuleLines(updateRule('sgd', false), name).map(({ target, formula }) => ({ name: target, formula }))),
  };
}

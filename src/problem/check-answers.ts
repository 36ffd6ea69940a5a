import { tensorAlgebra } from '../autograd/apply.js';
import { tensor } from '../autograd/create.js';
import { noGrad } from '../autograd/grad-mode.js';
import { gradients } from '../autograd/functional.js';
import { byName, copyByName, getByName, hasName } from '../by-name.js';
import { InputError } from '../errors.js';
import { evaluateFormula } from '../formula/graph.js';
import { parseFormula } from '../formula/parse.js';
import { variablesOf } from '../formula/ast.js';
import { Random } from '../tensor/random.js';
import type { Values } from '../formula/values-text.js';
import { computeLoss } from '../nn/losses.js';
import { traceExpression } from '../record/expression.js';
import type { AnswerCheck, AnswerReport, ExpressionTrace, LayerTrace, NetworkTrace } from '../trace/types.js';
import { buildModel } from '../files/build-model.js';
import type { NetworkProblem } from '../files/plan.js';
import { jsonNumber } from '../trace/json-text.js';

/** A student's number is right when it agrees to the precision they wrote it with (0.7311 for 0.731058…). */
export function agrees(given: number, expected: number): boolean {
  if (Object.is(given, expected) || given === expected) return true;
  if (!Number.isFinite(given) || !Number.isFinite(expected)) return false;
  const exact = 1e-9 * Math.max(1, Math.abs(expected));
  const decimals = (String(given).split('.')[1] ?? '').replace(/e.*$/, '').length;
  // A whole number below 10 is taken as exact (1 is not a rounding of 0.7311); 12 may round 12.3.
  if (decimals === 0 && Math.abs(given) < 10) return Math.abs(given - expected) <= exact;
  return Math.abs(given - expected) <= Math.max(0.5 * 10 ** -decimals, exact) * (1 + 1e-9);
}

function flatten(values: Values): number[] {
  return typeof values === 'number' ? [values] : values.flatMap(flatten);
}

/** Numbers, vectors and matrices agree elementwise; a single number matches a 1×1 matrix. */
export function valuesAgree(given: Values, expected: Values): boolean {
  const a = flatten(given);
  const b = flatten(expected);
  return a.length === b.length && a.every((value, i) => agrees(value, b[i]!));
}

/** A formula from the answers, its errors naming the answer they are in. */
function answerFormula(source: string, path: string) {
  try {
    return parseFormula(source);
  } catch (error) {
    if (error instanceof InputError) throw new InputError(`answers: ${path}: ${error.message}`);
    throw error;
  }
}

/** A given answer as numbers: a number, nested lists, or a text such as "1/32" or "-0.5". */
export function asValues(given: unknown, path: string): Values {
  if (typeof given === 'number') return given;
  // "NaN", "Infinity", "-Infinity": the numbers as --json writes them (docs/json-output.md).
  const special = jsonNumber(given);
  if (special !== undefined) return special;
  if (typeof given === 'string') {
    const formula = answerFormula(given, path);
    if (variablesOf(formula).length > 0) throw new InputError(`answers: ${path}: "${given}" should be a number here`);
    return evaluateFormula(given, {});
  }
  if (Array.isArray(given)) return given.map((item, i) => asValues(item, `${path}[${i}]`));
  throw new InputError(`answers: ${path}: expected a number, a list of numbers or a formula, got ${JSON.stringify(given)}`);
}

/** A mapping of answers; with `allowed`, a name outside it is an error that lists the right ones. */
export function record(value: unknown, path: string, allowed?: readonly string[]): Record<string, unknown> {
  if (value === undefined || value === null) return byName();
  if (typeof value !== 'object' || Array.isArray(value)) throw new InputError(`answers: ${path} should be a mapping`);
  // A student's keys are user text: `constructor` or `__proto__` must be a key like any other.
  const entries = copyByName(value as Record<string, unknown>);
  const unknown = allowed === undefined ? [] : Object.keys(entries).filter((key) => !allowed.includes(key));
  if (unknown.length > 0) {
    throw new InputError(`answers: ${path}: ${unknown.join(', ')} ${unknown.length === 1 ? 'is' : 'are'} not in this problem; the names here are ${allowed!.join(', ')}`);
  }
  return entries;
}

/**
 * Every node's value at the problem's point and at random points of the inputs (computed
 * through the graph, so c = x + y holds at each): where two formulas are compared.
 */
function samplePoints(trace: ExpressionTrace): Record<string, number>[] {
  const random = new Random(7);
  const valuesAt = (at: Readonly<Record<string, number>>) => byName(traceExpression(trace.expression, at).nodes.map((node) => [node.id, node.value] as const));
  const randomInputs = () => byName(trace.variables.map((name) => [name, random.uniform(-2, 2)] as const));
  return [valuesAt(trace.at), ...Array.from({ length: 4 }, () => valuesAt(randomInputs()))];
}

/** Two formulas are the same function when they agree at every sample point. */
function sameFunction(given: string, expected: string, points: readonly Record<string, number>[], path: string): boolean {
  const valueAt = (source: string, point: Readonly<Record<string, number>>) => {
    const used = variablesOf(answerFormula(source, path));
    const missing = used.filter((name) => !hasName(point, name));
    if (missing.length > 0) throw new InputError(`answers: ${path}: "${source}" uses ${missing.join(', ')}, which ${missing.length === 1 ? 'is' : 'are'} not in this problem`);
    return evaluateFormula(source, byName(used.map((name) => [name, getByName(point, name)!])));
  };
  return points.every((point) => agrees(valueAt(given, point), valueAt(expected, point)));
}

export function report(checks: AnswerCheck[]): AnswerReport {
  return { checks, firstWrong: checks.find((check) => check.verdict !== 'right')?.path ?? null };
}

/** Check the answers of an expression problem: node values, edge derivatives, gradient, formulas. */
export function checkExpressionAnswers(trace: ExpressionTrace, answers: unknown): AnswerReport {
  const given = record(answers, 'answers', ['value', 'nodes', 'edges', 'gradient', 'derivatives']);
  const checks: AnswerCheck[] = [];
  const wrongValues = new Map<string, number>();
  const points = samplePoints(trace);
  const nodes = record(given.nodes, 'nodes', trace.nodes.map((node) => node.id));
  for (const node of trace.nodes) {
    if (!hasName(nodes, node.id)) continue;
    const value = asValues(nodes[node.id], `nodes.${node.id}`) as number;
    let verdict: AnswerCheck['verdict'] = agrees(value, node.value) ? 'right' : 'wrong';
    if (verdict === 'wrong' && node.op !== 'input' && node.inputs.some((id) => wrongValues.has(id))) {
      // What the student's own inputs give through this node's formula.
      const at = byName(node.inputs.map((id) => [id, wrongValues.get(id) ?? trace.nodes.find((other) => other.id === id)!.value]));
      const carried = evaluateFormula(node.expression, at);
      if (agrees(value, carried)) verdict = 'carried';
    }
    if (verdict !== 'right') wrongValues.set(node.id, value);
    checks.push({ path: `nodes.${node.id}`, label: { pretty: node.id, latex: node.id }, given: value, expected: node.value, verdict });
  }
  if (hasName(given, 'value')) {
    const value = asValues(given.value, 'value');
    checks.push({ path: 'value', label: { pretty: 'f', latex: 'f' }, given: value, expected: trace.value, verdict: valuesAgree(value, trace.value) ? 'right' : 'wrong' });
  }
  const edges = record(given.edges, 'edges', trace.edges.map((edge) => `${edge.to}/${edge.from}`));
  for (const edge of trace.edges) {
    const key = `${edge.to}/${edge.from}`;
    if (!hasName(edges, key)) continue;
    const answer = edges[key];
    const label = { pretty: `∂${edge.to}/∂${edge.from}`, latex: `\\frac{\\partial ${edge.to}}{\\partial ${edge.from}}` };
    if (typeof answer === 'string' && variablesOf(answerFormula(answer, `edges.${key}`)).length > 0) {
      checks.push({ path: `edges.${key}`, label, given: answer, expected: edge.derivative, verdict: sameFunction(answer, edge.derivative, points, `edges.${key}`) ? 'right' : 'wrong' });
    } else {
      const value = asValues(answer, `edges.${key}`);
      checks.push({ path: `edges.${key}`, label, given: value, expected: edge.value, verdict: valuesAgree(value, edge.value) ? 'right' : 'wrong' });
    }
  }
  const gradient = record(given.gradient, 'gradient', trace.variables);
  const derivatives = record(given.derivatives, 'derivatives', trace.variables);
  for (const name of trace.variables) {
    const label = { pretty: `∂f/∂${name}`, latex: `\\frac{\\partial f}{\\partial ${name}}` };
    if (hasName(derivatives, name)) {
      const formula = String(derivatives[name]);
      checks.push({ path: `derivatives.${name}`, label, given: formula, expected: trace.derivatives[name]!, verdict: sameFunction(formula, trace.derivatives[name]!, points, `derivatives.${name}`) ? 'right' : 'wrong' });
    }
    if (hasName(gradient, name)) {
      const value = asValues(gradient[name], `gradient.${name}`);
      checks.push({ path: `gradient.${name}`, label, given: value, expected: trace.gradient[name]!, verdict: valuesAgree(value, trace.gradient[name]!) ? 'right' : 'wrong' });
    }
  }
  return report(checks);
}

/**
 * Check the answers of a layer question: its output, the local derivative, the gradient it passes
 * down and its parameters' gradients (keyed weight, bias), in the order the sheet asks them.
 */
export function checkLayerAnswers(trace: LayerTrace, answers: unknown): AnswerReport {
  const names = Object.keys(trace.grads).map((key) => key.split('.')[1]!);
  const given = record(answers, 'answers', ['output', 'localDerivative', 'gradInput', 'grads']);
  const grads = record(given.grads, 'grads', names);
  const checks: AnswerCheck[] = [];
  const check = (path: string, answer: unknown, expected: Values) => {
    const value = asValues(answer, path);
    // Paths as the layer's numbers are named in the trace: layers.2.output, grads.2.weight.
    const where = path.startsWith('grads.') ? `grads.${trace.step.index}.${path.slice('grads.'.length)}` : `layers.${trace.step.index}.${path}`;
    checks.push({ path: where, label: { pretty: where, latex: `\\text{${where}}` }, given: value, expected, verdict: valuesAgree(value, expected) ? 'right' : 'wrong' });
  };
  const { step } = trace;
  if (hasName(given, 'output')) check('output', given.output, step.output);
  const local = step.worked.localDerivative.result;
  if (hasName(given, 'localDerivative')) {
    if (Array.isArray(local) && local.length === 0) throw new InputError('answers: localDerivative: this layer\'s derivative is a matrix per row, not checked as numbers; leave it out');
    check('localDerivative', given.localDerivative, local);
  }
  if (hasName(given, 'gradInput')) check('gradInput', given.gradInput, step.gradInput);
  for (const name of names) {
    if (hasName(grads, name)) check(`grads.${name}`, grads[name], trace.grads[`${step.index}.${name}`]!);
  }
  return report(checks);
}

/**
 * Check the answers of a network problem, step by step in the order the computation goes:
 * layer outputs, prediction, loss, ∂L/∂ŷ, then going back each layer's arriving and passed
 * gradients, parameter gradients and updated parameters. A wrong layer output that is what
 * the student's own wrong input gives through that layer is marked as carried over.
 */
export function checkNetworkAnswers(problem: NetworkProblem, trace: NetworkTrace, answers: unknown): AnswerReport {
  const steps = record(answers, 'answers').steps;
  if (steps === undefined) return report([]);
  if (!Array.isArray(steps)) throw new InputError('answers.steps should be a list, one entry per step: - { step: 1, loss: …, layers: {0: {output: …}} }');
  const model = buildModel(problem.layers);
  const checks: AnswerCheck[] = [];
  // The student's own wrong parameters after an earlier step: later steps are carried from them.
  const theirParams = new Map<string, Values>();
  for (const [position, entry] of steps.entries()) {
    const answer = record(entry, `steps[${position}]`, ['step', 'layers', 'prediction', 'loss', 'gradPrediction', 'grads', 'params']);
    const stepNumber = typeof answer.step === 'number' ? answer.step : position + 1;
    const step = trace.steps[stepNumber - 1];
    if (step === undefined) throw new InputError(`answers.steps[${position}]: there is no step ${stepNumber} (the run has ${trace.steps.length})`);
    const at = `steps[${stepNumber}]`;
    const layers = record(answer.layers, `${at}.layers`, step.layers.map((layer) => String(layer.index)));
    const layerAnswer = (index: number) => record(layers[String(index)], `${at}.layers.${index}`, ['output', 'gradOutput', 'gradInput']);
    const grads = record(answer.grads, `${at}.grads`, Object.keys(step.grads));
    const params = record(answer.params, `${at}.params`, Object.keys(step.params));
    const check = (path: string, label: AnswerCheck['label'], given: unknown, expected: Values, carried?: (value: Values) => Values | null) => {
      const value = asValues(given, path);
      let verdict: AnswerCheck['verdict'] = valuesAgree(value, expected) ? 'right' : 'wrong';
      if (verdict === 'wrong' && carried !== undefined) {
        const fromTheirs = carried(value);
        if (fromTheirs !== null && valuesAgree(value, fromTheirs)) verdict = 'carried';
      }
      checks.push({ path, label, given: value, expected, verdict });
      return verdict;
    };
    // The parameters the student's step starts from: theirs where an earlier step of theirs went off.
    const theirBefore: Record<string, Values> = { ...step.paramsBefore, ...Object.fromEntries(theirParams) };
    const ownWorld = theirParams.size > 0;
    // Forward: a student's wrong output is pushed on through the next layers, so what follows from it is carried.
    let theirs: Values | null = ownWorld ? step.x : null;
    for (const layer of step.layers) {
      const arriving: Values | null = theirs;
      const pushed: Values | null = arriving === null ? null : throughLayer(model.layers[layer.index]!, arriving, theirBefore, layer.index);
      const given = layerAnswer(layer.index).output;
      if (given === undefined) {
        theirs = pushed;
        continue;
      }
      const verdict = check(`${at}.layers.${layer.index}.output`, { pretty: `layer ${layer.index} output`, latex: `\\text{layer ${layer.index} output}` }, given, layer.output,
        pushed === null ? undefined : () => pushed);
      theirs = verdict === 'right' && !ownWorld ? null : asValues(given, 'output');
    }
    if (answer.prediction !== undefined) {
      const fromTheirs = theirs;
      const verdict = check(`${at}.prediction`, { pretty: 'ŷ', latex: '\\hat{y}' }, answer.prediction, step.prediction, fromTheirs === null ? undefined : () => fromTheirs);
      theirs = verdict === 'right' ? null : asValues(answer.prediction, 'prediction');
    }
    if (answer.loss !== undefined) {
      const theirPrediction = theirs;
      check(`${at}.loss`, { pretty: 'L', latex: 'L' }, answer.loss, step.loss, theirPrediction === null ? undefined : () => lossFor(problem, theirPrediction, step.y));
    }
    // Backward: a student's wrong d is pushed on through each layer, so what follows from it is carried.
    let theirD: Values | null = null;
    if (answer.gradPrediction !== undefined) {
      const verdict = check(`${at}.gradPrediction`, { pretty: '∂L/∂ŷ', latex: '\\frac{\\partial L}{\\partial \\hat{y}}' }, answer.gradPrediction, step.gradPrediction);
      if (verdict !== 'right') theirD = asValues(answer.gradPrediction, 'gradPrediction');
    }
    for (const layer of [...step.layers].reverse()) {
      const given = layerAnswer(layer.index);
      let arriving = theirD;
      if (given.gradOutput !== undefined) {
        const fromTheirs = arriving;
        const verdict = check(`${at}.layers.${layer.index}.gradOutput`, { pretty: `d arriving at layer ${layer.index}`, latex: `d_{${layer.index}}` }, given.gradOutput, layer.gradOutput,
          fromTheirs === null ? undefined : () => fromTheirs);
        arriving = verdict === 'right' ? null : asValues(given.gradOutput, 'gradOutput');
      }
      const pushed = arriving === null ? null : backThroughLayer(model.layers[layer.index]!, layer.input, arriving, step.paramsBefore, layer.index);
      theirD = pushed?.gradInput ?? null;
      if (given.gradInput !== undefined) {
        const verdict = check(`${at}.layers.${layer.index}.gradInput`, { pretty: `d passed down by layer ${layer.index}`, latex: `d'_{${layer.index}}` }, given.gradInput, layer.gradInput,
          pushed === null ? undefined : () => pushed.gradInput);
        theirD = verdict === 'right' ? null : asValues(given.gradInput, 'gradInput');
      }
      // A layer's parameter gradients come with its backward step, in the order of the computation.
      for (const [name, value] of Object.entries(grads)) {
        if (!name.startsWith(`${layer.index}.`)) continue;
        check(`${at}.grads.${name}`, { pretty: `∂L/∂${name}`, latex: `\\frac{\\partial L}{\\partial ${name}}` }, value, step.grads[name]!,
          pushed === null ? undefined : () => pushed.grads[name] ?? null);
      }
    }
    for (const [name, value] of Object.entries(params)) {
      const before = theirBefore[name]!;
      const gradient = grads[name] === undefined ? step.grads[name]! : asValues(grads[name], `${at}.grads.${name}`);
      // Plain gradient descent carries a wrong number into the update: W − γ·g from the student's W and g.
      const fromTheirs = trace.optimizer.name === 'sgd' && trace.optimizer.hyperparameters.lambda === undefined ? () => sgdStep(before, gradient, trace.optimizer.lr) : undefined;
      const verdict = check(`${at}.params.${name}`, { pretty: name, latex: name }, value, step.params[name]!, fromTheirs);
      if (verdict === 'right') theirParams.delete(name);
      else theirParams.set(name, asValues(value, `${at}.params.${name}`));
    }
  }
  return report(checks);
}

/** W − γ·g elementwise, or null when the shapes differ. */
function sgdStep(weights: Values, gradient: Values, lr: number): Values | null {
  try {
    return noGrad(() => tensor(weights).sub(tensor(gradient).mul(lr)).toArray());
  } catch {
    return null;
  }
}

/** The loss for the student's prediction, shaped like the targets; null when it cannot be. */
function lossFor(problem: NetworkProblem, prediction: Values, targets: Values): number | null {
  const target = tensor(targets);
  const values = flatten(prediction);
  if (values.length !== target.size) return null;
  return noGrad(() => computeLoss(problem.loss, tensor(Float64Array.from(values), { shape: target.shape }), target).item());
}

/** The gradient a layer passes down, and its parameters' gradients, for a d the student gave. */
function backThroughLayer(
  layer: ReturnType<typeof buildModel>['layers'][number], input: Values, d: Values, params: Readonly<Record<string, Values>>, index: number,
): { gradInput: Values; grads: Record<string, Values> } | null {
  try {
    const named = layer.namedParameters().map(([name]) => name);
    const inputLeaf = tensor(input).requireGrad();
    const parameters = named.map((name) => tensor(params[`${index}.${name}`]!).requireGrad());
    const output = layer.compute(tensorAlgebra, inputLeaf, parameters);
    const arriving = flatten(d);
    if (arriving.length !== output.size) return null;
    const [gradInput, ...grads] = gradients(output, [inputLeaf, ...parameters], { gradOutput: tensor(Float64Array.from(arriving), { shape: output.shape }) });
    return { gradInput: gradInput!.toArray(), grads: Object.fromEntries(named.map((name, i) => [`${index}.${name}`, grads[i]!.toArray()])) };
  } catch {
    return null;
  }
}

/** One layer's output for the student's input, with this step's parameters. */
function throughLayer(layer: ReturnType<typeof buildModel>['layers'][number], input: Values, params: Readonly<Record<string, Values>>, index: number): Values | null {
  try {
    return noGrad(() => {
      const parameters = layer.namedParameters().map(([name]) => tensor(params[`${index}.${name}`] as number[][]));
      const rows = typeof input === 'number' ? [[input]] : Array.isArray(input[0]) ? (input as number[][]) : [input as number[]];
      return layer.compute(tensorAlgebra, tensor(rows), parameters).toArray();
    });
  } catch {
    return null;
  }
}

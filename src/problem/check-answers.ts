import type { ConvTrace } from '../trace/conv-types.js';
import { byName, copyByName, getByName, hasName } from '../by-name.js';
import { InputError } from '../errors.js';
import { evaluateFormula } from '../formula/graph.js';
import { parseFormula } from '../formula/parse.js';
import { variablesOf } from '../formula/ast.js';
import { Random } from '../tensor/random.js';
import type { Values } from '../formula/values-text.js';
import { traceExpression } from '../record/expression.js';
import type { AnswerCheck, AnswerReport, ExpressionTrace, LayerTrace } from '../trace/types.js';
import { edgesByPair, pairValue } from '../trace/edge-pairs.js';
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

export function flatten(values: Values): number[] {
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

type Edge = ExpressionTrace['edges'][number];

/** A pair's name in a problem file's answers: "a/x" for ∂a/∂x. */
const pairKey = (edges: Edge[]): { key: string; edges: Edge[] } => ({ key: `${edges[0]!.to}/${edges[0]!.from}`, edges });

/** The names an edge answer may have: "a/x" for each pair of nodes, and where x feeds a twice (x·x) "a/x:1", "a/x:2" by argument. */
function edgeKeys(edges: readonly Edge[]): string[] {
  return edgesByPair(edges).map(pairKey).flatMap(({ key, edges: joined }) => [key, ...(joined.length > 1 ? joined.map((edge) => `${key}:${edge.argument}`) : [])]);
}

/** Formulas of the grammar added up, each bracketed unless it is one name or number: x + x, (2*x) + 1. */
const sumText = (formulas: readonly string[]): string => formulas.map((formula) => (/^[\w.]+$/.test(formula) ? formula : `(${formula})`)).join(' + ');

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
  const edges = record(given.edges, 'edges', edgeKeys(trace.edges));
  for (const { key, edges: joined } of edgesByPair(trace.edges).map(pairKey)) {
    // "a/x" is the whole local derivative ∂a/∂x (for x·x the sum of both edges, as the solution
    // writes it); "a/x:1" and "a/x:2" are the edges one by one, by argument.
    const one = joined.length === 1 ? joined[0]! : null;
    const parts = [
      { path: key, derivative: one?.derivative ?? sumText(joined.map((edge) => edge.derivative)), value: pairValue(joined) },
      ...(one === null ? joined.map((edge) => ({ path: `${key}:${edge.argument}`, derivative: edge.derivative, value: edge.value })) : []),
    ];
    const [to, from] = key.split('/') as [string, string];
    for (const part of parts) {
      if (!hasName(edges, part.path)) continue;
      const answer = edges[part.path];
      const path = `edges.${part.path}`;
      const label = { pretty: `∂${to}/∂${from}`, latex: `\\frac{\\partial ${to}}{\\partial ${from}}` };
      if (typeof answer === 'string' && variablesOf(answerFormula(answer, path)).length > 0) {
        checks.push({ path, label, given: answer, expected: part.derivative, verdict: sameFunction(answer, part.derivative, points, path) ? 'right' : 'wrong' });
      } else {
        const value = asValues(answer, path);
        checks.push({ path, label, given: value, expected: part.value, verdict: valuesAgree(value, part.value) ? 'right' : 'wrong' });
      }
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
 * Check the answers of a network with convolution or pooling layers (one forward and backward
 * pass): the loss, the prediction, each layer's output and gradients, the parameter gradients.
 * Paths as in the --json trace: loss, prediction, layers.0.output, grads.0.weight.
 */
export function checkConvAnswers(trace: ConvTrace, answers: unknown): AnswerReport {
  const given = record(answers, 'answers', ['loss', 'prediction', 'gradPrediction', 'layers', 'grads']);
  const layers = record(given.layers, 'layers', trace.layers.map((layer) => String(layer.index)));
  const allGrads = Object.assign({}, ...trace.layers.map((layer) => layer.grads)) as Record<string, Values>;
  const grads = record(given.grads, 'grads', Object.keys(allGrads));
  const checks: AnswerCheck[] = [];
  const check = (path: string, answer: unknown, expected: Values) => {
    const value = asValues(answer, path);
    checks.push({ path, label: { pretty: path, latex: `\\text{${path}}` }, given: value, expected, verdict: valuesAgree(value, expected) ? 'right' : 'wrong' });
  };
  // In the order the computation goes: forward, the loss, then back down with the parameter gradients.
  for (const layer of trace.layers) {
    const answer = record(layers[String(layer.index)], `layers.${layer.index}`, ['output', 'gradOutput', 'gradInput']);
    if (hasName(answer, 'output')) check(`layers.${layer.index}.output`, answer.output, layer.output);
  }
  if (hasName(given, 'prediction')) check('prediction', given.prediction, trace.prediction);
  if (hasName(given, 'loss')) check('loss', given.loss, trace.lossValue);
  if (hasName(given, 'gradPrediction')) check('gradPrediction', given.gradPrediction, trace.gradPrediction);
  for (const layer of [...trace.layers].reverse()) {
    const answer = record(layers[String(layer.index)], `layers.${layer.index}`);
    if (hasName(answer, 'gradOutput')) check(`layers.${layer.index}.gradOutput`, answer.gradOutput, layer.gradOutput);
    if (hasName(answer, 'gradInput')) check(`layers.${layer.index}.gradInput`, answer.gradInput, layer.gradInput);
    for (const key of Object.keys(layer.grads)) if (hasName(grads, key)) check(`grads.${key}`, grads[key], layer.grads[key]!);
  }
  return report(checks);
}

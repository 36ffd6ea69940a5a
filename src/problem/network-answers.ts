import { tensorAlgebra } from '../autograd/apply.js';
import { tensor } from '../autograd/create.js';
import { gradients } from '../autograd/functional.js';
import { noGrad } from '../autograd/grad-mode.js';
import { InputError } from '../errors.js';
import { buildModel } from '../files/build-model.js';
import type { NetworkProblem } from '../files/plan.js';
import type { Values } from '../formula/values-text.js';
import { computeLoss } from '../nn/losses.js';
import { createOptimizer } from '../optim/create.js';
import { optimizerSettingsFromFile } from '../optim/file-settings.js';
import type { UpdateLine } from '../optim/update-rule.js';
import type { AnswerCheck, AnswerReport, NetworkTrace, TrainingStep } from '../trace/types.js';
import { asValues, flatten, record, report, valuesAgree } from './check-answers.js';

type Layer = ReturnType<typeof buildModel>['layers'][number];
type Label = AnswerCheck['label'];

/**
 * Check the answers of a network problem, step by step in the order the computation goes:
 * layer outputs, prediction, loss, ∂L/∂ŷ, then going back each layer's arriving and passed
 * gradients and parameter gradients, then each parameter's update (the optimizer's state lines,
 * then the parameter).
 *
 * Alongside the right run it keeps the student's own run: every number they wrote wrong
 * replaces the right one from there on, and what they left out is computed from their numbers
 * (their W after step 1, their velocity or Adam moments, go into step 2's forward pass,
 * backward pass and update). A wrong answer that is exactly what their own run gives is
 * carried over. Where their run gives the right number again (a ReLU that hides the slip), the
 * numbers after it are simply right.
 */
export function checkNetworkAnswers(problem: NetworkProblem, trace: NetworkTrace, answers: unknown): AnswerReport {
  const steps = record(answers, 'answers').steps;
  if (steps === undefined) return report([]);
  if (!Array.isArray(steps)) throw new InputError('answers.steps should be a list, one entry per step: - { step: 1, loss: …, layers: {0: {output: …}} }');
  const byStep = new Map<number, { entry: unknown; position: number }>();
  for (const [position, entry] of steps.entries()) {
    const stepNumber = stepOf(entry, position);
    if (trace.steps[stepNumber - 1] === undefined) throw new InputError(`answers.steps[${position}]: there is no step ${stepNumber} (the run has ${trace.steps.length})`);
    if (byStep.has(stepNumber)) throw new InputError(`answers.steps[${position}]: step ${stepNumber} is answered twice; write each step's answers once`);
    byStep.set(stepNumber, { entry, position });
  }
  const run = (putRight: ReadonlySet<string> = new Set()): AnswerCheck[] => {
    const world = new StudentRun(problem, trace, putRight);
    const checks: AnswerCheck[] = [];
    // Up to the last step answered, each step in order: the student's run goes through the steps they skipped too.
    const last = Math.max(...byStep.keys());
    for (let stepNumber = 1; stepNumber <= last; stepNumber++) {
      const answered = byStep.get(stepNumber);
      const entry = answered === undefined ? {} : answered.entry;
      world.step(trace.steps[stepNumber - 1]!, record(entry, `steps[${answered?.position ?? 0}]`, STEP_KEYS), checks);
    }
    return checks;
  };
  const checks = run();
  const result = report(checks);
  const carried = checks.filter((check) => check.verdict === 'carried');
  if (result.firstWrong === null || carried.length === 0) return { ...result, carriedFromFirst: [] };
  // With the first wrong number put right, what was carried from it is no longer carried; put those
  // right too, and so on: what stays carried is built on another slip. A ReLU that hides the first
  // slip leaves nothing built on it.
  const fromFirst = new Set<string>();
  for (let round = 0; round < carried.length; round++) {
    const verdicts = new Map(run(new Set([result.firstWrong, ...fromFirst])).map((check) => [check.path, check.verdict]));
    const more = carried.filter((check) => !fromFirst.has(check.path) && verdicts.get(check.path) !== 'carried');
    if (more.length === 0) break;
    for (const check of more) fromFirst.add(check.path);
  }
  return { ...result, carriedFromFirst: carried.filter((check) => fromFirst.has(check.path)).map((check) => check.path) };
}

const STEP_KEYS = ['step', 'layers', 'prediction', 'loss', 'gradPrediction', 'grads', 'updates', 'params'];

function stepOf(entry: unknown, position: number): number {
  const step = entry !== null && typeof entry === 'object' && !Array.isArray(entry) ? (entry as { step?: unknown }).step : undefined;
  if (step === undefined) return position + 1;
  if (typeof step !== 'number' || !Number.isInteger(step) || step < 1) throw new InputError(`answers.steps[${position}].step should be a step number (1, 2, …), got ${JSON.stringify(step)}`);
  return step;
}

/** The student's run: their parameters and optimizer state after each step, as their own numbers make them. */
class StudentRun {
  readonly #model;
  readonly #rule;
  readonly #hyper: [string, number][];
  readonly #lineNames: string[];
  #params: Record<string, Values>;
  /** Each parameter's optimizer state (velocity, moments), zero before the first step as the rule says. */
  readonly #state = new Map<string, Map<string, Values>>();

  /** `putRight`: answers taken as right whatever they say (to see what is built on them). */
  constructor(private readonly problem: NetworkProblem, private readonly trace: NetworkTrace, private readonly putRight: ReadonlySet<string> = new Set()) {
    this.#model = buildModel(problem.layers);
    const optimizer = createOptimizer(this.#model.parameters(), optimizerSettingsFromFile(problem.train));
    this.#rule = optimizer.rule;
    this.#hyper = (Object.entries(optimizer.hyperparameters()) as [string, number | undefined][]).filter((entry): entry is [string, number] => entry[1] !== undefined);
    this.#lineNames = this.#rule.lines.map((line) => line.target).filter((target) => target !== 'W');
    this.#params = { ...trace.initialParams };
  }

  step(step: TrainingStep, answer: Record<string, unknown>, checks: AnswerCheck[]): void {
    const at = `steps[${step.step}]`;
    const layers = record(answer.layers, `${at}.layers`, step.layers.map((layer) => String(layer.index)));
    const layerAnswer = (index: number) => record(layers[String(index)], `${at}.layers.${index}`, ['output', 'gradOutput', 'gradInput']);
    const grads = record(answer.grads, `${at}.grads`, Object.keys(step.grads));
    const params = record(answer.params, `${at}.params`, Object.keys(step.params));
    if (answer.updates !== undefined && this.#lineNames.length === 0) {
      throw new InputError(`answers: ${at}.updates: plain gradient descent keeps no state; its update is written under params`);
    }
    const updates = record(answer.updates, `${at}.updates`, Object.keys(step.params));
    /** Checks an answer (when given) and says which number the student's run goes on with. */
    const follow = (path: string, label: Label, given: unknown, expected: Values, theirs: Values | null): Values => {
      if (given === undefined) return theirs ?? expected;
      if (this.putRight.has(path)) return expected;
      const value = asValues(given, path);
      let verdict: AnswerCheck['verdict'] = valuesAgree(value, expected) ? 'right' : 'wrong';
      if (verdict === 'wrong' && theirs !== null && valuesAgree(value, theirs)) verdict = 'carried';
      checks.push({ path, label, given: value, expected, verdict });
      // A right answer goes on exactly (not rounded as written); a wrong one, shaped as the quantity is.
      return verdict === 'right' ? expected : shapedLike(value, expected);
    };
    const text = (pretty: string): Label => ({ pretty, latex: `\\text{${pretty}}` });
    const before = this.#params;

    // Forward, from the student's parameters.
    let current: Values = step.x;
    const inputs = new Map<number, Values>();
    for (const layer of step.layers) {
      inputs.set(layer.index, current);
      const pushed = throughLayer(this.#model.layers[layer.index]!, current, before, layer.index);
      current = follow(`${at}.layers.${layer.index}.output`, text(`layer ${layer.index} output`), layerAnswer(layer.index).output, layer.output, pushed);
    }
    current = follow(`${at}.prediction`, { pretty: 'ŷ', latex: '\\hat{y}' }, answer.prediction, step.prediction, current);
    const theirLoss = lossAt(this.problem, current, step.y);
    follow(`${at}.loss`, { pretty: 'L', latex: 'L' }, answer.loss, step.loss, theirLoss?.loss ?? null);

    // Backward: the student's d through their layers, with their inputs and parameters.
    let d = follow(`${at}.gradPrediction`, { pretty: '∂L/∂ŷ', latex: '\\frac{\\partial L}{\\partial \\hat{y}}' }, answer.gradPrediction, step.gradPrediction, theirLoss?.gradient ?? null);
    const theirGrads: Record<string, Values> = {};
    for (const layer of [...step.layers].reverse()) {
      const given = layerAnswer(layer.index);
      d = follow(`${at}.layers.${layer.index}.gradOutput`, { pretty: `d arriving at layer ${layer.index}`, latex: `d_{${layer.index}}` }, given.gradOutput, layer.gradOutput, d);
      const pushed = backThroughLayer(this.#model.layers[layer.index]!, inputs.get(layer.index)!, d, before, layer.index);
      d = follow(`${at}.layers.${layer.index}.gradInput`, { pretty: `d passed down by layer ${layer.index}`, latex: `d'_{${layer.index}}` }, given.gradInput, layer.gradInput, pushed?.gradInput ?? null);
      // A layer's parameter gradients come with its backward step, in the order of the computation.
      for (const name of Object.keys(step.grads).filter((key) => key.startsWith(`${layer.index}.`))) {
        theirGrads[name] = follow(`${at}.grads.${name}`, { pretty: `∂L/∂${name}`, latex: `\\frac{\\partial L}{\\partial ${name}}` }, grads[name], step.grads[name]!, pushed?.grads[name] ?? null);
      }
    }

    // The update, line by line as the optimizer's rule declares it, from the student's W, gradient and state.
    const after: Record<string, Values> = { ...before };
    for (const key of Object.keys(step.params)) {
      const worked = step.layers.find((layer) => key.startsWith(`${layer.index}.`))?.worked.updates[key];
      // A run that diverged makes no update at its last step.
      if (worked === undefined || worked.length !== this.#rule.lines.length) continue;
      const lines = record(updates[key], `${at}.updates.${key}`, this.#lineNames);
      const state = this.#state.get(key) ?? new Map<string, Values>();
      const values = new Map<string, Values>([['W', before[key]!], ['dL_dW', theirGrads[key] ?? step.grads[key]!], ['t', step.step], ...this.#hyper]);
      for (const name of this.#rule.state) values.set(name, state.get(name) ?? zerosLike(before[key]!));
      this.#rule.lines.forEach((line, i) => {
        const theirs = evaluateLine(line, values);
        const value = line.target === 'W'
          ? follow(`${at}.params.${key}`, { pretty: key, latex: key }, params[key], step.params[key]!, theirs)
          : follow(`${at}.updates.${key}.${line.target}`, text(`${line.target} of ${key}`), lines[line.target], worked[i]!.result, theirs);
        values.set(line.target, value);
        if (this.#rule.state.includes(line.target)) state.set(line.target, value);
      });
      this.#state.set(key, state);
      after[key] = values.get('W')!;
    }
    this.#params = after;
  }
}

/** One line of the update rule on the student's numbers; null where their shapes do not fit. */
function evaluateLine(line: UpdateLine, values: ReadonlyMap<string, Values>): Values | null {
  try {
    return noGrad(() => line.formula(tensorAlgebra, (name) => tensor(values.get(name)!)).toArray());
  } catch {
    return null;
  }
}

const zerosLike = (values: Values): Values => (typeof values === 'number' ? 0 : values.map(zerosLike));

/** The student's numbers in the quantity's shape (0.7 for [[0.7]]), when there are as many. */
function shapedLike(given: Values, expected: Values): Values {
  const numbers = flatten(given);
  if (numbers.length !== flatten(expected).length) return given;
  let next = 0;
  const fill = (like: Values): Values => (typeof like === 'number' ? numbers[next++]! : like.map(fill));
  return fill(expected);
}

/** The loss and its gradient by the prediction for the student's prediction; null when it cannot be. */
function lossAt(problem: NetworkProblem, prediction: Values, targets: Values): { loss: number; gradient: Values } | null {
  const target = tensor(targets);
  const values = flatten(prediction);
  if (values.length !== target.size) return null;
  try {
    const leaf = tensor(Float64Array.from(values), { shape: target.shape }).requireGrad();
    const loss = computeLoss(problem.loss, leaf, target);
    const [gradient] = gradients(loss, [leaf]);
    return { loss: loss.item(), gradient: gradient!.toArray() };
  } catch {
    return null;
  }
}

/** The gradient a layer passes down, and its parameters' gradients, for the student's input, d and parameters. */
function backThroughLayer(layer: Layer, input: Values, d: Values, params: Readonly<Record<string, Values>>, index: number): { gradInput: Values; grads: Record<string, Values> } | null {
  try {
    const named = layer.namedParameters().map(([name]) => name);
    const inputLeaf = tensor(asRows(input)).requireGrad();
    const parameters = named.map((name) => tensor(params[`${index}.${name}`]!).requireGrad());
    const output = layer.compute(tensorAlgebra, inputLeaf, [...parameters, ...layer.namedBuffers().map(([, buffer]) => buffer)]);
    const arriving = flatten(d);
    if (arriving.length !== output.size) return null;
    const [gradInput, ...grads] = gradients(output, [inputLeaf, ...parameters], { gradOutput: tensor(Float64Array.from(arriving), { shape: output.shape }) });
    return { gradInput: gradInput!.toArray(), grads: Object.fromEntries(named.map((name, i) => [`${index}.${name}`, grads[i]!.toArray()])) };
  } catch {
    return null;
  }
}

/** A number or a row as a matrix of rows. */
const asRows = (input: Values): number[][] => (typeof input === 'number' ? [[input]] : Array.isArray(input[0]) ? (input as number[][]) : [input as number[]]);

/** One layer's output for the student's input, with their parameters. */
function throughLayer(layer: Layer, input: Values, params: Readonly<Record<string, Values>>, index: number): Values | null {
  try {
    return noGrad(() => {
      const parameters = layer.namedParameters().map(([name]) => tensor(params[`${index}.${name}`] as number[][]));
      return layer.compute(tensorAlgebra, tensor(asRows(input)), [...parameters, ...layer.namedBuffers().map(([, buffer]) => buffer)]).toArray();
    });
  } catch {
    return null;
  }
}

import { portableLayers } from '../../../src/interop/index.js';
import { parseProblem, solvePlan } from '../../../src/problem/index.js';
import { problemFileOf } from './problem-export.js';
import { NEURON_GRID, type FromWorker, type ModelMessage, type PartMessage, type ProblemMessage, type ToWorker } from './protocol.js';
import { stepPart, type PartChoice } from './step-part.js';
import { Trainer } from './trainer.js';

/**
 * Training mode's worker: trains as many steps as fit in a slice of SLICE_MS, yields so that
 * messages (pause, a weight edited) get through, and sends a picture only when the page has
 * drawn the last one — so it runs as fast as the machine allows and the page draws at its own rate.
 */
const SLICE_MS = 10;
const scope = self as unknown as {
  addEventListener(type: 'message', listener: (event: MessageEvent<ToWorker>) => void): void;
  postMessage(message: FromWorker | ProblemMessage | PartMessage | ModelMessage): void;
};
let trainer: Trainer | undefined;
let gridSize = 50;
let playing = false;
let pageReady = true;
let sliceQueued = false;
let rate = { steps: 0, since: performance.now(), perSecond: 0 };
// A zero-delay yield: a message to ourselves runs after pending messages, without setTimeout's clamping.
const channel = new MessageChannel();
channel.port1.onmessage = () => slice();

function send(extra: Partial<FromWorker> = {}): void {
  if (trainer === undefined) return;
  pageReady = false;
  const { output } = trainer.grid(gridSize, false);
  const { neurons } = trainer.grid(NEURON_GRID, true);
  const message: FromWorker = { kind: 'state', report: trainer.report(), grid: output, neurons, weights: trainer.weights(), stepsPerSecond: rate.perSecond, ...extra };
  scope.postMessage(message);
}

/** The next step's problem file, solved as Problem mode solves it, cut to the chosen neuron's or weight's lines. */
function partOf(text: string, choice: PartChoice): PartMessage['result'] {
  try {
    const trace = solvePlan(parseProblem(text, '(training step)'));
    if (trace.kind !== 'network') throw new Error('not a network step');
    return { part: stepPart(trace, choice) };
  } catch (error) {
    return { failure: error instanceof Error ? error.message : String(error) };
  }
}

function queueSlice(): void {
  if (sliceQueued) return;
  sliceQueued = true;
  channel.port2.postMessage(null);
}

function slice(): void {
  sliceQueued = false;
  if (!playing || trainer === undefined) return;
  const end = performance.now() + SLICE_MS;
  let steps = 0;
  do {
    steps++;
    if (!trainer.step()) break;
  } while (performance.now() < end);
  rate.steps += steps;
  const now = performance.now();
  if (now - rate.since >= 500) rate = { steps: 0, since: now, perSecond: (1000 * rate.steps) / (now - rate.since) };
  if (trainer.isStopped) playing = false;
  if (pageReady || !playing) send();
  if (playing) queueSlice();
}

scope.addEventListener('message', ({ data: message }: MessageEvent<ToWorker>) => {
  try {
    switch (message.kind) {
      case 'reset':
        playing = false;
        gridSize = message.gridSize;
        trainer = new Trainer(message.settings);
        rate = { steps: 0, since: performance.now(), perSecond: 0 };
        send({ points: trainer.points, labels: trainer.labels, isTest: trainer.isTest, classNames: trainer.classNames });
        return;
      case 'play':
        playing = true;
        rate = { steps: 0, since: performance.now(), perSecond: 0 };
        queueSlice();
        return;
      case 'pause':
        playing = false;
        send();
        return;
      case 'step':
        trainer?.step();
        send();
        return;
      case 'drawn':
        pageReady = true;
        return;
      case 'explain':
        if (trainer !== undefined) {
          const step = trainer.stepsDone + 1;
          scope.postMessage({ kind: 'problem', text: problemFileOf(trainer, trainer.stepper.nextRows(), `${message.title} ${step}`, message.stateNote), purpose: message.purpose, step });
        }
        return;
      case 'explain-part':
        if (trainer !== undefined) {
          const step = trainer.stepsDone + 1;
          const text = problemFileOf(trainer, trainer.stepper.nextRows(), `${message.title} ${step}`, message.stateNote);
          scope.postMessage({ kind: 'part', choice: message.choice, step, result: partOf(text, message.choice) });
        }
        return;
      case 'model':
        if (trainer !== undefined) scope.postMessage({ kind: 'model', format: message.format, layers: portableLayers(trainer.model), steps: trainer.stepsDone });
        return;
      case 'set-weight':
        trainer?.setWeight(message.layer, message.from, message.to, message.value);
        send();
        return;
    }
  } catch (error) {
    // A setting the form let through but the library refused: training stops, with the library's reason.
    playing = false;
    const failure = error instanceof Error ? error.message : String(error);
    const report = { step: 0, epoch: 0, loss: Number.NaN, testLoss: null, accuracy: null, testAccuracy: null, startLoss: Number.NaN, stopped: 'diverged' as const };
    scope.postMessage({ kind: 'state', report, grid: new Float64Array(0), neurons: [], weights: [], stepsPerSecond: 0, failure } satisfies FromWorker);
  }
});

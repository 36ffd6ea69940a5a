import type { FromWorker, ToWorker } from './protocol.js';
import { Trainer } from './trainer.js';

// Training runs here, off the page's thread, so the page never freezes.
const scope = self as unknown as {
  addEventListener(type: 'message', listener: (event: MessageEvent<ToWorker>) => void): void;
  postMessage(message: FromWorker): void;
};

let trainer: Trainer | undefined;
let gridSize = 40;

scope.addEventListener('message', ({ data: message }) => {
  try {
    if (message.kind === 'reset') {
      gridSize = message.gridSize;
      trainer = new Trainer(message.settings);
      const report = trainer.report();
      scope.postMessage({ kind: 'state', report, grid: trainer.probabilities(gridSize), weights: trainer.weights(), points: trainer.dataset.points, labels: trainer.dataset.labels });
      return;
    }
    if (trainer === undefined) return;
    let report = trainer.report();
    for (let i = 0; i < message.steps && !report.diverged; i++) report = trainer.step();
    scope.postMessage({ kind: 'state', report, grid: trainer.probabilities(gridSize), weights: trainer.weights() });
  } catch (error) {
    // A bad setting (a width of 0…) stops training as a divergence would, with the reason.
    const reason = error instanceof Error ? error.message : String(error);
    scope.postMessage({ kind: 'state', report: { step: 0, loss: NaN, accuracy: 0, diverged: true, reason }, grid: new Float64Array(0) });
  }
});

import { traceExpression } from '../record/expression.js';
import type { ProblemTrace } from '../trace/types.js';
import { checkExpressionAnswers, checkLayerAnswers, checkNetworkAnswers } from './check-answers.js';
import type { LayerPlan, ProblemPlan } from '../files/plan.js';
import { InputError } from '../errors.js';
import { checkTraceSize } from '../files/size-limits.js';
import { solveNetwork } from '../record/network.js';
import { solveSymbolic } from '../record/symbolic.js';
import { solveLayer } from '../record/layer.js';

export type { ProblemTrace };

/**
 * The worked solutions write each layer as a matrix formula over rows of numbers; convolution and
 * pooling layers have no such form yet (docs/layers.md), so a problem with one is refused by name
 * rather than half explained. Training (mashagrad train) and the library run them.
 */
function refuseSpatialLayers(layers: readonly LayerPlan[]): void {
  const index = layers.findIndex((layer) => 'outputShape' in layer);
  if (index < 0) return;
  throw new InputError(
    `model[${index}] (${layers[index]!.kind}): solve has no worked solution for convolution, pooling or flatten layers yet; ` +
    'train such a model with mashagrad train, or run it with the library (Conv2d, MaxPool2d, Flatten)',
  );
}

/** Solve a checked problem: every kind of problem gives its trace. */
export function solvePlan(plan: ProblemPlan): ProblemTrace {
  if (plan.kind !== 'expression') refuseSpatialLayers(plan.layers);
  switch (plan.kind) {
    case 'expression': {
      const trace = { ...traceExpression(plan.expression, plan.at), title: plan.title, ...(plan.titles === undefined ? {} : { titles: plan.titles }) };
      return plan.answers === undefined ? trace : { ...trace, answers: checkExpressionAnswers(trace, plan.answers) };
    }
    case 'network': {
      checkTraceSize(plan);
      const trace = solveNetwork(plan);
      return plan.answers === undefined ? trace : { ...trace, answers: checkNetworkAnswers(plan, trace, plan.answers) };
    }
    case 'symbolic': return solveSymbolic(plan);
    case 'layer': {
      const trace = solveLayer(plan);
      return plan.answers === undefined ? trace : { ...trace, answers: checkLayerAnswers(trace, plan.answers) };
    }
  }
}

import { traceExpression } from '../record/expression.js';
import { traceMatrixExpression, traceMatrixSymbolic } from '../record/matrix-expression.js';
import { checkMatrixAnswers } from './check-matrix-answers.js';
import type { ProblemTrace } from '../trace/types.js';
import { checkConvAnswers, checkExpressionAnswers, checkLayerAnswers } from './check-answers.js';
import { checkNetworkAnswers } from './network-answers.js';
import type { LayerPlan, ProblemPlan } from '../files/plan.js';
import { InputError } from '../errors.js';
import { checkTraceSize } from '../files/size-limits.js';
import { solveNetwork } from '../record/network.js';
import { solveSymbolic } from '../record/symbolic.js';
import { solveLayer } from '../record/layer.js';
import { solveConvNetwork } from '../record/conv-network.js';

export type { ProblemTrace };

/**
 * A network with convolution or pooling layers is worked as one training step (forward, backward, update) with its
 * sums of products (record/conv-network.ts, docs/layers.md); layer questions and symbolic weights
 * are not offered for it yet, and are refused by name rather than half done.
 */
const spatialIndex = (layers: readonly LayerPlan[]) => layers.findIndex((layer) => 'outputShape' in layer);

function refuseSpatialLayers(layers: readonly LayerPlan[], what: string): void {
  const index = spatialIndex(layers);
  if (index < 0) return;
  throw new InputError(`model[${index}] (${layers[index]!.kind}): ${what}`);
}

/** Solve a checked problem: every kind of problem gives its trace, with the file's statement where it gives one. */
export function solvePlan(plan: ProblemPlan): ProblemTrace {
  const trace = solveKind(plan);
  return plan.description === undefined ? trace : { ...trace, description: plan.description };
}

function solveKind(plan: ProblemPlan): ProblemTrace {
  if (plan.kind === 'network' && spatialIndex(plan.layers) >= 0) {
    checkTraceSize(plan);
    // The file's note goes with the trace, as a network trace's does (it was dropped before).
    const trace = { ...solveConvNetwork(plan), ...(plan.note === undefined ? {} : { note: plan.note }) };
    return plan.answers === undefined ? trace : { ...trace, answers: checkConvAnswers(trace, plan.answers) };
  }
  if (plan.kind === 'symbolic' || plan.kind === 'layer') refuseSpatialLayers(plan.layers, `a ${plan.kind === 'layer' ? 'layer question' : 'symbolic network'} with convolution or pooling layers has no worked solution yet; give the whole network with numbers and data`);
  switch (plan.kind) {
    case 'expression': {
      const trace = { ...traceExpression(plan.expression, plan.at), title: plan.title, ...(plan.titles === undefined ? {} : { titles: plan.titles }) };
      return plan.answers === undefined ? trace : { ...trace, answers: checkExpressionAnswers(trace, plan.answers) };
    }
    case 'matrix': {
      const stationary = plan.stationary === undefined ? {} : { stationary: plan.stationary };
      const traced = plan.variables === undefined ? traceMatrixExpression(plan.expression, plan.at, { hessian: plan.hessian, ...stationary, ...(plan.symmetric === undefined ? {} : { symmetric: plan.symmetric }) }) : traceMatrixSymbolic(plan.expression, plan.variables, { hessian: plan.hessian, ...stationary });
      const trace = { ...traced, title: plan.title, ...(plan.titles === undefined ? {} : { titles: plan.titles }), ...(plan.note === undefined ? {} : { note: plan.note }) };
      return plan.answers === undefined ? trace : { ...trace, answers: checkMatrixAnswers(trace, plan.answers) };
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

import { traceExpression } from '../record/expression.js';
import { traceMatrixExpression, traceMatrixSymbolic } from '../record/matrix-expression.js';
import { checkMatrixAnswers } from './check-matrix-answers.js';
import type { ProblemTrace } from '../trace/types.js';
import { checkExpressionAnswers, checkLayerAnswers, checkNetworkAnswers } from './check-answers.js';
import type { ProblemPlan } from '../files/plan.js';
import { checkTraceSize } from '../files/size-limits.js';
import { solveNetwork } from '../record/network.js';
import { solveSymbolic } from '../record/symbolic.js';
import { solveLayer } from '../record/layer.js';

export type { ProblemTrace };

/** Solve a checked problem: every kind of problem gives its trace. */
export function solvePlan(plan: ProblemPlan): ProblemTrace {
  switch (plan.kind) {
    case 'expression': {
      const trace = { ...traceExpression(plan.expression, plan.at), title: plan.title, ...(plan.titles === undefined ? {} : { titles: plan.titles }) };
      return plan.answers === undefined ? trace : { ...trace, answers: checkExpressionAnswers(trace, plan.answers) };
    }
    case 'matrix': {
      const traced = plan.variables === undefined ? traceMatrixExpression(plan.expression, plan.at, { hessian: plan.hessian }) : traceMatrixSymbolic(plan.expression, plan.variables, { hessian: plan.hessian });
      const trace = { ...traced, title: plan.title, ...(plan.titles === undefined ? {} : { titles: plan.titles }) };
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

/**
 * mashagrad/problem: problem files (YAML or JSON text) checked against their schema and
 * solved. Runs in browsers as in Node; reading a problem file from disk is mashagrad/node.
 * The schema (zod) and the YAML parser live here, not in the core.
 */
export { parseProblem } from '../files/load-problem.js';
export { ProblemFileError, type Problem } from '../files/problem-error.js';
export type { ProblemPlan, ExpressionProblem, NetworkProblem, SymbolicProblem, LayerPlan, LinearPlan, ActivationPlan, Titles } from '../files/plan.js';
export { solvePlan, type ProblemTrace } from './solve.js';
export { buildModel, seedLayers } from '../files/build-model.js';

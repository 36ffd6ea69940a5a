import { loadProblem } from '../files/read-problem.js';
import { solvePlan, type ProblemTrace } from './solve.js';

/** Read, check and solve a problem file (Node only: solvePlan(parseProblem(text)) works anywhere). */
export function solveProblem(file: string): ProblemTrace {
  return solvePlan(loadProblem(file));
}

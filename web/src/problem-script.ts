import { ProblemMode } from './problem-mode.js';
import type { StartProblemMode } from './problem-host.js';
import { PROBLEM_GLOBAL } from './separate-scripts.js';

/*
 * A script of its own (problem-mode.js, built beside the page by web/vite.config.ts): problem
 * mode with the problem files' schema, the YAML parser, the solver and the explainer, loaded
 * by problem-host.ts when problem mode is first shown; it leaves a way to start it on globalThis.
 */
const start: StartProblemMode = (state, changed, graphs) => new ProblemMode(state, changed, graphs);
(globalThis as unknown as Record<typeof PROBLEM_GLOBAL, StartProblemMode>)[PROBLEM_GLOBAL] = start;

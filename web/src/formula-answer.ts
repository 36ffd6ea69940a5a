import { expressionGraphDot } from '../../src/draw/index.js';
import { traceExpression, type ExpressionTrace } from '../../src/index.js';
import type { Language } from './i18n.js';

export interface FormulaRequest {
  readonly id: number;
  readonly formula: string;
  readonly at: Readonly<Record<string, number>>;
  readonly language: Language;
}

export interface TracedFormula {
  readonly trace: ExpressionTrace;
  /** The graph without and with the backward pass, as DOT for the Graphviz worker. */
  readonly dots: { readonly forward: string; readonly backward: string };
}

/** The first part of formula mode's answer: the trace and both graphs' DOT (the worker's, or the page's while the worker starts). */
export function traceFormula({ formula, at, language }: FormulaRequest): TracedFormula {
  const trace = traceExpression(formula, at);
  return { trace, dots: { backward: expressionGraphDot(trace, { backward: true, language }).dot, forward: expressionGraphDot(trace, { language }).dot } };
}

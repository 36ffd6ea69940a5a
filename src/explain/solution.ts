import type { ProblemTrace } from '../trace/types.js';
import { answerBlocks, type ParameterNames } from './answer-blocks.js';
import type { WorkedSolution } from './document.js';
import { explainExpression, type ExplainOptions } from './expression-solution.js';
import { explainNetwork } from './network-solution.js';
import { explainSymbolic } from './symbolic-solution.js';
import { explainLayer } from './layer-solution.js';
import { explainConv } from './conv-solution.js';
import { explainMatrix } from './matrix-solution.js';
import { statementBlocks } from './i18n.js';

export type { ExplainOptions };

/** The worked solution of any trace. */
export function explain(trace: ProblemTrace, options: ExplainOptions): WorkedSolution {
  const explained = explainAny(trace, options);
  const title = trace.titles?.[options.language] ?? explained.title;
  const parameters = trace.kind === 'network' ? Object.assign({}, ...trace.formulas.map((layer) => layer.parameters)) as ParameterNames
    : trace.kind === 'layer' ? trace.formulas.parameters : {};
  const checked = trace.answers === undefined ? [] : answerBlocks(trace.answers, options.language, options.numbers, parameters);
  return { title, blocks: [...statementBlocks(trace.description, options.language), ...checked, ...explained.blocks] };
}

function explainAny(trace: ProblemTrace, options: ExplainOptions): WorkedSolution {
  switch (trace.kind) {
    case 'expression': return explainExpression(trace, options);
    case 'network': return explainNetwork(trace, options);
    case 'symbolic': return explainSymbolic(trace, options);
    case 'layer': return explainLayer(trace, options);
    case 'conv': return explainConv(trace, options);
    case 'matrix': return explainMatrix(trace, options);
  }
}

import { formatNumber, type NumberStyle } from '../formula/numbers.js';
import type { MessageKey } from '../messages/catalogue.js';
import { hyperparameterSymbol } from '../record/update.js';
import type { NetworkTrace, UpdateWorked, Values } from '../trace/types.js';
import type { Inline, MathText } from './document.js';
import { say, type Language } from './i18n.js';
import { mathOf, numberMath } from './numbers-math.js';

/*
 * The optimizer's step as the worked solutions write it, for the linear networks and the
 * convolutional ones alike: the rule with the numbers it reads, then each parameter's lines.
 */

/** "Update rule (SGD): W ← W − γ·∂L/∂W, with γ = 0.1." */
export function optimizerSentence(language: Language, optimizer: NetworkTrace['optimizer'], numbers: NumberStyle): Inline[] {
  // γ = 0.1, μ = 0.9: the numbers the update rule reads.
  const entries = Object.entries(optimizer.hyperparameters).map(([name, value]) => {
    const named = hyperparameterSymbol(name);
    return mathOf(`${named.pretty} = ${formatNumber(value, numbers)}`, `${named.latex} = ${numberMath(value, numbers).latex}`);
  });
  return say(language, 'net.optimizer', {
    optimizer: say(language, `optimizer.${optimizer.name}` as MessageKey).map((part) => (part.kind === 'text' ? part.text : '')).join(''),
    rule: mathOf(optimizer.rule.pretty, optimizer.rule.latex),
    hyperparameters: mathOf(entries.map((entry) => entry.pretty).join(', '), entries.map((entry) => entry.latex).join(',\\; ')),
  });
}

/** One parameter's update, line by line: W₁ ← W₁ − γ·∂L/∂W₁ = (numbers) = result. */
export function updateEquations(lines: readonly UpdateWorked[], v: (values: Values) => MathText): MathText[][] {
  return lines.map((line) => {
    const [arrow, latexArrow] = line.assigns ? ['←', '\\leftarrow'] : ['=', '='];
    return [mathOf(`${line.target.pretty} ${arrow} ${line.formula.pretty}`, `${line.target.latex} ${latexArrow} ${line.formula.latex}`), line.substituted, v(line.result)];
  });
}

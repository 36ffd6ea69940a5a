import type { Command } from 'commander';
import { summarizeExpression } from '../explain/expression-summary.js';
import { renderDocument, renderSolution } from '../explain/render.js';
import { checkTypesetSize } from '../explain/typeset-limit.js';
import { traceExpression } from '../record/expression.js';
import { parseAssignments } from './parse-at.js';
import { parseDigits, type Output } from './output.js';
import { formatOption, languageOption, type SolutionFlags } from './render-options.js';

interface GradFlags extends SolutionFlags {
  at: string[];
  explain?: boolean;
}

export function registerGrad(program: Command, output: Output): void {
  program
    .command('grad')
    .description('value, gradient, derivative formulas and computation graph of a formula at a point')
    .argument('<expression>', 'the formula, e.g. "x^2 + x*y + (x+y)^2"')
    .option('--at <values...>', 'the point: name=number pairs separated by commas, e.g. x=1,y=2', [])
    .option('--json', 'print the trace as one JSON object (full precision)')
    .option('--explain', 'print the whole worked solution (paths, table, backward sweep) instead of the summary')
    .addOption(formatOption())
    .addOption(languageOption())
    .option('--digits <n>', 'significant digits for numbers that are not simple fractions', '4')
    .action((expression: string, flags: GradFlags) => {
      const trace = traceExpression(expression, parseAssignments(flags.at));
      const numbers = { digits: parseDigits(flags.digits) };
      if (flags.json === true) return output.json(trace);
      const colour = output.isTerminal && flags.format === 'text';
      const options = { format: flags.format, language: flags.lang, numbers, colour };
      if (flags.explain === true) return output.text(renderSolution({ ...trace, title: expression }, options));
      checkTypesetSize(trace, flags.format);
      output.text(renderDocument(summarizeExpression(trace, options), options));
    });
}

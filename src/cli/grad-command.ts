import type { Command } from 'commander';
import { renderExpressionText } from '../explain/expression-text.js';
import { traceExpression } from '../trace/record-expression.js';
import { parseAssignments } from './parse-at.js';
import { parseDigits, type Output } from './output.js';

interface GradOptions {
  at: string[];
  json?: boolean;
  digits: string;
}

export function registerGrad(program: Command, output: Output): void {
  program
    .command('grad')
    .description('value, gradient, derivative formulas and computation graph of a formula at a point')
    .argument('<expression>', 'the formula, e.g. "x^2 + x*y + (x+y)^2"')
    .option('--at <values...>', 'the point: name=number pairs separated by commas, e.g. x=1,y=2', [])
    .option('--json', 'print the trace as one JSON object (full precision)')
    .option('--digits <n>', 'significant digits for numbers that are not simple fractions', '4')
    .action((expression: string, options: GradOptions) => {
      const trace = traceExpression(expression, parseAssignments(options.at));
      if (options.json === true) output.json(trace);
      else output.text(renderExpressionText(trace, { digits: parseDigits(options.digits) }));
    });
}

import type { Command } from 'commander';
import { summarizeExpression } from '../explain/expression-summary.js';
import { renderDocument, renderSolution } from '../explain/render.js';
import { checkTypesetSize } from '../explain/typeset-limit.js';
import { traceExpression } from '../record/expression.js';
import { traceMatrixExpression } from '../record/matrix-expression.js';
import { summarizeMatrix } from '../explain/matrix-solution.js';
import { parseMatrixAssignments } from '../matrix/values.js';
import { parseAssignments } from './parse-at.js';
import { parseDigits, type Output } from './output.js';
import { formatOption, languageOption, type SolutionFlags } from './render-options.js';

interface GradFlags extends SolutionFlags {
  at: string[];
  explain?: boolean;
  hessian?: boolean;
}

/** Values in brackets (x=[1,2]; A=[[1,2],[3,4]]) or --hessian make it a formula of matrix calculus. */
const isMatrixCall = (flags: GradFlags): boolean => flags.hessian === true || flags.at.some((text) => text.includes('['));

export function registerGrad(program: Command, output: Output): void {
  program
    .command('grad')
    .description('value, gradient, derivative formulas and computation graph of a formula at a point')
    .argument('<expression>', 'the formula, e.g. "x^2 + x*y + (x+y)^2"')
    .option('--at <values...>', "the point: name=number pairs separated by commas, e.g. x=1,y=2; with vectors and matrices separated by semicolons, e.g. 'x=[1,2]; A=[[1,2],[3,4]]'", [])
    .option('--hessian', 'also the Hessian (a formula of vectors and matrices whose value is a number)')
    .option('--json', 'print the trace as one JSON object (full precision)')
    .option('--explain', 'print the whole worked solution (paths, table, backward sweep) instead of the summary')
    .addOption(formatOption())
    .addOption(languageOption())
    .option('--digits <n>', 'significant digits for numbers that are not simple fractions', '4')
    .action((expression: string, flags: GradFlags) => {
      if (isMatrixCall(flags)) return gradOfMatrixFormula(expression, flags, output);
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

function gradOfMatrixFormula(expression: string, flags: GradFlags, output: Output): void {
  const trace = traceMatrixExpression(expression, parseMatrixAssignments(flags.at), { hessian: flags.hessian === true });
  if (flags.json === true) return output.json(trace);
  const options = { format: flags.format, language: flags.lang, numbers: { digits: parseDigits(flags.digits) }, colour: output.isTerminal && flags.format === 'text' };
  if (flags.explain === true) return output.text(renderSolution({ ...trace, title: expression }, options));
  output.text(renderDocument(summarizeMatrix(trace, options), options));
}

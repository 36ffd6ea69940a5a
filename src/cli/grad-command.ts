import type { Command } from 'commander';
import { summarizeExpression } from '../explain/expression-summary.js';
import { renderDocument, renderSolution } from '../explain/render.js';
import { checkTypesetSize } from '../explain/typeset-limit.js';
import { traceExpression } from '../record/expression.js';
import { traceMatrixExpression } from '../record/matrix-expression.js';
import { summarizeMatrix } from '../explain/matrix-solution.js';
import { parseMatrixAssignments } from '../matrix/values.js';
import { parseAssignments, VARIABLE_NAME } from './parse-at.js';
import { getByName, hasName } from '../by-name.js';
import type { MatrixTrace } from '../trace/types.js';
import { InputError } from '../errors.js';
import { parseDigits, type Output } from './output.js';
import { formatOption, languageOption, type SolutionFlags } from './render-options.js';

interface GradFlags extends SolutionFlags {
  at: string[];
  explain?: boolean;
  hessian?: boolean;
  symmetric: string[];
}

/** Values in brackets (x=[1,2]; A=[[1,2],[3,4]]), --hessian or --symmetric make it a formula of matrix calculus. */
const isMatrixCall = (flags: GradFlags): boolean => flags.hessian === true || flags.symmetric.length > 0 || flags.at.some((text) => text.includes('['));

export function registerGrad(program: Command, output: Output): void {
  program
    .command('grad')
    .description('value, gradient, derivative formulas and computation graph of a formula at a point')
    .argument('<expression>', 'the formula, e.g. "x^2 + x*y + (x+y)^2"')
    .option('--at <values...>', "the point: name=number pairs separated by commas, e.g. x=1,y=2; with vectors and matrices separated by semicolons, e.g. 'x=[1,2]; A=[[1,2],[3,4]]'", [])
    .option('--hessian', 'also the Hessian (a formula of vectors and matrices whose value is a number)')
    .option('--symmetric <names...>', "matrices declared symmetric, as \"symmetric matrix\" in a problem file's variables: (comma-separated, e.g. S or S,T); each needs a symmetric value in --at, and derivative formulas use Sᵀ = S", [])
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
  const at = parseMatrixAssignments(flags.at);
  const symmetric = symmetricNames(flags.symmetric, at);
  const trace = traceMatrixExpression(expression, at, { hessian: flags.hessian === true, symmetric });
  checkSymmetricInFormula(symmetric, trace);
  if (flags.json === true) return output.json(trace);
  const options = { format: flags.format, language: flags.lang, numbers: { digits: parseDigits(flags.digits) }, colour: output.isTerminal && flags.format === 'text' };
  if (flags.explain === true) return output.text(renderSolution({ ...trace, title: expression }, options));
  output.text(renderDocument(summarizeMatrix(trace, options), options));
}

/** --symmetric S,T: variable names, each with a value in --at (checked symmetric by the recorder, as a file's are). */
function symmetricNames(parts: readonly string[], at: Readonly<Record<string, unknown>>): string[] {
  const names = parts.flatMap((text) => text.split(',')).map((name) => name.trim()).filter((name) => name !== '');
  for (const name of names) {
    if (!VARIABLE_NAME.test(name)) throw new InputError(`--symmetric: '${name}' is not a variable name (letters, digits and _; not starting with a digit)`);
    if (!hasName(at, name)) throw new InputError(`--symmetric: ${name} has no value in --at; give it a symmetric one, e.g. --at '${name}=[[2,1],[1,3]]'`);
  }
  return [...new Set(names)];
}

/** A name --symmetric declares must be a variable of the formula: another is a slip (a typo, the wrong letter), not a harmless extra. */
function checkSymmetricInFormula(symmetric: readonly string[], trace: MatrixTrace): void {
  const missing = symmetric.find((name) => !trace.variables.includes(name));
  if (missing === undefined) return;
  const matrices = trace.variables.filter((name) => { const [rows = 1, columns = 1] = getByName(trace.shapes, name)!; return rows > 1 && columns > 1; });
  const listed = matrices.length === 0 ? 'it has no matrix variables' : `its matrix variables are ${matrices.join(', ')}`;
  throw new InputError(`--symmetric: ${missing} is not a variable of ${trace.expression}; ${listed}`);
}

import type { Command } from 'commander';
import { renderExpressionText } from '../explain/expression-text.js';
import { renderNetworkText } from '../explain/network-text.js';
import { renderSymbolicText } from '../explain/symbolic-text.js';
import { solveProblem } from '../problem/solve.js';
import { parseDigits, type Output } from './output.js';

interface SolveOptions {
  json?: boolean;
  digits: string;
}

export function registerSolve(program: Command, output: Output): void {
  program
    .command('solve')
    .description('solve a problem file (YAML or JSON): an expression, a network to train by hand, or a symbolic network')
    .argument('<file>', 'the problem file, e.g. examples/exercise-4-regression.yaml')
    .option('--json', 'print the trace as one JSON object (full precision)')
    .option('--digits <n>', 'significant digits for numbers that are not simple fractions', '4')
    .action((file: string, options: SolveOptions) => {
      const trace = solveProblem(file);
      const numbers = { digits: parseDigits(options.digits) };
      if (options.json === true) return output.json(trace);
      switch (trace.kind) {
        case 'expression': return output.text(renderExpressionText(trace, numbers));
        case 'network': return output.text(renderNetworkText(trace, numbers));
        case 'symbolic': return output.text(renderSymbolicText(trace));
      }
    });
}

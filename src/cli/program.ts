import { Command, CommanderError } from 'commander';
import { InputError, RunFailedError } from '../errors.js';
import { registerGrad } from './grad-command.js';
import { registerGraph } from './graph-command.js';
import { registerSolve } from './solve-command.js';
import { registerTrain } from './train-command.js';
import type { Output } from './output.js';

export interface RunResult {
  exitCode: number;
}

/** The whole CLI as a function of its arguments: 0 ok, 2 bad input or usage, 1 anything else. */
export async function runCli(argv: readonly string[], output: Output, stderr: (text: string) => void): Promise<RunResult> {
  const program = new Command('mashagrad')
    .description('Backpropagation made visible and exact.')
    .exitOverride()
    .configureOutput({ writeErr: stderr, outputError: (text, write) => write(text) })
    .showHelpAfterError('(run mashagrad --help for usage)');
  registerGrad(program, output);
  registerSolve(program, output);
  registerGraph(program, output);
  registerTrain(program, output);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return { exitCode: 0 };
  } catch (error) {
    if (error instanceof CommanderError) {
      const ok = error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help';
      return { exitCode: ok ? 0 : 2 };
    }
    if (error instanceof InputError) {
      stderr(`mashagrad: ${error.message}\n`);
      return { exitCode: 2 };
    }
    if (error instanceof RunFailedError) {
      stderr(`mashagrad: ${error.message}\n`);
      return { exitCode: 1 };
    }
    const message = error instanceof Error ? error.message : String(error);
    stderr(`mashagrad: internal error: ${message}\n(please report it with the command you ran)\n`);
    if (process.env.MASHAGRAD_DEBUG !== undefined && error instanceof Error) stderr(`${error.stack}\n`);
    return { exitCode: 1 };
  }
}

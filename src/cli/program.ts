import { Command, CommanderError } from 'commander';
import { InputError, RunFailedError } from '../errors.js';
import { printable, shortLine } from '../printable.js';
import type { Output } from './output.js';

type Register = (program: Command, output: Output) => void;

/**
 * The commands in the order --help lists them, each imported only when it can run: a `train`
 * run then never loads mathjs, KaTeX or Graphviz (measured: the CLI's modules took 271 MB
 * resident, train's alone 169 MB, which matters under the 600 MB a Fashion-MNIST run must stay in).
 */
const COMMANDS: Readonly<Record<string, () => Promise<Register>>> = {
  grad: async () => (await import('./grad-command.js')).registerGrad,
  solve: async () => (await import('./solve-command.js')).registerSolve,
  graph: async () => (await import('./graph-command.js')).registerGraph,
  train: async () => (await import('./train-command.js')).registerTrain,
};

/** The command the arguments name (the first one not an option: the program has no options of its own), or every command. */
export function commandsFor(argv: readonly string[]): string[] {
  const named = argv.find((arg) => !arg.startsWith('-'));
  return named !== undefined && Object.hasOwn(COMMANDS, named) ? [named] : Object.keys(COMMANDS);
}

/** An error message as printed: control characters visible, long echoed input cut to its ends. */
function safeMessage(message: string): string {
  return printable(message).split('\n').map(shortLine).join('\n');
}

export interface RunResult {
  exitCode: number;
}

/** The whole CLI as a function of its arguments: 0 ok, 2 bad input or usage, 1 anything else. */
export async function runCli(argv: readonly string[], output: Output, stderr: (text: string) => void): Promise<RunResult> {
  const program = new Command('mashagrad')
    .description('Backpropagation made visible and exact.')
    .exitOverride()
    .configureOutput({ writeErr: (text) => stderr(safeMessage(text)), outputError: (text, write) => write(text) })
    .showHelpAfterError('(run mashagrad --help for usage)');
  for (const name of commandsFor(argv)) (await COMMANDS[name]!())(program, output);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return { exitCode: 0 };
  } catch (error) {
    if (error instanceof CommanderError) {
      const ok = error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help';
      return { exitCode: ok ? 0 : 2 };
    }
    if (error instanceof InputError) {
      stderr(`mashagrad: ${safeMessage(error.message)}\n`);
      return { exitCode: 2 };
    }
    if (error instanceof RunFailedError) {
      stderr(`mashagrad: ${safeMessage(error.message)}\n`);
      return { exitCode: 1 };
    }
    const message = error instanceof Error ? error.message : String(error);
    stderr(`mashagrad: internal error: ${safeMessage(message)}\n(please report it with the command you ran)\n`);
    if (process.env.MASHAGRAD_DEBUG !== undefined && error instanceof Error) stderr(`${error.stack}\n`);
    return { exitCode: 1 };
  }
}

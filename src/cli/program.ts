import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { AutogradError, InputError, RunFailedError } from '../errors.js';
import type { Output } from './output.js';
import { protectLeadingMinus } from './leading-minus.js';

type Register = (program: Command, output: Output) => void;

/**
 * The commands in the order --help lists them, each imported only when it can run: a `train`
 * run then never loads KaTeX or Graphviz (measured: the CLI's modules took 271 MB
 * resident, train's alone 169 MB, which matters under the 600 MB a Fashion-MNIST run must stay in).
 */
const COMMANDS: Readonly<Record<string, () => Promise<Register>>> = {
  grad: async () => (await import('./grad-command.js')).registerGrad,
  solve: async () => (await import('./solve-command.js')).registerSolve,
  graph: async () => (await import('./graph-command.js')).registerGraph,
  train: async () => (await import('./train-command.js')).registerTrain,
  export: async () => (await import('./interop-commands.js')).registerExport,
  import: async () => (await import('./interop-commands.js')).registerImport,
};

/** The command the arguments name (the first one not an option: the program has no options of its own), or every command. */
export function commandsFor(argv: readonly string[]): string[] {
  const named = argv.find((arg) => !arg.startsWith('-'));
  return named !== undefined && Object.hasOwn(COMMANDS, named) ? [named] : Object.keys(COMMANDS);
}

/** The package's version, read from package.json (two folders up from src/cli/ and from dist/cli/). */
function packageVersion(): string {
  const text = readFileSync(new URL('../../package.json', import.meta.url), 'utf8');
  return (JSON.parse(text) as { version: string }).version;
}

export interface RunResult {
  exitCode: number;
}

/** The whole CLI as a function of its arguments: 0 ok, 2 bad input or usage, 1 anything else. */
export async function runCli(argv: readonly string[], output: Output, stderr: (text: string) => void): Promise<RunResult> {
  const program = new Command('mashagrad')
    .description('Backpropagation made visible and exact.')
    .exitOverride()
    // Help and --version go through `output` (standard output), errors to standard error.
    .configureOutput({ writeOut: (text) => output.text(text.trimEnd()), writeErr: stderr, outputError: (text, write) => write(text) })
    .showHelpAfterError('(run mashagrad --help for usage)')
    .version(packageVersion(), '-V, --version', 'print the version');
  for (const name of commandsFor(argv)) (await COMMANDS[name]!())(program, output);
  // No command: the help, on standard output, and success (as git and npm do).
  if (argv.length === 0) {
    output.text(program.helpInformation().trimEnd());
    return { exitCode: 0 };
  }
  try {
    await program.parseAsync(protectLeadingMinus(argv, program), { from: 'user' });
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
    if (error instanceof AutogradError) {
      // The engine was misused by the program, not by the input: say what, and ask for a report.
      stderr(`mashagrad: ${error.message}\n(this is a mistake in mashagrad, not in your input: please report it with the command you ran)\n`);
      return { exitCode: 1 };
    }
    const message = error instanceof Error ? error.message : String(error);
    stderr(`mashagrad: internal error: ${message}\n(please report it with the command you ran)\n`);
    if (process.env.MASHAGRAD_DEBUG !== undefined && error instanceof Error) stderr(`${error.stack}\n`);
    return { exitCode: 1 };
  }
}

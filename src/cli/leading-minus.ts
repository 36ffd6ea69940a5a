import type { Command } from 'commander';

/** Commands whose first argument is a formula, which may begin with a minus: grad "-x^2". */
const FORMULA_COMMANDS = new Set(['grad', 'graph']);

/**
 * A formula that begins with a minus (`-x^2`) would be read as an unknown option. An argument
 * that is not one of the command's options is moved after `--`, where it can only be an
 * argument; the options around it are still read as options.
 */
export function protectLeadingMinus(argv: readonly string[], program: Command): string[] {
  const commandIndex = argv.findIndex((arg) => !arg.startsWith('-'));
  const command = program.commands.find((c) => c.name() === argv[commandIndex]);
  if (command === undefined || !FORMULA_COMMANDS.has(command.name()) || argv.includes('--')) return [...argv];
  const flags = new Set(command.options.flatMap((option) => [option.long, option.short]).filter((flag) => flag !== undefined));
  flags.add('-h').add('--help');
  const isOption = (arg: string) => flags.has(arg.split('=')[0]!);
  for (let i = commandIndex + 1; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('-')) return [...argv];
    if (isOption(arg)) {
      // Skip the option's value, if it takes one.
      const option = command.options.find((o) => o.long === arg || o.short === arg);
      if (option !== undefined && (option.required || option.optional) && !arg.includes('=')) i++;
      continue;
    }
    if (arg.length > 1 && arg !== '-') return [...argv.slice(0, i), ...argv.slice(i + 1), '--', arg];
  }
  return [...argv];
}

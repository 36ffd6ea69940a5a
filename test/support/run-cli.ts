import type { Output } from '../../src/cli/output.js';
import { runCli } from '../../src/cli/program.js';
import { jsonText } from '../../src/trace/json-text.js';

/** The CLI run in-process, its standard output and error captured (never a terminal). */
export async function runMashagrad(...argv: string[]): Promise<{ exitCode: number; stdout: string; stderr: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const output: Output = {
    isTerminal: false,
    text: (text) => out.push(text),
    json: (value) => out.push(jsonText(value)),
    warn: (message) => err.push(message),
  };
  const { exitCode } = await runCli(argv, output, (text) => err.push(text));
  return { exitCode, stdout: out.join('\n'), stderr: err.join('') };
}

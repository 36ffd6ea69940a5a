import { writeFileSync } from 'node:fs';
import { Option, type Command } from 'commander';
import { formatOfFile, renderPicture } from '../draw/node.js';
import { PICTURE_KINDS, type AnyTrace, type PictureKind } from '../draw/pictures.js';
import { InputError } from '../errors.js';
import type { Language } from '../messages/catalogue.js';
import { solveProblem } from '../problem/solve-file.js';
import { traceExpression } from '../record/expression.js';
import { prepareOutputFile } from './output-folder.js';
import { parseDigits, type Output } from './output.js';
import { parseAssignments } from './parse-at.js';
import { languageOption } from './render-options.js';

interface GraphOptions {
  out?: string;
  /** The older spelling of --out, still accepted. */
  output?: string;
  at: string[];
  kind?: PictureKind;
  step?: string;
  highlight?: string;
  backward?: boolean;
  per: 'step' | 'epoch';
  digits: string;
  lang: Language;
}

const PROBLEM_FILE = /\.(ya?ml|json)$/i;

function parseStep(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const step = Number(text);
  if (!Number.isInteger(step) || step < 1) throw new InputError(`--step: '${text}' is not a step number (1, 2, …)`);
  return step;
}

/** Options that only some pictures have, refused where they would be silently ignored. */
function checkOptions(trace: AnyTrace, kind: PictureKind, options: GraphOptions): void {
  if (kind !== 'graph' && (options.highlight !== undefined || options.backward === true)) {
    throw new InputError(`--highlight and --backward are for the computation graph of a formula, not for --kind ${kind}`);
  }
  if (options.step !== undefined && (kind === 'graph' || kind === 'loss' || trace.kind === 'symbolic')) {
    throw new InputError(`--step picks the training step whose numbers fill a network or flow picture; it does not apply here`);
  }
}

export function registerGraph(program: Command, output: Output): void {
  program
    .command('graph')
    .description('draw a formula\'s computation graph, or a problem file as a network, a layer-level flow or a loss chart')
    .argument('<source>', 'a formula with --at (e.g. "x^2 + x*y + (x+y)^2"), or a problem file (.yaml, .yml, .json)')
    .option('-o, --out <file>', 'the picture to write: .svg, .png or .dot (Graphviz source); without it, SVG goes to standard output')
    .addOption(new Option('--output <file>').hideHelp())
    .option('--at <values...>', 'for a formula: the point, name=number pairs separated by commas', [])
    .addOption(new Option('--kind <kind>', 'what to draw (default: graph for a formula, network for a network, flow for a symbolic network)').choices(PICTURE_KINDS))
    .option('--step <n>', 'network, flow: the training step (1, 2, …) whose numbers fill the picture')
    .option('--highlight <variable>', 'graph: colour every path from this variable to the output and write the path sum')
    .option('--backward', 'graph: show the backward pass in red (∂f/∂node, and the gradient each edge carries back)')
    .addOption(new Option('--per <unit>', 'loss: one point per step or per epoch').choices(['step', 'epoch']).default('step'))
    .option('--digits <n>', 'significant digits for numbers that are not simple fractions', '4')
    .addOption(languageOption())
    .action(async (source: string, options: GraphOptions) => {
      const target = options.out ?? options.output;
      const format = target === undefined ? 'svg' : formatOfFile(target);
      if (format === null) throw new InputError(`-o ${target}: the file name must end in .svg, .png or .dot`);
      // Checked before the work, as solve and train do: a file in the path or /proc is one line, exit 2.
      if (target !== undefined) prepareOutputFile(target, '-o');
      const isFile = PROBLEM_FILE.test(source);
      if (isFile && options.at.length > 0) throw new InputError('--at is for a formula; a problem file gives its own point');
      const trace: AnyTrace = isFile ? solveProblem(source) : traceExpression(source, parseAssignments(options.at));
      const kind = options.kind ?? (trace.kind === 'expression' ? 'graph' : trace.kind === 'network' ? 'network' : 'flow');
      checkOptions(trace, kind, options);
      const { data, notes } = await renderPicture(trace, format, {
        kind, step: parseStep(options.step), highlight: options.highlight, backward: options.backward === true, per: options.per,
        numbers: { digits: parseDigits(options.digits) }, language: options.lang,
      });
      if (target === undefined) {
        output.text(typeof data === 'string' ? data : new TextDecoder().decode(data));
        for (const note of notes) output.warn(note);
        return;
      }
      try {
        writeFileSync(target, data);
      } catch (error) {
        throw new InputError(`cannot write ${target}: ${error instanceof Error ? error.message : String(error)}`);
      }
      output.text([`wrote ${target} (${kind}, ${format})`, ...notes.map((note) => `note: ${note}`)].join('\n'));
    });
}

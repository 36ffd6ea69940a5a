import { readdirSync, statSync, writeFileSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import type { Command } from 'commander';
import { InputError } from '../errors.js';
import { printable } from '../printable.js';
import { EXTENSIONS, renderBook, renderSolution } from '../explain/render.js';
import { solutionFigures } from '../draw/solution-figures.js';
import { solveProblem } from '../problem/solve-file.js';
import type { ProblemTrace } from '../trace/types.js';
import type { NumberStyle } from '../formula/numbers.js';
import { formatValues, type Values } from '../formula/values-text.js';
import { prettyName } from '../formula/write.js';
import { matrixName } from '../matrix/write.js';
import { prepareOutputFolder } from './output-folder.js';
import { parseDigits, type Output } from './output.js';
import { formatOption, languageOption, type SolutionFlags } from './render-options.js';

const PROBLEM_FILE = /\.(ya?ml|json)$/i;

/** Problem files named on the command line; a folder stands for the problem files in it. */
function problemFiles(paths: readonly string[]): string[] {
  return paths.flatMap((path) => {
    let isFolder: boolean;
    try {
      isFolder = statSync(path).isDirectory();
    } catch {
      throw new InputError(`cannot read ${path}: no such file or folder`);
    }
    if (!isFolder) return [path];
    const files = readdirSync(path).filter((name) => PROBLEM_FILE.test(name)).sort().map((name) => join(path, name));
    if (files.length === 0) throw new InputError(`${path} has no problem files (.yaml, .yml or .json)`);
    return files;
  });
}

const nameOf = (file: string) => basename(file, extname(file));

export function registerSolve(program: Command, output: Output): void {
  program
    .command('solve')
    .description('solve problem files (YAML or JSON) and explain every step: expressions, networks trained by hand, symbolic networks')
    .argument('<files...>', 'problem files, or folders of them, e.g. examples/exercise-4-regression.yaml')
    .option('--json', 'print the trace as JSON (full precision): one object, or one per file keyed by path')
    .addOption(formatOption())
    .addOption(languageOption())
    .option('-o, --out <dir>', 'write files instead of printing: with --format, one file per problem; without, index.html with every problem plus a Markdown file each')
    .option('--digits <n>', 'significant digits for numbers that are not simple fractions', '4')
    .action(async (paths: string[], flags: SolutionFlags, command: Command) => {
      const numbers = { digits: parseDigits(flags.digits) };
      const files = problemFiles(paths);
      // A bad --out must not cost the solving first.
      if (flags.out !== undefined && flags.json !== true) prepareOutputFolder(flags.out);
      const solved = files.map((file) => ({ file, trace: solveProblem(file) }));
      if (flags.json === true) {
        return output.json(solved.length === 1 ? solved[0]!.trace : Object.fromEntries(solved.map(({ file, trace }) => [file, trace])));
      }
      if (flags.out === undefined) {
        const colour = output.isTerminal && flags.format === 'text';
        return output.text(solved.map(({ trace }) => renderSolution(trace, { format: flags.format, language: flags.lang, numbers, colour })).join('\n\n'));
      }
      const formatGiven = command.getOptionValueSource('format') === 'cli';
      const written = formatGiven ? await writeEach(solved, flags, numbers) : await writeBook(solved, flags, numbers);
      output.text(summary(solved.map(({ trace }) => trace), written, numbers));
    });
}

type Solved = { file: string; trace: ProblemTrace }[];

async function writeEach(solved: Solved, flags: SolutionFlags, numbers: { digits: number }): Promise<string[]> {
  const written: string[] = [];
  for (const { file, trace } of solved) {
    const target = join(flags.out!, `${nameOf(file)}.${EXTENSIONS[flags.format]}`);
    // HTML embeds its pictures; Markdown links to SVG files written beside it.
    const figures = flags.format === 'html' || flags.format === 'md' ? await solutionFigures(trace, flags.lang) : {};
    const figureFiles = flags.format === 'md' ? writeFigureFiles(flags.out!, nameOf(file), figures) : {};
    const rendered = renderSolution(trace, { format: flags.format, language: flags.lang, numbers, figures: flags.format === 'html' || flags.format === 'md' ? figures : {}, figureFiles });
    // Text, Markdown and TeX keep no raw control characters (a raw ESC breaks xelatex); HTML escapes its own.
    writeFileSync(target, flags.format === 'html' ? rendered : printable(rendered));
    written.push(target, ...Object.values(figureFiles).map((name) => join(flags.out!, name)));
  }
  return written;
}

/** Pictures as SVG files next to a Markdown file: figure name → file name. */
function writeFigureFiles(dir: string, name: string, figures: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(figures).map(([kind, svg]) => {
    const file = `${name}-${kind}.svg`;
    writeFileSync(join(dir, file), svg);
    return [kind, file];
  }));
}

/** What `npm start` makes: one page with every problem (English and Russian) and a Markdown file each. */
async function writeBook(solved: Solved, flags: SolutionFlags, numbers: { digits: number }): Promise<string[]> {
  const written: string[] = [];
  for (const language of ['en', 'ru'] as const) {
    const entries: { id: string; trace: ProblemTrace; figures: Record<string, string> }[] = [];
    for (const { file, trace } of solved) entries.push({ id: nameOf(file), trace, figures: await solutionFigures(trace, language) });
    const suffix = language === 'en' ? '' : '.ru';
    const page = join(flags.out!, `index${suffix}.html`);
    // The two pages link each other, each link in its own language.
    const translation = language === 'en' ? { href: 'index.ru.html', language: 'ru', label: 'Русская версия' } : { href: 'index.html', language: 'en', label: 'English version' };
    writeFileSync(page, renderBook(entries, language, language === 'en' ? 'mashagrad — worked solutions' : 'mashagrad — решения', numbers, translation));
    written.push(page);
    for (const { id, trace, figures } of entries) {
      const markdown = join(flags.out!, `${id}${suffix}.md`);
      const figureFiles = writeFigureFiles(flags.out!, `${id}${suffix}`, figures);
      writeFileSync(markdown, printable(renderSolution(trace, { format: 'md', language, numbers, figures, figureFiles })));
      written.push(markdown, ...Object.values(figureFiles).map((name) => join(flags.out!, name)));
    }
  }
  return written;
}

/** "1 step", "2 steps": the summary's counts in plain English. */
const counted = (count: number, noun: string): string => `${count} ${noun}${count === 1 ? '' : 's'}`;

/**
 * The summary's numbers as the worked solutions write them (--digits, simple fractions exact), so
 * `npm start` prints 2.56 and (10, 7), not 2.5600000000000005 and {"x":10,"y":7}.
 */
function summaryLine(trace: ProblemTrace, numbers: NumberStyle): string {
  const values = (value: Values) => formatValues(value, numbers);
  const each = (record: Readonly<Record<string, Values>>, name: (variable: string) => string, shown: (variable: string) => { pretty: string } = (v) => ({ pretty: prettyName(v) })) =>
    Object.entries(record).map(([variable, value]) => `${name(shown(variable).pretty)} = ${values(value)}`).join(', ');
  const lastLoss = (loss: number | undefined) => (loss === undefined ? '—' : values(loss));
  switch (trace.kind) {
    case 'expression': return `f = ${values(trace.value)}; ${each(trace.gradient, (v) => `∂f/∂${v}`)}`;
    case 'matrix':
      // A matrix variable is written as its solution writes it (matrixName: mu, not the scalar μ).
      if (trace.value === null) return Object.entries(trace.derivativeFormulas).map(([v, formula]) => `∇_${matrixName(v).pretty} f = ${formula.pretty}`).join(', ');
      return `f = ${values(trace.value)}; ${Object.keys(trace.gradient).length > 0 ? each(trace.gradient, (v) => `∇_${v} f`, matrixName) : each(trace.jacobian, (v) => `∂f/∂${v}`, matrixName)}`;
    case 'network': return `${counted(trace.steps.length, 'step')}, final loss ${lastLoss(trace.steps[trace.steps.length - 1]?.loss)}`;
    case 'symbolic': return 'the algorithm in matrix form';
    case 'layer': return `layer ${trace.step.index + 1} passes down ${values(trace.step.gradInput)}`;
    case 'conv': return `one training step, loss ${values(trace.lossValue)}`;
  }
}

function summary(traces: readonly ProblemTrace[], written: readonly string[], numbers: NumberStyle): string {
  const lines = traces.map((trace) => `  ${trace.title}: ${summaryLine(trace, numbers)}`);
  const index = written.find((file) => file.endsWith('index.html'));
  return [`Solved ${counted(traces.length, 'problem')}:`, ...lines, `Wrote ${counted(written.length, 'file')}${index === undefined ? '' : `; open ${index}`}`].join('\n');
}

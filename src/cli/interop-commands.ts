import { readFileSync } from 'node:fs';
import { basename, dirname, extname, relative, resolve } from 'node:path';
import { Option, type Command } from 'commander';
import { InputError } from '../errors.js';
import { buildModel } from '../files/build-model.js';
import { loadProblem } from '../files/read-problem.js';
import { loadSavedModel } from '../files/saved-model.js';
import type { InputStandardization } from '../interop/input-standardization.js';
import { EXPORT_FORMATS, exportModel, isModelFile, readModelFile, writeBinaryFile, type ExportFormat } from '../interop/files.js';
import { portableLayers, type ActivationKind, type PortableLayer } from '../interop/layers.js';
import { problemText } from '../interop/problem-text.js';
import { LOSS_NAMES } from '../nn/losses.js';
import type { DType } from '../tensor/dtype.js';
import type { Output } from './output.js';

const EXTENSIONS: Readonly<Record<ExportFormat, string>> = { onnx: '.onnx', safetensors: '.safetensors', pytorch: '.py' };

/** A saved model's training.standardization: null when it has none, one line when it is not two usable numbers. */
function savedStandardization(file: string, training: Readonly<Record<string, unknown>>): InputStandardization | null {
  const numbers = training.standardization;
  if (numbers === undefined || numbers === null) return null;
  const { mean, std } = (typeof numbers === 'object' ? numbers : {}) as { mean?: unknown; std?: unknown };
  if (typeof mean !== 'number' || !Number.isFinite(mean) || typeof std !== 'number' || !Number.isFinite(std) || std <= 0) {
    throw new InputError(`${file}: training.standardization must be { mean, std } with finite numbers and std > 0, as mashagrad train writes it`);
  }
  return { mean, std };
}

interface ExportSource {
  readonly layers: PortableLayer[];
  /** A saved model trained on standardized inputs: the export takes raw inputs. */
  readonly standardization: InputStandardization | null;
}

/** The layers of what `export` is given: a saved model (model.json), a problem file with numbers, or a .safetensors/.onnx file. */
function exportSource(file: string): ExportSource {
  const plain = (layers: PortableLayer[]): ExportSource => ({ layers, standardization: null });
  if (isModelFile(file)) return plain(readModelFile(file));
  let text = '';
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    // loadProblem below says why the file cannot be read.
  }
  if (/"format"\s*:\s*"mashagrad-model"/.test(text)) {
    const { saved, model } = loadSavedModel(file);
    return { layers: portableLayers(model), standardization: savedStandardization(file, saved.training) };
  }
  if (/^dataset\s*:/m.test(text)) throw new InputError(`${file} is a training file: train it (mashagrad train ${file}) and export the model.json it writes`);
  const problem = loadProblem(file);
  if (problem.kind === 'expression') throw new InputError(`${file} is a formula, not a network: export takes a saved model, a network problem or a .safetensors/.onnx file`);
  if (problem.kind === 'matrix') throw new InputError(`${file} is a formula of vectors and matrices, not a network: export takes a saved model, a network problem or a .safetensors/.onnx file`);
  if (problem.kind === 'symbolic') throw new InputError(`${file} gives its weights as names: an export needs numbers`);
  return plain(portableLayers(buildModel(problem.layers)));
}

interface ExportFlags {
  format: ExportFormat;
  out?: string;
  /** The older spelling of --out, still accepted. */
  output?: string;
  dtype: DType;
  weights?: string;
}

interface ImportFlags {
  out?: string;
  /** The older spelling of --out, still accepted. */
  output?: string;
  activation: ActivationKind;
  layers?: string;
  loss?: string;
  x?: string;
  y?: string;
  title?: string;
}

export function registerExport(program: Command, output: Output): void {
  program
    .command('export')
    .description('write a model for PyTorch or ONNX Runtime: ONNX, safetensors (PyTorch names and layout), or the nn.Sequential code that loads it')
    .argument('<model>', 'a saved model (model.json from mashagrad train), a network problem file, or a .safetensors/.onnx file')
    .addOption(new Option('--format <format>', 'onnx, safetensors (PyTorch state dict) or pytorch (Python code)').choices(EXPORT_FORMATS).makeOptionMandatory())
    .option('-o, --out <file>', 'file to write (default: the model\'s name with .onnx or .safetensors in the current folder; pytorch code goes to standard output)')
    .addOption(new Option('--output <file>').hideHelp())
    .addOption(new Option('--dtype <dtype>', 'element type of the exported weights').choices(['float32', 'float64']).default('float32'))
    .option('--weights <file>', 'pytorch: the safetensors file the code loads (default: the model\'s name with .safetensors)')
    .action((file: string, flags: ExportFlags) => {
      const { layers, standardization } = exportSource(file);
      const name = basename(file, extname(file));
      const contents = exportModel(layers, flags.format, { dtype: flags.dtype, weightsFile: flags.weights ?? `${name}.safetensors`, standardization });
      const target = flags.out ?? flags.output ?? (flags.format === 'pytorch' ? undefined : `${name}${EXTENSIONS[flags.format]}`);
      if (target === undefined) {
        output.text((contents as string).trimEnd());
        return;
      }
      writeBinaryFile(target, contents);
      output.text(`wrote ${target}`);
    });
}

export function registerImport(program: Command, output: Output): void {
  program
    .command('import')
    .description('turn a model trained elsewhere (PyTorch safetensors, ONNX) into a problem file to solve, explain and draw')
    .argument('<file>', 'a .safetensors file (state dict of nn.Sequential) or an .onnx file')
    .option('-o, --out <file>', 'problem file to write (default: standard output)')
    .addOption(new Option('--output <file>').hideHelp())
    .addOption(new Option('--activation <name>', 'safetensors: the activation between linear layers, which the file does not record').choices(['relu', 'sigmoid', 'tanh', 'leaky_relu']).default('relu'))
    .option('--layers <list>', 'safetensors: the whole layer list, e.g. linear,relu,linear,softmax')
    .addOption(new Option('--loss <name>', 'the loss (default: cross_entropy after softmax, logloss after sigmoid, else mse)').choices(LOSS_NAMES))
    .option('--x <file.npy>', 'observations for the problem\'s data (with --y)')
    .option('--y <file.npy>', 'targets for the problem\'s data (with --x)')
    .option('--title <text>', 'the problem\'s title (default: the file\'s name)')
    .action((file: string, flags: ImportFlags) => {
      if ((flags.x === undefined) !== (flags.y === undefined)) throw new InputError('--x and --y go together: observations and their targets');
      const layers = readModelFile(file, { activation: flags.activation, ...(flags.layers === undefined ? {} : { layers: flags.layers }) });
      const target = flags.out ?? flags.output;
      // Paths inside a problem file are relative to it.
      const base = target === undefined ? process.cwd() : dirname(resolve(target));
      const near = (path: string) => relative(base, resolve(path)) || path;
      const text = problemText(layers, {
        title: flags.title ?? basename(file, extname(file)), source: basename(file), weightsFile: near(file),
        ...(flags.loss === undefined ? {} : { loss: flags.loss }),
        ...(flags.x === undefined || flags.y === undefined ? {} : { x: near(flags.x), y: near(flags.y) }),
      });
      if (target === undefined) {
        output.text(text.trimEnd());
        return;
      }
      writeBinaryFile(target, text);
      output.text(`wrote ${target}`);
    });
}

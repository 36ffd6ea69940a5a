import { writeFileSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import { Option, type Command } from 'commander';
import { trainingChartSpec } from '../draw/training-chart.js';
import { vegaLiteSvg } from '../draw/loss-chart.js';
import { InputError, RunFailedError } from '../errors.js';
import type { Language } from '../messages/catalogue.js';
import { buildModel } from '../files/build-model.js';
import { loadTrainingFile, planTraining } from '../files/training-file.js';
import { useFastestBackend, type BackendName } from '../kernels/select.js';
import { fit, type EpochRecord, type FitResult } from '../train/fit.js';
import { seedLayers } from '../files/build-model.js';
import { optimizerSettingsFromFile } from '../optim/file-settings.js';
import { loadDataset } from '../files/load-dataset.js';
import { savedModel } from '../files/saved-model.js';
import { jsonText } from '../trace/json-text.js';
import { prepareOutputFolder } from './output-folder.js';
import type { Output } from './output.js';
import { languageOption } from './render-options.js';
import { trainingProgress } from './train-progress.js';

interface TrainFlags {
  data?: string;
  epochs?: string;
  seed?: string;
  limit?: string;
  out?: string;
  backend?: BackendName;
  lang: Language;
  json?: boolean;
}

function wholeNumber(text: string | undefined, flag: string, least: number): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!Number.isInteger(value) || value < least) throw new InputError(`${flag}: '${text}' is not a whole number ≥ ${least}`);
  return value;
}


function writeOut(path: string, text: string): void {
  try {
    writeFileSync(path, text);
  } catch (error) {
    throw new InputError(`cannot write ${path}: ${(error as Error).message}`);
  }
}

const percent = (value: number | null) => (value === null ? '' : `${(value * 100).toFixed(2)}%`);

function epochLine(record: EpochRecord, epochs: number): string {
  const parts = [`epoch ${record.epoch}/${epochs}`, `γ ${record.lr.toPrecision(3)}`, `loss ${record.loss.toFixed(4)}`];
  if (record.accuracy !== null) parts.push(`accuracy ${percent(record.accuracy)}`);
  if (record.testLoss !== null) parts.push(`test loss ${record.testLoss.toFixed(4)}`);
  if (record.testAccuracy !== null) parts.push(`test accuracy ${percent(record.testAccuracy)}`);
  parts.push(`${Math.round(record.samplesPerSecond).toLocaleString('en-US')} samples/s`, `${record.seconds.toFixed(1)} s`);
  return parts.join('  ');
}

export function registerTrain(program: Command, output: Output): void {
  program
    .command('train')
    .description('train a model described in a training file on a data set (Fashion-MNIST, MNIST-format IDX files or CSV); save the model and its training curve')
    .argument('<file>', 'training file (YAML or JSON), e.g. examples/train/fashion-mnist.yaml')
    .option('--data <dir>', 'folder with the MNIST-format files, instead of the one the file names (default for fashion-mnist: /usr/share/datasets/fashion-mnist)')
    .option('--epochs <n>', 'number of epochs, instead of the file\'s train.epochs')
    .option('--seed <n>', 'seed for the initial weights, the shuffling and a CSV\'s train/test split: the same seed gives the same run')
    .option('--limit <n>', 'use only the first n rows of each split (a quick run)')
    .option('-o, --out <dir>', 'where to write model.json, history.json and training.svg (default: out/train/NAME)')
    .addOption(new Option('--backend <name>', 'kernels to run on (default: the fastest available)').choices(['native', 'wasm', 'reference']))
    .addOption(languageOption())
    .option('--json', 'print the run (settings, epochs, files written) as one JSON object instead of lines')
    .action(async (file: string, flags: TrainFlags) => {
      // The input first (file, flags, data, model): a bad one leaves no empty output folder behind.
      const training = loadTrainingFile(file);
      const seed = wholeNumber(flags.seed, '--seed', 0) ?? training.train.seed;
      const epochs = wholeNumber(flags.epochs, '--epochs', 1) ?? training.train.epochs;
      const limit = wholeNumber(flags.limit, '--limit', 1);
      const { train, test, standardization } = loadDataset(training.dataset, { ...(flags.data === undefined ? {} : { dir: flags.data }), ...(limit === undefined ? {} : { limit }), seed });
      const plan = planTraining(training, train);
      // Then the output folder, before any training: a bad --out must not cost a whole run.
      const out = flags.out ?? join('out', 'train', basename(file, extname(file)));
      prepareOutputFolder(out);
      const chosen = await useFastestBackend(flags.backend);
      const model = buildModel(seedLayers(plan.layers, seed), plan.dtype);
      const batch = training.train.batch ?? 64;
      const settings = {
        loss: plan.loss, epochs, batch, shuffle: training.train.shuffle, seed, dtype: plan.dtype, lrDecay: training.train.lr_decay ?? 1,
        optimizer: optimizerSettingsFromFile(training.train),
      };
      const header = `${plan.title}: ${train.count.toLocaleString('en-US')} training rows${test === null ? '' : `, ${test.count.toLocaleString('en-US')} test rows`}, ${train.features} features; ${chosen.name} backend, ${plan.dtype}, batches of ${batch}, ${settings.optimizer.optimizer} γ = ${settings.optimizer.lr}, seed ${seed}`;
      if (flags.json !== true) output.text(header);
      const progress = flags.json === true ? null : trainingProgress(epochs);
      let result: FitResult;
      try {
        result = fit(model, train, test, settings, {
          onStep: (step) => progress?.update(step),
          onEpoch: (record) => {
            progress?.pause();
            if (flags.json !== true) output.text(epochLine(record, epochs));
          },
        });
      } finally {
        progress?.stop();
      }

      const last = result.epochs[result.epochs.length - 1];
      const files = { model: join(out, 'model.json'), history: join(out, 'history.json'), chart: join(out, 'training.svg') };
      const { diverged } = result;
      // Lossless JSON: the loss that stopped the run (NaN, Infinity) is written as that string.
      writeOut(files.history, `${jsonText({ epochs: result.epochs, diverged }, 2)}\n`);
      const chart = trainingChartSpec({ title: plan.titles?.[flags.lang] ?? plan.title, loss: plan.loss, optimizer: settings.optimizer.optimizer, lr: settings.optimizer.lr, batch, epochs: result.epochs }, flags.lang);
      writeOut(files.chart, await vegaLiteSvg(chart));
      if (diverged !== null) {
        // Weights that are no longer numbers are not a model: nothing is saved.
        const why = diverged.epoch === 1 && diverged.step === 1
          ? 'the first batch, before any update: check the data for values that are not finite numbers, and the initial weights (init)'
          : `epoch ${diverged.epoch}, step ${diverged.step}: the learning rate (train.lr = ${settings.optimizer.lr}) is too large for this model; try a smaller one`;
        throw new RunFailedError(`training stopped: the loss became ${diverged.loss} at ${why}. Wrote ${files.history} and ${files.chart}; no model was saved`);
      }
      const saved = savedModel(model, {
        title: plan.title, loss: plan.loss, dtype: plan.dtype, classNames: train.classNames,
        training: { file, seed, epochs, batch, optimizer: settings.optimizer, standardization, testAccuracy: last?.testAccuracy ?? null, testLoss: last?.testLoss ?? null },
      });
      writeOut(files.model, `${jsonText(saved)}\n`);

      if (flags.json === true) {
        output.json({ file, backend: chosen.name, dtype: plan.dtype, seed, batch, train: train.count, test: test?.count ?? null, epochs: result.epochs, files });
      } else {
        output.text(`wrote ${files.model}, ${files.history}, ${files.chart}`);
      }
    });
}

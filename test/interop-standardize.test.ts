import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tensor } from '../src/autograd/create.js';
import { loadSavedModel } from '../src/files/saved-model.js';
import { STANDARDIZATION_METADATA_KEY } from '../src/interop/input-standardization.js';
import { encodeNpy } from '../src/interop/npy.js';
import { decodeSafetensors } from '../src/interop/safetensors.js';
import { runMashagrad } from './support/run-cli.js';

/*
 * A model trained with `standardize: true` expects (x − mean)/std; its exports must take RAW
 * inputs and agree with mashagrad, which standardizes the same raw inputs itself.
 */

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const folder = mkdtempSync(join(tmpdir(), 'mashagrad-interop-standardize-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

// Pixel-like raw features (0 … 255), far from standardized ones, so a missing step shows.
const rows = Array.from({ length: 30 }, (_, i) => [128 + 120 * Math.sin(i * 1.7), 128 + 100 * Math.cos(i * 0.9), 40 * (i % 5), 255]);
const labels = rows.map((row) => (row[0]! > 128 ? 1 : 0) + (row[1]! > 128 ? 1 : 0));
const model = join(folder, 'out', 'model.json');

/** mashagrad's predictions on raw rows: it standardizes them with the numbers model.json keeps. */
function mashagradPredictions(): number[] {
  const { saved, model: network } = loadSavedModel(model);
  const { mean, std } = saved.training.standardization as { mean: number; std: number };
  return Array.from(network.forward(tensor(rows.map((row) => row.map((value) => (value - mean) / std)), { dtype: 'float32' })).data);
}

const rawPredictions = (): number[] => Array.from(loadSavedModel(model).model.forward(tensor(rows, { dtype: 'float32' })).data);

const maxDifference = (a: readonly number[], b: readonly number[]): number => {
  expect(a).toHaveLength(b.length);
  return Math.max(...a.map((value, i) => Math.abs(value - b[i]!)));
};

beforeAll(async () => {
  const npy = encodeNpy({ dtype: 'float64', shape: [30, 4], data: Float64Array.from(rows.flat()) });
  writeFileSync(join(folder, 'x.npy'), npy);
  writeFileSync(join(folder, 'y.npy'), encodeNpy({ dtype: 'float64', shape: [30], data: Float64Array.from(labels) }));
  const file = join(folder, 'training.yaml');
  writeFileSync(file, 'dataset: { npy: { x: x.npy, y: y.npy }, standardize: true }\nmodel: [{ linear: { out: 8 } }, tanh, { linear: { out: 3 } }, softmax]\nloss: cross_entropy\ntrain: { lr: 0.1, epochs: 2, batch: 10 }\n');
  const trained = await runMashagrad('train', file, '--out', join(folder, 'out'), '--json');
  expect(trained.stderr).toBe('');
  expect(trained.exitCode).toBe(0);
});

describe('export of a model trained on standardized inputs', () => {
  it('the ONNX graph starts with Sub(mean) and Div(std), and onnxruntime-node on raw inputs agrees with mashagrad', async () => {
    const onnxFile = join(folder, 'model.onnx');
    expect((await runMashagrad('export', model, '--format', 'onnx', '-o', onnxFile)).exitCode).toBe(0);
    const session = await ort.InferenceSession.create(readFileSync(onnxFile));
    const result = await session.run({ input: new ort.Tensor('float32', Float32Array.from(rows.flat()), [30, 4]) });
    const onnx = Array.from(result.output!.data as Float32Array);
    const ours = mashagradPredictions();
    expect(maxDifference(onnx, ours)).toBeLessThan(1e-5);
    // The standardization matters for these inputs: the network on raw rows predicts otherwise.
    expect(maxDifference(rawPredictions(), ours)).toBeGreaterThan(1e-2);
  });

  it('the safetensors file stays the pure state dict and records the two numbers in its metadata', async () => {
    const file = join(folder, 'model.safetensors');
    expect((await runMashagrad('export', model, '--format', 'safetensors', '-o', file)).exitCode).toBe(0);
    const { arrays, metadata } = decodeSafetensors(readFileSync(file), file);
    expect([...arrays.keys()]).toEqual(['0.weight', '0.bias', '2.weight', '2.bias']);
    const recorded = JSON.parse(metadata.get(STANDARDIZATION_METADATA_KEY) ?? 'null') as unknown;
    expect(recorded).toEqual(loadSavedModel(model).saved.training.standardization);
  });

  it('the printed PyTorch code puts Standardize(mean, std) with the numbers written in before the network', async () => {
    const code = await runMashagrad('export', model, '--format', 'pytorch', '--weights', 'model.safetensors');
    const { mean, std } = loadSavedModel(model).saved.training.standardization as { mean: number; std: number };
    expect(code.stdout).toContain(`model = nn.Sequential(Standardize(mean=${mean}, std=${std}), model)`);
    expect(code.stdout).toContain('return (x - self.mean) / self.std');
  });

  it('a saved model whose standardization is not two usable numbers is refused in one line', async () => {
    const saved = JSON.parse(readFileSync(model, 'utf8')) as { training: Record<string, unknown> };
    saved.training.standardization = { mean: 3, std: 0 };
    const broken = join(folder, 'broken.json');
    writeFileSync(broken, JSON.stringify(saved));
    const run = await runMashagrad('export', broken, '--format', 'onnx', '-o', join(folder, 'broken.onnx'));
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toMatch(/broken.json: training.standardization must be \{ mean, std \} with finite numbers and std > 0/);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
  });
});

const python = '/usr/bin/python3';
const enginesMissing = !existsSync(python) || spawnSync(python, ['-c', 'import onnx, torch'], { stdio: 'ignore' }).status !== 0;
if (enginesMissing) console.warn('SKIPPED: the PyTorch check of a standardized export (needs /usr/bin/python3 with python3-torch and python3-onnx)');

describe.skipIf(enginesMissing)('PyTorch and onnx.checker read a standardized export', () => {
  it('onnx.checker accepts the ONNX file, and the printed code given raw inputs reproduces mashagrad\'s predictions', async () => {
    const check = join(folder, 'check');
    rmSync(check, { recursive: true, force: true });
    mkdirSync(check);
    for (const [format, file] of [['onnx', 'model.onnx'], ['safetensors', 'model.safetensors'], ['pytorch', 'model.py']] as const) {
      expect((await runMashagrad('export', model, '--format', format, '--weights', 'model.safetensors', '-o', join(check, file))).exitCode).toBe(0);
    }
    writeFileSync(join(check, 'x.json'), JSON.stringify(rows));
    const run = spawnSync(python, [join(ROOT, 'tools/fixtures/interop.py'), 'check', check], { encoding: 'utf8' });
    expect(run.stderr).toBe('');
    const result = JSON.parse(run.stdout) as { checker: string; y: number[][] };
    expect(result.checker).toBe('ok');
    expect(maxDifference(result.y.flat(), mashagradPredictions())).toBeLessThan(1e-5);
  });
});

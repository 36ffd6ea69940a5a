import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { computeLoss, tensor, type Tensor } from '../../src/index.js';
import { modelFromBytes, portableLayers } from '../../src/interop/index.js';
import { parseProblem, solvePlan } from '../../src/problem/index.js';
import { word } from '../../web/src/i18n.js';
import { problemFileOf } from '../../web/src/training/problem-export.js';
import { DEFAULT_TRAINING, Trainer } from '../../web/src/training/trainer.js';
import { ROOT, SCREENSHOTS, usePlayground } from './browser.js';

// Clicking a neuron or a weight while training shows its part of the next step's worked solution.
const playground = usePlayground();

const status = (page: Page, name: string) => page.locator('#training-status').getAttribute(`data-${name}`);
/** The panel's numbers by line: forward, activation, input, arriving, local, passed, gradient, before, update, after. */
async function partValues(page: Page): Promise<Map<string, number[]>> {
  const rows = await page.locator('#step-part-body tr[data-part]').evaluateAll((trs) => trs.map((tr) => [tr.getAttribute('data-part'), tr.getAttribute('data-values')] as const));
  const values = new Map<string, number[]>();
  for (const [key, json] of rows) if (key !== null && json !== null && !values.has(key)) values.set(key, JSON.parse(json) as number[]);
  return values;
}

/** The same next step computed in Node with the library: forward, the loss's gradients, then the trainer's own step. */
function nodeStep(steps: number) {
  const trainer = new Trainer(DEFAULT_TRAINING);
  for (let i = 0; i < steps; i++) trainer.step();
  const rows = [...trainer.stepper.nextRows()];
  const { x, features, labels } = { x: trainer.train.x, features: trainer.train.features, labels: trainer.train.labels! };
  const input = tensor(rows.map((row) => Array.from(x.subarray(row * features, (row + 1) * features))));
  const y = tensor(rows.map((row) => [labels[row]!]));
  const model = trainer.model;
  model.zeroGrad();
  computeLoss(trainer.loss, model.forward(input), y).backward();
  const layers = model.layers;
  const column = (t: Tensor, j: number) => Array.from({ length: t.shape[0]! }, (_, r) => t.data[r * t.shape[1]! + j]!);
  const copy = {
    input: (k: number, i: number) => column(layers[k]!.input!, i),
    output: (k: number, j: number) => column(layers[k]!.output!, j),
    weightGrad: (k: number, i: number, j: number) => layers[k]!.namedParameters()[0]![1].grad!.data[i * layers[k]!.output!.shape[1]! + j]!,
    biasGrad: (k: number, j: number) => layers[k]!.namedParameters()[1]![1].grad!.data[j]!,
  };
  const numbers = {
    w: { input: copy.input(2, 2), forward: copy.output(2, 4), activation: copy.output(3, 4), gradient: copy.weightGrad(2, 2, 4) },
    b: { forward: copy.output(0, 2), activation: copy.output(1, 2), gradient: copy.biasGrad(0, 2) },
  };
  trainer.step();
  const after = trainer.weights();
  return { ...numbers, wAfter: after[1]!.weight[2 * 8 + 4]!, bAfter: after[0]!.bias[2]! };
}

const close = (actual: readonly number[] | undefined, expected: readonly number[], label: string) => {
  expect(actual?.length, label).toBe(expected.length);
  expected.forEach((value, i) => expect(actual![i]!, `${label}[${i}]`).toBeCloseTo(value, 10));
};

describe('Training mode: a neuron\'s or a weight\'s worked step', () => {
  it('a clicked weight and a clicked neuron show their part of the next step with the numbers Node computes for that step (Adam, its real state)', async () => {
    const { page } = await playground.watchedPage();
    page.setDefaultTimeout(15_000);
    await page.goto(`${playground.url}#mode=training`);
    await expect.poll(() => status(page, 'step'), { timeout: 20_000 }).toBe('0');
    for (let k = 1; k <= 5; k++) {
      await page.click('#training-step');
      await expect.poll(() => status(page, 'step')).toBe(String(k));
    }
    const node = nodeStep(5);

    // W₂[3, 5]: the second linear layer, input 3 to neuron 5 (a click event on its line: crossing lines share pixels).
    await page.locator('#training-network line.weight-hit[data-layer="1"][data-from="2"][data-to="4"]').dispatchEvent('click');
    await expect.poll(() => page.locator('#step-part-body tr[data-part="after"]').count()).toBeGreaterThan(0);
    expect(await page.locator('#step-part-body').getAttribute('data-step')).toBe('6');
    expect(await page.locator('#step-part h3').textContent()).toContain('W₂[3, 5]');
    let part = await partValues(page);
    close(part.get('input'), node.w.input, 'input');
    close(part.get('forward'), node.w.forward, 'weighted sum');
    close(part.get('activation'), node.w.activation, 'activation');
    close(part.get('gradient'), [node.w.gradient], 'gradient');
    close(part.get('after'), [node.wAfter], 'after');
    // The chain rule in the panel's own numbers: passed = arriving × local, gradient = Σ input · passed.
    const [arriving, activationSlope] = [part.get('arriving')!, part.get('local')!];
    expect(arriving.length).toBe(10);
    part.get('passed')!.forEach((value, r) => {
      expect(activationSlope[r]!).toBeCloseTo(1 - node.w.activation[r]! ** 2, 12);
      expect(value).toBeCloseTo(arriving[r]! * activationSlope[r]!, 12);
    });
    close(part.get('localWeight'), node.w.input, 'local derivative of the weight');
    expect(part.get('gradient')![0]!).toBeCloseTo(part.get('passed')!.reduce((sum, d, r) => sum + d * node.w.input[r]!, 0), 12);
    // Editing stays reachable: the box is in the panel.
    expect(await page.locator('#weight-editor-value').isVisible()).toBe(true);
    // For docs/playground.md only when asked (a test run leaves the tracked picture alone).
    const folder = process.env.MASHAGRAD_UPDATE_SCREENSHOTS === '1' ? join(ROOT, 'docs') : SCREENSHOTS;
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.screenshot({ path: join(folder, 'playground-training-step-part.png'), fullPage: true });

    // Neuron 3 of the first hidden layer: its circle (or its heat map over it).
    await page.locator('#training-network circle[data-column="1"][data-unit="2"]').dispatchEvent('click');
    await expect.poll(async () => (await page.locator('#step-part h3').textContent()) ?? '').toContain('b₁[3]');
    part = await partValues(page);
    close(part.get('forward'), node.b.forward, 'neuron sum');
    close(part.get('activation'), node.b.activation, 'neuron output');
    close(part.get('gradient'), [node.b.gradient], 'bias gradient');
    close(part.get('after'), [node.bAfter], 'bias after');

    // An edit: the panel's step now starts from the new value.
    await page.fill('#weight-editor-value', '0.75');
    await page.locator('#weight-editor-value').dispatchEvent('change');
    await expect.poll(async () => (await partValues(page)).get('before')?.[0]).toBe(0.75);

    // In Russian, the same panel in the teacher's words.
    await page.selectOption('#language', 'ru');
    await expect.poll(() => page.locator('#step-part h3').textContent()).toContain('на шаге обучения 6');
    expect(await page.locator('#step-part-body th').first().textContent()).toBe('прямой проход: взвешенная сумма нейрона');
  });

  it('the part of a big network\'s step (six layers of 16, batch 200) is solved in the training worker: the page only receives its lines', async () => {
    const { page } = await playground.watchedPage();
    page.setDefaultTimeout(30_000);
    // Every message between the page and its workers, by kind: what ran where, counted without a clock.
    await page.addInitScript(() => {
      const log: { to: boolean; kind: unknown; lines?: number }[] = [];
      (window as unknown as { __messages: typeof log }).__messages = log;
      const Original = window.Worker;
      const send = Reflect.get(Original.prototype, 'postMessage') as (...args: unknown[]) => void;
      Original.prototype.postMessage = function (this: Worker, ...args: unknown[]) {
        log.push({ to: true, kind: (args[0] as { kind?: unknown } | undefined)?.kind });
        send.apply(this, args);
      };
      window.Worker = class extends Original {
        constructor(...args: ConstructorParameters<typeof Worker>) {
          super(...args);
          this.addEventListener('message', (event: MessageEvent<{ kind?: unknown; result?: { part?: { lines: unknown[] } } }>) =>
            log.push({ to: false, kind: event.data?.kind, lines: event.data?.result?.part?.lines.length }));
        }
      };
    });
    const settings = { hidden: [16, 16, 16, 16, 16, 16], batch: 200, trainPercent: 90 };
    await page.goto(`${playground.url}#mode=training&t=${encodeURIComponent(JSON.stringify(settings))}`);
    await expect.poll(() => status(page, 'step'), { timeout: 30_000 }).toBe('0');
    await page.locator('#training-network circle[data-column="4"][data-unit="7"]').dispatchEvent('click');
    await expect.poll(() => page.locator('#step-part-body tr[data-part="after"]').count(), { timeout: 60_000 }).toBeGreaterThan(0);
    expect(await page.locator('#step-part h3').textContent()).toContain('b₄[8]');
    const messages = await page.evaluate(() => (window as unknown as { __messages: { to: boolean; kind: unknown; lines?: number }[] }).__messages);
    expect(messages.filter((message) => message.to && message.kind === 'explain-part')).toHaveLength(1);
    // The step came back solved and cut: the lines, never the problem text for the page to solve.
    const parts = messages.filter((message) => !message.to && message.kind === 'part');
    expect(parts).toHaveLength(1);
    expect(parts[0]!.lines).toBe(await page.locator('#step-part-body tr[data-part]').count());
    expect(messages.filter((message) => !message.to && message.kind === 'problem')).toHaveLength(0);
    // A batch of 200 takes all 180 training points: each per-example line carries 180 numbers (the table writes 12 and counts the rest).
    expect((JSON.parse((await page.locator('#step-part-body tr[data-part="forward"]').getAttribute('data-values'))!) as number[]).length).toBe(180);
  });

  it('the download button saves the trained network as the problem file of its next step: the same text Node writes, which solves', async () => {
    const { page } = await playground.watchedPage();
    page.setDefaultTimeout(15_000);
    await page.goto(`${playground.url}#mode=training`);
    await expect.poll(() => status(page, 'step'), { timeout: 20_000 }).toBe('0');
    for (let k = 1; k <= 3; k++) {
      await page.click('#training-step');
      await expect.poll(() => status(page, 'step')).toBe(String(k));
    }
    const [file] = await Promise.all([page.waitForEvent('download'), page.click('#training-download')]);
    expect(file.suggestedFilename()).toBe('mashagrad-playground-step-4.json');
    const text = readFileSync((await file.path()), 'utf8');
    const trainer = new Trainer(DEFAULT_TRAINING);
    for (let i = 0; i < 3; i++) trainer.step();
    expect(text).toBe(problemFileOf(trainer, trainer.stepper.nextRows(), 'The playground network, training step 4', word('en', 'stateNote')));
    expect(text).toContain('this update is its step t = 4');
    expect(solvePlan(parseProblem(text)).kind).toBe('network');
  });

  it('the trained network downloads as safetensors and as ONNX, whose encoders load only then; our importer reads back the Trainer\'s weights from both files', async () => {
    const { page } = await playground.watchedPage();
    page.setDefaultTimeout(30_000);
    const requested: string[] = [];
    page.on('request', (request) => requested.push(new URL(request.url()).pathname));
    await page.goto(`${playground.url}#mode=training`);
    await expect.poll(() => status(page, 'step'), { timeout: 20_000 }).toBe('0');
    for (let k = 1; k <= 3; k++) {
      await page.click('#training-step');
      await expect.poll(() => status(page, 'step')).toBe(String(k));
    }
    // Not in the page's script: the ONNX schema (protobufjs) is only in model-export.js, fetched on the first click.
    const scripts = readdirSync(join(playground.dist, 'assets')).filter((name) => name.endsWith('.js'));
    for (const name of scripts) expect(readFileSync(join(playground.dist, 'assets', name), 'utf8'), name).not.toContain('onnx.ModelProto');
    expect(readFileSync(join(playground.dist, 'model-export.js'), 'utf8')).toContain('onnx.ModelProto');
    expect(requested.filter((path) => path.endsWith('/model-export.js'))).toEqual([]);

    const trainer = new Trainer(DEFAULT_TRAINING);
    for (let i = 0; i < 3; i++) trainer.step();
    const expected = portableLayers(trainer.model);
    for (const format of ['safetensors', 'onnx'] as const) {
      const [file] = await Promise.all([page.waitForEvent('download'), page.click(`#training-download-${format}`)]);
      expect(file.suggestedFilename()).toBe(`mashagrad-playground-step-3.${format}`);
      const layers = modelFromBytes(readFileSync((await file.path())), format, file.suggestedFilename());
      expect(layers.map((layer) => layer.kind), format).toEqual(expected.map((layer) => layer.kind));
      layers.forEach((layer, k) => {
        const want = expected[k]!;
        if (layer.kind !== 'linear' || want.kind !== 'linear') return;
        // float32 in the file: the trained float64 weights to float32's precision.
        layer.weights.flat().forEach((value, i) => expect(value, `${format} layer ${k} weight ${i}`).toBeCloseTo(want.weights.flat()[i]!, 6));
        layer.bias!.forEach((value, i) => expect(value, `${format} layer ${k} bias ${i}`).toBeCloseTo(want.bias![i]!, 6));
      });
    }
    // Loaded once, for the first download.
    expect(requested.filter((path) => path.endsWith('/model-export.js'))).toHaveLength(1);
  });

  it('the panel and your own points fit a laptop (1280 × 800) and a phone (390 × 844) without horizontal scrolling', async () => {
    const { page } = await playground.watchedPage();
    page.setDefaultTimeout(15_000);
    const csv = 'x1,x2,label\n0,0,a\n1,1,b\n0,1,c\n1,0,a\n0.5,0.2,b\n0.3,0.9,c\n';
    await page.goto(`${playground.url}#mode=training&t=${encodeURIComponent(JSON.stringify({ dataset: 'csv', csv, regularization: 'l2', regularizationRate: 0.01 }))}`);
    await expect.poll(() => status(page, 'step'), { timeout: 20_000 }).toBe('0');
    await page.locator('#training-network circle[data-column="3"][data-unit="2"]').dispatchEvent('click');
    await expect.poll(() => page.locator('#step-part-body tr[data-part="after"]').count()).toBeGreaterThan(0);
    // Softmax's output neuron: the gradient at its sum, no per-neuron local derivative.
    expect(await page.locator('#step-part-body tr[data-part="local"]').count()).toBe(0);
    // The L2 penalty is not in a problem file: the panel says its step leaves it out.
    expect(await page.locator('#step-part-body .part-note.error-message').textContent()).toContain('L1/L2 penalty is left out');
    for (const [width, height, name] of [[1280, 800, 'laptop'], [390, 844, 'phone']] as const) {
      await page.setViewportSize({ width, height });
      await expect.poll(() => page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
      await page.screenshot({ path: join(SCREENSHOTS, `${name}-training-step-part.png`), fullPage: true });
    }
  });
});

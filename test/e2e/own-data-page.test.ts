import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { CLASS_COLOURS } from '../../web/src/training/colours.js';
import { SCREENSHOTS, usePlayground } from './browser.js';
import { threeClusters } from './csv-sample.js';

// Your own points in the training mode, refusals in both languages, in Debian's Chromium.
const playground = usePlayground();

async function open(extra = ''): Promise<Page> {
  const { page } = await playground.watchedPage();
  page.setDefaultTimeout(15_000);
  await page.goto(`${playground.url}#mode=training${extra}`);
  await expect.poll(() => status(page, 'step'), { timeout: 20_000 }).toBe('0');
  return page;
}
const status = (page: Page, name: string) => page.locator('#training-status').getAttribute(`data-${name}`);
/** Data: csv (the box appears), then the text typed in and the box left. */
async function setCsv(page: Page, text: string): Promise<void> {
  if ((await page.locator('#training-dataset').inputValue()) !== 'csv') await page.selectOption('#training-dataset', 'csv');
  await page.fill('#training-settings [name="csv"]', text);
  await page.locator('#training-settings [name="csv"]').dispatchEvent('change');
}

/** How many pixels of the boundary are nearest to each class colour (white left out). */
const colourCounts = (page: Page) => page.evaluate((colours) => {
  const canvas = document.getElementById('boundary') as HTMLCanvasElement;
  const { data } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height);
  const palette = [...colours, [232, 234, 235]];
  const counts = palette.map(() => 0);
  for (let i = 0; i < data.length; i += 4 * 7) {
    const distance = (c: readonly number[]) => (data[i]! - c[0]!) ** 2 + (data[i + 1]! - c[1]!) ** 2 + (data[i + 2]! - c[2]!) ** 2;
    let best = 0;
    palette.forEach((c, k) => { if (distance(c) < distance(palette[best]!)) best = k; });
    counts[best]!++;
  }
  return counts;
}, CLASS_COLOURS.slice(0, 3).map((c) => [...c]));

describe('Training mode: your own CSV', () => {
  it('three labelled clusters: a softmax of three outputs, one colour per class in the background and the legend, 90% accuracy', async () => {
    const page = await open();
    await setCsv(page, threeClusters());
    await expect.poll(() => page.locator('#legend-text').textContent()).toBe('classes: ● cat ● dog ● fox ');
    expect(await page.locator('#training-network circle[data-column="3"]').count()).toBe(3);
    // Each output neuron is named by its class.
    await expect.poll(() => page.locator('#training-network text').allTextContents()).toEqual(['x₁', 'x₂', 'cat', 'dog', 'fox']);
    await page.click('#training-play');
    await expect.poll(async () => Number(await status(page, 'accuracy')), { timeout: 30_000 }).toBeGreaterThanOrEqual(0.9);
    // Orange, blue and green regions, each a real part of the plane (as training goes on: on a
    // loaded machine the first frame at 90% may still show one region thin).
    await expect.poll(async () => Math.min(...(await colourCounts(page)).slice(0, 3)), { timeout: 30_000 }).toBeGreaterThan(100);
    await page.click('#training-play');
    expect(page.url()).toContain(encodeURIComponent('"dataset":"csv"'));
    await page.screenshot({ path: join(SCREENSHOTS, 'training-own-data.png'), fullPage: true });
  });

  it('a file chosen with the file button is read into the box and trained on; the box shows only for your own points', async () => {
    const page = await open();
    expect(await page.locator('#training-settings [name="csv"]').isVisible()).toBe(false);
    await page.setInputFiles('#training-csv-file', { name: 'points.csv', mimeType: 'text/csv', buffer: Buffer.from(threeClusters()) });
    await expect.poll(() => page.locator('#training-dataset').inputValue()).toBe('csv');
    expect(await page.locator('#training-settings [name="csv"]').inputValue()).toBe(threeClusters());
    await expect.poll(() => page.locator('#training-network circle[data-column="3"]').count()).toBe(3);
    expect(await page.locator('#training-settings [name="csv"]').isVisible()).toBe(true);
  });

  it('a bad CSV is refused in place with its row and column, in English and in Russian, and nothing trains', async () => {
    const page = await open();
    await setCsv(page, 'x1,x2,label\n1,2,a\n3,x,b\n5,6,b\n7,8,a\n');
    const note = page.locator('.field-problem[data-field="csv"]');
    await expect.poll(() => note.textContent()).toBe('Your points: row 3, column 2: “x” is not a number.');
    expect(await page.locator('#training-settings [name="csv"]').getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator('#training-status').textContent()).toBe('');
    await page.selectOption('#language', 'ru');
    await expect.poll(() => note.textContent()).toBe('Ваши точки: строка 3, столбец 2: «x» — не число.');
    await setCsv(page, '1,2,a\n3,4\n5,6,b\n7,8,a\n');
    await expect.poll(() => note.textContent()).toBe('Ваши точки: в строке 2 столбцов 2, а нужно 3: x₁, x₂, метка.');
  });

  it('every refusal of the form has its hint in Russian too', async () => {
    const page = await open('&lang=ru');
    for (const [name, value, hint] of [
      ['hidden', 'abc', '«abc» здесь нельзя: нужны ширины слоёв от 1 до 16 через запятую, не больше 6 слоёв (например, 8, 8), или «none».'],
      ['lr', '-1', '«-1» здесь нельзя: нужно число ≥ 0 (при 0 сеть ничему не учится).'],
      ['batch', '0', '«0» здесь нельзя: нужно целое число от 1 до 200.'],
    ] as const) {
      await page.fill(`#training-settings [name="${name}"]`, value);
      await page.locator(`#training-settings [name="${name}"]`).dispatchEvent('change');
      await expect.poll(() => page.locator(`.field-problem[data-field="${name}"]`).textContent()).toBe(hint);
      await page.fill(`#training-settings [name="${name}"]`, name === 'hidden' ? '8, 8' : name === 'lr' ? '0.03' : '10');
      await page.locator(`#training-settings [name="${name}"]`).dispatchEvent('change');
    }
  });
});

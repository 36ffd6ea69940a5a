import { describe, expect, it } from 'vitest';
import { foreignWords, parseSvg } from '../../test/support/svg.js';
import { solvePlan } from '../problem/solve.js';
import { parseProblem } from '../files/load-problem.js';
import { lossChartSpec, lossChartSvg } from './loss-chart.js';
import type { NetworkTrace } from '../trace/types.js';

const EPOCHS = `
title: Exercise 2, ten epochs
model:
  - linear: { weights: [[0]], bias: [0] }
  - sigmoid
loss: logloss
data: { x: [[1], [5]], y: [[1], [0]] }
train: { optimizer: sgd, lr: 1, batch: 1, order: [2, 1], epochs: 10 }
`;

function trained(): NetworkTrace {
  const trace = solvePlan(parseProblem(EPOCHS, 'epochs.yaml'));
  if (trace.kind !== 'network') throw new Error('not a network');
  return trace;
}

describe('the loss chart', () => {
  it('has one point per step and labelled axes', async () => {
    const trace = trained();
    const { svg } = await lossChartSvg(trace);
    const parsed = parseSvg(svg);
    expect(parsed.texts).toEqual(expect.arrayContaining(['Exercise 2, ten epochs', 'step', 'loss L (logloss)']));
    expect(lossChartSpec(trace).spec.data).toEqual({ values: trace.steps.map((step) => ({ step: step.step, epoch: step.epoch, loss: step.loss })) });
    expect(trace.steps).toHaveLength(20);
  });

  it('averages each epoch\'s steps per epoch', async () => {
    const parsed = parseSvg((await lossChartSvg(trained(), { per: 'epoch' })).svg);
    expect(parsed.texts).toEqual(expect.arrayContaining(['epoch', 'mean loss L (logloss)']));
    expect(parsed.texts).not.toContain('step');
  });
});

describe('the loss chart in Russian', () => {
  it('titles the axes in Russian and uses the problem\'s Russian title', async () => {
    const trace = { ...trained(), titles: { en: 'Exercise 2, ten epochs', ru: 'Упражнение 2, десять эпох' } };
    const texts = parseSvg((await lossChartSvg(trace, { language: 'ru' })).svg).texts;
    expect(texts).toEqual(expect.arrayContaining(['Упражнение 2, десять эпох', 'шаг', 'значение функции потерь L (logloss)', 'градиентный спуск, γ = 1;  шагов: 20']));
    expect(foreignWords(texts)).toEqual([]);
    const perEpoch = parseSvg((await lossChartSvg(trace, { language: 'ru', per: 'epoch' })).svg).texts;
    expect(perEpoch).toEqual(expect.arrayContaining(['эпоха', 'среднее значение функции потерь L (logloss)']));
    expect(foreignWords(perEpoch)).toEqual([]);
  });

  it('keeps the English chart as it was', async () => {
    expect((await lossChartSvg(trained(), { language: 'en' })).svg).toBe((await lossChartSvg(trained())).svg);
  });
});

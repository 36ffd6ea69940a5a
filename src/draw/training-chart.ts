import type { TopLevelSpec } from 'vega-lite';
import { messageText, type Language } from '../messages/catalogue.js';
import { number } from './format.js';
import { colors, FONT_STACK, sizes } from './theme.js';

/** What the chart needs of a training run (src/train's EpochRecord has it). */
export interface TrainingCurve {
  readonly title: string;
  readonly loss: string;
  readonly optimizer: string;
  readonly lr: number;
  readonly batch: number;
  readonly epochs: readonly {
    readonly epoch: number;
    readonly loss: number;
    readonly accuracy: number | null;
    readonly testLoss: number | null;
    readonly testAccuracy: number | null;
  }[];
}

/**
 * A training run as Vega-Lite: the mean loss per epoch beside the accuracy per epoch, each for
 * the training and the test set. Regression runs (no accuracy) get the loss alone.
 */
export function trainingChartSpec(curve: TrainingCurve, language: Language = 'en'): TopLevelSpec {
  const train = messageText(language, 'draw.training.series.train');
  const test = messageText(language, 'draw.training.series.test');
  const points = curve.epochs.flatMap((record) => [
    { epoch: record.epoch, set: train, loss: record.loss, accuracy: record.accuracy },
    ...(record.testLoss === null ? [] : [{ epoch: record.epoch, set: test, loss: record.testLoss, accuracy: record.testAccuracy }]),
  ]);
  const color = { field: 'set', type: 'nominal' as const, title: null, scale: { domain: [train, test], range: [colors.highlight, colors.note] } };
  const x = { field: 'epoch', type: 'quantitative' as const, title: messageText(language, 'draw.training.axis.epoch'), axis: { tickMinStep: 1, format: 'd' } };
  const line = { type: 'line' as const, point: { filled: true, size: 45 }, strokeWidth: 2 };
  const lossView = {
    width: 300, height: 220, mark: line,
    encoding: { x, color, y: { field: 'loss', type: 'quantitative' as const, title: messageText(language, 'draw.training.axis.loss', { loss: curve.loss }) } },
  };
  const accuracyView = {
    width: 300, height: 220, mark: line, transform: [{ filter: 'datum.accuracy != null' }],
    encoding: { x, color, y: { field: 'accuracy', type: 'quantitative' as const, title: messageText(language, 'draw.training.axis.accuracy'), axis: { format: '.0%' }, scale: { zero: false } } },
  };
  const hasAccuracy = curve.epochs.some((record) => record.accuracy !== null);
  const subtitle = messageText(language, 'draw.training.subtitle', { optimizer: curve.optimizer, lr: number(curve.lr), batch: curve.batch, epochs: curve.epochs.length });
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: curve.title, subtitle, anchor: 'start', offset: 12 },
    background: 'white',
    padding: 12,
    data: { values: points },
    hconcat: hasAccuracy ? [lossView, accuracyView] : [lossView],
    config: {
      font: FONT_STACK,
      title: { fontSize: sizes.title, subtitleFontSize: sizes.edge + 1, subtitleColor: colors.note },
      axis: { labelFontSize: sizes.edge, titleFontSize: sizes.edge + 1, titleFontWeight: 'normal', gridColor: '#e6e6e6' },
      legend: { labelFontSize: sizes.edge, orient: 'bottom' },
    },
  };
}

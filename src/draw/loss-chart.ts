import type { TopLevelSpec } from 'vega-lite';
import { loadOptional } from '../optional.js';
import { messageText, type Language } from '../messages/catalogue.js';
import type { NetworkTrace } from '../trace/types.js';
import { number } from './format.js';
import { textWidth } from './metrics.js';
import { wordFor } from './names.js';
import { colors, FONT_STACK, sizes } from './theme.js';

export interface LossChartOptions {
  /** One point per training step (default), or the mean loss of each epoch's steps. */
  readonly per?: 'step' | 'epoch';
  /** The language of the titles and notes (default English). */
  readonly language?: Language;
}

export interface LossChart {
  /** The Vega-Lite specification (the browser can render it with vega-embed). */
  readonly spec: TopLevelSpec;
  readonly notes: readonly string[];
}

/**
 * The training curve of a run as a Vega-Lite line chart: the axes, ticks and labels are
 * Vega's; per epoch, Vega-Lite itself averages the steps' losses.
 */
export function lossChartSpec(trace: NetworkTrace, options: LossChartOptions = {}): LossChart {
  const per = options.per ?? 'step';
  const language = options.language ?? 'en';
  const finite = trace.steps.filter((step) => Number.isFinite(step.loss));
  const notes: string[] = [];
  if (finite.length < trace.steps.length) notes.push(messageText(language, 'draw.loss.notFinite', { count: trace.steps.length - finite.length, total: trace.steps.length }));
  const diverged = trace.diverged;
  if (diverged !== undefined) {
    notes.push(diverged.layer === null
      ? messageText(language, 'draw.loss.divergedLoss', { step: diverged.step })
      : messageText(language, 'draw.loss.divergedLayer', { step: diverged.step, layer: diverged.layer + 1 }));
  }
  if (trace.steps.length === 0) notes.push(messageText(language, 'draw.loss.noSteps'));
  const x = per === 'step'
    ? { field: 'step', type: 'quantitative' as const, title: messageText(language, 'draw.loss.axis.step'), axis: { tickMinStep: 1, format: 'd' } }
    : { field: 'epoch', type: 'quantitative' as const, title: messageText(language, 'draw.loss.axis.epoch'), axis: { tickMinStep: 1, format: 'd' } };
  const y = per === 'step'
    ? { field: 'loss', type: 'quantitative' as const, title: messageText(language, 'draw.loss.axis.loss', { loss: wordFor(language, 'loss', trace.loss) }) }
    : { field: 'loss', aggregate: 'mean' as const, type: 'quantitative' as const, title: messageText(language, 'draw.loss.axis.meanLoss', { loss: wordFor(language, 'loss', trace.loss) }) };
  const one = trace.steps.length === 1;
  const subtitleKey = per === 'epoch' ? (one ? 'draw.loss.subtitle.epochs.one' : 'draw.loss.subtitle.epochs.many') : one ? 'draw.loss.subtitle.one' : 'draw.loss.subtitle.many';
  const subtitle = [messageText(language, subtitleKey, { optimizer: wordFor(language, 'optimizer', trace.optimizer.name), lr: number(trace.optimizer.lr), count: trace.steps.length }), ...notes];
  const spec: TopLevelSpec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: trace.titles?.[language] ?? trace.title, subtitle, anchor: 'start', offset: 12 },
    width: 520,
    height: 280,
    background: 'white',
    padding: 12,
    data: { values: finite.map((step) => ({ step: step.step, epoch: step.epoch, loss: step.loss })) },
    mark: { type: 'line', point: { filled: true, size: 45, color: colors.highlight }, color: colors.highlight, strokeWidth: 2 },
    encoding: { x, y },
    config: {
      font: FONT_STACK,
      title: { fontSize: sizes.title, subtitleFontSize: sizes.edge + 1, subtitleColor: colors.note },
      axis: { labelFontSize: sizes.edge, titleFontSize: sizes.edge + 1, titleFontWeight: 'normal', gridColor: '#e6e6e6' },
    },
  };
  return { spec, notes };
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;

/**
 * Without a canvas (in Node) Vega guesses every character to be 0.8 em wide, which leaves the
 * charts lopsided; it takes a text-width function instead (its documented hook, used by
 * vl-convert), so it gets DejaVu Sans's real widths, the font the PNG is drawn with.
 */
function useFontWidths(vega: typeof import('vega')): void {
  const metrics: unknown = 'textMetrics' in vega ? vega.textMetrics : undefined;
  if (typeof document !== 'undefined' || !isRecord(metrics)) return;
  metrics.width = (item: unknown, text: unknown): number => {
    const size = isRecord(item) && typeof item.fontSize === 'number' ? item.fontSize : 11;
    const bold = isRecord(item) && (item.fontWeight === 'bold' || Number(item.fontWeight) >= 600);
    return textWidth(typeof text === 'string' || typeof text === 'number' ? String(text) : '', size, bold);
  };
}

/** A Vega-Lite chart as an SVG string (Vega renders it in Node without a browser). */
export async function vegaLiteSvg(spec: TopLevelSpec): Promise<string> {
  // Both optional packages, loaded on first use.
  const vega = await loadOptional('vega', () => import('vega'));
  const { compile } = await loadOptional('vega-lite', () => import('vega-lite'));
  useFontWidths(vega);
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** The loss chart as an SVG string. */
export async function lossChartSvg(trace: NetworkTrace, options: LossChartOptions = {}): Promise<{ svg: string; notes: readonly string[] }> {
  const { spec, notes } = lossChartSpec(trace, options);
  return { svg: await vegaLiteSvg(spec), notes };
}

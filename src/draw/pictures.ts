import { InputError } from '../errors.js';
import type { NumberStyle } from '../formula/numbers.js';
import { messageText, type Language } from '../messages/catalogue.js';
import type { ExpressionTrace, NetworkTrace, ProblemTrace, SymbolicTrace } from '../trace/types.js';
import { expressionGraphDot, type ExpressionGraphOptions } from './expression-graph.js';
import { flowDot, type FlowOptions } from './flow-diagram.js';
import { lossChartSvg, type LossChartOptions } from './loss-chart.js';
import { drawableNeuronByNeuron, hasMixingLayer, MAX_DRAWN_UNITS, networkDiagramDot, type NetworkDiagramOptions } from './network-diagram.js';
import type { DotPicture } from './picture.js';
import { convDiagramDot } from './conv-diagram.js';
import type { ConvTrace } from '../trace/conv-types.js';
import { dotToSvg } from './render.js';

/*
 * The pictures as SVG strings, for the explanations and the web page to embed (file formats
 * are in files.ts). Every function takes a trace and nothing else: pictures never recompute.
 */

export type PictureKind = 'graph' | 'network' | 'flow' | 'loss';
export const PICTURE_KINDS: readonly PictureKind[] = ['graph', 'network', 'flow', 'loss'];

export type AnyTrace = ProblemTrace | ExpressionTrace;

export interface PictureOptions {
  readonly kind?: PictureKind;
  /** network, flow: the 1-based step whose numbers fill the picture. */
  readonly step?: number;
  /** graph: a variable whose paths to the output are highlighted. */
  readonly highlight?: string;
  /** graph: show the backward pass. */
  readonly backward?: boolean;
  /** loss: per step or per epoch. */
  readonly per?: 'step' | 'epoch';
  readonly numbers?: NumberStyle;
  /** The language of legends, headers and notes (default English; formulas and numbers are the same in both). */
  readonly language?: Language;
}

export interface Picture {
  readonly kind: PictureKind;
  readonly svg: string;
  /** DOT for the Graphviz pictures; undefined for the loss chart (Vega-Lite). */
  readonly dot?: string;
  readonly notes: readonly string[];
}

/** What a trace is drawn as when no kind is asked for. */
export function defaultKind(trace: AnyTrace): PictureKind {
  return trace.kind === 'expression' ? 'graph' : trace.kind === 'network' ? 'network' : 'flow';
}

const titleOf = (trace: AnyTrace, language: Language): string | undefined => ('title' in trace ? (trace.titles?.[language] ?? trace.title) : undefined);

export async function expressionGraphSvg(trace: ExpressionTrace, options: ExpressionGraphOptions = {}): Promise<string> {
  return dotToSvg(expressionGraphDot(trace, options).dot);
}

export async function networkDiagramSvg(trace: NetworkTrace, options: NetworkDiagramOptions = {}): Promise<string> {
  return dotToSvg(networkDiagramDot(trace, options).dot);
}

export async function flowSvg(trace: NetworkTrace | SymbolicTrace, options: FlowOptions = {}): Promise<string> {
  return dotToSvg(flowDot(trace, options).dot);
}

/** A network with convolution or pooling layers: one box per layer with the shape it makes. */
export async function convDiagramSvg(trace: ConvTrace, language: Language = 'en'): Promise<string> {
  return dotToSvg(convDiagramDot(trace, { language }).dot);
}

export async function lossSvg(trace: NetworkTrace, options: LossChartOptions = {}): Promise<string> {
  return (await lossChartSvg(trace, options)).svg;
}

/** The DOT of a Graphviz picture of a trace, or an InputError saying which kinds fit it. */
export function pictureDot(trace: AnyTrace, options: PictureOptions = {}): DotPicture {
  const kind = options.kind ?? defaultKind(trace);
  if (trace.kind === 'matrix') throw new InputError('a formula of vectors and matrices has no picture: its worked solution is mashagrad solve, or mashagrad grad --explain');
  const numbers = options.numbers ?? {};
  const language = options.language ?? 'en';
  switch (kind) {
    case 'graph':
      if (trace.kind !== 'expression') throw new InputError(`a ${trace.kind} problem has no formula to draw as a computation graph: use --kind flow (the network's computation graph, one box per layer)${trace.kind === 'network' ? ', network or loss' : ''}`);
      return expressionGraphDot(trace, { highlight: options.highlight, backward: options.backward, title: titleOf(trace, language), numbers, language });
    case 'network': {
      if (trace.kind !== 'network') throw new InputError(`--kind network draws a network with numbers; ${trace.kind === 'symbolic' ? 'a symbolic network is drawn with --kind flow' : 'a formula is drawn with --kind graph'}`);
      if (drawableNeuronByNeuron(trace)) return networkDiagramDot(trace, { step: options.step, numbers, language });
      const flow = flowDot(trace, { step: options.step, numbers, language });
      const why = hasMixingLayer(trace) ? messageText(language, 'draw.network.layers') : messageText(language, 'draw.network.tooMany', { count: MAX_DRAWN_UNITS });
      return { dot: flow.dot, notes: [why, ...flow.notes] };
    }
    case 'flow':
      if (trace.kind === 'expression') throw new InputError('--kind flow draws a network layer by layer; a formula is drawn with --kind graph');
      if (trace.kind === 'layer') throw new InputError('a layer question has no picture: its worked solution is mashagrad solve');
      if (trace.kind === 'conv') return convDiagramDot(trace, { language });
      return flowDot(trace, { step: options.step, numbers, language });
    case 'loss':
      throw new InputError('the loss chart is drawn by Vega-Lite, not Graphviz: it has no DOT; write .svg or .png');
  }
}

/** Any picture of a trace as SVG, with its DOT when it has one. */
export async function drawPicture(trace: AnyTrace, options: PictureOptions = {}): Promise<Picture> {
  const kind = options.kind ?? defaultKind(trace);
  if (trace.kind === 'matrix') throw new InputError('a formula of vectors and matrices has no picture: its worked solution is mashagrad solve, or mashagrad grad --explain');
  if (kind === 'loss') {
    if (trace.kind !== 'network') throw new InputError(`--kind loss draws the training curve of a network problem; this is ${trace.kind === 'expression' ? 'a formula' : 'a symbolic network, which has no numbers'}`);
    const { svg, notes } = await lossChartSvg(trace, { per: options.per, language: options.language });
    return { kind, svg, notes };
  }
  const { dot, notes } = pictureDot(trace, { ...options, kind });
  return { kind, dot, svg: await dotToSvg(dot), notes };
}

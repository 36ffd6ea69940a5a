// Pictures of traces: computation graphs, networks, layer-level flows and loss charts, as
// DOT and SVG; these run in Node and the browser. PNG and files: ./node.ts (Node only).
export { escapeXml } from '../escape.js';
export { dotString } from './escape.js';
export { expressionGraphDot, MAX_DRAWN_OPERATIONS, type ExpressionGraphOptions } from './expression-graph.js';
export { pathsFrom, type PathSet } from './expression-paths.js';
export {
  networkDiagramDot, drawableNeuronByNeuron, MAX_DRAWN_UNITS, networkHeader, lossLines, parameterLines, unitLines, stepOf, updated as updatedColour,
  type NetworkDiagramOptions,
} from './network-diagram.js';
export { unitColumns, type Unit, type UnitColumn } from './network-units.js';
export type { Line, Span } from './dot.js';
export { colors } from './theme.js';
export { entryOf } from './format.js';
export { convDiagramDot } from './conv-diagram.js';
export { flowDot, flowModelDot, type FlowOptions } from './flow-diagram.js';
export { networkFlow, symbolicFlow, type FlowModel } from './flow-model.js';
export { lossChartSpec, lossChartSvg, vegaLiteSvg, type LossChartOptions } from './loss-chart.js';
export { trainingChartSpec, type TrainingCurve } from './training-chart.js';
export { dotToSvg, dotToSvgWith, loadGraphviz, DotRenderError } from './render.js';
export type { DotPicture, PictureFormat } from './picture.js';
export {
  defaultKind, drawPicture, expressionGraphSvg, flowSvg, lossSvg, networkDiagramSvg, pictureDot, PICTURE_KINDS,
  type AnyTrace, type Picture, type PictureKind, type PictureOptions,
} from './pictures.js';

import type { Language } from '../messages/catalogue.js';
import type { ProblemTrace } from '../trace/types.js';
import { convDiagramSvg, expressionGraphSvg, flowSvg, lossSvg, networkDiagramSvg } from './pictures.js';
import { MAX_DRAWN_UNITS } from './network-diagram.js';

/**
 * The pictures a worked solution embeds, by kind: the computation graph of a formula (with
 * the backward pass), a network's diagram at its first step and its layer-level flow, the loss
 * curve when there is more than one step, the flow of a symbolic network.
 */
export async function solutionFigures(trace: ProblemTrace, language: Language): Promise<Record<string, string>> {
  switch (trace.kind) {
    case 'expression':
      return { graph: await expressionGraphSvg(trace, { backward: true, language }) };
    case 'layer':
    case 'matrix':
      return {};
    case 'conv':
      return { flow: await convDiagramSvg(trace, language) };
    case 'symbolic':
      return { flow: await flowSvg(trace, { language }) };
    case 'network': {
      const units = trace.formulas.length;
      const figures: Record<string, string> = { flow: await flowSvg(trace, { language }) };
      if (units <= MAX_DRAWN_UNITS) figures.network = await networkDiagramSvg(trace, { step: 1, language });
      if (trace.steps.length > 1) figures.loss = await lossSvg(trace, { language });
      return figures;
    }
  }
}

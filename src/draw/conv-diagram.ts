import { messageText, type Language } from '../messages/catalogue.js';
import type { ConvTrace } from '../trace/conv-types.js';
import { DotWriter, htmlLabel } from './dot.js';
import type { DotPicture } from './picture.js';
import { applyTheme, sizes } from './theme.js';

/** A network with convolution or pooling layers as a column of boxes: each layer with its name and the shape it makes. */
export function convDiagramDot(trace: ConvTrace, options: { readonly language?: Language } = {}): DotPicture {
  const language = options.language ?? 'en';
  const dot = applyTheme(new DotWriter('conv'), { rankdir: 'LR' });
  dot.defaults('node', { shape: 'box', style: 'rounded' });
  const shape = (extents: readonly number[]) => extents.join('×');
  dot.node('x', { label: htmlLabel([[{ text: 'X', bold: true }], [{ text: shape(trace.layers[0]?.inputShape ?? []), size: sizes.edge }]]) });
  let previous = 'x';
  for (const layer of trace.layers) {
    const id = `layer${layer.index}`;
    const name = messageText(language, 'draw.conv.layer', { index: layer.index + 1, kind: messageText(language, `layer.${layer.kind}` as Parameters<typeof messageText>[1]) });
    dot.node(id, { label: htmlLabel([[{ text: name, bold: true }], [{ text: `→ ${shape(layer.outputShape)}`, size: sizes.edge }]]) });
    dot.edge(previous, id);
    previous = id;
  }
  dot.node('loss', { label: htmlLabel([[{ text: 'L', bold: true }], [{ text: trace.loss, size: sizes.edge }]]) });
  dot.edge(previous, 'loss');
  return { dot: dot.toString(), notes: [] };
}

import type { PictureFormat } from './picture.js';
import { drawPicture, pictureDot, type AnyTrace, type PictureOptions } from './pictures.js';
import { svgToPng } from './png.js';

/** A picture's file format from the file's name, or null: graph.svg, graph.png, graph.dot. */
export function formatOfFile(file: string): PictureFormat | null {
  const extension = /\.(\w+)$/.exec(file)?.[1]?.toLowerCase() ?? '';
  return FORMATS[extension] ?? null;
}

const FORMATS: Readonly<Record<string, PictureFormat>> = { svg: 'svg', png: 'png', dot: 'dot', gv: 'dot' };

/** The bytes of a picture in a file format. */
export async function renderPicture(trace: AnyTrace, format: PictureFormat, options: PictureOptions = {}): Promise<{ data: string | Buffer; notes: readonly string[] }> {
  if (format === 'dot') {
    const { dot, notes } = pictureDot(trace, options);
    return { data: dot, notes };
  }
  const picture = await drawPicture(trace, options);
  return { data: format === 'svg' ? picture.svg : svgToPng(picture.svg), notes: picture.notes };
}

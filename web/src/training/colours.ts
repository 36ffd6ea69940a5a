/** TensorFlow Playground's colours: orange for −1 (or class 0), white for 0, blue for +1 (or class 1). */
const [ORANGE, WHITE, BLUE] = [[245, 147, 34], [232, 234, 235], [8, 119, 189]] as const;

/** −1 → orange, 0 → white, 1 → blue; `strength` < 1 keeps the ends lighter (a background behind points). */
export function signedColour(t: number, strength = 1): [number, number, number] {
  const clamped = Number.isFinite(t) ? Math.max(-1, Math.min(1, t)) : 0;
  const [to, s] = clamped < 0 ? [ORANGE, -clamped * strength] : [BLUE, clamped * strength];
  return [0, 1, 2].map((c) => Math.round(WHITE[c]! + (to[c]! - WHITE[c]!) * s)) as [number, number, number];
}

export const rgb = ([r, g, b]: readonly [number, number, number]): string => `rgb(${r}, ${g}, ${b})`;

/** Paint values (row by row, size×size) onto a canvas, t = value mapped to [−1, 1]. */
export function paintGrid(canvas: HTMLCanvasElement, values: Float64Array, size: number, toSigned: (value: number) => number, strength: number): void {
  const context = canvas.getContext('2d');
  if (context === null || values.length !== size * size) return;
  const image = context.createImageData(size, size);
  values.forEach((value, i) => image.data.set([...signedColour(toSigned(value), strength), 255], 4 * i));
  if (canvas.width === size && canvas.height === size) {
    context.putImageData(image, 0, 0);
    return;
  }
  const cells = document.createElement('canvas');
  [cells.width, cells.height] = [size, size];
  cells.getContext('2d')?.putImageData(image, 0, 0);
  context.imageSmoothingEnabled = true;
  context.drawImage(cells, 0, 0, canvas.width, canvas.height);
}

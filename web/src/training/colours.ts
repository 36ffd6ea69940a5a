/** TensorFlow Playground's colours: orange for −1 (or class 0), white for 0, blue for +1 (or class 1). */
const [ORANGE, WHITE, BLUE] = [[245, 147, 34], [232, 234, 235], [8, 119, 189]] as const;

/** −1 → orange, 0 → white, 1 → blue; `strength` < 1 keeps the ends lighter (a background behind points). */
export function signedColour(t: number, strength = 1): [number, number, number] {
  const clamped = Number.isFinite(t) ? Math.max(-1, Math.min(1, t)) : 0;
  const [to, s] = clamped < 0 ? [ORANGE, -clamped * strength] : [BLUE, clamped * strength];
  return [0, 1, 2].map((c) => Math.round(WHITE[c]! + (to[c]! - WHITE[c]!) * s)) as [number, number, number];
}

/** One colour per class: class 0 orange and class 1 blue as above, then green, purple, red, teal. */
export const CLASS_COLOURS: readonly (readonly [number, number, number])[] = [ORANGE, BLUE, [46, 160, 67], [136, 84, 208], [214, 39, 40], [23, 170, 190]];

/** Class k's colour at strength s ∈ [0, 1] (0: white). */
export function classColour(k: number, s = 1): [number, number, number] {
  const to = CLASS_COLOURS[k % CLASS_COLOURS.length]!;
  return [0, 1, 2].map((c) => Math.round(WHITE[c]! + (to[c]! - WHITE[c]!) * Math.max(0, Math.min(1, s)))) as [number, number, number];
}

/**
 * Several classes' probabilities (`classes` numbers a cell, size×size cells) painted as the likeliest
 * class's colour, stronger the surer the network is (white where all are equal); `discretize`: full colour.
 */
export function paintClasses(canvas: HTMLCanvasElement, values: Float64Array, size: number, classes: number, strength: number, discretize: boolean): void {
  const context = canvas.getContext('2d');
  if (context === null || values.length !== size * size * classes) return;
  const image = context.createImageData(size, size);
  for (let i = 0; i < size * size; i++) {
    let best = 0;
    for (let k = 1; k < classes; k++) if (values[i * classes + k]! > values[i * classes + best]!) best = k;
    const sure = discretize ? 1 : (values[i * classes + best]! - 1 / classes) / (1 - 1 / classes);
    image.data.set([...classColour(best, sure * strength), 255], 4 * i);
  }
  drawCells(canvas, context, image, size);
}

export const rgb = ([r, g, b]: readonly [number, number, number]): string => `rgb(${r}, ${g}, ${b})`;

/** Paint values (row by row, size×size) onto a canvas, t = value mapped to [−1, 1]. */
export function paintGrid(canvas: HTMLCanvasElement, values: Float64Array, size: number, toSigned: (value: number) => number, strength: number): void {
  const context = canvas.getContext('2d');
  if (context === null || values.length !== size * size) return;
  const image = context.createImageData(size, size);
  values.forEach((value, i) => image.data.set([...signedColour(toSigned(value), strength), 255], 4 * i));
  drawCells(canvas, context, image, size);
}

/** The size×size cells stretched over the canvas. */
function drawCells(canvas: HTMLCanvasElement, context: CanvasRenderingContext2D, image: ImageData, size: number): void {
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

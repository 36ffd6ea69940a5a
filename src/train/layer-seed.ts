/**
 * The seed of the initial weights of layer `index` (its place in the layer list) in a run
 * seeded with `seed`: each layer a different one, the same in the CLI, `fit` and the page.
 */
export function layerSeed(seed: number, index: number): number {
  return seed * 100 + index;
}

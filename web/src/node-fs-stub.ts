// Stands in for node:fs in the browser bundle (see vite.config.ts): the page never reads files.
export function readFileSync(): never {
  throw new Error('reading files is not possible in the browser');
}

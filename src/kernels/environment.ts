/**
 * What the backends ask of the place they run in — Node or a browser, its environment
 * variables, its cores, its console — answered in one place, so that a browser bundle never
 * touches `process`.
 */

export const inNode = typeof process !== 'undefined' && typeof process.versions?.node === 'string';

/** An environment variable in Node; undefined in a browser or when unset. */
export function environmentVariable(name: string): string | undefined {
  return inNode ? process.env[name] : undefined;
}

/** The cores this process may use (Node ≥ 20.16); 1 where that cannot be asked. */
export function coresHere(): number {
  if (!inNode || typeof process.getBuiltinModule !== 'function') return 1;
  return process.getBuiltinModule('node:os').availableParallelism();
}

/** An error's message for a one-line warning. */
export function reasonOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

const warned = new Set<string>();

/** Say a message once (stderr in Node, the console in a browser), however often the choice is made. */
export function warnOnce(message: string): void {
  if (warned.has(message)) return;
  warned.add(message);
  console.warn(`mashagrad: ${message}`);
}

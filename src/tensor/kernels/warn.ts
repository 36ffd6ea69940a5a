const warned = new Set<string>();

/** Say a message once (stderr in Node, the console in a browser), however often the choice is made. */
export function warnOnce(message: string): void {
  if (warned.has(message)) return;
  warned.add(message);
  console.warn(`mashagrad: ${message}`);
}

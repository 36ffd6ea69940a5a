/*
 * Lossless JSON (docs/json-output.md). JSON has no NaN or ±∞, and JSON.stringify writes them as
 * null, so a reader cannot tell them apart or from a missing value. Every --json output and every
 * file mashagrad writes as JSON goes through jsonText, which writes them as the strings "NaN",
 * "Infinity" and "-Infinity"; readers take those strings back where a number is expected.
 */

/** The strings that stand for the numbers JSON cannot hold. */
const NON_FINITE: ReadonlyMap<string, number> = new Map([['NaN', Number.NaN], ['Infinity', Number.POSITIVE_INFINITY], ['-Infinity', Number.NEGATIVE_INFINITY]]);

/** JSON text with NaN, Infinity and -Infinity as those strings; typed arrays as lists. */
export function jsonText(value: unknown, indent?: number): string {
  return JSON.stringify(value, (_key, item: unknown) => {
    if (typeof item === 'number' && !Number.isFinite(item)) return String(item);
    if (ArrayBuffer.isView(item) && !(item instanceof DataView)) return Array.from(item as unknown as ArrayLike<number>);
    return item;
  }, indent);
}

/** The number a JSON value stands for: a number, or one of the strings jsonText writes; undefined otherwise. */
export function jsonNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  return typeof value === 'string' ? NON_FINITE.get(value) : undefined;
}

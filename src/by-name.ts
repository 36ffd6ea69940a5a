/*
 * Things a user names — variables, layers, classes, answer keys, `at` keys — are kept in
 * prototype-less records, so a name such as `constructor`, `toString` or `__proto__` is just a
 * name: it never finds something inherited from Object.prototype, and `__proto__` is stored
 * like any other key instead of setting the prototype. Plain `{}` and `name in record` are not
 * safe for user-chosen names; these helpers are.
 */

/** A record keyed by user-chosen names; made by `byName`, read with `hasName`/`getByName`. */
export type ByName<T> = Record<string, T>;

/** A prototype-less record, optionally filled from entries (later entries win). */
export function byName<T>(entries: Iterable<readonly [string, T]> = []): ByName<T> {
  const record = Object.create(null) as ByName<T>;
  for (const [name, value] of entries) record[name] = value;
  return record;
}

/** Whether `name` is an own key of `record` (never an inherited one such as `toString`). */
export function hasName(record: object, name: string): boolean {
  return Object.hasOwn(record, name);
}

/** The value stored under `name`, or undefined when the record does not have it as its own key. */
export function getByName<T>(record: Readonly<Record<string, T>>, name: string): T | undefined {
  return Object.hasOwn(record, name) ? record[name] : undefined;
}

/** A copy of any object's own enumerable entries as a prototype-less record. */
export function copyByName<T>(record: Readonly<Record<string, T>>): ByName<T> {
  return byName(Object.entries(record));
}

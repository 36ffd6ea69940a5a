/**
 * Whether two computations gave the same numbers (NaN where NaN): how a trace tells that a rule
 * written as a textbook writes it, without its limit terms, is true at the point (decisions.md).
 */
export function sameNumbers(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const [x, y] = [a[i]!, b[i]!];
    if (x !== y && !(Number.isNaN(x) && Number.isNaN(y))) return false;
  }
  return true;
}

import { byName, type ByName } from '../by-name.js';
import { InputError } from '../errors.js';

/**
 * Variables declared without values, for a purely symbolic answer: `x: vector`, `A: matrix`,
 * `X: "matrix n×n"`, `M: "matrix m×n"`, `y: "vector m"`, `c: number`. A plain vector is n×1 and a
 * plain matrix n×n. Each dimension letter gets its own stand-in size (n = 3, m = 4, k = 5, …),
 * so that the shape rules tell the letters apart; the formulas do not depend on the sizes.
 * `"symmetric matrix m×m"` (or `"symmetric matrix"`, n×n) is a square matrix with Sᵀ = S.
 */
export interface Declared {
  readonly shapes: ByName<readonly number[]>;
  /** The stand-in size of each dimension letter. */
  readonly sizes: ByName<number>;
  /** The variables declared "symmetric matrix" (Sᵀ = S), in order of declaration. */
  readonly symmetric: readonly string[];
}

const DECLARATION = /^\s*(number|scalar|vector|matrix|symmetric\s+matrix)(?:\s+([A-Za-z])(?:\s*[×x*]\s*([A-Za-z]))?)?\s*$/;
const FIRST_SIZE = 3;

export function declaredShapes(variables: Readonly<Record<string, unknown>>): Declared {
  const sizes = byName<number>();
  const sizeOf = (letter: string): number => {
    sizes[letter] ??= FIRST_SIZE + Object.keys(sizes).length;
    return sizes[letter];
  };
  const shapes = byName<readonly number[]>();
  const symmetric: string[] = [];
  for (const [name, declaration] of Object.entries(variables)) {
    const match = typeof declaration === 'string' ? DECLARATION.exec(declaration) : null;
    if (match === null) {
      throw new InputError(`variables: ${name}: expected number, vector, matrix, "vector m", "matrix m×n" or "symmetric matrix m×m", got ${JSON.stringify(declaration) ?? String(declaration)}`);
    }
    const [, kind, first, second] = match;
    if (kind === 'number' || kind === 'scalar') {
      if (first !== undefined) throw new InputError(`variables: ${name}: a number has no dimensions`);
      shapes[name] = [];
    } else if (kind === 'vector') {
      if (second !== undefined) throw new InputError(`variables: ${name}: a vector has one dimension ("vector m"); for a matrix write "matrix ${first!}×${second}"`);
      shapes[name] = [sizeOf(first ?? 'n'), 1];
    } else if (kind === 'matrix') {
      shapes[name] = [sizeOf(first ?? 'n'), sizeOf(second ?? first ?? 'n')];
    } else {
      if (second !== undefined && second !== first) throw new InputError(`variables: ${name}: a symmetric matrix is square; write "symmetric matrix ${first!}×${first!}"`);
      shapes[name] = [sizeOf(first ?? 'n'), sizeOf(first ?? 'n')];
      symmetric.push(name);
    }
  }
  return { shapes, sizes, symmetric };
}

/** A shape in letters where the sizes are stand-ins: n×1, m×n. */
export function shapeInLetters(shape: readonly number[], sizes: Readonly<Record<string, number>>): string {
  const letter = (size: number) => Object.entries(sizes).find(([, value]) => value === size)?.[0] ?? String(size);
  if (shape.length === 0) return '1×1';
  return `${letter(shape[0]!)}×${shape.length === 1 || shape[1] === 1 ? '1' : letter(shape[1]!)}`;
}

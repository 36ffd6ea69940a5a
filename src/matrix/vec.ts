/**
 * vec stacks a matrix's columns (column-major, as Magnus & Neudecker and the matrix-calculus
 * books do; docs/matrix-calculus.md). The engine's Jacobian of F (p×q) by X (m×n) has a row per
 * element of F and a column per element of X, both row by row: this reorders both to vec, giving
 * ∂vec F/∂vec X, the matrix a Kronecker formula Σ c·Rᵀ ⊗ L is.
 */
export function vecJacobian(engineRows: readonly (readonly number[])[], outShape: readonly number[], variableShape: readonly number[]): number[][] {
  const [outRows = 1, outColumns = 1] = outShape;
  const [rows = 1, columns = 1] = variableShape;
  return Array.from({ length: outRows * outColumns }, (_, k) => {
    const row = engineRows[(k % outRows) * outColumns + Math.floor(k / outRows)]!;
    return Array.from({ length: rows * columns }, (__, m) => row[(m % rows) * columns + Math.floor(m / rows)]!);
  });
}

import { describe, expect, it } from 'vitest';
import { runMashagrad } from './support/run-cli.js';

/** `grad` and `solve` with vectors and matrices (docs/matrix-calculus.md), run in-process. */
describe('mashagrad grad with vectors and matrices', () => {
  it("--at 'x=[1,2]; A=[[1,2],[3,4]]' --json: value, gradients in their shapes, formulas in matrix notation", async () => {
    const { exitCode, stdout } = await runMashagrad('grad', "x'*A*x", '--at', 'x=[1,2]; A=[[1,2],[3,4]]', '--json');
    expect(exitCode).toBe(0);
    const trace = JSON.parse(stdout) as { kind: string; value: number; gradient: Record<string, unknown>; derivatives: Record<string, string> };
    expect(trace.kind).toBe('matrix');
    // xᵀAx = 1 + 2·(2 + 3) + 4·4 = 27; (A + Aᵀ)x = [[2, 5], [5, 8]]·(1, 2) = (12, 21); x·xᵀ
    expect(trace.value).toBe(27);
    expect(trace.gradient).toEqual({ x: [12, 21], A: [[1, 2], [2, 4]] });
    expect(trace.derivatives).toEqual({ x: "(A + A')*x", A: "x*x'" });
  });

  it('--hessian of least squares gives 2*M\'*M', async () => {
    const { exitCode, stdout } = await runMashagrad('grad', "(y - M*w)'*(y - M*w)", '--at', 'y=[1,2,2]; M=[[1,0],[1,1],[1,2]]; w=[0.5,0.5]', '--hessian', '--json');
    expect(exitCode).toBe(0);
    const trace = JSON.parse(stdout) as { hessian: Record<string, { value: number[][]; formula: { ascii: string } }> };
    expect(trace.hessian.w?.formula.ascii).toBe("2*M'*M");
    expect(trace.hessian.w?.value).toEqual([[6, 6], [6, 10]]);
  });

  it('--explain --lang ru writes the derivation with the rules named', async () => {
    const { exitCode, stdout } = await runMashagrad('grad', 'det(X)', '--at', 'X=[[2,1],[1,3]]', '--explain', '--lang', 'ru');
    expect(exitCode).toBe(0);
    expect(stdout).toContain('d det X = det X·tr(X⁻¹·dX)');
    expect(stdout).toContain('∇_X f = det(X)·X⁻ᵀ');
  });

  it('shape mismatches, malformed values and singular matrices: one clear message, exit code 2, no stack trace', async () => {
    for (const [formula, at, message] of [
      ['A*y', 'A=[[1,2],[3,4]]; y=[1,2,3]', 'cannot multiply: A is 2×2 and y is 3×1'],
      ["x'*x", 'x=[1,2', "--at: the value of x, '[1,2'"],
      ['sum(inv(X))', 'X=[[1,2],[2,4]]', 'is singular'],
    ] as const) {
      const { exitCode, stderr } = await runMashagrad('grad', formula, '--at', at);
      expect(exitCode, formula).toBe(2);
      expect(stderr, formula).toContain(message);
      expect(stderr, formula).not.toMatch(/\n\s+at /);
    }
  });

  it("x'*x with numbers only points to the brackets that make it a formula of vectors", async () => {
    const { exitCode, stderr } = await runMashagrad('grad', "x'*x", '--at', 'x=3');
    expect(exitCode).toBe(2);
    expect(stderr).toContain("unexpected character ''' (a formula of vectors and matrices: give their values in brackets, --at 'x=[1,2]; A=[[1,2],[3,4]]') (column 2)");
  });

  it('a formula of numbers is unchanged: grad "x^2" --at x=3 is an expression trace', async () => {
    const { stdout } = await runMashagrad('grad', 'x^2', '--at', 'x=3', '--json');
    expect((JSON.parse(stdout) as { kind: string }).kind).toBe('expression');
  });
});

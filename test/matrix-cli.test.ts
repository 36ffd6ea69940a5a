import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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

describe('mashagrad grad --symmetric (a matrix declared symmetric, as "symmetric matrix" in a file)', () => {
  it('uses Sᵀ = S in the formulas: ln(det(S)) + a\'*S*a gives inv(S) + a*a\' (inv(S)\' + a*a\' without it), the same numbers', async () => {
    const args = ['grad', "ln(det(S)) + a'*S*a", '--at', 'S=[[2,1],[1,3]]; a=[1,2]', '--json'] as const;
    const declared = JSON.parse((await runMashagrad(...args, '--symmetric', 'S')).stdout) as { derivatives: Record<string, string>; gradient: Record<string, unknown>; symmetric?: string[] };
    const plain = JSON.parse((await runMashagrad(...args)).stdout) as typeof declared;
    expect(declared.derivatives.S).toBe("inv(S) + a*a'");
    expect(plain.derivatives.S).toBe("inv(S)' + a*a'");
    expect(declared.derivatives.a).toBe('2*S*a');
    expect(declared.symmetric).toEqual(['S']);
    expect(plain.symmetric).toBeUndefined();
    // The numbers are the engine's backward pass either way: S⁻¹ + a·aᵀ = [[0.6, −0.2], [−0.2, 0.4]] + [[1, 2], [2, 4]].
    expect(declared.gradient).toEqual(plain.gradient);
  });

  it('names several at once (S,T or a repeated flag), and its worked solution says so in Russian', async () => {
    const { exitCode, stdout } = await runMashagrad('grad', "x'*S*T*x", '--at', 'S=[[2,1],[1,3]]; T=[[1,0],[0,2]]; x=[1,2]', '--symmetric', 'S,T', '--json');
    expect(exitCode).toBe(0);
    expect((JSON.parse(stdout) as { symmetric: string[] }).symmetric).toEqual(['S', 'T']);
    const repeated = await runMashagrad('grad', "x'*S*T*x", '--at', 'S=[[2,1],[1,3]]; T=[[1,0],[0,2]]; x=[1,2]', '--symmetric', 'S', '--symmetric', 'T', '--json');
    expect((JSON.parse(repeated.stdout) as { symmetric: string[] }).symmetric).toEqual(['S', 'T']);
    const ru = await runMashagrad('grad', "x'*S*x", '--at', 'S=[[2,1],[1,3]]; x=[1,2]', '--symmetric', 'S', '--explain', '--lang', 'ru');
    expect(ru.stdout).toContain('S — симметричная матрица');
  });

  it('refuses, exit code 2 and one line, a value that is not symmetric (naming the first pair), a name without a value, not a name, or not in the formula', async () => {
    for (const [at, names, message] of [
      ['S=[[2,0.5],[0.4,3]]; x=[1,2]', 'S', 'the value of S: S is declared a symmetric matrix, but S[0][1] = 0.5 and S[1][0] = 0.4; make them equal'],
      ['S=[[1,2],[2,1],[0,0]]; x=[1,2]', 'S', 'so it must be a square list of rows, got a 3×2 value'],
      ['x=[1,2]; S=[[1,2],[2,1]]', 'S,T', "--symmetric: T has no value in --at; give it a symmetric one, e.g. --at 'T=[[2,1],[1,3]]'"],
      ['x=[1,2]; S=[[1,2],[2,1]]', '2S', "--symmetric: '2S' is not a variable name"],
      ['x=[1,2]; S=[[1,2],[2,1]]; T=[[1,0],[0,1]]', 'T', "--symmetric: T is not a variable of x'*S*x; its matrix variables are S"],
    ] as const) {
      const { exitCode, stderr } = await runMashagrad('grad', "x'*S*x", '--at', at, '--symmetric', names);
      expect(exitCode, names).toBe(2);
      expect(stderr, names).toContain(message);
      expect(stderr.trim().split('\n'), names).toHaveLength(1);
    }
  });
});

describe('mashagrad solve --out: the summary writes a matrix variable as its solution does', () => {
  it("the ridge problem's lambda is ∇_λ f in the summary line (the matrix name writer), as in its solution and in the scalar formulas", async () => {
    const out = mkdtempSync(join(tmpdir(), 'mashagrad-matrix-summary-'));
    try {
      const problem = new URL('../examples/book/matrix-3d-ridge.yaml', import.meta.url).pathname;
      const { exitCode, stdout } = await runMashagrad('solve', problem, '--out', out);
      expect(exitCode).toBe(0);
      expect(stdout).toMatch(/∇_λ f = /);
      expect(stdout).not.toContain('∇_lambda');
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});

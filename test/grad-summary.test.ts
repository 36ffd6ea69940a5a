import { describe, expect, it } from 'vitest';
import { runMashagrad as run } from './support/run-cli.js';

/** The summary `grad` prints without --explain: one document, rendered in the chosen language and format. */
describe('mashagrad grad: the summary', () => {
  const exercise1 = ['x^2 + x*y + (x+y)^2', '--at', 'x=1,y=2'];

  it('in English: value, gradient, derivatives, then the nodes and the edges', async () => {
    const { exitCode, stdout } = await run('grad', ...exercise1);
    expect(exitCode).toBe(0);
    const lines = stdout.split('\n');
    expect(lines[0]).toBe('f(x, y) = x^2 + x*y + (x+y)^2 at x = 1, y = 2');
    expect(lines.slice(2, 7)).toEqual(['Value: f = 12', 'Gradient: ∂f/∂x = 10,  ∂f/∂y = 7', 'Derivatives:', '  ∂f/∂x = 4x + 3y', '  ∂f/∂y = 3x + 2y']);
    expect(stdout).toMatch(/Computation graph \(one node per elementary operation\)\n─+\n {2}node {2}computes {3}value {2}∂f\/∂node\n/);
    expect(stdout).toMatch(/\n {2}e {5}e = c² {5}9 {6}1\n/);
    expect(stdout).toMatch(/Edges \(local derivatives\)\n─+\n {2}edge {3}local derivative {2}value\n/);
    expect(stdout).toMatch(/\n {2}c → e {2}∂e\/∂c = 2c {8}6\n/);
    expect(stdout).not.toContain('Paths'); // the paths and the backward sweep are --explain's
  });

  it('the point names a variable as the lines below do: at μ = 2 beside ∂f/∂μ, the formula as typed (en, ru)', async () => {
    for (const [language, at] of [['en', 'at'], ['ru', 'в точке']] as const) {
      const { exitCode, stdout } = await run('grad', 'mu^2', '--at', 'mu=2', '--lang', language);
      expect(exitCode).toBe(0);
      const lines = stdout.split('\n');
      expect(lines[0]).toBe(`f(mu) = mu^2 ${at} μ = 2`);
      expect(stdout).toContain('∂f/∂μ = 4');
      expect(stdout).not.toMatch(/mu = 2/);
    }
  });

  it('a formula without variables: its value and that there is nothing to differentiate, no empty table', async () => {
    const { exitCode, stdout } = await run('grad', '3+4');
    expect(exitCode).toBe(0);
    // It printed f() = 3+4 and a table of nodes with a header and no rows.
    expect(stdout.trim().split('\n')).toEqual(['f = 3+4', '═══════', 'Value: f = 7', 'The formula has no variables: it is a number, and there is nothing to differentiate.']);
  });

  it('in Russian with --lang ru: the same numbers, no English words', async () => {
    const { exitCode, stdout } = await run('grad', ...exercise1, '--lang', 'ru');
    expect(exitCode).toBe(0);
    expect(stdout).toContain('f(x, y) = x^2 + x*y + (x+y)^2 в точке x = 1, y = 2');
    expect(stdout).toContain('Значение: f = 12');
    expect(stdout).toContain('Градиент: ∂f/∂x = 10,  ∂f/∂y = 7');
    expect(stdout).toContain('Граф вычислений (по узлу на каждую элементарную операцию)');
    expect(stdout).toMatch(/узел {2}вычисляет {2}значение {2}∂f\/∂узел/);
    expect(stdout).toMatch(/\n {2}x {5}вход/);
    expect(stdout).toContain('Рёбра (локальные производные)');
    expect(stdout).not.toMatch(/Value|Gradient|Derivatives|node|input|Edges|edge|local derivative/);
  });

  it('names the last node f (never another letter), and words a warning in the language asked for', async () => {
    const english = await run('grad', 'x * log(x - 2)', '--at', 'x=1');
    expect(english.stdout).toMatch(/f +f = x·b/);
    expect(english.stdout).not.toContain('f is node');
    const russian = await run('grad', 'x * log(x - 2)', '--at', 'x=1', '--lang', 'ru');
    expect(russian.stdout).toMatch(/Внимание\. b = ln\(a\)/);
  });

  it('in Markdown with --format md, formulas as $…$ and the tables as Markdown tables', async () => {
    const { stdout } = await run('grad', ...exercise1, '--format', 'md');
    expect(stdout).toContain('Gradient: $\\frac{\\partial f}{\\partial x} = 10,\\quad \\frac{\\partial f}{\\partial y} = 7$');
    expect(stdout).toContain('| $e$ | $e = c^{2}$ | $9$ | $1$ |');
  });

  it('--explain prints the whole worked solution instead', async () => {
    const { stdout } = await run('grad', ...exercise1, '--explain', '--lang', 'ru');
    expect(stdout).toContain('Обратное распространение');
    expect(stdout).not.toContain('Значение: f = 12');
  });
});

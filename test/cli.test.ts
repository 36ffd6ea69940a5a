import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { commandsFor } from '../src/cli/program.js';
import { runMashagrad } from './support/run-cli.js';

const run = runMashagrad;

describe('mashagrad grad', () => {
  it('prints value, gradient, derivative formulas and the graph for exercise 1', async () => {
    const { exitCode, stdout } = await run('grad', 'x^2 + x*y + (x+y)^2', '--at', 'x=1,y=2');
    expect(exitCode).toBe(0);
    expect(stdout).toContain('f = 12');
    expect(stdout).toContain('∂f/∂x = 10,  ∂f/∂y = 7');
    expect(stdout).toContain('∂f/∂x = 4x + 3y');
    expect(stdout).toContain('∂f/∂y = 3x + 2y');
    expect(stdout).toMatch(/c\s+c = x \+ y\s+3\s+6/);
    expect(stdout).toMatch(/∂a\/∂x = 2x\s+2/);
  });

  it('prints one JSON object in the documented shape with --json', async () => {
    const { exitCode, stdout } = await run('grad', 'x^2 + x*y + (x+y)^2', '--at', 'x=1,y=-3.5', '--json');
    expect(exitCode).toBe(0);
    const trace = JSON.parse(stdout) as Record<string, unknown>;
    expect(Object.keys(trace)).toEqual(expect.arrayContaining(['expression', 'at', 'value', 'gradient', 'derivatives', 'nodes', 'edges']));
    expect(trace.at).toEqual({ x: 1, y: -3.5 });
    // f = 1 − 3.5 + 6.25; ∂f/∂x = 4 − 10.5; ∂f/∂y = 3 − 7
    expect(trace.value).toBe(3.75);
    expect(trace.gradient).toEqual({ x: -6.5, y: -4 });
    expect(trace.derivatives).toEqual({ x: '4*x + 3*y', y: '3*x + 2*y' });
    const nodes = trace.nodes as { id: string; expression: string; op: string; inputs: string[]; value: number; grad: number }[];
    expect(nodes.find((node) => node.id === 'b')).toMatchObject({ expression: 'x*y', op: 'mul', inputs: ['x', 'y'], value: -3.5 });
    const edges = trace.edges as { from: string; to: string; derivative: string; value: number }[];
    expect(edges).toContainEqual(expect.objectContaining({ from: 'c', to: 'e', derivative: '2*c', value: -5 }));
  });

  it('exits 2 with a caret under the column for a syntax error', async () => {
    const { exitCode, stderr, stdout } = await run('grad', 'x^2 +* y', '--at', 'x=1,y=2');
    expect(exitCode).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain('column 6');
    expect(stderr).toContain('x^2 +* y\n       ^');
    expect(stderr).not.toMatch(/at .*\.ts:\d+/);
  });

  it('exits 2 naming a missing or extra variable', async () => {
    const missing = await run('grad', 'x + y', '--at', 'x=1');
    expect(missing.exitCode).toBe(2);
    expect(missing.stderr).toContain('no value given for y');
    const extra = await run('grad', 'x', '--at', 'x=1,q=2');
    expect(extra.exitCode).toBe(2);
    expect(extra.stderr).toContain('q is not in the formula');
  });

  it('exits 2 for a malformed --at and for an unknown option', async () => {
    expect((await run('grad', 'x', '--at', 'x=abc')).stderr).toContain("'abc', is not a finite number");
    expect((await run('grad', 'x', '--at', 'x:1')).exitCode).toBe(2);
    expect((await run('grad', 'x', '--at', 'x=1', '--frobnicate')).exitCode).toBe(2);
  });

  it('says which node produced NaN first', async () => {
    const { exitCode, stdout } = await run('grad', 'x * log(x - 2)', '--at', 'x=1');
    expect(exitCode).toBe(0);
    expect(stdout).toContain('Warning. b = ln(a) is NaN at a = −1');
  });
});

describe('which commands the CLI loads', () => {
  it('only the one it runs (train never loads KaTeX or Graphviz); all of them for help, a typo or nothing', () => {
    expect(commandsFor(['train', 'examples/train/fashion-mnist.yaml', '--epochs', '1'])).toEqual(['train']);
    expect(commandsFor(['solve', 'examples', '--out', 'out'])).toEqual(['solve']);
    expect(commandsFor(['--help'])).toEqual(['grad', 'solve', 'graph', 'train', 'export', 'import']);
    expect(commandsFor(['trian', 'x.yaml'])).toEqual(['grad', 'solve', 'graph', 'train', 'export', 'import']);
    expect(commandsFor([])).toEqual(['grad', 'solve', 'graph', 'train', 'export', 'import']);
  });
});

describe('npm run --silent mashagrad', () => {
  it('prints nothing but the command’s own output', async () => {
    const { stdout } = await promisify(execFile)('npm', ['run', '--silent', 'mashagrad', '--', 'grad', 'x*y', '--at', 'x=2,y=3', '--json']);
    expect(JSON.parse(stdout)).toMatchObject({ value: 6, gradient: { x: 3, y: 2 } });
  });
});

describe('CLI conventions', () => {
  it('--version prints the version of package.json', async () => {
    const { version } = JSON.parse(await import('node:fs').then((fs) => fs.readFileSync('package.json', 'utf8'))) as { version: string };
    const { exitCode, stdout } = await run('--version');
    expect(exitCode).toBe(0);
    expect(stdout.trim()).toBe(version);
  });

  it('takes a formula that begins with a minus, before or after the options', async () => {
    for (const argv of [['grad', '-x^2', '--at', 'x=3'], ['grad', '--at', 'x=3', '-x^2'], ['grad', '--at', 'x=3', '--json', '--', '-x^2']]) {
      const { exitCode, stdout } = await run(...argv);
      expect(exitCode, argv.join(' ')).toBe(0);
      expect(stdout).toMatch(/"value": ?-9|f = −9/);
    }
  });

  it('with no command prints the help on standard output and succeeds; an unknown command exits 2', async () => {
    const none = await run();
    expect(none.exitCode).toBe(0);
    expect(none.stdout).toContain('Usage: mashagrad');
    expect(none.stderr).toBe('');
    const unknown = await run('gard', 'x');
    expect(unknown.exitCode).toBe(2);
    expect(unknown.stderr).toContain("unknown command 'gard'");
  });

  it('graph writes SVG to standard output without -o, and accepts --out and the older --output', async () => {
    const { exitCode, stdout } = await run('graph', 'x*y', '--at', 'x=2,y=3');
    expect(exitCode).toBe(0);
    expect(stdout).toMatch(/<svg[\s\S]*<\/svg>/);
    const dir = mkdtempSync(join(tmpdir(), 'mashagrad-cli-'));
    for (const flag of ['-o', '--out', '--output']) {
      const file = join(dir, `graph${flag}.svg`);
      expect((await run('graph', 'x*y', '--at', 'x=2,y=3', flag, file)).exitCode, flag).toBe(0);
      expect(readFileSync(file, 'utf8')).toContain('<svg');
    }
  });
});

describe('the summary solve --out prints', () => {
  it('writes numbers as the worked solutions do (--digits, fractions), not as raw floating point', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mashagrad-summary-'));
    const files = ['examples/exercise-1.yaml', 'examples/exercise-2.yaml', 'examples/book/matrix-2a-inverse.yaml'];
    const { exitCode, stdout } = await run('solve', ...files, '--out', dir);
    expect(exitCode).toBe(0);
    const traces = JSON.parse((await run('solve', ...files, '--json')).stdout) as Record<string, { value?: number; steps?: { loss: number }[] }>;
    // The sheet's exercise 1: f = 12, ∂f/∂x = 10, ∂f/∂y = 7.
    expect(stdout).toContain('f = 12; ∂f/∂x = 10, ∂f/∂y = 7');
    const loss = traces['examples/exercise-2.yaml']!.steps!.at(-1).loss;
    expect(String(loss).length).toBeGreaterThan(8);
    expect(stdout).toContain(`final loss ${Number(loss.toPrecision(4))}`);
    // No number keeps floating-point noise such as 0.04000000000000001 or -0.40000000000000013.
    expect(stdout).not.toMatch(/\d\.\d{6,}/);
    const six = await run('solve', 'examples/exercise-2.yaml', '--out', mkdtempSync(join(tmpdir(), 'mashagrad-summary-')), '--digits', '6');
    expect(six.stdout).toContain(`final loss ${Number(loss.toPrecision(6))}`);
  });
});

import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runMashagrad } from './support/run-cli.js';
import { loadGraphviz } from '../src/draw/render.js';
import { foreignWords, parseSvg, pngSize } from './support/svg.js';

const folder = mkdtempSync(join(tmpdir(), 'mashagrad-graph-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));
const file = (name: string) => join(folder, name);

const run = runMashagrad;

const EXERCISE_1 = ['x^2 + x*y + (x+y)^2', '--at', 'x=1,y=2'];

describe('mashagrad graph', () => {
  it('writes the exercise-1 graph as SVG with 8 nodes and 10 edges', async () => {
    const { exitCode, stdout } = await run('graph', ...EXERCISE_1, '-o', file('ex1.svg'), '--backward', '--highlight', 'y');
    expect(exitCode).toBe(0);
    expect(stdout).toContain('wrote');
    const svg = parseSvg(readFileSync(file('ex1.svg'), 'utf8'));
    expect(svg.groups.get('node')).toBe(8);
    expect(svg.groups.get('edge')).toBe(10);
    expect(svg.texts).toContain('∂f/∂y = x + 2(x + y) = 3x + 2y = 7');
  });

  it('writes a PNG that decodes: signature, IHDR larger than 100 × 100, a non-trivial size', async () => {
    expect((await run('graph', ...EXERCISE_1, '-o', file('ex1.png'))).exitCode).toBe(0);
    const png = readFileSync(file('ex1.png'));
    const { width, height } = pngSize(png);
    expect(width).toBeGreaterThan(100);
    expect(height).toBeGreaterThan(100);
    expect(statSync(file('ex1.png')).size).toBeGreaterThan(20_000);
  });

  it('writes DOT that Graphviz accepts without errors', async () => {
    for (const [source, kind] of [['examples/exercise-1.yaml', 'graph'], ['examples/exercise-4-regression.yaml', 'network'], ['examples/exercise-4-regression.yaml', 'flow'], ['examples/exercise-5-symbolic.yaml', 'flow']] as const) {
      expect((await run('graph', source, '--kind', kind, '-o', file(`${kind}.dot`))).exitCode).toBe(0);
      const result = (await loadGraphviz()).render(readFileSync(file(`${kind}.dot`), 'utf8'), { format: 'svg' });
      expect(result.status).toBe('success');
      expect(result.errors.filter((error) => error.level === 'error')).toEqual([]);
    }
  });

  it('draws the loss chart of a network problem as PNG', async () => {
    expect((await run('graph', 'examples/exercise-2.yaml', '--kind', 'loss', '-o', file('loss.png'))).exitCode).toBe(0);
    expect(pngSize(readFileSync(file('loss.png'))).width).toBeGreaterThan(100);
  });

  it('exits 2 with a message for what cannot be drawn', async () => {
    const cases: string[][] = [
      ['graph', ...EXERCISE_1, '-o', file('graph.txt')],
      ['graph', 'examples/exercise-2.yaml', '--kind', 'loss', '-o', file('loss.dot')],
      ['graph', 'examples/exercise-5-symbolic.yaml', '--kind', 'network', '-o', file('n.svg')],
      ['graph', 'examples/exercise-2.yaml', '--highlight', 'x', '-o', file('n.svg')],
      ['graph', 'examples/exercise-2.yaml', '--step', '0', '-o', file('n.svg')],
      ['graph', 'examples/exercise-1.yaml', '--at', 'x=1', '-o', file('n.svg')],
      ['graph', 'examples/exercise-1.yaml', '--at', 'x=1'],
    ];
    for (const argv of cases) {
      const { exitCode, stderr } = await run(...argv);
      expect(exitCode, argv.join(' ')).toBe(2);
      expect(stderr).not.toMatch(/internal error|at .*\.ts:\d+/);
    }
  });
});

describe('hostile titles', () => {
  const titles = ['<script>alert(1)</script>', '"quotes" & ampersands', 'a backslash \\N and \\G'];
  const problems = (title: string): Record<string, string> => ({
    expression: `title: ${JSON.stringify(title)}\nexpression: x*y\nat: { x: 1, y: 2 }\n`,
    network: `title: ${JSON.stringify(title)}\nmodel:\n  - linear: { weights: [[1]], bias: [0] }\n  - sigmoid\nloss: logloss\ndata: { x: [[1]], y: [[1]] }\ntrain: { lr: 1 }\n`,
    symbolic: `title: ${JSON.stringify(title)}\nmodel:\n  - linear: { weights: W1 }\n  - relu\nloss: sse\n`,
  });
  const kinds: Record<string, readonly string[]> = { expression: ['graph'], network: ['network', 'flow', 'loss'], symbolic: ['flow'] };

  for (const [index, title] of titles.entries()) {
    it(`stay text in DOT and SVG: ${title}`, async () => {
      for (const [kind, source] of Object.entries(problems(title))) {
        const problem = file(`hostile-${index}-${kind}.yaml`);
        writeFileSync(problem, source);
        for (const picture of kinds[kind]!) {
          const svgFile = file(`hostile-${index}-${picture}.svg`);
          expect((await run('graph', problem, '--kind', picture, '-o', svgFile)).exitCode).toBe(0);
          const raw = readFileSync(svgFile, 'utf8');
          const svg = parseSvg(raw);
          expect(raw).not.toContain('<script');
          expect(svg.elements).not.toContain('script');
          expect(svg.texts, `${kind} ${picture}`).toContain(title);
          if (picture === 'loss') continue;
          const dotFile = file(`hostile-${index}-${picture}.dot`);
          expect((await run('graph', problem, '--kind', picture, '-o', dotFile)).exitCode).toBe(0);
          const dot = readFileSync(dotFile, 'utf8');
          expect(dot).not.toContain('<script');
          if (index === 0) expect(dot).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
          if (index === 1) expect(dot).toContain('&quot;quotes&quot; &amp; ampersands');
        }
      }
    });
  }
});

describe('mashagrad graph --lang ru', () => {
  const pictures: readonly (readonly [string, readonly string[], readonly string[]])[] = [
    ['graph', [...EXERCISE_1, '--backward', '--highlight', 'y'], ['обратный проход', 'накопленный градиент', 'в точке']],
    ['network', ['examples/exercise-2.yaml', '--step', '1'], ['Упражнение 2', 'шаг 1 (эпоха 1)', 'после шага градиентного спуска']],
    ['flow', ['examples/exercise-4-regression.yaml', '--kind', 'flow', '--step', '1'], ['прямой проход', 'обратный проход', 'накопленный градиент', 'шаг градиентного спуска']],
    ['symbolic', ['examples/exercise-5-symbolic.yaml'], ['прямой проход', 'обратный проход', 'шаг градиентного спуска']],
    ['loss', ['examples/exercise-2.yaml', '--kind', 'loss'], ['значение функции потерь', 'шаг']],
    ['loss per epoch', ['examples/exercise-2.yaml', '--kind', 'loss', '--per', 'epoch'], ['среднее значение функции потерь', 'эпоха']],
  ];

  it.each(pictures)('%s: Russian words only, besides the sheet\'s own terms and formula names', async (name, args, terms) => {
    const target = file(`ru-${name.replace(/ /g, '-')}.svg`);
    const { exitCode, stderr } = await run('graph', ...args, '--lang', 'ru', '-o', target);
    expect(stderr).toBe('');
    expect(exitCode).toBe(0);
    const { texts } = parseSvg(readFileSync(target, 'utf8'));
    const all = texts.join('\n');
    for (const term of terms) expect(all).toContain(term);
    expect(foreignWords(texts)).toEqual([]);
  });

  it('draws English without --lang and with --lang en alike', async () => {
    await run('graph', ...EXERCISE_1, '--backward', '-o', file('default.svg'));
    await run('graph', ...EXERCISE_1, '--backward', '--lang', 'en', '-o', file('en.svg'));
    const english = readFileSync(file('en.svg'), 'utf8');
    expect(english).toBe(readFileSync(file('default.svg'), 'utf8'));
    expect(parseSvg(english).texts.join('\n')).toContain('red: the backward pass');
  });

  it('refuses a language it does not have', async () => {
    const { exitCode, stderr } = await run('graph', ...EXERCISE_1, '--lang', 'de', '-o', file('de.svg'));
    expect(exitCode).not.toBe(0);
    expect(stderr).toMatch(/--lang/);
  });
});
